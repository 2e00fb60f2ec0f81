"""The cap ledger: reported totals, estimates at each load scenario, the thresholds crossed
and when, and the public 2018 US estimate reproduced to the barrel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sanctrace.caps.ledger import LOADS, CapStatus, Estimate, UnitLedger, status, years
from sanctrace.caps.records import Cap, add_months, period_of
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace
from tests.caps.factory import estimated, load_caps, load_deliveries, reported


def barrels(s: CapStatus) -> UnitLedger:
    [u] = [u for u in s.ledgers if u.unit == "barrels"]
    return u


def by_id(u: UnitLedger, estimate: str) -> Estimate:
    return next(e for e in u.estimates if e.estimate == estimate)


# -- the bundled workspace: the public figures ----------------------------------------------


def test_reproduces_the_us_2018_estimate(ws: Workspace) -> None:
    u = barrels(status(ws, "refined", 2018))
    us = by_id(u, "us-2018-jan-may")
    # two rows publish the same 89 deliveries at two loads: counted once
    assert (us.deliveries, us.capacity_barrels) == (89, Decimal("1519587"))
    at = {s.load: s for s in us.scenarios}
    assert at[Decimal("0.5")].figure.amount == 759_793  # 759,793.5 truncated
    assert at[Decimal("0.9")].figure.amount == 1_367_628  # 1,367,628.3 truncated
    assert at[Decimal("0.5")].reproduced and at[Decimal("0.9")].reproduced
    assert at[Decimal("0.33")].figure.amount == 501_463  # 501,463.71
    assert at[Decimal("1")].figure.amount == 1_519_587
    assert at[Decimal("0.5")].figure.percent == Decimal("151.96")
    # every threshold and the cap itself were passed by the end of the estimate's period
    crossed = at[Decimal("0.5")].figure
    assert [(c.threshold, c.by) for c in crossed.crossings] == [
        (Decimal("0.75"), date(2018, 5, 30)),
        (Decimal("0.90"), date(2018, 5, 30)),
        (Decimal("0.95"), date(2018, 5, 30)),
    ]
    assert crossed.exceeded is not None and crossed.exceeded.by == date(2018, 5, 30)


def test_rounding_half_up_would_not_reproduce_it() -> None:
    # the reason the ledger truncates: 1,519,587 x 0.5 = 759,793.5
    exact = Decimal(1_519_587) * Decimal("0.5")
    assert exact.to_integral_value(rounding="ROUND_HALF_UP") == 759_794
    assert exact.to_integral_value(rounding="ROUND_HALF_EVEN") == 759_794
    assert exact.to_integral_value(rounding="ROUND_FLOOR") == 759_793


def test_2018_reported_and_the_largest_estimate(ws: Workspace) -> None:
    s = status(ws, "refined", 2018)
    assert (s.period_start, s.period_end) == (date(2018, 1, 1), date(2018, 12, 31))
    u = barrels(s)
    assert (u.limit, u.thresholds) == (
        Decimal(500_000),
        [Decimal("0.75"), Decimal("0.90"), Decimal("0.95")],
    )
    assert "paragraph 5" in (u.cap.citation or "")
    assert (u.reported.amount, u.reported.percent, u.reported.crossings) == (
        Decimal(241_114),
        Decimal("48.22"),
        [],
    )
    [row] = u.reported_rows
    assert (row.supplier, row.period, row.converted, row.row.line) == ("Russia", "2018", False, 2)
    # the advisory's 263 deliveries over the whole year are the largest estimate at each load;
    # the two US estimates overlap and are not added
    assert [(r.load, r.estimate, r.figure.amount) for r in u.estimated] == [
        (Decimal("0.33"), "us-2018-advisory", 1_247_400),
        (Decimal("0.5"), "us-2018-advisory", 1_890_000),
        (Decimal("0.9"), "us-2018-advisory", 3_402_000),
        (Decimal("1"), "us-2018-advisory", 3_780_000),
    ]
    # but the report of 89 deliveries shows each threshold passed by the end of May
    half = u.estimated[1]
    assert [(c.threshold, c.by, c.line) for c in half.earliest] == [
        (Decimal("0.75"), date(2018, 5, 30), 2),
        (Decimal("0.90"), date(2018, 5, 30), 2),
        (Decimal("0.95"), date(2018, 5, 30), 2),
    ]
    assert half.exceeded is not None and half.exceeded.by == date(2018, 5, 30)
    assert [e.estimate for e in u.estimates] == ["us-2018-jan-may", "us-2018-advisory"]
    uris = {src.uri for src in s.sources}
    assert uris == {
        "sanctrace:data/petroleum/caps.csv",
        "sanctrace:data/petroleum/reported_deliveries.csv",
        "sanctrace:data/petroleum/estimates.csv",
    }


def test_an_estimate_published_without_a_load(ws: Workspace) -> None:
    u = barrels(status(ws, "refined", 2020))
    [e] = u.estimates
    assert (e.estimate, e.deliveries, e.scenarios, e.capacity_barrels) == (
        "un-43-states-2020",
        56,
        [],
        None,
    )
    assert e.published_only is not None
    assert (e.published_only.amount, e.published_only.percent) == (Decimal(1_600_000), Decimal(320))
    assert u.estimated == [] and u.reported_rows == []


def test_years_and_default_year(ws: Workspace) -> None:
    assert years(ws, "refined") == [2018, 2019, 2020, 2021, 2023]
    assert status(ws, "refined").year == 2023


# -- thresholds: when the running total crossed them ---------------------------------------


def test_thresholds_crossed_by_the_row_that_reached_them(
    empty_ws: Workspace, tmp_path: Path
) -> None:
    load_caps(empty_ws)
    load_deliveries(
        empty_ws,
        tmp_path,
        [
            reported("2019-03", "200000"),
            reported("2019-01", "100000", supplier="Russia"),  # order is by period, not line
            reported("2019-06", "90000"),  # 390,000: 75% (375,000)
            reported("2019-09", "70000"),  # 460,000: 90% (450,000)
            reported("2019-10", "15000"),  # 475,000: 95% exactly (reached counts)
            reported("2019-12", "25001"),  # 500,001: over the cap
            reported("2020-01", "999999"),  # the next cap year
        ],
    )
    u = barrels(status(empty_ws, "refined", 2019))
    assert u.reported.amount == 500_001
    assert [
        (c.threshold, c.by, c.period, c.running_total, c.line) for c in u.reported.crossings
    ] == [
        (Decimal("0.75"), date(2019, 6, 30), "2019-06", 390_000, 4),
        (Decimal("0.90"), date(2019, 9, 30), "2019-09", 460_000, 5),
        (Decimal("0.95"), date(2019, 10, 31), "2019-10", 475_000, 6),
    ]
    assert u.reported.exceeded is not None
    assert (u.reported.exceeded.by, u.reported.exceeded.running_total) == (
        date(2019, 12, 31),
        500_001,
    )
    assert u.reported.percent == Decimal("100.00")  # 100.0002% shown to two decimals
    assert [r.row.line for r in u.reported_rows] == [3, 2, 4, 5, 6, 7]


def test_estimated_thresholds_by_delivery(empty_ws: Workspace, tmp_path: Path) -> None:
    load_caps(empty_ws)
    load_deliveries(
        empty_ws,
        tmp_path,
        [
            estimated(f"2019-{m:02d}-15", "sts-2019", "250000", vessel_mmsi=f"44500000{m}")
            for m in range(1, 5)
        ],
    )
    [e] = barrels(status(empty_ws, "refined", 2019)).estimates
    assert (e.deliveries, e.capacity_barrels) == (None, 1_000_000)
    half = next(s for s in e.scenarios if s.load == Decimal("0.5"))
    # 125,000 a delivery at half load: 375,000 (75%) on the third, 500,000 on the fourth
    assert [(c.threshold, c.by) for c in half.figure.crossings] == [
        (Decimal("0.75"), date(2019, 3, 15)),
        (Decimal("0.90"), date(2019, 4, 15)),
        (Decimal("0.95"), date(2019, 4, 15)),
    ]
    assert half.figure.exceeded is None  # 500,000 reaches the cap but does not exceed it
    assert half.published is None and half.reproduced is None
    assert [s.load for s in e.scenarios] == list(LOADS)


def test_a_published_figure_that_the_capacity_does_not_give(
    empty_ws: Workspace, tmp_path: Path
) -> None:
    load_caps(empty_ws)
    load_deliveries(
        empty_ws,
        tmp_path,
        [estimated("2019", "x", "1000", barrels="400", load_scenario="0.5", deliveries="2")],
    )
    [e] = barrels(status(empty_ws, "refined", 2019)).estimates
    half = next(s for s in e.scenarios if s.load == Decimal("0.5"))
    assert (half.figure.amount, half.published, half.reproduced) == (500, 400, False)


# -- periods --------------------------------------------------------------------------------


def test_crude_counts_from_22_december(empty_ws: Workspace, tmp_path: Path) -> None:
    load_caps(empty_ws)
    load_deliveries(
        empty_ws,
        tmp_path,
        [
            {**reported("2017-12-23", "1000"), "commodity": "crude", "tonnes": "130"},
            {**reported("2018-12-22", "5000"), "commodity": "crude"},  # the next period
        ],
    )
    s = status(empty_ws, "crude", 2018)
    assert (s.period_start, s.period_end) == (date(2017, 12, 22), date(2018, 12, 21))
    units = {u.unit: u for u in s.ledgers}
    assert units["barrels"].reported.amount == 1000
    assert units["tonnes"].reported.amount == 130
    assert units["tonnes"].limit == 525_000 and units["tonnes"].thresholds == []
    assert units["tonnes"].estimates == []  # estimates are capacities in barrels
    assert status(empty_ws, "crude", 2019).ledgers[0].reported.amount == 5000


def test_a_delivery_counts_where_its_middle_day_falls(empty_ws: Workspace, tmp_path: Path) -> None:
    load_caps(empty_ws)
    load_deliveries(empty_ws, tmp_path, [reported("2018-11/2019-03", "10")])
    assert barrels(status(empty_ws, "refined", 2018)).reported_rows == []
    [row] = barrels(status(empty_ws, "refined", 2019)).reported_rows
    assert row.partial


def test_period_of_and_add_months() -> None:
    cap = Cap("crude", "barrels", Decimal(1), date(2017, 12, 22), None, 12, (), None, None, "s", 1)
    assert period_of(cap, 2017) is None  # 1 July 2017 is before the cap
    p = period_of(cap, 2020)
    assert p is not None and (p.start, p.end) == (date(2019, 12, 22), date(2020, 12, 21))
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2019, 12, 22), 12) == date(2020, 12, 22)


# -- errors ---------------------------------------------------------------------------------


def test_unknown_commodity_and_uncovered_year(ws: Workspace, empty_ws: Workspace) -> None:
    with pytest.raises(InputError, match="no cap is loaded for it; loaded: crude, refined"):
        status(ws, "diesel", 2018)
    with pytest.raises(
        InputError, match=r"no refined cap covers it \(the first starts on 2018-01-01"
    ):
        status(ws, "refined", 2017)
    with pytest.raises(InputError, match="loaded: none"):
        status(empty_ws, "refined", 2018)
