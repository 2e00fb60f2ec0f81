"""The report: sections from engines, every figure footnoted to the rows behind it,
self-contained HTML, a real PDF, and the ``sanctrace report`` command."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from markupsafe import Markup, escape
from typer.testing import CliRunner

from sanctrace.cli.main import app
from sanctrace.data import bundled
from sanctrace.incidents import list_incidents, summarize
from sanctrace.report import (
    Footnotes,
    ReportContext,
    Section,
    build_report,
    render_html,
    write_html,
)
from sanctrace.report.contents import default_builders
from sanctrace.sources.ingest import ingest
from sanctrace.sources.status import quarantined_rows, source_rows
from sanctrace.workspace import Workspace
from tests.report.conftest import (
    FIXED_TIME,
    Built,
    CliReport,
    body_refs,
    notes,
    pdf_page_count,
    refs_in,
    row,
    section,
)

SECTIONS = [
    "summary",
    "proceeds-by-year",
    "cases-by-country",
    "cases-by-vector",
    "cases-by-actor",
    "cases-by-victim-type",
    "incidents",
    "amounts-not-counted",
    "sanctions-lists",
    "sanctions-by-listing-year",
    "stolen-funds-traced",
    "petroleum-cap",
    "provenance",
]


# -- footnotes ------------------------------------------------------------------------------


def test_identical_citations_share_one_number() -> None:
    fn = Footnotes()
    a = fn.source("https://undocs.org/S/2019/691", "annex 21")
    assert fn.source(" https://undocs.org/S/2019/691 ", "annex 21 ") == a
    assert fn.source("https://undocs.org/S/2019/691", "annex 22") != a
    assert fn.sources("https://undocs.org/S/2019/691 @ annex 21 ; Reuters") == [a, 3]
    assert fn.note("Year 2019: ...", "basis") == fn.note("Year 2019: ...", "basis") == 4
    assert len(fn) == 4
    assert [n.href for n in fn.all()] == ["https://undocs.org/S/2019/691"] * 2 + [None, None]


def test_refs_link_each_note_and_shorten_runs() -> None:
    fn = Footnotes()
    for i in range(8):
        fn.note(f"note {i}")
    html = fn.refs([7, 1, 2, 3, 3, 5, 6])
    assert re.findall(r'href="#fn-(\d+)"', html) == ["1", "3", "5", "7"]
    assert re.sub(r"<[^>]+>", "", html) == "1\u20133,5\u20137"
    assert refs_in(html) == [1, 2, 3, 5, 6, 7]
    assert re.sub(r"<[^>]+>", "", fn.refs([1, 2])) == "1,2"
    assert fn.take_used() == [1, 2, 3, 5, 6, 7]
    assert fn.take_used() == []
    assert fn.refs([]) == ""


def test_notes_escape_what_sources_say() -> None:
    fn = Footnotes()
    fn.source("<script>alert(1)</script>", "p. <b>3</b>")
    (note,) = fn.all()
    assert "<script>" not in note.body and "&lt;script&gt;" in note.body
    assert note.href is None  # not a URL: shown, not linked


# -- the registry's sections --------------------------------------------------------------


def test_sections_in_report_order(built: Built) -> None:
    assert built.report.section_ids == SECTIONS
    assert [s.kind for s in built.report.sections][-1] == "annex"
    titles = re.findall(r"<h2>(.*?)</h2>", built.html)
    assert titles[:3] == ["Contents", "I. Summary", "II. Proceeds by year"]
    assert "Annex I Data provenance" in titles


def test_2019_registry_figure_is_footnoted_to_its_incidents_and_sources(
    built: Built, ws: Workspace
) -> None:
    y2019 = next(g for g in summarize(ws, "year").groups if g.key == 2019)
    assert y2019.stolen_usd.central == 191_794_000
    cells = row(built.html, "year-2019")
    assert '<td class="num">191,794,000</td>' in cells
    listed = notes(built.html)
    notes_cell = cells.rsplit('<td class="notes">', 1)[1]
    texts = [listed[n] for n in refs_in(notes_cell)]
    basis = next(t for t in texts if t.startswith("Year 2019:"))
    assert "9 registry incidents" in basis
    for incident_id in y2019.incident_ids:
        assert incident_id in basis
    assert any("README, Breakdown of Incidents" in t for t in texts)  # the amounts' source
    # the independent total equal to it carries its own citation
    estimate = re.search(r"tayvano repository: 191,794,000(<sup.*?</sup>)", cells)
    assert estimate is not None
    (n,) = refs_in(estimate.group(1))
    assert listed[n].endswith("README, yearly totals of the incident table")


def test_every_note_used_exists_and_every_note_is_used(built: Built) -> None:
    listed = notes(built.html)
    assert sorted(listed) == list(range(1, len(built.report.footnotes) + 1))
    assert body_refs(built.html) == set(listed)
    for s in built.report.sections:
        assert set(s.footnotes) == set(refs_in(section(built.html, s.id))), s.id


def test_a_citation_is_one_note_however_many_figures_rest_on_it(built: Built) -> None:
    sources = [n.body for n in built.report.footnotes if n.kind == "source"]
    assert len(sources) == len(set(sources))
    readme = [t for t in notes(built.html).values() if t.endswith("README, Breakdown of Incidents")]
    assert len(readme) == 1


def test_key_figures_and_the_panels_tally(built: Built, ws: Workspace) -> None:
    total = summarize(ws, "year").total
    summary = section(built.html, "summary")
    assert f"{total.stolen_usd.low:,} to {total.stolen_usd.high:,}" in summary
    assert f"{total.stolen_usd.central:,}" in summary
    tally = re.search(r"gives 35 cases in 17 countries(<sup.*?</sup>)", summary)
    assert tally is not None
    assert "https://undocs.org/S/2019/691" in notes(built.html)[refs_in(tally.group(1))[0]]


def test_country_rows_carry_the_panels_country_tally(built: Built) -> None:
    country = section(built.html, "cases-by-country")
    korea = re.search(r"<tr>\s*<td>South Korea \(KR\).*?</tr>", country, re.S)
    assert korea is not None
    assert "10 (S/2019/691)" in korea.group(0)


def test_charts_are_inline_svg_with_footnoted_captions(built: Built) -> None:
    for section_id in [*SECTIONS[1:6], "sanctions-by-listing-year"]:
        body = section(built.html, section_id)
        assert "<svg" in body and "</svg>" in body, section_id
        caption = re.search(r"<figcaption>(.*?)</figcaption>", body, re.S)
        assert caption is not None and refs_in(caption.group(1)), section_id


def test_every_incident_has_a_row_with_its_sources(built: Built, ws: Workspace) -> None:
    incidents = list_incidents(ws)
    table = section(built.html, "incidents")
    for i in incidents:
        assert refs_in(row(table, f"inc-{i.incident_id}")), i.incident_id
    # every link to an incident (from the basis notes) lands on a row
    linked = set(re.findall(r'href="#inc-([^"]+)"', built.html))
    assert linked <= {i.incident_id for i in incidents}


def test_amounts_not_counted_are_listed_as_reported(built: Built, ws: Workspace) -> None:
    flagged = [i for i in list_incidents(ws) if i.stolen_usd is None]
    body = section(built.html, "amounts-not-counted")
    assert body.count("<tr>") - 1 == len(flagged)  # minus the header row
    assert "<code>$1,620,00</code>" in body  # C8's malformed amount, verbatim
    assert "malformed" in body and "unknown" in body
    assert 'class="flag" href="#amounts-not-counted">malformed' in built.html


def test_provenance_annex_lists_every_file(built: Built, ws: Workspace) -> None:
    body = section(built.html, "provenance")
    for s in source_rows(ws):
        assert s["sha256"] in body and s["uri"] in body
    # the bundled tag packs carry real faults (a TRON address filed as BTC, repeats), and
    # the annex lists each quarantined row with its reason
    quarantined = quarantined_rows(ws)
    assert quarantined
    assert "No row was quarantined." not in body
    for q in quarantined:
        assert str(escape(q["reason"])) in body


def test_html_is_self_contained(built: Built) -> None:
    html = built.html
    assert "<script" not in html
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"\bsrc=", html)
    assert not re.search(r"url\(\s*['\"]?(?!#)", html)
    assert "@page" in html and "counter(pages)" in html  # print CSS for the PDF


# -- the registry API for later capabilities ----------------------------------------------


def test_capabilities_plug_in_sections(ws: Workspace) -> None:
    def hits(ws: Workspace, ctx: ReportContext) -> Section:
        n = ctx.footnotes.source("https://scsanctions.un.org/consolidated.xml", "KPi.066")
        body = Markup("<p>3 matches{}</p>").format(ctx.footnotes.refs([n]))
        return Section("screening", "Screening", body)

    def nothing(ws: Workspace, ctx: ReportContext) -> Section | None:
        ctx.footnotes.refs([ctx.footnotes.source("https://example.org/empty")])
        return None  # nothing to report: its note must not stay behind

    report = build_report(ws, builders=[nothing, hits, nothing])
    assert report.section_ids == ["screening"]
    assert report.sections[0].footnotes == [1]
    assert [n.href for n in report.footnotes] == ["https://scsanctions.un.org/consolidated.xml"]
    html = render_html(report)
    assert "I. Screening" in html and 'id="fn-1"' in html
    both = build_report(ws, builders=[*default_builders()[:-1], hits])
    assert both.section_ids == [*SECTIONS[:-1], "screening"]


def test_section_ids_must_be_unique(ws: Workspace) -> None:
    def twice(ws: Workspace, ctx: ReportContext) -> Section:
        return Section("same", "Same", Markup(""))

    with pytest.raises(ValueError, match="'same'"):
        build_report(ws, builders=[twice, twice])


def test_date_range_limits_every_section(ws: Workspace) -> None:
    ctx = ReportContext(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
    html = render_html(build_report(ws, ctx))
    rows = re.findall(r'<tr id="inc-([^"]+)">', html)
    assert len(rows) == 9 and all(r.startswith("2019-") for r in rows)
    assert re.findall(r'<tr id="year-(\d+)">', html) == ["2019"]
    assert "incidents from 2019-01-01 to 2019-12-31" in html


def test_an_empty_workspace_gives_an_empty_report(empty_ws: Workspace, tmp_path: Path) -> None:
    report = build_report(empty_ws)
    assert report.sections == [] and report.footnotes == []
    write_html(report, tmp_path / "empty.html")
    assert "<h2>Notes</h2>" in (tmp_path / "empty.html").read_text(encoding="utf-8")


def test_estimates_without_incidents(empty_ws: Workspace) -> None:
    ingest(empty_ws, "estimates", bundled("incidents/annual_estimates_by_source.csv"))
    report = build_report(empty_ws)
    assert report.section_ids == ["summary", "proceeds-by-year", "provenance"]
    html = render_html(report)
    assert "Year 2019: no incident in the registry." in html


# -- PDF and CLI -----------------------------------------------------------------------------


def test_cli_writes_html_and_pdf(cli_report: CliReport) -> None:
    out = cli_report.out
    assert out == {
        "html": str(cli_report.html),
        "pdf": str(cli_report.pdf),
        "sections": SECTIONS,
        "footnotes": out["footnotes"],
    }
    html = cli_report.html.read_text(encoding="utf-8")
    assert len(notes(html)) == out["footnotes"] > 50
    assert "191,794,000" in html


def test_pdf_is_a_real_multipage_pdf(cli_report: CliReport) -> None:
    data = cli_report.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert pdf_page_count(data) > 1


def test_cli_pdf_out_and_errors(bundled_ws_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--workspace", str(bundled_ws_path), "report"]
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "--pdf-out" in result.stderr
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "no" / "such" / "r.html")])
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "r.html"), "--from", "2019-13"])
    assert result.exit_code == 2 and "--from" in result.stderr
    missing = runner.invoke(app, ["--workspace", str(tmp_path / "none.duckdb"), "report"])
    assert missing.exit_code == 2 and "no workspace here" in missing.stderr


def test_cli_text_output_and_title(bundled_ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app,
        ["-w", str(bundled_ws_path), "report", "-o", str(out), "--title", "Mid-term update"],
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: {len(SECTIONS)} sections" in result.stdout
    assert "<h1>Mid-term update</h1>" in out.read_text(encoding="utf-8")


# -- Spark -----------------------------------------------------------------------------------


@pytest.mark.spark
def test_spark_report_equals_duckdb(ws_path: Path, built: Built) -> None:
    with Workspace.open(ws_path, backend="spark") as ws:
        report = build_report(ws, ReportContext(generated_at=FIXED_TIME))
    html = render_html(report)

    def comparable(text: str, workspace: str) -> str:
        return re.sub(r"spark(\s+backend)", r"duckdb\1", text.replace(workspace, "WS"))

    assert comparable(html, str(ws_path)) == comparable(built.html, built.report.workspace)
