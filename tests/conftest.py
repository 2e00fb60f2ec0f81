"""Shared fixtures: workspaces built from the bundled defaults, and one Spark session."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanctrace.data import DEFAULTS, bundled
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.chain import Config, generate
from sanctrace.workspace import Workspace


@pytest.fixture(scope="session")
def bundled_ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace file with every bundled default loaded. Treat as read-only: copy it (see
    ``ws_path``) before changing anything."""
    path = tmp_path_factory.mktemp("bundled") / "sanctrace.duckdb"
    with Workspace.open(path, create=True) as ws:
        for kind, rel in DEFAULTS:
            ingest(ws, kind, bundled(rel), uri=f"sanctrace:data/{rel}")
    return path


@pytest.fixture
def ws_path(bundled_ws_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the bundled workspace."""
    path = tmp_path / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    return path


@pytest.fixture
def ws(ws_path: Path) -> Iterator[Workspace]:
    """The bundled workspace, opened on DuckDB (a private copy: writes are allowed)."""
    with Workspace.open(ws_path) as opened:
        yield opened


@pytest.fixture
def empty_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A new workspace with the tables and nothing in them."""
    with Workspace.open(tmp_path / "empty.duckdb", create=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def un_history_path(bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled workspace plus two older snapshots of the UN list's DPRK entries (2017,
    2020; the bundled one is 2024), for list diffs. Read-only: copy before writing."""
    from tests.sources.sanctions import UN_2017, UN_2020

    path = tmp_path_factory.mktemp("un_history") / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    with Workspace.open(path) as ws:
        for snapshot in (UN_2017, UN_2020):
            ingest(ws, "un-list", snapshot, uri=f"test:{snapshot.name}")
    return path


@pytest.fixture(scope="session")
def generated_chain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """(workspace path, truth) for a seeded bitcoin chain and an ethereum chain of ~1,000
    transactions each, with their tag packs. Read-only: copy the workspace before writing."""
    root = tmp_path_factory.mktemp("generated_chain")
    out = root / "out"
    generate(Config(seed=5, transactions=1000, chain="both"), out)
    path = root / "chain.duckdb"
    with Workspace.open(path, create=True) as ws:
        ingest(ws, "bitcoin-etl", out / "btc" / "transactions.json")
        for name in ("transactions.csv", "traces.csv", "token_transfers.csv"):
            ingest(ws, "ethereum-etl", out / "eth" / name)
        for pack in sorted((out / "tagpacks").glob("*.yaml")):
            ingest(ws, "tagpack", pack)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return path, truth
