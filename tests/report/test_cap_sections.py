"""The report's section "Refined petroleum against the cap": the ledger's figures by cap year,
a chart against the cap, and a footnote for every figure (its documents and its file)."""

from __future__ import annotations

import json
import re

from sanctrace.caps.ledger import status, years
from sanctrace.data import bundled
from sanctrace.report import ReportContext, build_report
from sanctrace.report.cap_charts import cap_chart_spec, ledger_rows
from sanctrace.report.cap_sections import SECTION, cap_section
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.report.conftest import Built, notes, refs_in, row, section


def cell_notes(built: Built, cell_html: str) -> list[str]:
    listed = notes(built.html)
    return [listed[n] for n in refs_in(cell_html)]


def test_section_is_in_the_report(built: Built) -> None:
    ids = built.report.section_ids
    assert ids[ids.index(SECTION) + 1] == "provenance"
    body = section(built.html, SECTION)
    assert "<h2>" in body and "Refined petroleum against the cap</h2>" in body
    assert "<svg" in body and "Deliveries against the cap (barrels)" in body


def test_reported_2018_is_footnoted_to_its_document_and_file(built: Built) -> None:
    cells = row(built.html, "cap-year-2018")
    assert '<td class="num">48.22%</td>' in cells
    reported = re.search(r"241,114(<sup.*?</sup>)", cells)
    assert reported is not None
    texts = cell_notes(built, reported.group(1))
    assert any(
        t.endswith("@ Russian Federation 2018") or "Russian Federation 2018" in t for t in texts
    )
    assert any(
        t.startswith("sanctrace:data/petroleum/reported_deliveries.csv, sha256 ") for t in texts
    )


def test_the_us_estimate_row_shows_every_load_and_what_it_reproduces(built: Built) -> None:
    cells = row(built.html, "cap-estimate-us-2018-jan-may")
    for text in (
        "501,463<br>(100.29%)",
        "759,793<br>(151.96%)",
        "1,367,628<br>(273.53%)",
        "1,519,587<br>(303.92%)",
        "759,793 at 50% (reproduced); 1,367,628 at 90% (reproduced)",
        "crossed 75% by 2018-05-30, 90% by 2018-05-30, 95% by 2018-05-30, the cap by 2018-05-30",
    ):
        assert text in cells, text
    texts = cell_notes(built, cells.rsplit('<td class="notes">', 1)[1])
    assert any("United States report to the 1718 Committee" in t for t in texts)
    assert any(t.startswith("sanctrace:data/petroleum/estimates.csv, sha256 ") for t in texts)


def test_a_year_with_only_a_figure_published_without_a_load(built: Built) -> None:
    cells = row(built.html, "cap-year-2020")
    assert "1,600,000<sup" in cells and "320.00%" in cells
    assert "43 member states (report to the Panel); load not given" in cells


def test_the_cap_cites_its_paragraph(built: Built) -> None:
    body = section(built.html, SECTION)
    first = body.split("</p>", 1)[0]
    texts = [notes(built.html)[n] for n in refs_in(first)]
    assert any("S/RES/2397(2017), paragraph 5" in t for t in texts)
    assert any(t.startswith("sanctrace:data/petroleum/caps.csv") for t in texts)


def test_chart_plots_the_ledger_figures(ws: Workspace) -> None:
    statuses = [status(ws, "refined", y) for y in years(ws, "refined")]
    rows = ledger_rows(statuses)
    values = {(r["year"], r["series"]): r["value"] for r in rows}
    assert values[("2018", "reported")] == 241_114
    assert values[("2018", "estimated at 50%")] == 1_890_000  # the largest estimate
    assert values[("2020", "published, load not given")] == 1_600_000
    assert ("2020", "reported") not in values  # no supplier reported: no bar, not a zero
    # the spec plots exactly those rows, and the cap and its thresholds as rules
    text = json.dumps(cap_chart_spec(statuses))
    assert all(json.dumps(r) in text for r in rows)
    assert '{"value": 500000.0, "label": "cap"}' in text
    assert '{"value": 375000.0, "label": "threshold"}' in text


def test_no_section_without_caps_or_deliveries(empty_ws: Workspace) -> None:
    assert cap_section(empty_ws, ReportContext()) is None
    ingest(empty_ws, "caps", bundled("petroleum/caps.csv"))
    assert cap_section(empty_ws, ReportContext()) is None
    assert SECTION not in build_report(empty_ws).section_ids
