"""The report's IT-worker section: absent without contractor records; with them, the flagged
workers, the rules with their advisories footnoted, and the files behind the figures."""

from __future__ import annotations

from pathlib import Path

from sanctrace.report import ReportContext, build_report, render_html
from sanctrace.report.itworker_sections import BUILDERS
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.itworkers import Config, generate
from sanctrace.workspace import Workspace


def test_no_section_without_records(empty_ws: Workspace) -> None:
    report = build_report(empty_ws, ReportContext(), builders=list(BUILDERS))
    assert report.section_ids == []


def test_section_with_flagged_workers_and_citations(empty_ws: Workspace, tmp_path: Path) -> None:
    truth = generate(Config(seed=6, workers=120, photos=False), tmp_path)
    for kind, name in (
        ("itw-profiles", "profiles.csv"),
        ("itw-payouts", "payouts.csv"),
        ("itw-logins", "logins.csv"),
        ("itw-clients", "clients.csv"),
    ):
        ingest(empty_ws, kind, tmp_path / name)
    report = build_report(empty_ws, ReportContext(), builders=list(BUILDERS))
    assert report.section_ids == ["it-workers"]
    html = render_html(report)
    dprk = [w for w, v in truth["workers"].items() if v["dprk"]]
    assert sum(w in html for w in dprk) >= len(dprk) - 1
    assert "https://www.ic3.gov/PSA/2023/PSA231018" in html or "PSA240516" in html
    assert (tmp_path / "profiles.csv").as_uri() in html  # the file behind the figures
    assert "No sanctions lists are loaded" in html
