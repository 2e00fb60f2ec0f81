"""Report fixtures: the bundled workspace's report built once per session (building takes
seconds, printing the PDF about ten), shared read-only by the tests."""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sanctrace.cli.main import app
from sanctrace.report import Report, ReportContext, build_report, render_html
from sanctrace.workspace import Workspace

FIXED_TIME = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


@dataclass
class Built:
    report: Report
    html: str


@pytest.fixture(scope="session")
def built(bundled_ws_path: Path) -> Built:
    """The full report of the bundled workspace, and its HTML."""
    with Workspace.open(bundled_ws_path) as ws:
        report = build_report(ws, ReportContext(generated_at=FIXED_TIME))
    return Built(report, render_html(report))


@dataclass
class CliReport:
    out: dict[str, Any]
    html: Path
    pdf: Path


@pytest.fixture(scope="session")
def cli_report(bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> CliReport:
    """``sanctrace report --pdf --json`` run once through the CLI (the PDF is the slow part)."""
    out_dir = tmp_path_factory.mktemp("cli-report")
    html = out_dir / "panel.html"
    result = CliRunner().invoke(
        app,
        ["--workspace", str(bundled_ws_path), "report", "--out", str(html), "--pdf", "--json"],
    )
    assert result.exit_code == 0, result.output
    return CliReport(json.loads(result.stdout), html, out_dir / "panel.pdf")


def body_refs(html: str) -> set[int]:
    """Note numbers the document refers to (before the notes list)."""
    return set(refs_in(html.split('<section id="notes"', 1)[0]))


def notes(html: str) -> dict[int, str]:
    """The notes list: number -> text with tags removed."""
    part = html.split('<section id="notes"', 1)[1]
    found = re.findall(r'<li id="fn-(\d+)"[^>]*>(.*?)</li>', part, re.S)
    return {int(n): re.sub(r"<[^>]+>", "", text).strip() for n, text in found}


def refs_in(fragment: str) -> list[int]:
    """Note numbers the superscripts in ``fragment`` refer to, as a reader reads them:
    ``1\u20133,5`` is 1, 2, 3 and 5. Each printed number must also link to its note."""
    out: list[int] = []
    for sup in re.findall(r'<sup class="fn">(.*?)</sup>', fragment, re.S):
        linked = [int(n) for n in re.findall(r'href="#fn-(\d+)"', sup)]
        text = re.sub(r"<[^>]+>", "", sup)
        printed: list[int] = []
        for part in text.split(","):
            first, _, last = part.partition("\u2013")
            printed.extend(range(int(first), int(last or first) + 1))
        assert set(linked) <= set(printed) and {int(n) for n in re.findall(r"\d+", text)} == set(
            linked
        ), sup
        out.extend(printed)
    return out


def row(html: str, row_id: str) -> str:
    """The HTML of the table row with this id."""
    m = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', html, re.S)
    assert m, f"no row {row_id}"
    return m.group(1)


def section(html: str, section_id: str) -> str:
    m = re.search(rf'<section id="{re.escape(section_id)}"[^>]*>(.*?)</section>', html, re.S)
    assert m, f"no section {section_id}"
    return m.group(1)


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF whose objects may sit in compressed object streams (WeasyPrint's)."""
    chunks = [data]
    # the EOL before ``endstream`` stays with the data: a compressed stream may itself end in
    # a CR byte, and decompressobj leaves any trailing EOL as unused data
    for m in re.finditer(rb"stream\r?\n(.*?)\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompressobj().decompress(m.group(1)))
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", b"".join(chunks)))
