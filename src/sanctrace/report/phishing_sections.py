"""The report's section on phishing: how many messages were analysed and with what verdict,
which features fired most, and the campaigns the messages form, with the infrastructure they
share and the actor each is attributed to. Figures are ``phishing.campaigns`` and the stored
verdicts (``phishing.store.stored_verdicts``); the messages are footnoted to the files they
come from. Where no email is loaded it returns ``None``.
"""

from __future__ import annotations

from typing import Final

from sanctrace.phishing.campaigns import find_campaigns
from sanctrace.phishing.score import WEIGHTS
from sanctrace.phishing.store import stored_verdicts
from sanctrace.report.chain_sections import file_notes
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

SHOWN: Final = 20  # campaigns listed; the rest are counted


def phishing_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    if not ws.count("email_message"):
        return None
    messages = ws.table("email_message").select("message_key", "source_id").to_pyarrow()
    analysed, counts, fired = stored_verdicts(ws)
    campaigns = find_campaigns(ws)
    data_refs = ctx.footnotes.refs(
        file_notes(ws, ctx, {str(s) for s in messages["source_id"].to_pylist()})
    )
    body = ctx.render(
        "phishing/campaigns.html.j2",
        total=messages.num_rows,
        analysed=analysed,
        counts=counts,
        features=[
            {"name": n, "meaning": WEIGHTS[n][1], "weight": WEIGHTS[n][0], "n": k}
            for n, k in fired.most_common(12)
        ],
        campaigns=campaigns[:SHOWN],
        rest=max(0, len(campaigns) - SHOWN),
        data_refs=data_refs,
        features_table=ctx.table(),
        campaigns_table=ctx.table(),
    )
    return Section("phishing", "Phishing against exchange users", body)


BUILDERS: Final[tuple[SectionBuilder, ...]] = (phishing_section,)
"""The phishing section, in report order."""
