"""AIS gaps: GFW's rules and score."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sanctrace.maritime import gaps
from sanctrace.maritime.gaps import GapParams
from sanctrace.maritime.tracks import build
from tests.maritime.factory import OPEN_SEA, T0, positions, track

BACK_FAR = (33.6, 29.2)  # open sea, about 90 nm out
BACK_NEAR = (31.6, 29.0)  # about 20 nm off Egypt


def _dark(hours: float, back: tuple[float, float] = BACK_FAR, every_s: int = 180):  # type: ignore[no-untyped-def]
    heard = track("445000001", *OPEN_SEA, hours=14, knots=1.0, every_s=every_s)
    last = heard["ts"].iloc[-1]
    again = track(
        "445000001", *back, hours=3, knots=8, start=last.to_pydatetime() + timedelta(hours=hours)
    )
    return positions(heard, again)


def test_a_long_silence_far_out_after_good_reception_is_a_gap() -> None:
    found = gaps.detect(build(_dark(20)))
    assert len(found) == 1
    g = found[0]
    assert g.mmsi == "445000001"
    assert g.hours == pytest.approx(20, abs=0.01)
    assert g.start == T0 + timedelta(hours=14)
    assert g.start_shore_distance_nm >= 50 and g.end_shore_distance_nm >= 50
    # a fix every 3 minutes: 241 in the 12 hours up to the last one, inclusive
    assert g.positions_12_hours_before == 241
    assert g.score == pytest.approx(241 * 20 / 12, abs=0.01)
    assert g.implied_speed_knots == pytest.approx(g.distance_m / 1852 / 20, abs=0.01)


def test_the_score_caps_the_gap_at_48_hours() -> None:
    (g,) = gaps.detect(build(_dark(72)))
    assert g.score == pytest.approx(241 * 48 / 12, abs=0.01)


@pytest.mark.parametrize(
    ("hours", "back", "every_s", "why"),
    [
        (8, BACK_FAR, 180, "too short"),
        (20, BACK_NEAR, 180, "ends too near shore"),
        (14, BACK_FAR, 7200, "too few positions before: score 7 x 14 / 12 < 20"),
    ],
)
def test_near_misses_are_not_gaps(
    hours: float, back: tuple[float, float], every_s: int, why: str
) -> None:
    assert gaps.detect(build(_dark(hours, back, every_s))) == [], why


def test_min_score_zero_keeps_every_far_gap() -> None:
    sparse = build(_dark(14, BACK_FAR, 7200))
    (g,) = gaps.detect(sparse, GapParams(min_score=0))
    assert g.positions_12_hours_before == 7
    assert g.score == pytest.approx(7 * 14 / 12, abs=0.01)
