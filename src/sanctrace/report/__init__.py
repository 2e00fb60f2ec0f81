"""The report view: a Panel-of-Experts-style HTML report (and PDF) built from sections that
capabilities contribute, every figure footnoted to the rows and documents behind it.

To add a capability's sections, write builders ``(Workspace, ReportContext) -> Section |
None`` in ``report/<capability>_sections.py`` and list them in ``report/contents.py``. A
builder calls its engines (never computes a figure itself), registers notes through
``ctx.footnotes`` and renders its body with ``ctx.render(template, ...)``.
"""

from sanctrace.report.render import Report, build_report, render_html, write_html, write_pdf
from sanctrace.report.sections import (
    Footnote,
    Footnotes,
    ReportContext,
    Section,
    SectionBuilder,
)

__all__ = [
    "Footnote",
    "Footnotes",
    "Report",
    "ReportContext",
    "Section",
    "SectionBuilder",
    "build_report",
    "render_html",
    "write_html",
    "write_pdf",
]
