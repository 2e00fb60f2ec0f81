"""All detectors at once, from DataFrames and from the workspace, in the command's JSON shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sanctrace.maritime.detect import DetectParams, detect, detect_frames
from sanctrace.maritime.loitering import LoiteringParams
from sanctrace.synthetic.ais import Config, Generated, background_positions, generate, score
from sanctrace.workspace import Workspace
from tests.maritime.factory import OPEN_SEA, T0, load, positions, static, track


@pytest.fixture(scope="module")
def small() -> Generated:
    return generate(
        Config(seed=3, copies=1, encounters=3, loitering=3, gaps=3, identity=5, near_misses=1)
    )


@pytest.fixture(scope="module")
def small_ws(small: Generated, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("detect") / "ais.duckdb"
    with Workspace.open(path, create=True) as ws:
        load(ws, small.positions, small.static)
    return path


def test_the_json_has_the_issues_shape(small: Generated) -> None:
    body = detect_frames(small.positions, small.static).as_json()
    assert list(body) == ["encounters", "loitering", "gaps", "identity", "draught"]
    json.dumps(body)  # JSON-ready
    e = body["encounters"][0]
    assert list(e) == [
        "vessel_a",
        "vessel_b",
        "start",
        "end",
        "median_distance_m",
        "lat",
        "lon",
        "designated",
    ]
    assert isinstance(e["vessel_a"], str) and len(e["vessel_a"]) == 9
    g = body["gaps"][0]
    assert {"mmsi", "start", "end", "hours", "score"} <= set(g)
    assert {a["kind"] for a in body["identity"]} >= {"two_places", "name_change", "imo_check_digit"}


def test_every_planted_event_is_found_and_no_near_miss(small: Generated) -> None:
    body = detect_frames(small.positions, small.static).as_json()
    real = detect_frames(background_positions(1)).as_json()  # the canal's own encounters
    for detector, got in score(body, small.truth, real).items():
        assert got["recall"] == 1.0, detector
        assert got["false_positives"] == 0, detector


def test_the_workspace_path_finds_the_same(small: Generated, small_ws: Path) -> None:
    with Workspace.open(small_ws) as ws:
        from_ws = detect(ws)
    from_frames = detect_frames(small.positions, small.static)
    assert from_ws.as_json()["encounters"] == from_frames.as_json()["encounters"]
    assert from_ws.loitering == from_frames.loitering
    assert from_ws.gaps == from_frames.gaps
    assert from_ws.draught == from_frames.draught
    assert len(from_ws.identity) == len(from_frames.identity)


def test_the_window_and_box_narrow_what_is_read(small: Generated, small_ws: Path) -> None:
    with Workspace.open(small_ws) as ws:
        everything = detect(ws)
        first = min(e.start for e in everything.encounters)
        later = detect(ws, since=first.replace(microsecond=1))
        canal = detect(ws, bbox=(32.0, 29.5, 33.0, 31.5))
    assert len(later.encounters) < len(everything.encounters)
    assert later.positions < everything.positions
    planted = {m for e in small.truth["events"] for m in e["vessels"]}
    assert not ({e.vessel_a for e in canal.encounters} & planted)  # only canal traffic there


def test_loitering_beside_a_visible_partner_is_not_reported_as_dark() -> None:
    a = track("636000001", *OPEN_SEA, hours=6, knots=0.5)
    b = track("352000002", *OPEN_SEA, hours=6, knots=0.5, offset=(90.0, 150.0))
    both = positions(a, b)
    found = detect_frames(both)
    assert len(found.encounters) == 1 and found.loitering == []
    kept = detect_frames(both, params=DetectParams(loitering_outside_encounters=False))
    assert {x.mmsi for x in kept.loitering} == {"636000001", "352000002"}
    stricter = DetectParams(
        loitering=LoiteringParams(min_hours=8), loitering_outside_encounters=False
    )
    assert detect_frames(both, params=stricter).loitering == []


def test_an_empty_window_finds_nothing(empty_ws: Workspace) -> None:
    found = detect(empty_ws, since=datetime(2030, 1, 1, tzinfo=UTC))
    body: dict[str, Any] = found.as_json()
    assert body == {"encounters": [], "loitering": [], "gaps": [], "identity": [], "draught": []}


def test_a_designated_vessel_and_its_partner_are_flagged(tmp_path: Path) -> None:
    """The encounter names the designated vessel among its two (the bundled OFAC DPRK
    vessels: AM NOK GANG, IMO 8132835), so its partner is flagged through the encounter."""
    a = track("445111000", *OPEN_SEA, hours=4, knots=0.5)
    b = track("636000002", *OPEN_SEA, hours=4, knots=0.5, offset=(90.0, 150.0))
    reports = static("445111000", [(T0, 9.0)]).assign(imo="8132835", name="AM NOK GANG")
    with Workspace.open(tmp_path / "ais.duckdb", create=True) as ws:
        load(ws, positions(a, b), reports)
        (e,) = detect(ws).as_json()["encounters"]
    assert (e["vessel_a"], e["vessel_b"]) == ("445111000", "636000002")
    (hit,) = e["designated"]
    assert hit["mmsi"] == "445111000"
    assert hit["caption"] == "AM NOK GANG" and hit["key"] == "imo"
