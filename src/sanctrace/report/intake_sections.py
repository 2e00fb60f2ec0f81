"""The report's section on evidence read from reports and news: the claims analysts accepted,
each quoted and footnoted to its document and character span, and where the claims still
awaiting review corroborate or contradict the registry.

Figures come from ``sanctrace.intake`` (``stored_claims``, ``link_claims``); the builder only
chooses and footnotes. A claim accepted into the registry (an amount, an attribution, a case
tally) also shows in the registry's own sections, cited there by the same document and span.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from sanctrace.intake.corroborate import link_claims
from sanctrace.intake.store import STATUSES, StoredClaim, stored_claims
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

CONFLICTS_SHOWN: Final = 20


def claims_of(ws: Workspace, ctx: ReportContext) -> list[StoredClaim]:
    return ctx.memo("intake.stored_claims", lambda: stored_claims(ws))


def claim_note(ctx: ReportContext, claim: StoredClaim) -> int:
    """The document and the exact span a claim was read from."""
    return ctx.footnotes.source(
        claim.uri, f"characters {claim.span[0]}-{claim.span[1]} (claim {claim.claim_id})"
    )


def evidence_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    claims = claims_of(ws, ctx)
    if not claims:
        return None
    counts = Counter(c.status for c in claims)
    documents = len({c.source_id for c in claims})
    accepted = [c for c in claims if c.status == "accepted"]
    pending = [c for c in claims if c.status == "pending"]
    rows = [
        {"claim": c, "refs": ctx.footnotes.refs([claim_note(ctx, c)])}
        for c in sorted(accepted, key=lambda c: (c.type, c.document, c.span))
    ]  # notes numbered in body order
    links = link_claims(ws, claims)  # a sentence's accepted claims still give it context
    conflicts: list[dict[str, Any]] = [
        {"claim": c, "link": link, "refs": ctx.footnotes.refs([claim_note(ctx, c)])}
        for c in pending
        for link in links.get(c.claim_id, [])
        if link["relation"] == "conflicts"
    ]
    corroborating = sum(
        any(x["relation"] == "corroborates" for x in links.get(c.claim_id, [])) for c in pending
    )
    body = ctx.render(
        "intake/evidence.html.j2",
        documents=documents,
        counts=[(s, counts.get(s, 0)) for s in STATUSES],
        total=len(claims),
        accepted=rows,
        accepted_table=ctx.table() if rows else None,
        conflicts=conflicts[:CONFLICTS_SHOWN],
        conflicts_more=max(0, len(conflicts) - CONFLICTS_SHOWN),
        conflicts_table=ctx.table() if conflicts else None,
        corroborating=corroborating,
    )
    return Section("evidence", "Evidence from reports and news", body)


BUILDERS: Final[tuple[SectionBuilder, ...]] = (evidence_section,)
"""The intake's sections, in report order."""
