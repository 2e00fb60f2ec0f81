"""The rows behind the registry's figures, read once for the whole report.

A footnote needs each incident's citations and amount rows. ``incidents.get_incident``
returns them for one incident, but each call re-runs ``list_incidents`` (about 0.3 s on
DuckDB, several jobs on Spark), so ninety incidents would take half a minute or more. These
functions read the same tables ``get_incident`` reads, in one query each, and return the
rows as stored: nothing is summed, counted or derived here. They belong in
``sanctrace.incidents`` (a bulk ``get_incident``), and can move there unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sanctrace.workspace import Workspace


@dataclass(frozen=True)
class Cite:
    """One row of the ``citation`` table: which field of an incident a document supports."""

    field: str  # incident | amount | country | victim_type | vector | attribution
    document: str
    locator: str | None


@dataclass
class Evidence:
    """Per incident: its citation, amount and attribution rows; and the case tallies that
    reports give as totals without per-country detail (``case_tally`` rows, country null)."""

    citations: dict[str, list[Cite]] = field(default_factory=dict)
    amounts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    attributions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tally_totals: list[dict[str, Any]] = field(default_factory=list)

    def cites(self, incident_ids: Iterable[str], fields: Iterable[str]) -> list[Cite]:
        """The citation rows of these incidents for these fields, in a stable order."""
        wanted = set(fields)
        out: list[Cite] = []
        for incident_id in sorted(set(incident_ids)):
            out.extend(c for c in self.citations.get(incident_id, []) if c.field in wanted)
        return out


def load_evidence(ws: Workspace, incident_ids: Iterable[str] | None = None) -> Evidence:
    """Citations, amounts and attributions of ``incident_ids`` (all incidents when None),
    and the reports' case-tally totals."""
    keep = set(incident_ids) if incident_ids is not None else None
    ev = Evidence()
    cit = ws.table("citation").order_by(["incident_id", "field", "document", "locator"])
    for r in cit.to_pyarrow().to_pylist():
        if keep is None or r["incident_id"] in keep:
            ev.citations.setdefault(r["incident_id"], []).append(
                Cite(r["field"], r["document"], r["locator"])
            )
    amt = ws.table("amount").order_by(["incident_id", "kind", "source_id"])
    for r in amt.to_pyarrow().to_pylist():
        if keep is None or r["incident_id"] in keep:
            ev.amounts.setdefault(r["incident_id"], []).append(r)
    att = ws.table("attribution").order_by(["incident_id", "actor_text", "source_id"])
    for r in att.to_pyarrow().to_pylist():
        if keep is None or r["incident_id"] in keep:
            ev.attributions.setdefault(r["incident_id"], []).append(r)
    tally = ws.table("case_tally")
    totals = tally.filter(tally.country.isnull()).order_by(["report", "source_id"])
    ev.tally_totals = list(totals.to_pyarrow().to_pylist())
    return ev
