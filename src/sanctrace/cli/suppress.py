"""``suppress``: record, list and revoke reviewed false positives, and read the audit log.

The analyst defaults to ``$USER`` (or ``unknown``): the audit log should name a person, and
``--analyst`` is there for shared accounts.
"""

from __future__ import annotations

import os

import typer

from sanctrace.cli.output import console, print_json, table
from sanctrace.screening import suppressions as engine
from sanctrace.screening.suppressions import Event

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
REASON = typer.Option(..., "--reason", help="Why (kept in the audit log).")
ANALYST = typer.Option(None, "--analyst", help="Who decides (default: $USER).")

suppress_app = typer.Typer(
    no_args_is_help=True, help="Reviewed false positives: suppress, list, revoke, audit log."
)


def default_analyst() -> str:
    return os.environ.get("USER") or "unknown"


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)


@suppress_app.command("add")
def add_cmd(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="The query as screened (case and spacing ignored)."),
    entity_id: str = typer.Argument(..., help="The listed party's entity_id, e.g. unsc-KPi.033."),
    reason: str = REASON,
    analyst: str = ANALYST,
    schema: str = typer.Option(
        None, "--schema", help="Only for queries screened with this --schema."
    ),
    json: bool = JSON,
) -> None:
    """Mark QUERY's match with ENTITY_ID as a false positive: later screenings of QUERY leave
    it out until it is revoked or the party's listing is amended."""
    with ctx.obj.open() as ws:
        made = engine.suppress(ws, query, entity_id, reason, analyst or default_analyst(), schema)
    if json:
        print_json(made)
        return
    _say(f"{made.suppression_id}: {made.entity_id} suppressed for {made.query!r} by {made.analyst}")


@suppress_app.command("list")
def list_cmd(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Revoked suppressions too."),
    json: bool = JSON,
) -> None:
    """The suppressions in force (with --all, revoked ones too); a lapsed one no longer
    applies because the party's listing was amended since."""
    with ctx.obj.open() as ws:
        rows = engine.listed(ws, include_revoked=all_)
    if json:
        print_json({"suppressions": rows})
        return
    table(
        f"{len(rows)} suppressions" + ("" if all_ else " in force"),
        ["id", "state", "query", "entity_id", "analyst", "created", "reason"],
        [
            [
                s.suppression_id,
                s.state,
                s.query,
                s.entity_id,
                s.analyst,
                f"{s.created_at:%Y-%m-%d %H:%M}",
                s.reason if s.revoked_at is None else f"{s.reason} (revoked: {s.revoke_reason})",
            ]
            for s in rows
        ],
    )


@suppress_app.command("revoke")
def revoke_cmd(
    ctx: typer.Context,
    suppression_id: str = typer.Argument(..., help="The id `suppress list` shows (sup-N)."),
    reason: str = REASON,
    analyst: str = ANALYST,
    json: bool = JSON,
) -> None:
    """End a suppression: the match is shown again."""
    with ctx.obj.open() as ws:
        done = engine.revoke(ws, suppression_id, reason, analyst or default_analyst())
    if json:
        print_json(done)
        return
    _say(f"{done.suppression_id}: revoked by {done.revoked_by}; {done.entity_id} is shown again")


@suppress_app.command("log")
def log_cmd(ctx: typer.Context, json: bool = JSON) -> None:
    """Every suppress and revoke, oldest first."""
    with ctx.obj.open() as ws:
        events = engine.log(ws)
    if json:
        print_json({"events": events})
        return
    table(
        f"{len(events)} audit events",
        ["#", "at", "analyst", "action", "suppression", "query_key", "entity_id", "reason"],
        [_event_row(e) for e in events],
        right=["#"],
    )


def _event_row(e: Event) -> list[object]:
    return [
        e.event_id,
        f"{e.at:%Y-%m-%d %H:%M:%S}",
        e.analyst,
        e.action,
        e.suppression_id,
        e.query_key,
        e.entity_id,
        e.reason,
    ]


def register(app: typer.Typer) -> None:
    app.add_typer(suppress_app, name="suppress")
