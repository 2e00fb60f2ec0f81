"""Encounters: GFW's rule, its near-misses, the space-time join (against brute force), and
the join on Spark."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctrace.maritime import encounters
from sanctrace.maritime.encounters import EncounterParams, candidate_pairs, lon_cell_deg
from sanctrace.maritime.geography import destination, haversine_m
from sanctrace.maritime.tracks import Resampled, build, resample
from sanctrace.workspace import Workspace
from tests.maritime.factory import OPEN_SEA, T0, load, positions, track


def _meeting(
    hours: float, apart_m: float, knots: float, where: tuple[float, float] = OPEN_SEA
) -> pd.DataFrame:
    a = track("636000001", *where, hours=hours, knots=knots, bearing=30)
    b = track(
        "352000002",
        *where,
        hours=hours,
        knots=knots,
        bearing=30,
        offset=(120.0, apart_m),
        every_s=170,
    )
    return positions(a, b)


def test_two_vessels_side_by_side_for_three_hours_meet() -> None:
    found = encounters.detect(build(_meeting(3, 200, 0.8)))
    assert len(found) == 1
    e = found[0]
    assert (e.vessel_a, e.vessel_b) == ("352000002", "636000001")
    assert e.start - T0 <= timedelta(minutes=10)
    assert (e.end - e.start) >= timedelta(hours=2, minutes=50)
    assert e.median_distance_m == pytest.approx(200, abs=5)
    assert e.median_speed_knots == pytest.approx(0.8, abs=0.01)
    middle = destination(*OPEN_SEA, 30.0, 1.5 * 3600 * 0.8 * 1852 / 3600)  # half-way
    assert float(haversine_m(e.lat, e.lon, *middle)) < 300
    assert e.anchorage_distance_m > 10_000


@pytest.mark.parametrize(
    ("hours", "apart_m", "knots", "why"),
    [
        (1.5, 200, 0.8, "too short"),
        (4, 800, 0.8, "too far apart"),
        (4, 200, 6.0, "too fast"),
    ],
)
def test_near_misses_are_not_encounters(
    hours: float, apart_m: float, knots: float, why: str
) -> None:
    assert encounters.detect(build(_meeting(hours, apart_m, knots))) == [], why


def test_a_meeting_at_a_port_is_not_an_encounter() -> None:
    port_said_roads = (31.30, 32.33)  # a few km off Port Said
    assert encounters.detect(build(_meeting(4, 200, 0.5, port_said_roads))) == []
    closer = EncounterParams(min_anchorage_distance_m=1_000)
    assert len(encounters.detect(build(_meeting(4, 200, 0.5, port_said_roads)), closer)) == 1


def _points(rows: list[tuple[int, int, float, float]]) -> Resampled:
    a = np.array(rows, dtype=np.float64).reshape(-1, 4)
    n = a.shape[0]
    return Resampled(
        interval_s=600,
        vessel=a[:, 0].astype(np.int64),
        slot=a[:, 1].astype(np.int64),
        lat=a[:, 2],
        lon=a[:, 3],
        sog=np.zeros(n),
        segment=np.zeros(n, dtype=np.int64),
    )


def _brute(points: Resampled, limit: float) -> set[tuple[int, int, int]]:
    found = set()
    for i in range(points.slot.size):
        for j in range(points.slot.size):
            if points.vessel[i] < points.vessel[j] and points.slot[i] == points.slot[j]:
                d = float(haversine_m(points.lat[i], points.lon[i], points.lat[j], points.lon[j]))
                if d <= limit:
                    found.add((int(points.slot[i]), int(points.vessel[i]), int(points.vessel[j])))
    return found


def _joined(points: Resampled) -> set[tuple[int, int, int]]:
    got = encounters.close_pairs(points, EncounterParams())
    return set(
        zip(
            got.column("slot").to_pylist(),
            got.column("vessel_a").to_pylist(),
            got.column("vessel_b").to_pylist(),
            strict=True,
        )
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6),  # vessel
            st.integers(0, 2),  # slot
            st.floats(-0.01, 0.01),  # metres-scale offsets around a base point
            st.floats(-0.012, 0.012),
        ),
        min_size=2,
        max_size=30,
    ),
    st.sampled_from([(0.0, 0.0), (33.2, 28.5), (69.9, 18.9), (-54.8, -68.3)]),
)
def test_the_cell_join_finds_exactly_the_close_pairs(rows, base) -> None:  # type: ignore[no-untyped-def]
    """Against brute force, at the equator, mid and high latitudes, across cell edges."""
    seen: set[tuple[int, int]] = set()
    unique = []
    for v, s, dlat, dlon in rows:
        if (v, s) not in seen:  # one position per vessel and slot, as resampling gives
            seen.add((v, s))
            unique.append((v, s, base[0] + dlat, base[1] + dlon))
    points = _points(unique)
    assert _joined(points) == _brute(points, 500.0)


def test_the_longitude_cell_is_wide_enough_near_the_pole() -> None:
    p = EncounterParams()
    width = lon_cell_deg(80.0, p)
    assert float(haversine_m(80.0, 0.0, 80.0, width)) >= p.max_distance_m


def test_the_join_is_an_ibis_expression() -> None:
    points = _points([(1, 0, 33.0, 28.0), (2, 0, 33.001, 28.001)])
    table = ibis.memtable(encounters.points_table(points))
    expr = candidate_pairs(table, EncounterParams(), lon_cell_deg(33.0, EncounterParams()))
    assert {"slot", "vessel_a", "vessel_b", "distance_m"} <= set(expr.columns)
    assert expr.to_pyarrow().num_rows == 1


@pytest.mark.spark
def test_encounters_on_spark_equal_duckdb(tmp_path: Path) -> None:
    """The candidate join runs in the workspace's backend: Spark finds what DuckDB finds."""
    path = tmp_path / "ais.duckdb"
    meet = _meeting(3, 200, 0.8)
    other = track("538000003", 33.5, 29.0, hours=5, knots=0.5, start=T0 + timedelta(hours=1))
    partner = track(
        "511000004",
        33.5,
        29.0,
        hours=5,
        knots=0.5,
        start=T0 + timedelta(hours=1),
        offset=(0.0, 300.0),
    )
    with Workspace.open(path, create=True) as ws:
        load(ws, positions(meet, other, partner))
        tracks = build(meet.pipe(lambda f: positions(f, other, partner)))
        points = resample(tracks)
        on_duck = encounters.close_pairs(points, EncounterParams(), ws)
        found_duck = encounters.detect(tracks, ws=ws)
    spark = Workspace.open(path, backend="spark")
    on_spark = encounters.close_pairs(points, EncounterParams(), spark)
    found_spark = encounters.detect(tracks, ws=spark)

    def rows(t: pa.Table) -> list[tuple[int, int, int, float]]:
        d = t.to_pydict()
        return sorted(
            (s, a, b, round(m, 6))
            for s, a, b, m in zip(
                d["slot"], d["vessel_a"], d["vessel_b"], d["distance_m"], strict=True
            )
        )

    assert on_duck.num_rows > 30
    assert rows(on_spark) == rows(on_duck)
    assert found_spark == found_duck
    assert len(found_duck) == 2
