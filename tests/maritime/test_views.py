"""The detectors' views: ``/api/ais/detect`` (the CLI's JSON), the ``/maritime`` page with its
map, and the report section."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctrace.api import create_app
from sanctrace.maritime.detect import detect
from sanctrace.report import ReportContext
from sanctrace.report.maritime_sections import behaviour_section
from sanctrace.workspace import Workspace
from tests.maritime.factory import OPEN_SEA, T0, load, positions, static, track


@pytest.fixture(scope="module")
def ais_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A meeting at sea with a draught change, and a vessel loitering alone."""
    path = tmp_path_factory.mktemp("views") / "ais.duckdb"
    a = track("636000001", *OPEN_SEA, hours=4, knots=0.5)
    b = track("352000002", *OPEN_SEA, hours=4, knots=0.5, offset=(90.0, 150.0))
    alone = track("511000003", 33.6, 29.4, hours=6, knots=0.4, start=T0 + timedelta(hours=8))
    reports = static("636000001", [(T0 - timedelta(hours=1), 7.5), (T0 + timedelta(hours=6), 12.8)])
    with Workspace.open(path, create=True) as ws:
        load(ws, positions(a, b, alone), reports)
    return path


@pytest.fixture(scope="module")
def client(ais_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ais_path)) as c:
        yield c


def test_the_api_returns_the_commands_json(client: TestClient, ais_path: Path) -> None:
    got = client.get("/api/ais/detect")
    assert got.status_code == 200
    with Workspace.open(ais_path) as ws:
        assert got.json() == detect(ws).as_json()
    body = got.json()
    assert [e["vessel_a"] for e in body["encounters"]] == ["352000002"]
    assert [x["mmsi"] for x in body["loitering"]] == ["511000003"]
    later = client.get("/api/ais/detect", params={"since": "2021-03-21T06:00:00Z"}).json()
    assert later["encounters"] == []


def test_the_api_rejects_a_bad_box(client: TestClient) -> None:
    got = client.get("/api/ais/detect", params={"bbox": "1,2"})
    assert got.status_code == 400
    assert "four numbers" in got.text


def test_the_page_shows_the_map_and_the_events(client: TestClient) -> None:
    page = client.get("/maritime")
    assert page.status_code == 200
    assert '<figure class="chart" id="maritime-map"><svg' in page.text
    assert "636000001" in page.text and "511000003" in page.text
    assert "laden" in page.text
    bad = client.get("/maritime", params={"since": "soon"})
    assert bad.status_code == 400 and "Cannot detect" in bad.text


def test_the_report_section(ais_path: Path) -> None:
    with Workspace.open(ais_path) as ws:
        section = behaviour_section(ws, ReportContext())
    assert section is not None
    assert section.title == "Ship behaviour at sea"
    assert "<svg" in section.body
    text = " ".join(str(section.body).split())
    assert "the detectors found 1 encounter between vessels at sea, 1 vessel loitering" in text
    assert "636000001 laden (7.5 to 12.8 m)" in text


def test_no_section_without_ais(empty_ws: Workspace) -> None:
    assert behaviour_section(empty_ws, ReportContext()) is None
