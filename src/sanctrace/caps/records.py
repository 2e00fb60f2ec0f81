"""Caps and deliveries as the workspace holds them, read into plain records, and the
12-month periods a cap counts over.

A cap's periods are anchored on the day it starts (refined products: 1 January 2018, so
calendar years; crude oil: 22 December 2017, so 22 December to 21 December). "Year Y" of a
cap is the period that holds 1 July of Y: the calendar year for refined products, and
2017-12-22..2018-12-21 for crude in 2018. A delivery counts in the period that holds the
middle day of its own period; one whose period reaches outside is flagged ``partial``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sanctrace.errors import InputError
from sanctrace.workspace import Workspace


@dataclass(frozen=True)
class Cap:
    """One cap in one unit (crude has two: barrels or tonnes)."""

    commodity: str
    unit: str
    limit: Decimal
    valid_from: date
    valid_to: date | None
    period_months: int
    thresholds: tuple[Decimal, ...]
    report_every_days: int | None
    citation: str | None
    source_id: str
    line: int | None


@dataclass(frozen=True)
class Delivery:
    """One row of the ``delivery`` table (see ``sources.deliveries_csv``)."""

    kind: str
    commodity: str
    period_start: date
    period_end: date
    period_text: str
    supplier: str | None
    estimator: str | None
    estimate: str | None
    deliveries: int | None
    barrels: Decimal | None
    tonnes: Decimal | None
    converted: str | None
    factor: str | None
    barrels_per_tonne: str | None
    vessel_imo: str | None
    vessel_mmsi: str | None
    vessel_name: str | None
    capacity_barrels: Decimal | None
    capacity_dwt: Decimal | None
    load_scenario: Decimal | None
    citation: str | None
    note: str | None
    source_id: str
    line: int | None

    @property
    def midpoint(self) -> date:
        return self.period_start + (self.period_end - self.period_start) // 2


@dataclass(frozen=True)
class Period:
    """One of a cap's counting periods; ``year`` names it (the year that holds 1 July)."""

    year: int
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_of(cap: Cap, year: int) -> Period | None:
    """The cap's period for ``year`` (the one holding 1 July of it); None before the cap
    starts or after it ends."""
    mid = date(year, 7, 1)
    if mid < cap.valid_from or (cap.valid_to is not None and mid > cap.valid_to):
        return None
    start = cap.valid_from
    while True:
        end = add_months(start, cap.period_months) - timedelta(days=1)
        if start <= mid <= end:
            return Period(year, start, end)
        start = end + timedelta(days=1)


def caps(ws: Workspace, commodity: str | None = None) -> list[Cap]:
    """Every cap loaded, by commodity, unit and start."""
    t = ws.table("cap")
    if commodity is not None:
        t = t.filter(t.commodity == commodity)
    out = [
        Cap(
            commodity=r["commodity"],
            unit=r["unit"],
            limit=r["limit"],
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            period_months=r["period_months"],
            thresholds=tuple(Decimal(x) for x in (r["thresholds"] or "").split(";") if x),
            report_every_days=r["report_every_days"],
            citation=r["citation"],
            source_id=r["source_id"],
            line=r["line"],
        )
        for r in t.to_pyarrow().to_pylist()
    ]
    return sorted(out, key=lambda c: (c.commodity, c.unit, c.valid_from))


def cap_in_force(all_caps: list[Cap], commodity: str, unit: str, year: int) -> Cap | None:
    """The latest cap of the commodity in the unit whose periods cover ``year``."""
    found = [
        c
        for c in all_caps
        if (c.commodity, c.unit) == (commodity, unit) and period_of(c, year) is not None
    ]
    return max(found, key=lambda c: c.valid_from) if found else None


def deliveries(
    ws: Workspace, commodity: str | None = None, kind: str | None = None
) -> list[Delivery]:
    """Delivery rows, by period end, file and line."""
    if kind not in (None, "reported", "estimated"):
        raise InputError(f"kind {kind!r}", "use reported or estimated")
    t = ws.table("delivery")
    if commodity is not None:
        t = t.filter(t.commodity == commodity)
    if kind is not None:
        t = t.filter(t.kind == kind)
    rows: list[dict[str, Any]] = t.to_pyarrow().to_pylist()
    out = [Delivery(**r) for r in rows]
    return sorted(out, key=lambda d: (d.period_end, d.period_start, d.source_id, d.line or 0))


def check_commodity(ws: Workspace, commodity: str) -> list[Cap]:
    """The commodity's caps; an ``InputError`` naming the loaded ones if it has none."""
    found = caps(ws, commodity)
    if not found:
        known = sorted({c.commodity for c in caps(ws)})
        raise InputError(
            f"commodity {commodity!r}",
            f"no cap is loaded for it; loaded: {', '.join(known) or 'none'} "
            "(load caps with `sanctrace ingest caps FILE` or `sanctrace init`)",
        )
    return found
