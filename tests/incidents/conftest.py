"""Workspaces for the engine tests: the bundled defaults (shared, read-only, per module) and
small ones built from a few incident rows."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from sanctrace.data import DEFAULTS, bundled
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import csv_text, write

MakeWorkspace = Callable[..., Workspace]


@pytest.fixture(scope="module")
def bundled_ws(
    bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """The bundled workspace, opened once per module. Read only: use ``ws`` to write."""
    path = tmp_path_factory.mktemp("engine") / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    with Workspace.open(path) as opened:
        yield opened


@pytest.fixture
def make_ws(tmp_path: Path) -> Iterator[MakeWorkspace]:
    """``make_ws(incident_rows, estimates=[...], tallies=[...])``: a new workspace with the
    bundled actors and just these incidents, estimates and case tallies (dict rows)."""
    opened: list[Workspace] = []

    def make(
        incidents: Sequence[Mapping[str, str]] = (),
        estimates: Sequence[Mapping[str, str]] = (),
        tallies: Sequence[Mapping[str, str]] = (),
    ) -> Workspace:
        ws = Workspace.open(tmp_path / f"ws{len(opened)}.duckdb", create=True)
        opened.append(ws)
        for kind, rel in DEFAULTS:
            if kind in ("attack", "actors"):
                ingest(ws, kind, bundled(rel))
        for kind, rows in (
            ("incidents", incidents),
            ("estimates", estimates),
            ("case-tally", tallies),
        ):
            if rows:
                header = list(dict.fromkeys(k for r in rows for k in r))
                ingest(
                    ws, kind, write(tmp_path / f"{kind}{len(opened)}.csv", csv_text(header, rows))
                )
        return ws

    yield make
    for ws in opened:
        ws.close()
