"""Estimated deliveries from detected ship-to-ship encounters and port calls of tankers, in
the shape ``sanctrace ais detect --json`` gives encounters, loaded through ``deliveries``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sanctrace.caps.derive import (
    Derived,
    Tanker,
    estimated_deliveries,
    events_from_encounters,
    events_from_port_calls,
    write_deliveries_csv,
)
from sanctrace.caps.ledger import status
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.caps.factory import load_caps

# two DPRK-flagged tankers of interest (capacities made up for the test) and a supplier
CHON_MA_SAN = Tanker("445539000", "8660313", "CHON MA SAN", capacity_barrels=Decimal("50000"))
YU_JONG = Tanker("445112000", None, "YU JONG 2", dwt=Decimal("3000"))
TANKERS = {t.mmsi: t for t in (CHON_MA_SAN, YU_JONG)}
SUPPLIER = "352001234"


def encounter(a: str, b: str, start: str, end: str) -> dict[str, object]:
    return {
        "vessel_a": a,
        "vessel_b": b,
        "start": start,
        "end": end,
        "median_distance_m": 40.0,
        "lat": 31.1,
        "lon": 123.9,
        "designated": [],
    }


def test_encounters_become_one_delivery_each_into_the_tanker() -> None:
    events = events_from_encounters(
        [
            encounter(SUPPLIER, CHON_MA_SAN.mmsi, "2019-02-01T20:00:00Z", "2019-02-02T03:10:00Z"),
            encounter(YU_JONG.mmsi, SUPPLIER, "2019-03-05T01:00:00Z", "2019-03-05T06:00:00Z"),
            encounter(SUPPLIER, "412000000", "2019-03-06T01:00:00Z", "2019-03-06T06:00:00Z"),
        ],
        TANKERS,
    )
    assert [(e.tanker.name, e.day) for e in events] == [
        ("CHON MA SAN", date(2019, 2, 2)),  # dated by the encounter's end
        ("YU JONG 2", date(2019, 3, 5)),
    ]
    assert events[0].detail == (
        f"STS encounter with MMSI {SUPPLIER} at 31.1, 123.9, "
        "2019-02-01T20:00:00Z to 2019-02-02T03:10:00Z"
    )


def test_two_tankers_of_interest_deliver_into_the_smaller() -> None:
    # 3,000 dwt x 8.33 = 24,990 barrels < 50,000
    [event] = events_from_encounters(
        [encounter(CHON_MA_SAN.mmsi, YU_JONG.mmsi, "2019-04-01T00:00", "2019-04-01T05:00")],
        TANKERS,
    )
    assert event.tanker is YU_JONG
    assert YU_JONG.barrels("refined") == 24990


def test_the_port_call_after_an_sts_is_the_same_cargo() -> None:
    events = events_from_encounters(
        [encounter(SUPPLIER, CHON_MA_SAN.mmsi, "2019-02-01T20:00:00", "2019-02-02T03:00:00")],
        TANKERS,
    ) + events_from_port_calls(
        [
            {"mmsi": CHON_MA_SAN.mmsi, "start": "2019-02-06T08:00:00", "port": "Nampo"},
            {"mmsi": CHON_MA_SAN.mmsi, "start": "2019-03-20T08:00:00", "port": "Nampo"},
            {"mmsi": "999999999", "start": "2019-03-20T08:00:00", "port": "Nampo"},
        ],
        TANKERS,
    )
    derived = estimated_deliveries(events, estimator="sanctrace (AIS)", estimate="ais-2019")
    assert [(r["period"], r["vessel_name"], r["note"][:12]) for r in derived.rows] == [
        ("2019-02-02", "CHON MA SAN", "STS encounte"),
        ("2019-03-20", "CHON MA SAN", "port call at"),
    ]
    [(merged, why)] = derived.merged
    assert merged.kind == "port_call" and why == "same cargo as the delivery of 2019-02-02"


def test_unreadable_events_are_listed_not_dropped() -> None:
    skipped: list[tuple[object, str]] = []
    events = events_from_encounters(
        [{"vessel_a": SUPPLIER}, encounter(SUPPLIER, "1", "x", "not a time")],
        TANKERS,
        skipped=skipped,  # type: ignore[arg-type]
    )
    assert events == []
    assert [why.split(":")[0] for _, why in skipped] == [
        "unreadable encounter",
        "unreadable encounter",
    ]
    derived = estimated_deliveries(
        [*events_from_port_calls([{"mmsi": "1", "start": "2019-01-01"}], {"1": Tanker("1")})],
        estimator="x",
        estimate="y",
        derived=Derived(),
    )
    assert derived.rows == [] and derived.skipped[0][1] == "no capacity"


def test_derived_rows_load_and_count_in_the_ledger(empty_ws: Workspace, tmp_path: Path) -> None:
    load_caps(empty_ws)
    encounters = [
        encounter(SUPPLIER, CHON_MA_SAN.mmsi, f"2019-{m:02d}-01T00:00", f"2019-{m:02d}-01T06:00")
        for m in range(1, 13)
    ] + [encounter(SUPPLIER, YU_JONG.mmsi, "2019-06-10T00:00", "2019-06-10T06:00")]
    derived = estimated_deliveries(
        events_from_encounters(encounters, TANKERS),
        estimator="sanctrace (AIS)",
        estimate="ais-2019",
        citation="sanctrace ais detect on the test tracks",
    )
    path = write_deliveries_csv(derived.rows, tmp_path / "derived.csv")
    result = ingest(empty_ws, "deliveries", path)
    assert (result.rows_read, result.rows_quarantined) == (13, 0)
    [e] = status(empty_ws, "refined", 2019).ledgers[0].estimates
    # 12 x 50,000 barrels + 3,000 dwt x 8.33 = 624,990 barrels of capacity
    assert (e.estimate, e.deliveries, e.capacity_barrels) == ("ais-2019", 13, 624_990)
    half = next(s for s in e.scenarios if s.load == Decimal("0.5"))
    assert half.figure.amount == 312_495
    # at full load: 374,990 by 1 July (the YU JONG 2's 24,990 on 10 June included), so 75%
    # of the cap (375,000) is reached with the delivery of 1 August
    full = next(s for s in e.scenarios if s.load == 1)
    assert [(c.threshold, c.by) for c in full.figure.crossings] == [
        (Decimal("0.75"), date(2019, 8, 1)),
        (Decimal("0.90"), date(2019, 9, 1)),
        (Decimal("0.95"), date(2019, 10, 1)),
    ]
    assert full.figure.exceeded is not None and full.figure.exceeded.by == date(2019, 10, 1)
