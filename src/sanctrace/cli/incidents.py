"""``incidents`` and ``actors``: the registry, its summaries and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from sanctrace.cli.output import console, print_json, table, usd
from sanctrace.dates import parse_bound
from sanctrace.errors import NotFoundError
from sanctrace.incidents import GROUP_KEYS, actors, get_incident, list_incidents, summarize
from sanctrace.incidents.actors import resolve_actor
from sanctrace.incidents.vocabulary import VECTORS, VICTIM_TYPES

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
FROM = typer.Option(None, "--from", help="Only incidents on or after this date (YYYY-MM-DD).")
TO = typer.Option(None, "--to", help="Only incidents on or before this date (YYYY-MM-DD).")


incidents_app = typer.Typer(no_args_is_help=True, help="The incident registry.")
actors_app = typer.Typer(no_args_is_help=True, help="Threat actors, aliases and hierarchy.")


@incidents_app.command("list")
def list_cmd(
    ctx: typer.Context, date_from: str = FROM, date_to: str = TO, json: bool = JSON
) -> None:
    """Every incident in date order."""
    with ctx.obj.open() as ws:
        rows = list_incidents(
            ws, parse_bound(date_from, "--from"), parse_bound(date_to, "--to", end=True)
        )
    if json:
        print_json({"incidents": rows})
        return
    table(
        f"{len(rows)} incidents",
        ["id", "date", "victim", "type", "country", "vector", "stolen USD", "actors"],
        [
            [
                i.incident_id,
                i.date,
                i.victim,
                VICTIM_TYPES.get(i.victim_type, i.victim_type),
                i.country,
                VECTORS.get(i.vector, i.vector),
                usd(i.stolen_usd) if i.stolen_usd is not None else (i.amount_flag or ""),
                "; ".join(i.actors),
            ]
            for i in rows
        ],
        right=["stolen USD"],
    )


@incidents_app.command("show")
def show_cmd(ctx: typer.Context, incident_id: str, json: bool = JSON) -> None:
    """One incident with its amounts, attributions and every source behind them."""
    with ctx.obj.open() as ws:
        d = get_incident(ws, incident_id)
    if json:
        print_json(d)
        return
    i = d.incident
    console.print(
        f"[bold]{escape(i.victim)}[/bold] "
        + escape(f"({i.incident_id}), {i.date} [{i.date_precision}]")
    )
    console.print(
        f"type {VICTIM_TYPES.get(i.victim_type)}, country {i.country or 'unknown'}, "
        f"vector {VECTORS.get(i.vector)}",
        highlight=False,
    )
    if d.note:
        console.print(f"note: {d.note}", highlight=False, markup=False)
    table(
        "amounts",
        ["kind", "USD", "as reported", "status", "citation"],
        [
            [a["kind"], usd(a["amount_usd"]), a["usd_text"], a["status"], a["citation"]]
            for a in d.amounts
        ],
    )
    table(
        "attribution",
        ["actor", "as named", "confidence", "citation"],
        [[a["actor"], a["actor_text"], a["confidence"], a["citation"]] for a in d.attributions],
    )
    table(
        "citations",
        ["field", "document", "locator"],
        [[c["field"], c["document"], c["locator"]] for c in d.citations],
    )


@incidents_app.command("summary")
def summary_cmd(
    ctx: typer.Context,
    by: str = typer.Option(..., "--by", help=" | ".join(GROUP_KEYS)),
    date_from: str = FROM,
    date_to: str = TO,
    json: bool = JSON,
) -> None:
    """Cases, countries and proceeds as a range (low, central, high) per group."""
    with ctx.obj.open() as ws:
        s = summarize(
            ws, by, parse_bound(date_from, "--from"), parse_bound(date_to, "--to", end=True)
        )
    if json:
        print_json(s)
        return
    columns = [by, "cases", "countries", "low", "central", "high", "unknown amounts"]
    rows = [
        [
            g.key,
            g.cases,
            g.countries,
            usd(g.stolen_usd.low),
            usd(g.stolen_usd.central),
            usd(g.stolen_usd.high),
            g.unknown_amount_cases,
        ]
        for g in [*s.groups, s.total]
    ]
    if by == "country":  # reports that give counts without per-case detail, shown beside
        columns.append("cases reported elsewhere")
        for row, g in zip(rows, [*s.groups, s.total], strict=True):
            row.append("; ".join(_tally(t) for t in g.reported_cases))
    table(
        f"proceeds by {by} (USD)",
        columns,
        rows,
        right=["cases", "countries", "low", "central", "high", "unknown amounts"],
    )
    console.print(f"method: {s.total.method}", highlight=False, markup=False)


def _tally(t: dict[str, Any]) -> str:
    countries = f" in {t['countries']} countries" if t.get("countries") else ""
    return f"{t['report']}: {t['cases']}{countries}"


@incidents_app.command("export")
def export_cmd(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="File to write."),
    format: str = typer.Option(..., "--format", help="stix (2.1 bundle) or misp (event JSON)."),
    json: bool = JSON,
) -> None:
    """Export the registry as a STIX 2.1 bundle or a MISP event."""
    from sanctrace.exports import write_export

    with ctx.obj.open() as ws:
        counts = write_export(ws, format, out)
    if json:
        print_json({"out": str(out), "format": format, "objects": counts})
    else:
        console.print(
            f"wrote {out} ({format}): " + ", ".join(f"{n} {k}" for k, n in counts.items()),
            highlight=False,
            markup=False,
        )


@actors_app.command("list")
def actors_list(ctx: typer.Context, json: bool = JSON) -> None:
    """Actors with their MITRE ATT&CK id and place in the hierarchy."""
    with ctx.obj.open() as ws:
        rows = sorted(actors(ws).values(), key=lambda a: (a.lineage, a.name))
    if json:
        print_json({"actors": rows})
        return
    table(
        f"{len(rows)} actors",
        ["actor", "MITRE", "hierarchy", "aliases"],
        [[a.name, a.mitre_id, " > ".join(a.lineage[:-1]), ", ".join(a.aliases[:6])] for a in rows],
    )


@actors_app.command("resolve")
def actors_resolve(ctx: typer.Context, name: str, json: bool = JSON) -> None:
    """The actor any alias stands for (``BlueNoroff`` -> APT38)."""
    with ctx.obj.open() as ws:
        actor = resolve_actor(ws, name)
    if actor is None:
        raise NotFoundError(f"no actor is known by {name!r}; see `sanctrace actors list`")
    if json:
        print_json(actor)
    else:
        console.print(
            f"{name} -> {actor.name} ({actor.mitre_id or 'no ATT&CK id'}); "
            f"hierarchy: {' > '.join(actor.lineage)}",
            highlight=False,
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(incidents_app, name="incidents")
    app.add_typer(actors_app, name="actors")
