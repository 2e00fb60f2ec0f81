"""``cap``: the petroleum cap ledger (UN resolution 2397): ``cap status`` and
``cap deliveries``. Figures are the engine's (``sanctrace.caps.ledger``); this only lays them
out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sanctrace.caps import derive
from sanctrace.cli.output import console, print_json, table

if TYPE_CHECKING:  # the ledger and the labels (the report package) load when a command runs
    from sanctrace.caps.ledger import CapStatus, Crossing, Estimate, UnitLedger

JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")
COMMODITY = typer.Option("refined", "--commodity", help="refined or crude.")

cap_app = typer.Typer(
    no_args_is_help=True, help="The petroleum cap ledger: reported and estimated deliveries."
)


def crossed(crossings: list[Crossing], exceeded: Crossing | None, thresholds: list[Decimal]) -> str:
    """``75% by 2018-05-30, 90% by ...``, and the cap itself; ``none`` when none."""
    from sanctrace.report.labels import share

    parts = [f"{share(c.threshold)} by {c.by}" for c in crossings]
    if exceeded is not None:
        parts.append(f"cap exceeded by {exceeded.by}")
    return ", ".join(parts) or ("none" if thresholds else "no thresholds set")


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _ledger(s: CapStatus, u: UnitLedger) -> None:
    from sanctrace.report.labels import share, volume

    _say(
        f"{s.commodity} {s.year} ({s.period_start} to {s.period_end}): cap "
        f"{volume(u.limit)} {u.unit} [{u.cap.citation or u.cap.source_id}]"
    )
    r = u.reported
    _say(
        f"reported: {volume(r.amount)} {u.unit} ({r.percent}% of the cap) from "
        f"{len(u.reported_rows)} row{'' if len(u.reported_rows) == 1 else 's'}; "
        f"thresholds crossed: {crossed(r.crossings, r.exceeded, u.thresholds)}"
    )
    if u.reported_rows:
        table(
            "reported deliveries",
            ["period", "supplier", u.unit, "converted", "source", "line", "citation"],
            [
                [
                    x.period,
                    x.supplier,
                    volume(x.amount),
                    x.factor or "",
                    x.row.source_id,
                    x.row.line,
                    x.row.citation,
                ]
                for x in u.reported_rows
            ],
            right=[u.unit, "line"],
        )
    if u.estimated:
        table(
            "estimated: the largest estimate at each load",
            [
                "load",
                u.unit,
                "% of cap",
                "estimate",
                "thresholds crossed (earliest in any estimate)",
            ],
            [
                [
                    share(e.load),
                    volume(e.figure.amount),
                    f"{e.figure.percent}%",
                    e.estimate,
                    crossed(e.earliest, e.exceeded, u.thresholds),
                ]
                for e in u.estimated
            ],
            right=[u.unit, "% of cap"],
        )
    if u.estimates:
        loads = [lv.load for lv in u.estimated]
        table(
            "estimates (never added to one another)",
            ["estimate", "estimator", "period", "deliveries", "capacity"]
            + [share(x) for x in loads]
            + ["published", "lines"],
            [_estimate_row(e, loads) for e in u.estimates],
            right=["deliveries", "capacity", *(share(x) for x in loads)],
        )


def _estimate_row(e: Estimate, loads: list[Decimal]) -> list[object]:
    from sanctrace.report.labels import share, volume

    at = {s.load: s for s in e.scenarios}
    published = [
        f"{volume(s.published)} at {share(s.load)}"
        + ("" if s.reproduced is None else (" (reproduced)" if s.reproduced else " (differs)"))
        for s in e.scenarios
        if s.published is not None
    ]
    if e.published_only is not None:
        published.append(f"{volume(e.published_only.amount)}, load not given")
    cells: list[object] = [
        e.estimate,
        e.estimator,
        f"{e.period_start} to {e.period_end}" + (" (partly outside)" if e.partial else ""),
        "" if e.deliveries is None else f"{e.deliveries:,}",
        volume(e.capacity_barrels),
    ]
    cells += [volume(at[x].figure.amount) if x in at else "" for x in loads]
    cells += ["; ".join(published), ", ".join(f"{r.line}" for r in e.rows)]
    return cells


@cap_app.command("status")
def status_cmd(
    ctx: typer.Context,
    commodity: str = COMMODITY,
    year: int = typer.Option(
        None, "--year", help="The cap year (default: the latest with deliveries)."
    ),
    json: bool = JSON,
) -> None:
    """Reported total, estimated range per load scenario, percentage of the cap, and the
    thresholds crossed and when, with the rows and files behind each figure."""
    from sanctrace.caps import ledger

    with ctx.obj.open() as ws:
        result = ledger.status(ws, commodity, year)
    if json:
        print_json(result)
        return
    for u in result.ledgers:
        _ledger(result, u)
    table(
        "sources",
        ["source_id", "adapter", "uri", "sha256"],
        [[s.source_id, s.adapter, s.uri, s.sha256[:16]] for s in result.sources],
    )


@cap_app.command("deliveries")
def deliveries_cmd(
    ctx: typer.Context,
    commodity: str = typer.Option(None, "--commodity", help="refined or crude (default: all)."),
    kind: str = typer.Option(None, "--kind", help="reported or estimated (default: both)."),
    json: bool = JSON,
) -> None:
    """Every delivery loaded: reported by suppliers and estimated from tanker deliveries."""
    from sanctrace.caps.records import check_commodity, deliveries
    from sanctrace.report.labels import share, volume

    with ctx.obj.open() as ws:
        if commodity is not None:
            commodity = commodity.strip().lower()
            check_commodity(ws, commodity)
        rows = deliveries(ws, commodity, kind)
    if json:
        print_json({"deliveries": rows})
        return
    table(
        f"{len(rows)} deliveries",
        [
            "kind",
            "commodity",
            "period",
            "supplier / estimator",
            "deliveries",
            "barrels",
            "tonnes",
            "capacity",
            "load",
            "factor",
            "line",
        ],
        [
            [
                d.kind,
                d.commodity,
                d.period_text,
                d.supplier if d.kind == "reported" else d.estimator,
                "" if d.deliveries is None else f"{d.deliveries:,}",
                volume(d.barrels),
                volume(d.tonnes),
                volume(d.capacity_barrels),
                "" if d.load_scenario is None else share(d.load_scenario),
                f"{d.factor} ({d.converted})" if d.factor else "",
                d.line,
            ]
            for d in rows
        ],
        right=["deliveries", "barrels", "tonnes", "capacity", "line"],
    )


@cap_app.command("derive")
def derive_cmd(
    ctx: typer.Context,
    events: Path = typer.Argument(
        ..., help="Encounters as `sanctrace ais detect --json` prints them (port_calls too)."
    ),
    tankers: Path = typer.Option(
        ...,
        "--tankers",
        help="CSV of tankers of interest: mmsi, imo, name, capacity_barrels or dwt.",
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the deliveries CSV."),
    estimator: str = typer.Option("sanctrace (AIS)", "--estimator", help="Who estimates."),
    estimate: str = typer.Option(..., "--estimate", help="The estimate's id (e.g. ais-2019)."),
    commodity: str = COMMODITY,
    citation: str = typer.Option(None, "--citation", help="What the events come from."),
    same_cargo_days: int = typer.Option(
        derive.SAME_CARGO_DAYS,
        "--same-cargo-days",
        help="An event this soon after is the same cargo.",
    ),
    load: bool = typer.Option(False, "--ingest", help="Load the file into the workspace too."),
    json: bool = JSON,
) -> None:
    """Estimated deliveries from detected STS encounters and port calls of tankers of
    interest (docs/cap-ledger.md): one row per delivery, written as a deliveries CSV."""
    from sanctrace.sources.ingest import ingest
    from sanctrace.sources.tanker_events import read_events, read_tankers

    commodity = commodity.strip().lower()
    fleet = read_tankers(tankers)
    found = read_events(events)
    result = derive.Derived()
    evs = derive.events_from_encounters(found.encounters, fleet.by_mmsi, commodity, result.skipped)
    evs += derive.events_from_port_calls(found.port_calls, fleet.by_mmsi, result.skipped)
    derive.estimated_deliveries(
        evs,
        estimator=estimator,
        estimate=estimate,
        commodity=commodity,
        citation=citation,
        same_cargo_days=same_cargo_days,
        derived=result,
    )
    derive.write_deliveries_csv(result.rows, out)
    loaded = None
    if load:
        with ctx.obj.open(backend="duckdb") as ws:
            loaded = ingest(ws, "deliveries", out)
    set_aside = [*fleet.quarantine, *found.quarantine]
    if json:
        print_json(
            {
                "out": str(out),
                "deliveries": len(result.rows),
                "same_cargo": [{"event": e, "why": why} for e, why in result.merged],
                "skipped": [{"event": e, "why": why} for e, why in result.skipped],
                "set_aside": set_aside,
                "loaded": loaded,
            }
        )
        return
    _say(
        f"{len(found.encounters)} encounters, {len(found.port_calls)} port calls, "
        f"{len(fleet.by_mmsi)} tankers of interest -> {len(result.rows)} deliveries "
        f"written to {out} ({len(result.merged)} same cargo, {len(result.skipped)} skipped)"
    )
    reasons: dict[str, int] = {}
    for _, why in result.skipped:
        reasons[why] = reasons.get(why, 0) + 1
    for why, n in sorted(reasons.items()):
        _say(f"  skipped {n}: {why}")
    for q in set_aside:
        where = f"line {q.line}" if q.line is not None else q.element
        _say(f"  set aside: {where}: {q.reason}")
    if loaded is not None:
        _say(f"loaded as {loaded.source_id}: {loaded.tables.get('delivery', 0)} deliveries")


def register(app: typer.Typer) -> None:
    app.add_typer(cap_app, name="cap")
