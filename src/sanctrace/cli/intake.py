"""``intake`` reads report and news files into claims; ``claims`` reviews them into the
registry (list, show, accept, reject, log).

Every file is read and checked before any is loaded, so a bad file in a batch loads none of
them. The analyst defaults to ``$USER``, as for suppressions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sanctrace.cli.output import console, print_json, progress, table
from sanctrace.cli.suppress import ANALYST, JSON, default_analyst

if TYPE_CHECKING:  # the engine is imported by the commands that run it: fast start-up
    from sanctrace.intake.store import Review, StoredClaim

claims_app = typer.Typer(
    no_args_is_help=True,
    help="Review claims read from reports: list, show, accept into the registry, reject, log.",
)


def intake_cmd(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="Text, HTML or PDF files."),
    type_: str = typer.Option(None, "--type", help="Only claims of this type."),
    json: bool = JSON,
) -> None:
    """Read FILES (text, HTML, PDF) as source documents and list the claims in each: type,
    value, unit, subject, span, rule, and how each stands against the registry."""
    from sanctrace.intake import read_document
    from sanctrace.intake.corroborate import with_links
    from sanctrace.intake.store import stored_claims
    from sanctrace.sources.ingest import ingest

    for path in files:  # all checked first: one bad file loads none
        read_document(path)
    documents = []
    with ctx.obj.open(backend="duckdb") as ws:
        for path in files:
            with progress(f"text {path.name}") as advance:
                result = ingest(ws, "text", path, progress=advance)
            claims = with_links(ws, stored_claims(ws, source_ids=[result.source_id], type=type_))
            documents.append((path, result, claims))
    if json:
        print_json(
            {
                "documents": [
                    {
                        "file": str(path),
                        "source_id": result.source_id,
                        "sha256": result.sha256,
                        "unchanged": result.unchanged,
                        "claims": [c.to_dict() for c in claims],
                    }
                    for path, result, claims in documents
                ]
            }
        )
        return
    for path, result, claims in documents:
        again = " (already loaded)" if result.unchanged else ""
        _claims_table(f"{path.name}: {result.source_id}, {len(claims)} claims{again}", claims)


def _claims_table(title: str, claims: list[StoredClaim]) -> None:
    table(
        title,
        ["id", "type", "text", "value", "unit", "subject", "span", "status", "registry"],
        [
            [
                c.claim_id,
                c.type,
                c.text,
                c.value,
                c.unit,
                c.subject,
                f"{c.span[0]}-{c.span[1]}",
                c.status,
                "; ".join(f"{x['relation']} {x['table']} {x['key']}" for x in c.links),
            ]
            for c in claims
        ],
    )


@claims_app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="pending, accepted or rejected."),
    type_: str = typer.Option(None, "--type", help="money, count, country, actor, ..."),
    source: str = typer.Option(None, "--source", help="Only claims of this source_id."),
    json: bool = JSON,
) -> None:
    """Claims in the workspace, by document and position, with their review state."""
    from sanctrace.intake.corroborate import with_links
    from sanctrace.intake.store import stored_claims

    with ctx.obj.open() as ws:
        sources = [source] if source else None
        claims = stored_claims(ws, status=status, type=type_, source_ids=sources)
        claims = with_links(ws, claims)
    if json:
        print_json({"claims": [c.to_dict() for c in claims]})
        return
    _claims_table(f"{len(claims)} claims", claims)


@claims_app.command("show")
def show_cmd(
    ctx: typer.Context,
    claim_id: str = typer.Argument(..., help="The claim's id."),
    json: bool = JSON,
) -> None:
    """One claim in full: its sentence, document, rule, links and review."""
    from sanctrace.intake.corroborate import with_links
    from sanctrace.intake.store import get_claim

    with ctx.obj.open() as ws:
        claim = with_links(ws, [get_claim(ws, claim_id)])[0]
    if json:
        print_json(claim.to_dict())
        return
    lines = [
        f"claim {claim.claim_id} ({claim.status})",
        f"  {claim.type}: {claim.text!r} -> {claim.value} {claim.unit or ''}".rstrip(),
        f"  subject: {claim.subject or '-'}   rule: {claim.rule}   confidence: {claim.confidence}",
        f"  source: {claim.citation}",
        f"  sentence: {claim.sentence}",
    ]
    lines += [f"  {x['relation']} {x['table']} {x['key']}: {x['registry']}" for x in claim.links]
    if claim.review:
        r = claim.review
        lines.append(
            f"  {r.action}ed by {r.analyst} at {r.at:%Y-%m-%d %H:%M} UTC: {r.reason or ''}"
        )
    for line in lines:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


@claims_app.command("accept")
def accept_cmd(
    ctx: typer.Context,
    claim_id: str = typer.Argument(..., help="The claim's id."),
    as_: str = typer.Option(
        None, "--as", help="amount, incident, attribution, case_tally, delivery or evidence."
    ),
    incident: str = typer.Option(None, "--incident", help="The incident it belongs to."),
    kind: str = typer.Option("stolen", "--kind", help="For amounts: stolen or attempted."),
    confidence: str = typer.Option("medium", "--confidence", help="For attributions."),
    victim: str = typer.Option(None, "--victim", help="For a new incident."),
    date: str = typer.Option(
        None, "--date", help="For a new incident or a delivery: YYYY[-MM[-DD]][/...]."
    ),
    supplier: str = typer.Option(None, "--supplier", help="For a delivery: who supplied it."),
    victim_type: str = typer.Option(None, "--victim-type", help="For a new incident."),
    vector: str = typer.Option("unknown", "--vector", help="For a new incident."),
    reason: str = typer.Option(None, "--reason", help="A note for the audit trail."),
    analyst: str = ANALYST,
    json: bool = JSON,
) -> None:
    """Accept a claim into the registry (an amount, a new incident, an attribution, a case
    tally, a delivery in the cap ledger) or as evidence the report cites. Recorded in the
    audit trail."""
    from sanctrace.intake import review as engine

    fields = engine.AcceptFields(victim, date, victim_type, vector, supplier=supplier)
    with ctx.obj.open(backend="duckdb") as ws:
        done = engine.accept(
            ws,
            claim_id,
            analyst or default_analyst(),
            target=as_,
            incident_id=incident,
            kind=kind,
            confidence=confidence,
            fields=fields,
            reason=reason,
        )
    _decided(done, json)


@claims_app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    claim_id: str = typer.Argument(..., help="The claim's id."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the audit trail)."),
    analyst: str = ANALYST,
    json: bool = JSON,
) -> None:
    """Reject a claim, with the reason. Recorded in the audit trail."""
    from sanctrace.intake import review as engine

    with ctx.obj.open(backend="duckdb") as ws:
        done = engine.reject(ws, claim_id, analyst or default_analyst(), reason)
    _decided(done, json)


def _decided(done: Review, json: bool) -> None:
    if json:
        print_json(done.to_dict())
        return
    wrote = ", ".join(f"{len(rows)} {table}" for table, rows in done.detail.items())
    into = f" as {done.target}" if done.target else ""
    onto = f" ({done.incident_id})" if done.incident_id else ""
    console.print(
        f"claim {done.claim_id} {done.action}ed{into}{onto} by {done.analyst}"
        + (f"; wrote {wrote}" if wrote else ""),
        highlight=False,
        markup=False,
    )


@claims_app.command("log")
def log_cmd(ctx: typer.Context, json: bool = JSON) -> None:
    """The audit trail: every accept and reject, oldest first."""
    from sanctrace.intake.store import reviews

    with ctx.obj.open() as ws:
        events = reviews(ws)
    if json:
        print_json({"events": [e.to_dict() for e in events]})
        return
    table(
        "claim reviews",
        ["#", "at", "analyst", "action", "claim", "target", "incident", "reason"],
        [
            [
                e.event_id,
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.analyst,
                e.action,
                e.claim_id,
                e.target,
                e.incident_id,
                e.reason,
            ]
            for e in events
        ],
    )


def register(app: typer.Typer) -> None:
    app.command("intake")(intake_cmd)
    app.add_typer(claims_app, name="claims")
