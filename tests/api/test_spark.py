"""The same API on the Spark backend (PySpark local mode over the Parquet export)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctrace.api import create_app

pytestmark = pytest.mark.spark


def test_spark_answers_as_duckdb(ws_path: Path, client: TestClient) -> None:
    paths = ["/api/incidents/summary?by=year", "/api/incidents/summary?by=actor", "/api/actors"]
    expected = [client.get(p).json() for p in paths]
    with TestClient(create_app(ws_path, backend="spark")) as spark:
        assert [spark.get(p).json() for p in paths] == expected
