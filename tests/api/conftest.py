"""An app over a private copy of the bundled workspace, and a client for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctrace.api import create_app
from sanctrace.cli.main import app as cli_app


@pytest.fixture
def app(ws_path: Path) -> FastAPI:
    return create_app(ws_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def cli_json(ws_path: Path, *args: str) -> Any:
    """What ``sanctrace -w ws_path ARGS --json`` prints, parsed."""
    import json

    result = CliRunner().invoke(cli_app, ["-w", str(ws_path), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
