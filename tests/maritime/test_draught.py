"""Draught changes across gaps and encounters."""

from __future__ import annotations

from datetime import timedelta

from sanctrace.maritime import draught
from sanctrace.maritime.draught import DraughtParams, EventSpan
from tests.maritime.factory import T0, static

START, END = T0, T0 + timedelta(hours=20)
GAP = EventSpan("445000001", "gap", START, END)


def _reports(before: float, after: float, after_at: timedelta = timedelta(hours=2)):  # type: ignore[no-untyped-def]
    return static(
        "445000001",
        [
            (START - timedelta(hours=6), before),
            (START - timedelta(hours=1), before),
            (END + timedelta(minutes=10), before),  # not yet updated
            (END + after_at, after),
        ],
    )


def test_deeper_after_a_gap_is_laden() -> None:
    (change,) = draught.detect(_reports(8.2, 13.5), [GAP])
    assert (change.draught_before, change.draught_after) == (8.2, 13.5)
    assert change.change_m == 5.3 and change.state == "laden"


def test_lighter_after_an_encounter_is_discharged_and_names_the_partner() -> None:
    span = EventSpan("445000001", "encounter", START, END, partner="636000002")
    (change,) = draught.detect(_reports(15.1, 10.0), [span])
    assert change.state == "discharged" and change.partner == "636000002"


def test_small_changes_and_reports_too_far_away_say_nothing() -> None:
    assert draught.detect(_reports(8.2, 8.6), [GAP]) == []
    late = _reports(8.2, 13.5, after_at=timedelta(hours=100))
    assert draught.detect(late, [GAP]) == []
    assert len(draught.detect(late, [GAP], DraughtParams(window_hours=120))) == 1
    assert draught.detect(_reports(8.2, 13.5).iloc[:0], [GAP]) == []
