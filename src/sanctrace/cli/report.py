"""``report``: the Panel-style report as one self-contained HTML file, and as a PDF.

The report package (Altair, vl-convert, WeasyPrint) is imported inside the command: every
``sanctrace`` invocation imports this module to register the command, and should not pay
for the report's imports unless it builds one.
"""

from __future__ import annotations

from pathlib import Path

import typer

from sanctrace.cli.incidents import FROM, TO
from sanctrace.cli.output import console, print_json, progress
from sanctrace.dates import parse_bound
from sanctrace.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        ctx: typer.Context,
        out: Path = typer.Option(
            Path("report.html"), "--out", "-o", help="The HTML file to write."
        ),
        pdf: bool = typer.Option(
            False, "--pdf", help="Also print a PDF (A4) next to the HTML, with a .pdf suffix."
        ),
        pdf_out: Path | None = typer.Option(
            None, "--pdf-out", help="Write the PDF here instead (implies --pdf)."
        ),
        title: str | None = typer.Option(None, "--title", help="The report's title."),
        date_from: str = FROM,
        date_to: str = TO,
        json: bool = typer.Option(
            False, "--json", help="Print the files written, section ids and note count as JSON."
        ),
    ) -> None:
        """Write the report: key figures, charts and tables, each figure footnoted to the
        incidents and documents behind it, and the data's provenance in an annex."""
        from sanctrace.report import ReportContext, build_report, write_html, write_pdf

        pdf_path = pdf_out or (out.with_suffix(".pdf") if pdf else None)
        if out.suffix.lower() == ".pdf":
            raise InputError("--out", f"{out} is the HTML file; name the PDF with --pdf-out")
        if pdf_path is not None and pdf_path.resolve() == out.resolve():
            raise InputError("--pdf-out", f"{pdf_path} is the HTML file; choose another path")
        for option, path in (("--out", out), ("--pdf-out", pdf_path)):
            # fail before the minutes a Spark build can take, not after
            if path is not None and not path.resolve().parent.is_dir():
                raise InputError(option, f"{path.parent} is not a folder; create it first")
        options = ReportContext(
            date_from=parse_bound(date_from, "--from"),
            date_to=parse_bound(date_to, "--to", end=True),
        )
        if title:
            options.title = title
        with ctx.obj.open() as ws, progress("building the report"):
            built = build_report(ws, options)
        html = write_html(built, out)
        pages = None
        if pdf_path is not None:
            with progress("printing the PDF"):
                pages = write_pdf(html, pdf_path)
        if json:
            print_json(
                {
                    "html": str(out),
                    "pdf": str(pdf_path) if pdf_path is not None else None,
                    "sections": built.section_ids,
                    "footnotes": len(built.footnotes),
                }
            )
            return
        console.print(
            f"wrote {out}: {len(built.sections)} sections, {len(built.footnotes)} notes",
            highlight=False,
            soft_wrap=True,
        )
        if pdf_path is not None:
            console.print(f"wrote {pdf_path}: {pages} pages", highlight=False, soft_wrap=True)
