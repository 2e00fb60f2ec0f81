"""The report's phishing section: absent without email; with it, verdict counts, the features
behind them, campaigns with what they share and their actor, and the files behind it."""

from __future__ import annotations

from pathlib import Path

from sanctrace.phishing.campaigns import attribute, find_campaigns
from sanctrace.phishing.store import analyse_files
from sanctrace.report import ReportContext, build_report, render_html
from sanctrace.report.phishing_sections import BUILDERS
from sanctrace.workspace import Workspace

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"


def test_no_section_without_email(empty_ws: Workspace) -> None:
    report = build_report(empty_ws, ReportContext(), builders=list(BUILDERS))
    assert report.section_ids == []


def test_section_with_verdicts_and_campaigns(ws: Workspace) -> None:
    analyse_files(sorted(EMAILS.glob("*.eml")), ws, lookalike=lambda _d: [])
    camp = next(c for c in find_campaigns(ws) if "template" in c.evidence)
    attribute(ws, camp.campaign_id, "Lazarus", "alice")
    report = build_report(ws, ReportContext(), builders=list(BUILDERS))
    assert report.section_ids == ["phishing"]
    html = render_html(report)
    assert "11 email messages are loaded" in html and "6 phishing" in html
    assert "display_name_impersonation" in html
    assert camp.campaign_id in html and "template: " in html and "Lazarus Group" in html
    assert (EMAILS / "upbit_impersonation.eml").resolve().as_uri() in html
