"""The report's section on evidence read from reports and news: absent until claims are
loaded; then the accepted claims, quoted and footnoted to their document and span, and the
pending claims that contradict the registry."""

from __future__ import annotations

import re
from pathlib import Path

from sanctrace.intake import review
from sanctrace.intake.store import stored_claims
from sanctrace.report import ReportContext
from sanctrace.report.intake_sections import evidence_section
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.report.conftest import FIXED_TIME

NEWS = Path(__file__).parents[1] / "fixtures" / "intake" / "review_news.txt"


def test_absent_without_claims(ws: Workspace) -> None:
    assert evidence_section(ws, ReportContext(generated_at=FIXED_TIME)) is None


def test_accepted_claims_cite_document_and_span(ws: Workspace) -> None:
    result = ingest(ws, "text", NEWS)
    claims = {c.text: c for c in stored_claims(ws, source_ids=[result.source_id])}
    review.accept(ws, claims["$48.5 million"].claim_id, "alice")
    review.reject(ws, claims["March 2026"].claim_id, "alice", "not a theft date")
    ctx = ReportContext(generated_at=FIXED_TIME)
    section = evidence_section(ws, ctx)
    assert section is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section.body))
    assert "Claims read from 1 report and news document" in text
    assert "1 accepted, 1 rejected" in text
    assert "“$48.5 million” 48500000 USD" in re.sub(r"\s+", " ", text.replace("&ldquo;", "“")
                                                    .replace("&rdquo;", "”"))  # fmt: skip
    notes = [str(n.body) for n in ctx.footnotes.all()]
    amount = claims["$48.5 million"]
    assert f"characters 76-89 (claim {amount.claim_id})" in notes[0]
    conflict = claims["$60 million"]
    assert any(f"claim {conflict.claim_id}" in n for n in notes)  # the pending conflict
    assert "registry has 48,500,000 USD" in text
