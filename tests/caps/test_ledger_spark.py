"""The cap ledger on Spark (local mode, Parquet) gives exactly what it gives on DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctrace.caps.ledger import status, years
from sanctrace.caps.records import deliveries
from sanctrace.serialize import to_jsonable
from sanctrace.workspace import Workspace

pytestmark = pytest.mark.spark


def test_ledger_parity(bundled_ws_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    spark = Workspace.open(path, backend="spark")
    with Workspace.open(path) as duck:
        assert years(spark, "refined") == years(duck, "refined") == [2018, 2019, 2020, 2021, 2023]
        assert deliveries(spark) == deliveries(duck)
        for commodity, year in (("refined", 2018), ("refined", 2020), ("crude", 2018)):
            assert to_jsonable(status(spark, commodity, year)) == to_jsonable(
                status(duck, commodity, year)
            )
