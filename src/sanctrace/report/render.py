"""Build the report once as data, then write it as HTML and, optionally, PDF.

``build_report`` runs the section builders in order and keeps their sections and the
footnotes they registered; ``render_html`` lays them out as one self-contained page (styles
inline, charts as inline SVG, no script, nothing fetched); ``write_pdf`` prints that page
through WeasyPrint with a fetcher that refuses every URL, so the PDF can only contain what
the HTML carries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sanctrace import __version__
from sanctrace.errors import InputError
from sanctrace.report.sections import (
    Footnote,
    ReportContext,
    Section,
    SectionBuilder,
    environment,
    roman,
)
from sanctrace.workspace import Workspace


@dataclass
class Report:
    """A built report: what the sections say and the notes they cite, ready to render."""

    title: str
    generated_at: datetime
    workspace: str
    backend: str
    date_from: date | None
    date_to: date | None
    sections: list[Section]
    footnotes: list[Footnote]
    version: str = __version__

    @property
    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]


def build_report(
    ws: Workspace,
    ctx: ReportContext | None = None,
    builders: Sequence[SectionBuilder] | None = None,
) -> Report:
    """Run ``builders`` (default: ``contents.default_builders()``) over the workspace.

    Section ids must be unique: they are the anchors the notes and contents link to. The
    notes a builder registered are dropped when it returns None, so every note in the
    report is referred to by some section.
    """
    from sanctrace.report.contents import default_builders

    ctx = ctx or ReportContext()
    sections: list[Section] = []
    ctx.footnotes.take_used()
    for build in default_builders() if builders is None else builders:
        mark = ctx.footnotes.mark()
        section = build(ws, ctx)
        if section is None:
            ctx.footnotes.rollback(mark)
            ctx.footnotes.take_used()
            continue
        used = ctx.footnotes.take_used()
        if any(s.id == section.id for s in sections):
            raise ValueError(f"two report sections have the id {section.id!r}")
        sections.append(dataclasses.replace(section, footnotes=used))
    return Report(
        title=ctx.title,
        generated_at=ctx.generated_at,
        workspace=str(ws.path),
        backend=ws.backend,
        date_from=ctx.date_from,
        date_to=ctx.date_to,
        sections=sections,
        footnotes=ctx.footnotes.all(),
    )


def render_html(report: Report) -> str:
    """The report as one HTML document, sections numbered I, II, ... and annexes after."""
    numbered: list[dict[str, Any]] = []
    counts = {"section": 0, "annex": 0}
    for s in report.sections:
        counts[s.kind] += 1
        n = roman(counts[s.kind])
        numbered.append({"s": s, "label": f"Annex {n}" if s.kind == "annex" else f"{n}."})
    return environment().get_template("report.html.j2").render(report=report, sections=numbered)


def write_html(report: Report, path: Path) -> str:
    """Write the HTML and return it (for the PDF, which is printed from the same text)."""
    html = render_html(report)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot write the report: {exc.strerror or exc}") from exc
    return html


def write_pdf(html: str, path: Path) -> int:
    """Print the HTML to a PDF at ``path`` (A4, numbered pages) and return the page count."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_refusing_fetcher()).render()
    try:
        document.write_pdf(str(path))
    except OSError as exc:
        raise InputError(str(path), f"cannot write the PDF: {exc.strerror or exc}") from exc
    return len(document.pages)


def _refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fails the rendering on any fetch: the report is
    self-contained, so a fetch would be a bug (and, offline, a silent gap in the PDF)."""
    from weasyprint.urls import URLFetcher

    class Refuse(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"the report must not fetch {url}")

    return Refuse(fail_on_errors=True)
