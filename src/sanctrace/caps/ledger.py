"""The cap ledger: for one commodity and year, what was reported and what was estimated,
against the cap, with the thresholds crossed and when, and the rows behind every figure.

Arithmetic is exact (decimals and fractions). The rules, each a choice a reader may want to
know (docs/cap-ledger.md):

- Reported: the sum of the reported rows counted in the cap's period. A figure computed
  with a conversion factor (tonnes from barrels or back) counts, and the row says so.
- Estimated: an estimate is a set of tanker deliveries with their total capacity; at each
  load scenario it delivered ``floor(capacity x load)`` barrels. The floor is taken once, of
  the estimate's total, as the United States did: 1,519,587 x 0.5 = 759,793.5 was published
  as 759,793 (rounding half up or half to even would give 759,794) and 1,519,587 x 0.9 =
  1,367,628.3 as 1,367,628. Rows of one estimate that repeat the same deliveries (same
  period, vessel, count and capacity) with another published load count once.
- Estimates by different estimators, or for different parts of the year, overlap (the US
  counted 89 deliveries to May 2018 and 263 in the whole year), so they are never added:
  the year's figure at each load is the largest estimate, which, counting only deliveries
  seen, is a floor.
- A threshold is crossed when the running total, in period order, reaches the share of the
  limit; "when" is the end of the period of the row that took it there (the date by which
  it had been crossed, since a row's deliveries are not dated more finely).
- Percentages of the cap have two decimals, rounded half to even.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from sanctrace.caps.factors import exact
from sanctrace.caps.records import (
    Cap,
    Delivery,
    Period,
    cap_in_force,
    check_commodity,
    deliveries,
    period_of,
)
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

LOADS: Final = (Decimal("0.33"), Decimal("0.5"), Decimal("0.9"), Decimal("1"))
"""The load scenarios every estimate is computed at: a third, half, 90% and fully laden."""


@dataclass(frozen=True)
class RowRef:
    """A row a figure rests on: its file (``source_id``), line and citation."""

    source_id: str
    line: int | None
    citation: str | None


@dataclass(frozen=True)
class Crossing:
    """A threshold (a share of the limit) reached by the running total."""

    threshold: Decimal
    amount: Decimal  # the threshold in the cap's unit (0.75 x 500,000 = 375,000)
    by: date  # the end of the period of the row that reached it
    period: str  # that row's period as written
    running_total: Decimal
    source_id: str  # that row's file and line
    line: int | None


@dataclass(frozen=True)
class Figure:
    """An amount against the cap, with the thresholds it crossed and the rows behind it."""

    amount: Decimal
    percent: Decimal
    crossings: list[Crossing]
    exceeded: Crossing | None  # when the running total went over the limit itself
    rows: list[RowRef]


@dataclass(frozen=True)
class Scenario:
    """An estimate at one load: ``figure.amount`` = floor(capacity x load). ``published``
    is the estimator's own figure at this load, where given; ``reproduced`` says whether the
    computation gives it (None when no published figure covers every delivery)."""

    load: Decimal
    figure: Figure
    published: Decimal | None = None
    reproduced: bool | None = None


@dataclass(frozen=True)
class Estimate:
    """One estimator's count of deliveries in the period, at every load scenario."""

    estimate: str
    estimator: str
    period_start: date
    period_end: date
    deliveries: int | None
    capacity_barrels: Decimal | None
    scenarios: list[Scenario]
    published_only: Figure | None  # a figure given without capacity or load (as published)
    partial: bool  # some row's period reaches outside the cap's period
    rows: list[RowRef]


@dataclass(frozen=True)
class Range:
    """The year's estimated deliveries at one load: the largest estimate at that load, and
    each threshold (and the cap) with the earliest date any estimate shows it crossed."""

    load: Decimal
    estimate: str
    figure: Figure
    earliest: list[Crossing]
    exceeded: Crossing | None


@dataclass(frozen=True)
class ReportedRow:
    period: str
    supplier: str | None
    amount: Decimal
    converted: bool  # computed from the other unit with ``factor``
    factor: str | None
    partial: bool
    row: RowRef


@dataclass
class UnitLedger:
    """The ledger in one unit of the cap (refined: barrels; crude: barrels and tonnes)."""

    unit: str
    limit: Decimal
    thresholds: list[Decimal]
    cap: RowRef
    reported: Figure
    reported_rows: list[ReportedRow]
    estimates: list[Estimate] = field(default_factory=list)
    estimated: list[Range] = field(default_factory=list)


@dataclass(frozen=True)
class SourceRef:
    source_id: str
    uri: str
    sha256: str
    adapter: str


@dataclass
class CapStatus:
    commodity: str
    year: int
    period_start: date
    period_end: date
    ledgers: list[UnitLedger]
    sources: list[SourceRef]
    method: str = (
        "reported: sum of supplier reports; estimated: floor(capacity x load) per estimate, "
        "estimates never added, the year's figure at each load is the largest estimate"
    )


# -- arithmetic -----------------------------------------------------------------------------


def percent(amount: Decimal | Fraction, limit: Decimal) -> Decimal:
    """``amount`` as a percentage of ``limit``, two decimals, rounded half to even."""
    return exact(Fraction(amount) * 100 / Fraction(limit), 2)


def floor_barrels(value: Fraction) -> Decimal:
    """Whole barrels, truncated (the published US figures are truncated; see the module)."""
    return Decimal(value.numerator // value.denominator)


def ref(d: Delivery) -> RowRef:
    return RowRef(d.source_id, d.line, d.citation)


def figure(
    steps: Sequence[tuple[Fraction, Delivery]],
    limit: Decimal,
    thresholds: Iterable[Decimal],
    total: Decimal | None = None,
) -> Figure:
    """A figure from ``(amount, row)`` steps in period order: the running total's crossings
    of each threshold and of the limit. ``total`` overrides the shown amount (a floor)."""
    running = Fraction(0)
    pending = sorted(thresholds)
    crossings: list[Crossing] = []
    exceeded: Crossing | None = None
    for amount, d in steps:
        running += amount
        while pending and running >= Fraction(pending[0]) * Fraction(limit):
            t = pending.pop(0)
            crossings.append(
                Crossing(
                    t, t * limit, d.period_end, d.period_text, _dec(running), d.source_id, d.line
                )
            )
        if exceeded is None and running > Fraction(limit):
            exceeded = Crossing(
                Decimal(1), limit, d.period_end, d.period_text, _dec(running), d.source_id, d.line
            )
    shown = total if total is not None else _dec(running)
    return Figure(shown, percent(shown, limit), crossings, exceeded, [ref(d) for _, d in steps])


def _dec(value: Fraction) -> Decimal:
    """An exact decimal for a sum of decimals (their denominators are powers of ten)."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)


# -- the ledger -----------------------------------------------------------------------------


def _in_period(rows: Iterable[Delivery], period: Period) -> list[Delivery]:
    return [d for d in rows if period.holds(d.midpoint)]


def _partial(d: Delivery, period: Period) -> bool:
    return d.period_start < period.start or d.period_end > period.end


def reported_ledger(
    cap: Cap, period: Period, rows: Sequence[Delivery]
) -> tuple[Figure, list[ReportedRow]]:
    unit = cap.unit
    counted = [d for d in _in_period(rows, period) if d.kind == "reported"]
    steps: list[tuple[Fraction, Delivery]] = []
    listed: list[ReportedRow] = []
    for d in counted:
        amount = d.barrels if unit == "barrels" else d.tonnes
        if amount is None:  # the adapter converts, so this is a row loaded without a figure
            continue
        steps.append((Fraction(amount), d))
        listed.append(
            ReportedRow(
                d.period_text,
                d.supplier,
                amount,
                d.converted == unit,
                d.factor if d.converted == unit else None,
                _partial(d, period),
                ref(d),
            )
        )
    return figure(steps, cap.limit, cap.thresholds), listed


def _distinct(rows: Sequence[Delivery]) -> list[Delivery]:
    """An estimate's deliveries: rows repeating the same deliveries at another published
    load count once (the first)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for d in rows:
        if d.capacity_barrels is None:
            continue
        key = (
            d.period_start,
            d.period_end,
            d.vessel_imo,
            d.vessel_mmsi,
            d.vessel_name,
            d.deliveries,
            d.capacity_barrels,
        )
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def estimate_ledger(cap: Cap, period: Period, estimate: str, rows: Sequence[Delivery]) -> Estimate:
    """One estimate (its rows in the period) at every load scenario."""
    with_capacity = _distinct(rows)
    capacity = sum((Fraction(d.capacity_barrels or 0) for d in with_capacity), Fraction(0))
    published: dict[Decimal, list[Delivery]] = {}
    for d in rows:
        if d.barrels is not None and d.load_scenario is not None:
            published.setdefault(d.load_scenario.normalize(), []).append(d)
    loads = sorted({*LOADS, *published})
    scenarios: list[Scenario] = []
    if with_capacity:
        for load in loads:
            steps = [(Fraction(d.capacity_barrels or 0) * Fraction(load), d) for d in with_capacity]
            total = floor_barrels(capacity * Fraction(load))
            fig = figure(steps, cap.limit, cap.thresholds, total)
            given = published.get(load, [])
            value = sum((Fraction(d.barrels or 0) for d in given), Fraction(0))
            covers = len(_distinct(given)) == len(with_capacity)
            scenarios.append(
                Scenario(
                    load,
                    fig,
                    _dec(value) if given else None,
                    (_dec(value) == total) if given and covers else None,
                )
            )
    bare = [d for d in rows if d.capacity_barrels is None and d.barrels is not None]
    published_only = (
        figure([(Fraction(d.barrels or 0), d) for d in bare], cap.limit, cap.thresholds)
        if bare and not with_capacity
        else None
    )
    counts = [d.deliveries for d in with_capacity or bare if d.deliveries is not None]
    return Estimate(
        estimate=estimate,
        estimator=rows[0].estimator or "",
        period_start=min(d.period_start for d in rows),
        period_end=max(d.period_end for d in rows),
        deliveries=sum(counts) if counts else None,
        capacity_barrels=_dec(capacity) if with_capacity else None,
        scenarios=scenarios,
        published_only=published_only,
        partial=any(_partial(d, period) for d in rows),
        rows=[ref(d) for d in rows],
    )


def estimated_ledger(
    cap: Cap, period: Period, rows: Sequence[Delivery]
) -> tuple[list[Estimate], list[Range]]:
    counted = [d for d in _in_period(rows, period) if d.kind == "estimated"]
    grouped: dict[str, list[Delivery]] = {}
    for d in counted:
        grouped.setdefault(d.estimate or "", []).append(d)
    estimates = sorted(
        (estimate_ledger(cap, period, k, v) for k, v in grouped.items()),
        key=lambda e: (e.period_start, e.period_end, e.estimate),
    )
    ranges: list[Range] = []
    for load in LOADS:
        at = [(e, s) for e in estimates for s in e.scenarios if s.load == load]
        if not at:
            continue
        best_e, best_s = max(at, key=lambda pair: pair[1].figure.amount)
        earliest: dict[Decimal, Crossing] = {}
        for _, s in at:
            for c in s.figure.crossings:
                if c.threshold not in earliest or c.by < earliest[c.threshold].by:
                    earliest[c.threshold] = c
        over = [s.figure.exceeded for _, s in at if s.figure.exceeded is not None]
        ranges.append(
            Range(
                load,
                best_e.estimate,
                best_s.figure,
                [earliest[t] for t in sorted(earliest)],
                min(over, key=lambda c: c.by) if over else None,
            )
        )
    return estimates, ranges


def status(ws: Workspace, commodity: str, year: int | None = None) -> CapStatus:
    """The ledger of ``commodity`` for the cap period ``year`` (default: the latest with
    deliveries), in each unit of its cap."""
    commodity = commodity.strip().lower()
    all_caps = check_commodity(ws, commodity)
    rows = deliveries(ws, commodity)
    if year is None:
        found = _years(all_caps, rows)
        if not found:
            raise InputError(f"commodity {commodity!r}", "no deliveries of it are loaded")
        year = found[-1]
    return _status(ws, commodity, year, all_caps, rows)


def statuses(ws: Workspace, commodity: str) -> list[CapStatus]:
    """The ledger of every cap year with deliveries of ``commodity`` (``years``), oldest
    first: the caps and deliveries are read once for all of them."""
    commodity = commodity.strip().lower()
    all_caps = check_commodity(ws, commodity)
    rows = deliveries(ws, commodity)
    return [_status(ws, commodity, y, all_caps, rows) for y in _years(all_caps, rows)]


def _status(
    ws: Workspace, commodity: str, year: int, all_caps: list[Cap], rows: Sequence[Delivery]
) -> CapStatus:
    ledgers: list[UnitLedger] = []
    bounds: Period | None = None
    for unit in sorted({c.unit for c in all_caps}):
        cap = cap_in_force(all_caps, commodity, unit, year)
        if cap is None:
            continue
        period = period_of(cap, year)
        assert period is not None  # cap_in_force chose a cap whose periods cover the year
        bounds = bounds or period
        reported, reported_rows = reported_ledger(cap, period, rows)
        ledger = UnitLedger(
            unit,
            cap.limit,
            list(cap.thresholds),
            RowRef(cap.source_id, cap.line, cap.citation),
            reported,
            reported_rows,
        )
        if unit == "barrels":  # estimates are capacities in barrels
            ledger.estimates, ledger.estimated = estimated_ledger(cap, period, rows)
        ledgers.append(ledger)
    if bounds is None:
        first = min(c.valid_from for c in all_caps)
        raise InputError(
            f"year {year}", f"no {commodity} cap covers it (the first starts on {first})"
        )
    return CapStatus(commodity, year, bounds.start, bounds.end, ledgers, _sources(ws, ledgers))


def _sources(ws: Workspace, ledgers: list[UnitLedger]) -> list[SourceRef]:
    ids: set[str] = set()
    for ledger in ledgers:
        ids.add(ledger.cap.source_id)
        ids.update(r.source_id for r in ledger.reported.rows)
        for e in ledger.estimates:
            ids.update(r.source_id for r in e.rows)
    t = ws.table("source")
    found = t.filter(t.source_id.isin(sorted(ids))).to_pyarrow().to_pylist()
    return sorted(
        (SourceRef(r["source_id"], r["uri"], r["sha256"], r["adapter"]) for r in found),
        key=lambda s: s.source_id,
    )


def years(ws: Workspace, commodity: str) -> list[int]:
    """The cap years (see ``records``) that hold at least one delivery of ``commodity``."""
    return _years(check_commodity(ws, commodity), deliveries(ws, commodity))


def _years(all_caps: list[Cap], rows: Iterable[Delivery]) -> list[int]:
    found: set[int] = set()
    for d in rows:
        for y in (d.midpoint.year - 1, d.midpoint.year, d.midpoint.year + 1):
            for c in all_caps:
                p = period_of(c, y)
                if p is not None and p.holds(d.midpoint):
                    found.add(y)
    return sorted(found)
