"""``sanctrace ais detect``: JSON in the issue's shape, tables, filters, errors."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sanctrace.cli import ais_detect
from sanctrace.workspace import Workspace
from tests.maritime.factory import OPEN_SEA, T0, load, positions, static, track

runner = CliRunner()


class _State:
    """What the main app's callback puts in ``ctx.obj``: a way to open the workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self) -> Workspace:
        return Workspace.open(self.path)


def _app(path: Path) -> typer.Typer:
    """An ``ais`` group with ``detect`` added as ``cli/ais.py`` adds it."""
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = _State(path)

    ais_detect.add_commands(app)
    return app


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    """A meeting at sea (with a draught change), a dark gap, and nothing else."""
    path = tmp_path / "ais.duckdb"
    a = track("636000001", *OPEN_SEA, hours=4, knots=0.5)
    b = track("352000002", *OPEN_SEA, hours=4, knots=0.5, offset=(90.0, 150.0))
    heard = track("445000003", 33.6, 29.2, hours=13, knots=8.0)
    back = track("445000003", 33.7, 29.4, hours=2, knots=6, start=T0 + timedelta(hours=30))
    reports = static("636000001", [(T0 - timedelta(hours=1), 7.5), (T0 + timedelta(hours=6), 12.8)])
    with Workspace.open(path, create=True) as ws:
        load(ws, positions(a, b, heard, back), reports)
    return path


def _run(path: Path, *args: str) -> Any:
    result = runner.invoke(_app(path), ["detect", *args])
    assert "Traceback" not in result.output
    return result


def test_json_is_the_issues_shape(ws_path: Path) -> None:
    result = _run(ws_path, "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert list(body) == ["encounters", "loitering", "gaps", "identity", "draught"]
    (e,) = body["encounters"]
    assert e["vessel_a"] == "352000002" and e["vessel_b"] == "636000001"
    assert set(e) == {
        "vessel_a",
        "vessel_b",
        "start",
        "end",
        "median_distance_m",
        "lat",
        "lon",
        "designated",
    }
    assert e["start"].startswith("2021-03-21T00:")
    (g,) = body["gaps"]
    assert g["mmsi"] == "445000003" and g["hours"] == pytest.approx(17, abs=0.01)
    (d,) = body["draught"]
    assert (d["mmsi"], d["state"], d["partner"]) == ("636000001", "laden", "352000002")
    assert body["loitering"] == []  # the drift is an encounter with a visible partner


def test_tables(ws_path: Path) -> None:
    result = _run(ws_path)
    assert result.exit_code == 0, result.output
    for heading in (
        "1 encounters",
        "0 loitering",
        "1 AIS gaps",
        "1 draught changes",
        "identity anomalies",
    ):
        assert heading in result.stdout
    assert "636000001" in result.stdout and "445000003" in result.stdout


def test_since_until_and_bbox_filter(ws_path: Path) -> None:
    later = json.loads(_run(ws_path, "--json", "--since", "2021-03-21T14:00:00Z").stdout)
    assert later["encounters"] == [] and later["gaps"] == []
    boxed = json.loads(_run(ws_path, "--json", "--bbox", "28.0,33.0,29.0,33.4").stdout)
    assert len(boxed["encounters"]) == 1 and boxed["gaps"] == []
    until = json.loads(_run(ws_path, "--json", "--until", "2021-03-21").stdout)
    assert until["encounters"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bbox", "1,2,3"], "four numbers"),
        (["--since", "yesterday"], "ISO 8601"),
    ],
)
def test_bad_options_are_one_clear_error(ws_path: Path, args: list[str], message: str) -> None:
    result = _run(ws_path, *args)
    assert result.exit_code != 0
    assert message in str(result.exception)
