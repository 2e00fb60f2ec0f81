"""Tracks: order, repeats, impossible jumps, segments, derived speed, resampling, loading."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from sanctrace.errors import InputError
from sanctrace.maritime import tracks
from sanctrace.maritime.tracks import TrackParams, build, parse_bbox, resample
from sanctrace.workspace import Workspace
from tests.maritime.factory import OPEN_SEA, T0, load, positions, track


def test_positions_are_sorted_per_vessel_and_repeats_dropped() -> None:
    a = track("111111111", *OPEN_SEA, hours=1, knots=10)
    shuffled = positions(a.iloc[::-1], a.iloc[:3])  # reversed, and three repeats
    built = build(shuffled)
    assert len(built) == len(a)
    assert built.duplicates == 3
    assert np.all(np.diff(built.t) > 0)


def test_a_lone_impossible_fix_is_set_aside_and_the_track_stays_whole() -> None:
    a = track("111111111", *OPEN_SEA, hours=2, knots=12)
    lat = a["lat"].to_numpy().copy()
    lat[20] += 3.0  # 180 nm off for one report
    a["lat"] = lat
    built = build(a)
    assert len(built.jumps) == 1
    assert built.jumps.iloc[0]["ts"] == a.loc[20, "ts"]
    assert len(built) == len(a) - 1
    assert np.unique(built.segment).size == 1


def test_a_lasting_jump_and_a_long_silence_start_new_segments() -> None:
    before = track("111111111", *OPEN_SEA, hours=2, knots=10)
    teleported = track(
        "111111111",
        OPEN_SEA[0] + 2,
        OPEN_SEA[1],
        hours=2,
        knots=10,
        start=T0 + timedelta(hours=2, minutes=3),
    )
    after_silence = track(
        "111111111",
        OPEN_SEA[0] + 2,
        OPEN_SEA[1] + 0.5,
        hours=1,
        knots=10,
        start=T0 + timedelta(hours=12),
    )
    built = build(positions(before, teleported, after_silence))
    assert len(built.jumps) == 0
    assert np.unique(built.segment).tolist() == [0, 1, 2]


def test_speed_and_course_are_derived_where_not_reported() -> None:
    a = track("111111111", *OPEN_SEA, hours=3, knots=12, bearing=45, sog=False)
    built = build(a)
    assert built.sog_derived.all()
    assert np.allclose(built.sog, 12, atol=0.05)
    assert np.allclose(built.cog, 45, atol=0.5)


def test_reported_speed_is_kept_and_ais_not_available_is_replaced() -> None:
    a = track("111111111", *OPEN_SEA, hours=1, knots=8.0)
    a.loc[5, "sog"] = 102.3  # "not available"
    built = build(a)
    assert built.sog_derived.tolist() == [i == 5 for i in range(len(a))]
    assert built.sog[5] == pytest.approx(8, abs=0.05)


def test_missing_columns_are_an_input_error() -> None:
    with pytest.raises(InputError, match="lat"):
        build(pd.DataFrame({"mmsi": ["1"], "ts": [T0], "lon": [0.0]}))


def test_resampling_interpolates_segments_on_the_clock() -> None:
    a = track("111111111", *OPEN_SEA, hours=2, knots=10, every_s=420)  # every 7 minutes
    built = build(a)
    points = resample(built, 600)
    assert np.all(points.slot * 600 >= built.t[0]) and np.all(points.slot * 600 <= built.t[-1])
    assert np.all(np.diff(points.slot) == 1)
    exact = build(track("111111111", *OPEN_SEA, hours=2, knots=10, every_s=60))
    for slot, lat in zip(points.slot[:5], points.lat[:5], strict=True):
        i = int(np.flatnonzero(exact.t == slot * 600)[0])
        assert lat == pytest.approx(exact.lat[i], abs=1e-6)


def test_bbox_parsing() -> None:
    assert parse_bbox("120,30,130,42") == (120.0, 30.0, 130.0, 42.0)
    with pytest.raises(InputError, match="four numbers"):
        parse_bbox("120,30,130")
    with pytest.raises(InputError, match="S <= N"):
        parse_bbox("120,42,130,30")


def test_loading_pushes_the_window_and_box_into_the_query(empty_ws: Workspace) -> None:
    east = track("111111111", 33.0, 179.5, hours=4, knots=0.5)
    west = track("222222222", 33.0, -179.5, hours=4, knots=0.5)
    elsewhere = track("333333333", 10.0, 100.0, hours=4, knots=0.5)
    load(empty_ws, positions(east, west, elsewhere))
    got = tracks.load_positions(
        empty_ws,
        since=T0 + timedelta(hours=1),
        until=T0 + timedelta(hours=2),
        bbox=(179.0, 32.0, -179.0, 34.0),  # across the antimeridian
    )
    assert sorted(got["mmsi"].unique()) == ["111111111", "222222222"]
    ts = pd.to_datetime(got["ts"], utc=True)
    assert ts.min() >= T0 + timedelta(hours=1) and ts.max() < T0 + timedelta(hours=2)
    assert len(got) == 2 * 20  # a fix every 3 minutes for an hour, per vessel


def test_track_params_are_configurable() -> None:
    a = track("111111111", *OPEN_SEA, hours=2, knots=30)
    assert np.unique(build(a).segment).size == 1
    strict = build(a, TrackParams(max_speed_knots=20))
    assert np.unique(strict.segment).size == len(a)  # every move is now impossible
