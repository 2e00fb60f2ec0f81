"""Every incident with the rows behind it, read once for the whole registry.

``get_incident`` answers for one incident and re-reads the registry each time (about 0.3 s), so
exporting 90 incidents through it would take half a minute. This reads the same records in a
handful of queries, through the same engine functions, and in the same shape; a test checks it
against ``get_incident``. It belongs in ``sanctrace.incidents`` beside ``get_incident``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanctrace.incidents import Actor, Incident, actors, list_incidents
from sanctrace.incidents.registry import attributions
from sanctrace.workspace import Workspace


@dataclass
class Record:
    """One incident as ``get_incident`` describes it, without the source files."""

    incident: Incident
    note: str | None
    amounts: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    citations: list[dict[str, Any]]


@dataclass
class Registry:
    """What an export needs: the incidents in date order and every actor by id."""

    records: list[Record]
    actors: dict[str, Actor]


def _by_incident(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["incident_id"], []).append(r)
    return out


def read_registry(ws: Workspace) -> Registry:
    """The registry as ``list_incidents`` + ``get_incident`` + ``actors`` give it."""
    incidents = list_incidents(ws)
    known = actors(ws)
    names = {a.actor_id: a.name for a in known.values()}
    inc = ws.table("incident")
    notes = {
        r["incident_id"]: r["note"]
        for r in inc.select("incident_id", "note").to_pyarrow().to_pylist()
    }
    amt = ws.table("amount").order_by(["incident_id", "kind", "source_id"])
    amounts = amt.to_pyarrow().to_pylist()
    for a in amounts:
        if a["amount_native"] is not None:
            a["amount_native"] = format(a["amount_native"].normalize(), "f")
    att = attributions(ws).order_by(["incident_id", "actor_text"]).to_pyarrow().to_pylist()
    for a in att:
        a["actor"] = names.get(a["actor_id"], a["actor_text"])
    cit = ws.table("citation").order_by(["incident_id", "field", "document"])
    amounts_by = _by_incident(amounts)
    att_by = _by_incident(att)
    cit_by = _by_incident(cit.to_pyarrow().to_pylist())
    records = [
        Record(
            incident=i,
            note=notes.get(i.incident_id),
            amounts=amounts_by.get(i.incident_id, []),
            attributions=att_by.get(i.incident_id, []),
            citations=cit_by.get(i.incident_id, []),
        )
        for i in incidents
    ]
    return Registry(records, known)
