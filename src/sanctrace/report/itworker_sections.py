"""The report's section on DPRK IT-worker red flags: how many workers the loaded contractor
records cover, how many the rules flag, the flagged workers with the rules that fired, and
how often each rule fired, each rule footnoted to the advisory paragraph it rests on and the
figures to the files they come from (by URI and SHA-256, as the provenance annex lists them).

Every figure is ``itworkers.scan``'s (sanctions screening included where lists are loaded);
the builder only lays it out. Where no IT-worker records are loaded it returns ``None``.
"""

from __future__ import annotations

from typing import Final

from sanctrace.itworkers import FLAG_SCORE, scan
from sanctrace.itworkers.rules import BY_ID, RULES
from sanctrace.itworkers.scan import ScanResult
from sanctrace.report.chain_sections import file_notes
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

TABLES: Final = ("itw_profile", "itw_login", "itw_payout", "itw_engagement")
SHOWN: Final = 30  # flagged workers listed; the rest are counted


def result_of(ws: Workspace, ctx: ReportContext) -> ScanResult:
    return ctx.memo("itworkers.scan", lambda: scan(ws))


def itworkers_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    if not any(ws.count(t) for t in TABLES):
        return None
    result = result_of(ws, ctx)
    sources = sorted(
        {
            str(s)
            for t in TABLES
            for s in ws.table(t).select("source_id").distinct().to_pyarrow()["source_id"]
        }
    )
    data_refs = ctx.footnotes.refs(file_notes(ws, ctx, sources))
    rule_refs = {
        r.id: ctx.footnotes.refs([ctx.footnotes.source(r.url, f"{r.advisory}, {r.section}")])
        for r in RULES
        if result.rule_counts.get(r.id)
    }
    flagged = [w for w in result.workers if w.flagged]
    body = ctx.render(
        "itworkers/flags.html.j2",
        result=result,
        flag_score=FLAG_SCORE,
        data_refs=data_refs,
        table=ctx.table(),
        rules_table=ctx.table(),
        shown=[
            {
                "w": w,
                "rules": [{"r": r, "refs": rule_refs.get(r.rule_id, "")} for r in w.rules],
            }
            for w in flagged[:SHOWN]
        ],
        rest=max(0, len(flagged) - SHOWN),
        counts=[
            {"rule": BY_ID[rule_id], "n": n, "refs": rule_refs.get(rule_id, "")}
            for rule_id, n in result.rule_counts.items()
            if n
        ],
    )
    return Section("it-workers", "DPRK IT-worker red flags", body)


BUILDERS: Final[tuple[SectionBuilder, ...]] = (itworkers_section,)
"""The IT-worker section, in report order."""
