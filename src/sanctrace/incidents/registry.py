"""Incidents, one row each with their amounts as ranges, and one incident with everything
behind it (amounts, attributions, citations, the files they came from)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis

from sanctrace.errors import NotFoundError
from sanctrace.incidents.actors import actors, alias_resolution
from sanctrace.sources.values import iso_date
from sanctrace.workspace import Workspace


def amount_ranges(ws: Workspace, kind: str) -> ibis.Table:
    """Per incident: low, central and high USD of ``kind`` (stolen or attempted) over the
    amounts reported for it, and whether any amount of that kind is unknown or malformed.

    The central value is the amount from the incident's own source row; the low and high
    span every source that reported one.
    """
    inc = ws.table("incident")
    amt = ws.table("amount")
    amt = amt.filter(amt.kind == kind)
    j = amt.join(inc.select("incident_id", own_source=inc.source_id), "incident_id")
    reported = j.status == "reported"
    usd = ibis.ifelse(reported, j.amount_usd, ibis.null("int64"))
    own = ibis.ifelse(reported & (j.source_id == j.own_source), j.amount_usd, ibis.null("int64"))
    g = j.group_by("incident_id").agg(
        low=usd.min(),
        high=usd.max(),
        own=own.max(),
        # "malformed" sorts before "unknown": a malformed amount is the flag worth showing
        flagged=ibis.ifelse(reported, ibis.null("string"), j.status).min(),
    )
    return g.select(
        "incident_id",
        "low",
        "high",
        "flagged",
        central=ibis.coalesce(g.own, g.low),
    )


def incident_view(
    ws: Workspace, date_from: date | None = None, date_to: date | None = None
) -> ibis.Table:
    """One row per incident, with stolen and attempted USD ranges, filtered by date."""
    inc = ws.table("incident")
    if date_from is not None:
        inc = inc.filter(inc.date >= date_from)
    if date_to is not None:
        inc = inc.filter(inc.date <= date_to)
    stolen = amount_ranges(ws, "stolen")
    attempted = amount_ranges(ws, "attempted")
    v = inc.left_join(stolen, "incident_id").drop("incident_id_right")
    v = v.rename(
        stolen_low="low", stolen_central="central", stolen_high="high", stolen_flagged="flagged"
    )
    v = v.left_join(attempted.select("incident_id", attempted_usd="central"), "incident_id")
    return v.drop("incident_id_right")


def attributions(ws: Workspace) -> ibis.Table:
    """incident_id -> actor_id (null where no actor claims the name), with confidence."""
    att = ws.table("attribution")
    res = alias_resolution(ws)
    j = att.left_join(res, att.actor_key == res.alias_key)
    return j.select("incident_id", "actor_text", "actor_id", "confidence", "citation")


@dataclass
class Incident:
    incident_id: str
    date: str
    date_precision: str
    victim: str
    victim_type: str
    country: str | None
    vector: str
    asset_class: str
    stolen_usd: int | None
    stolen_usd_low: int | None
    stolen_usd_high: int | None
    amount_flag: str | None  # "unknown" / "malformed" when the stolen amount is not usable
    attempted_usd: int | None
    actors: list[str] = field(default_factory=list)


def list_incidents(
    ws: Workspace,
    date_from: date | None = None,
    date_to: date | None = None,
    incident_ids: Collection[str] | None = None,
) -> list[Incident]:
    """Incidents in date order (all, or those of ``incident_ids``), with attributed actors by
    canonical name."""
    view = incident_view(ws, date_from, date_to)
    atts = attributions(ws)
    if incident_ids is not None:
        view = view.filter(view.incident_id.isin(list(incident_ids)))
        atts = atts.filter(atts.incident_id.isin(list(incident_ids)))
    rows = view.order_by(["date", "incident_id"]).to_pyarrow().to_pylist()
    names = {a.actor_id: a.name for a in actors(ws).values()}
    by_incident: dict[str, list[str]] = {}
    for a in atts.order_by(["incident_id", "actor_text"]).to_pyarrow().to_pylist():
        name = names.get(a["actor_id"], a["actor_text"])
        by_incident.setdefault(a["incident_id"], []).append(name)
    return [_incident(r, by_incident.get(r["incident_id"], [])) for r in rows]


def _incident(r: dict[str, Any], actor_names: list[str]) -> Incident:
    flag = r["stolen_flagged"] if r["stolen_central"] is None else None
    return Incident(
        incident_id=r["incident_id"],
        date=iso_date(r["date"], r["date_precision"]),
        date_precision=r["date_precision"],
        victim=r["victim"],
        victim_type=r["victim_type"],
        country=r["country"],
        vector=r["vector"],
        asset_class=r["asset_class"],
        stolen_usd=r["stolen_central"],
        stolen_usd_low=r["stolen_low"],
        stolen_usd_high=r["stolen_high"],
        amount_flag=flag,
        attempted_usd=r["attempted_usd"],
        actors=actor_names,
    )


@dataclass
class IncidentDetail:
    incident: Incident
    note: str | None
    amounts: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    sources: list[dict[str, Any]]


def incident_details(
    ws: Workspace,
    incident_ids: Collection[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[IncidentDetail]:
    """Incidents with the rows behind them, read in one query per table, not per incident
    (the report and the exports need all of them; ninety single look-ups took half a minute).
    """
    incidents = list_incidents(ws, date_from, date_to, incident_ids)
    wanted = [i.incident_id for i in incidents]

    def rows(table: ibis.Table, order: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        selected = table.filter(table.incident_id.isin(wanted)).order_by(order)
        for r in selected.to_pyarrow().to_pylist():
            out.setdefault(r["incident_id"], []).append(r)
        return out

    inc = rows(ws.table("incident").select("incident_id", "note", "source_id"), ["incident_id"])
    amounts = rows(ws.table("amount"), ["incident_id", "kind", "source_id"])
    for group in amounts.values():
        for a in group:
            if a["amount_native"] is not None:
                a["amount_native"] = format(a["amount_native"].normalize(), "f")
    names = {a.actor_id: a.name for a in actors(ws).values()}
    atts = rows(attributions(ws), ["incident_id", "actor_text"])
    for group in atts.values():
        for a in group:
            a["actor"] = names.get(a["actor_id"], a["actor_text"])
    citations = rows(ws.table("citation"), ["incident_id", "field", "document", "locator"])
    src = ws.table("source").to_pyarrow().to_pylist()
    files = {s["source_id"]: {**s, "loaded_at": s["loaded_at"].isoformat()} for s in src}
    out = []
    for i in incidents:
        own = inc[i.incident_id]
        behind = [*own, *amounts.get(i.incident_id, []), *citations.get(i.incident_id, [])]
        source_ids = sorted({r["source_id"] for r in behind})
        out.append(
            IncidentDetail(
                incident=i,
                note=own[0]["note"],
                amounts=amounts.get(i.incident_id, []),
                attributions=atts.get(i.incident_id, []),
                citations=citations.get(i.incident_id, []),
                sources=[files[s] for s in source_ids if s in files],
            )
        )
    return out


def get_incident(ws: Workspace, incident_id: str) -> IncidentDetail:
    """One incident with the rows behind it: amounts, attributions, citations, files."""
    found = incident_details(ws, [incident_id])
    if not found:
        raise NotFoundError(f"no incident {incident_id!r}; see `sanctrace incidents list`")
    return found[0]
