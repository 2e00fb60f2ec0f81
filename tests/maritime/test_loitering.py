"""Loitering: slow, long, far from shore; and what is not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sanctrace.maritime import loitering
from sanctrace.maritime.loitering import LoiteringParams
from sanctrace.maritime.tracks import build
from tests.maritime.factory import OPEN_SEA, T0, positions, track

OFF_ALEXANDRIA = (31.45, 29.6)  # about 10 nm off the Egyptian coast


def _drift(hours: float, knots: float, where: tuple[float, float] = OPEN_SEA):  # type: ignore[no-untyped-def]
    come = track("667000001", *where, hours=1, knots=11, bearing=180)
    slow = track(
        "667000001",
        where[0] - 11 / 60,
        where[1],
        hours=hours,
        knots=knots,
        bearing=0,
        start=T0 + timedelta(hours=1, minutes=3),
    )
    return positions(come, slow)


def test_six_hours_adrift_far_out_is_loitering() -> None:
    found = loitering.detect(build(_drift(6, 0.6)))
    assert len(found) == 1
    x = found[0]
    assert x.mmsi == "667000001"
    assert x.hours == pytest.approx(6, abs=0.1)
    assert x.median_speed_knots == pytest.approx(0.6, abs=0.01)
    assert x.shore_distance_nm > 50


@pytest.mark.parametrize(
    ("hours", "knots", "where", "why"),
    [
        (3, 0.6, OPEN_SEA, "too short"),
        (6, 3.0, OPEN_SEA, "too fast"),
        (6, 0.6, OFF_ALEXANDRIA, "too near shore"),
    ],
)
def test_near_misses_are_not_loitering(
    hours: float, knots: float, where: tuple[float, float], why: str
) -> None:
    assert loitering.detect(build(_drift(hours, knots, where))) == [], why


def test_derived_speed_counts_when_none_is_reported() -> None:
    slow = track("667000001", *OPEN_SEA, hours=5, knots=0.5, sog=False, every_s=600)
    assert len(loitering.detect(build(slow))) == 1


def test_a_silence_ends_a_run() -> None:
    first = track("667000001", *OPEN_SEA, hours=3, knots=0.5)
    second = track("667000001", *OPEN_SEA, hours=3, knots=0.5, start=T0 + timedelta(hours=10))
    assert loitering.detect(build(positions(first, second))) == []


def test_parameters() -> None:
    drift = build(_drift(3, 0.6))
    assert len(loitering.detect(drift, LoiteringParams(min_hours=2.5))) == 1
    near = build(_drift(6, 0.6, OFF_ALEXANDRIA))
    assert len(loitering.detect(near, LoiteringParams(min_shore_distance_nm=5))) == 1
