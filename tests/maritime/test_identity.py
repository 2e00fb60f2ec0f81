"""Vessel identity: IMO check digits, flags from MMSIs, each MMSI's identity over time and the
identity anomalies (cloned MMSI, renaming, re-flagging, bad IMO numbers)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.maritime import identity
from sanctrace.maritime.flags import flag_of, mid_table
from sanctrace.maritime.identity import IdentityParams
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace

T0 = datetime(2019, 3, 1)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ais"


def static(*rows: tuple[str, str, str | None, str | None, str | None]) -> pd.DataFrame:
    """Identity reports: (mmsi, day offset as text hours, imo, name, call sign)."""
    return pd.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + timedelta(hours=float(r[1])) for r in rows],
            "imo": [r[2] for r in rows],
            "name": [r[3] for r in rows],
            "call_sign": [r[4] for r in rows],
            "ship_type": [80] * len(rows),
        }
    )


def track(mmsi: str, points: list[tuple[float, float, float]]) -> pd.DataFrame:
    """Positions (minutes after T0, lat, lon)."""
    return pd.DataFrame(
        {
            "mmsi": [mmsi] * len(points),
            "ts": [T0 + timedelta(minutes=m) for m, _, _ in points],
            "lat": [p[1] for p in points],
            "lon": [p[2] for p in points],
        }
    )


NO_POSITIONS = pd.DataFrame({"mmsi": [], "ts": [], "lat": [], "lon": []})


@pytest.mark.parametrize(
    ("imo", "problem"),
    [
        ("9074729", None),  # 9x7 + 0x6 + 7x5 + 4x4 + 7x3 + 2x2 = 139: check digit 9
        ("7937317", None),  # CHONG CHON GANG, OFAC-listed
        ("9074728", "check digit 8, the first six digits give 9"),
        ("914466500", "'914466500' is not 7 digits"),  # as MARE ISLAND transmits it
        ("5342883", "check digit 3, the first six digits give 1"),  # a company number
    ],
)
def test_imo_check_digit(imo: str, problem: str | None) -> None:
    assert identity.imo_problem(imo) == problem
    assert identity.imo_valid(imo) is (problem is None)


def test_flag_from_mmsi() -> None:
    assert len(mid_table()) == 292
    kp = flag_of("445123000")
    assert (kp.station, kp.mid, kp.country, kp.name) == ("ship", "445", "KP", "North Korea")
    assert flag_of("351759000").country == "PA"
    assert (flag_of("002734567").station, flag_of("002734567").country) == ("coast station", "RU")
    assert (flag_of("111273000").station, flag_of("111273000").country) == ("SAR aircraft", "RU")
    assert flag_of("992351234").station == "aid to navigation"
    assert flag_of("970123456").country is None  # an AIS-SART has no flag
    assert flag_of("217000000").country is None  # MID 217 is not allocated
    assert flag_of("12345").station == "invalid"


def test_renaming_and_call_sign_change_are_dated_between_reports() -> None:
    reports = static(
        ("445123000", "0", "8660313", "CHON MA SAN", "HMYD"),
        ("445123000", "6", None, None, None),  # a blank report says nothing
        ("445123000", "12", "8660313", "chon ma  san", "HMYD"),  # the same name
        ("445123000", "30", "8660313", "KUM UN SAN 3", "HMYD"),
        ("445123000", "40", "8660313", "KUM UN SAN 3", "3FZR9"),
    )
    found = identity.anomalies_frames(NO_POSITIONS, reports)
    assert [(a.kind, a.start, a.end, a.detail) for a in found] == [
        (
            "name_change",
            T0 + timedelta(hours=12),
            T0 + timedelta(hours=30),
            {"field": "name", "from": "chon ma  san", "to": "KUM UN SAN 3"},
        ),
        (
            "call_sign_change",
            T0 + timedelta(hours=30),
            T0 + timedelta(hours=40),
            {"field": "call_sign", "from": "HMYD", "to": "3FZR9"},
        ),
    ]
    periods = identity.timeline(reports)["445123000"]
    assert [(p.name, p.call_sign, p.reports) for p in periods] == [
        ("chon ma  san", "HMYD", 3),  # a period shows the latest spelling
        ("KUM UN SAN 3", "HMYD", 1),
        ("KUM UN SAN 3", "3FZR9", 1),
    ]


def test_reflagging_and_bad_imo() -> None:
    reports = static(
        ("445123000", "0", "7937317", "CHONG CHON GANG", None),
        ("445123000", "24", "7937317", "CHONG CHON GANG", None),
        ("352001234", "200", "7937317", "CHONG CHON GANG", None),  # same ship, Panama now
        ("366989380", "5", "914466500", "MARE ISLAND", None),
    )
    found = identity.anomalies_frames(NO_POSITIONS, reports)
    assert [(a.mmsi, a.kind) for a in found] == [
        ("352001234", "flag_change"),
        ("366989380", "imo_check_digit"),
    ]
    flag, imo = found
    assert (flag.start, flag.end) == (T0 + timedelta(hours=24), T0 + timedelta(hours=200))
    assert flag.detail == {
        "imo": "7937317",
        "from_mmsi": "445123000",
        "to_mmsi": "352001234",
        "from_flag": "KP",
        "to_flag": "PA",
    }
    assert imo.detail == {"imo": "914466500", "reason": "'914466500' is not 7 digits", "reports": 1}


def test_one_mmsi_in_two_places_at_once() -> None:
    # a transmitter in the Yellow Sea and its clone near Nampho, 150 km apart, alternating
    clone = track(
        "445123000",
        [
            (m, 38.0, 123.0) if k % 2 == 0 else (m, 38.7, 124.6)
            for k, m in enumerate(range(0, 60, 6))
        ],
    )
    # a single bad fix is a track spike, not a second vessel
    glitch = track("445000111", [(0, 38.0, 123.0), (3, 39.0, 123.0), (6, 38.0, 123.01)])
    # a fast ship, far but reachable: 60 km in 2 hours is 16 knots
    steady = track("445000222", [(0, 38.0, 123.0), (120, 38.54, 123.0)])
    found = identity.two_places(pd.concat([clone, glitch, steady]))
    assert [(a.mmsi, a.kind, a.start, a.end) for a in found] == [
        ("445123000", "two_places", T0, T0 + timedelta(minutes=54))
    ]
    assert found[0].detail["jumps"] == 9
    assert found[0].detail["max_distance_km"] == pytest.approx(159.8, abs=0.5)
    assert identity.two_places(clone, IdentityParams(min_jumps=10)) == []


def test_positions_without_identity_reports() -> None:
    """A feed of position reports only (no message 5): the positions still show a clone."""
    clone = track("445123000", [(0, 38.0, 123.0), (6, 38.7, 124.6), (12, 38.0, 123.0),
                                (18, 38.7, 124.6)])  # fmt: skip
    found = identity.anomalies_frames(clone, pd.DataFrame())
    assert [a.kind for a in found] == ["two_places"]
    assert identity.flag_changes(pd.DataFrame()) == []


def test_anomalies_from_a_workspace(empty_ws: Workspace) -> None:
    ingest(empty_ws, "ais-nmea", FIXTURES / "mixed.txt")
    found = identity.anomalies(empty_ws)
    assert [(a.mmsi, a.kind, a.start) for a in found] == [
        ("366989380", "imo_check_digit", datetime(2015, 4, 9, 23, 22, 18))
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["445123000", "352001234", "000000001", "x"]),
            st.integers(0, 10_000),
            st.floats(-90, 90),
            st.floats(-180, 180),
            st.sampled_from([None, "9074729", "7937317", "123", "", "IMO9074729"]),
            st.sampled_from([None, "", "CHON MA SAN", "chon ma san", "KUM UN SAN 3"]),
        ),
        max_size=30,
    )
)
def test_any_reports_give_anomalies_not_errors(rows: list[tuple[Any, ...]]) -> None:
    positions = pd.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + timedelta(minutes=r[1]) for r in rows],
            "lat": [r[2] for r in rows],
            "lon": [r[3] for r in rows],
        }
    )
    reports = pd.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + timedelta(minutes=r[1]) for r in rows],
            "imo": [r[4] for r in rows],
            "name": [r[5] for r in rows],
            "call_sign": [None] * len(rows),
            "ship_type": [None] * len(rows),
        }
    )
    for anomaly in identity.anomalies_frames(positions, reports):
        assert anomaly.kind in identity.KINDS
    identity.timeline(reports)
