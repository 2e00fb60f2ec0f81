"""The report's section on refined petroleum against the cap of resolution 2397: for each cap
year with deliveries, the reported total and the estimated deliveries at each load scenario,
against the cap, as a chart and a table, with the thresholds crossed and when.

Every figure is the ledger's (``sanctrace.caps.ledger.status``) as it returns it; this
builder only lays out, labels and footnotes. Each figure is footnoted to the documents its
rows cite and to the files they were loaded from (URI and SHA-256, as the provenance annex
lists them); the cap to the resolution's paragraph. Where no refined-products cap or no
delivery is loaded, there is no section.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

from markupsafe import Markup

from sanctrace.caps.ledger import (
    LOADS,
    CapStatus,
    Crossing,
    Estimate,
    RowRef,
    UnitLedger,
    statuses,
)
from sanctrace.caps.records import caps
from sanctrace.report.cap_charts import cap_chart_svg
from sanctrace.report.chain_sections import file_notes
from sanctrace.report.labels import share, volume
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

COMMODITY: Final = "refined"
UNIT: Final = "barrels"
CENTRAL: Final = Decimal("0.5")  # the load the yearly table shows
SECTION: Final = "petroleum-cap"
METHOD: Final = (
    "Reported: the sum of what suppliers notified to the 1718 Committee for the cap year. "
    "Estimated: each estimate counts tanker deliveries and their total capacity; at a load "
    "scenario it delivered the capacity times the load, truncated to whole barrels (as the "
    "United States did: 1,519,587 x 0.5 = 759,793.5 was published as 759,793). Estimates "
    "overlap and are never added: each load shows the largest. A threshold is crossed when "
    "the running total, in period order, reaches it; the date is the end of the period of "
    "the row that took it there."
)


def statuses_of(ws: Workspace, ctx: ReportContext) -> list[CapStatus]:
    """The refined-products ledger of every cap year with deliveries, once per report."""

    def compute() -> list[CapStatus]:
        if not caps(ws, COMMODITY):
            return []
        return statuses(ws, COMMODITY)

    return ctx.memo("caps.refined", compute)


def row_notes(ws: Workspace, ctx: ReportContext, rows: Iterable[RowRef]) -> list[int]:
    """The documents the rows cite and the files they came from, with their lines."""
    rows = list(rows)
    fn = ctx.footnotes
    numbers = [n for r in rows for n in fn.sources(r.citation)]
    numbers += file_notes(ws, ctx, (r.source_id for r in rows))
    return numbers


def crossed(crossings: list[Crossing], exceeded: Crossing | None) -> str:
    parts = [f"{share(c.threshold)} by {c.by}" for c in crossings]
    if exceeded is not None:
        parts.append(f"the cap by {exceeded.by}")
    return ", ".join(parts) or "none"


def _estimate(ws: Workspace, ctx: ReportContext, year: int, e: Estimate) -> dict[str, Any]:
    """A row of the estimates table: the estimate at every load, what it published."""
    at = {sc.load: sc for sc in e.scenarios}
    published = [
        f"{volume(sc.published)} at {share(sc.load)}"
        + (
            " (reproduced)"
            if sc.reproduced
            else " (not reproduced)"
            if sc.reproduced is False
            else ""
        )
        for sc in e.scenarios
        if sc.published is not None
    ]
    if e.published_only is not None:
        published.append(
            f"{volume(e.published_only.amount)} ({e.published_only.percent}% of the cap), "
            "load not given"
        )
    return {
        "year": year,
        "id": e.estimate,
        "estimator": e.estimator,
        "period": f"{e.period_start} to {e.period_end}",
        "deliveries": "" if e.deliveries is None else f"{e.deliveries:,}",
        "capacity": volume(e.capacity_barrels),
        "cells": [
            {"amount": volume(at[x].figure.amount), "percent": f"{at[x].figure.percent}%"}
            if x in at
            else None
            for x in LOADS
        ],
        "published": "; ".join(published),
        "crossed": crossed(at[CENTRAL].figure.crossings, at[CENTRAL].figure.exceeded)
        if CENTRAL in at
        else "",
        "refs": ctx.footnotes.refs(row_notes(ws, ctx, e.rows)),
    }


def _year(ws: Workspace, ctx: ReportContext, s: CapStatus, u: UnitLedger) -> dict[str, Any]:
    """A row of the yearly table: reported, and the largest estimate at half load."""
    fn = ctx.footnotes
    central = next((r for r in u.estimated if r.load == CENTRAL), None)
    est = next((e for e in u.estimates if central and e.estimate == central.estimate), None)
    estimated: dict[str, Any] = {
        "estimated": volume(central.figure.amount) if central else "",
        "estimated_percent": f"{central.figure.percent}%" if central else "",
        "estimated_refs": fn.refs(row_notes(ws, ctx, est.rows)) if est else Markup(""),
        "estimated_by": est.estimator if est else "",
        "estimated_crossed": crossed(central.earliest, central.exceeded) if central else "",
    }
    bare = [e for e in u.estimates if e.published_only is not None]
    if central is None and bare:  # only figures published without a load: the largest
        top = max(bare, key=lambda e: e.published_only.amount if e.published_only else 0)
        f = top.published_only
        assert f is not None
        estimated = {
            "estimated": volume(f.amount),
            "estimated_percent": f"{f.percent}%",
            "estimated_refs": fn.refs(row_notes(ws, ctx, top.rows)),
            "estimated_by": f"{top.estimator}; load not given",
            "estimated_crossed": crossed(f.crossings, f.exceeded),
        }
    return {
        "year": s.year,
        "reported": volume(u.reported.amount) if u.reported_rows else "",
        "reported_percent": f"{u.reported.percent}%" if u.reported_rows else "",
        "reported_refs": fn.refs(row_notes(ws, ctx, u.reported.rows)),
        "reported_crossed": crossed(u.reported.crossings, u.reported.exceeded)
        if u.reported_rows
        else "",
        **estimated,
    }


def cap_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Refined petroleum against the cap, year by year: reported vs estimated."""
    statuses = statuses_of(ws, ctx)
    ledgers = [(s, u) for s in statuses for u in s.ledgers if u.unit == UNIT]
    if not ledgers:
        return None
    fn = ctx.footnotes
    first = ledgers[-1][1]  # the cap in force in the latest year
    cap_refs = fn.refs(
        [*fn.sources(first.cap.citation), *file_notes(ws, ctx, [first.cap.source_id])]
    )
    years_rows = [_year(ws, ctx, s, u) for s, u in ledgers]
    estimates = [_estimate(ws, ctx, s.year, e) for s, u in ledgers for e in u.estimates]
    all_rows: list[RowRef] = [r for _, u in ledgers for r in u.reported.rows]
    all_rows += [r for _, u in ledgers for e in u.estimates for r in e.rows]
    figure_refs = fn.refs([*row_notes(ws, ctx, all_rows), fn.note(METHOD)])
    body = ctx.render(
        "caps/against_cap.html.j2",
        limit=volume(first.limit),
        thresholds=", ".join(share(t) for t in first.thresholds),
        cap_refs=cap_refs,
        figure=ctx.figure(),
        figure_refs=figure_refs,
        svg=Markup(cap_chart_svg([s for s, _ in ledgers])),
        table=ctx.table(),
        years=years_rows,
        estimates_table=ctx.table(),
        estimates=estimates,
        loads=[share(x) for x in LOADS],
        method=METHOD,
        method_refs=fn.refs([fn.note(METHOD)]),
    )
    return Section(SECTION, "Refined petroleum against the cap", body)


BUILDERS: Final[list[SectionBuilder]] = [cap_section]
