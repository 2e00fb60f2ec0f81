"""Annex: where the data came from. One row per file loaded (URI, SHA-256, adapter and
version, rows read and quarantined), and the quarantined rows with their reasons, so that a
reader can check that the figures rest on the files they expect and see what was left out."""

from __future__ import annotations

from sanctrace.report.sections import ReportContext, Section
from sanctrace.sources.status import quarantined_rows, source_rows
from sanctrace.workspace import Workspace


def provenance_annex(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Data provenance: the ``source`` table and the quarantine, as stored."""
    sources = source_rows(ws)
    if not sources:
        return None
    quarantine = quarantined_rows(ws)
    body = ctx.render(
        "provenance.html.j2",
        table=ctx.table(),
        sources=sources,
        quarantine_table=ctx.table() if quarantine else None,
        quarantine=quarantine,
        workspace=str(ws.path),
        backend=ws.backend,
    )
    return Section("provenance", "Data provenance", body, kind="annex")
