"""The incident registry as a STIX 2.1 bundle, for threat-intelligence platforms.

Mapping (``sources/stix_bundle.py`` reads the same mapping back):

- each incident -> ``incident`` named after its victim, with the registry's own fields as
  ``x_sanctrace_*`` properties (STIX 2.1 has no standard ones for amounts, dates or vectors)
  and its documents as ``external_references``;
- each actor -> ``intrusion-set`` with its aliases and MITRE ATT&CK id; the hierarchy as
  ``related-to`` relationships described ``sub-group of`` (STIX 2.1 defines no sub-group
  relationship between intrusion sets), the actor's country as ``originates-from``;
- each victim -> ``identity`` (class and sectors), ``located-at`` its country's ``location``;
- attributions -> ``attributed-to`` (confidence on STIX's Low/Med/High scale: 15/50/85),
  victims -> ``targets``.

Ids are UUIDv5 over a fixed namespace and the registry's own keys, and timestamps come from
the incident dates (never from the clock), so the same registry always gives the same bytes
and an export -> import -> export round trip is a fixed point.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any, Final
from urllib.parse import urlparse

from sanctrace.exports._registry import Registry, read_registry
from sanctrace.incidents import Actor, IncidentDetail
from sanctrace.sources.values import (
    country_caption,
    parse_citations,
    parse_country,
    parse_date,
)
from sanctrace.workspace import Workspace

# Never change: every exported id is derived from it, and consumers match objects by id.
NAMESPACE: Final = uuid.UUID("4342282b-123e-4619-97c5-e08ecf783f1f")
EPOCH: Final = date(1970, 1, 1)

# STIX 2.1 Appendix A, "Low/Med/High" scale: the value each level maps to, and back by range
CONFIDENCE_SCORE: Final[dict[str, int]] = {"high": 85, "medium": 50, "low": 15}
SUBGROUP_OF: Final = "sub-group of"
MITRE_SOURCE: Final = "mitre-attack"
ORDER: Final = ("intrusion-set", "location", "identity", "incident", "relationship")

# victim_type -> STIX identity_class and industry-sector-ov
IDENTITY_CLASS: Final[dict[str, str]] = {"individual": "individual", "unknown": "unknown"}
SECTORS: Final[dict[str, list[str]]] = {
    "bank": ["financial-services"],
    "exchange": ["financial-services"],
    "defi_protocol": ["financial-services"],
    "bridge": ["financial-services"],
    "wallet_provider": ["financial-services"],
    "payment_processor": ["financial-services"],
    "gambling": ["hospitality-leisure"],
}


def stix_id(stix_type: str, key: str) -> str:
    """The deterministic id of the object of ``stix_type`` that stands for ``key``."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, f'{stix_type}:{key}')}"


def confidence_level(score: int) -> str:
    """A STIX confidence (0-100) as the registry's high/medium/low (Appendix A ranges)."""
    if score >= 70:
        return "high"
    if score >= 30:
        return "medium"
    return "low"


def timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


def external_references(citations: list[tuple[str, str | None]]) -> list[dict[str, str]]:
    """``(document, locator)`` pairs as STIX external references, once each, sorted."""
    refs = []
    for document, locator in sorted(set(citations), key=lambda c: (c[0], c[1] or "")):
        if document.startswith(("http://", "https://")):
            ref = {"source_name": urlparse(document).netloc or document, "url": document}
            if locator:
                ref["description"] = locator
        else:
            ref = {"source_name": document, "description": locator or document}
        refs.append(ref)
    return refs


def _country(code: str | None) -> str | None:
    """An ISO code as exported, or None for a value that is not one (left out, not guessed)."""
    try:
        return parse_country(code or "")
    except ValueError:
        return None


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


class _Builder:
    """Collects objects once each, keeping their first-seen dates for ``created``."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.objects: dict[str, dict[str, Any]] = {}
        self.created: dict[str, date] = {}

    def add(self, obj: dict[str, Any], created: date) -> str:
        sid: str = obj["id"]
        if sid not in self.objects:
            self.objects[sid] = {"spec_version": "2.1", **obj}
        self.created[sid] = min(created, self.created.get(sid, created))
        return sid

    def relate(self, rel_type: str, source: str, target: str, key: str = "", **props: Any) -> None:
        rid = stix_id("relationship", f"{rel_type}|{source}|{target}|{key}")
        rel = {
            "type": "relationship",
            "id": rid,
            "relationship_type": rel_type,
            "source_ref": source,
            "target_ref": target,
            **_drop_none(props),
        }
        self.add(rel, self.as_of)

    def finish(self) -> list[dict[str, Any]]:
        """Objects grouped by type (in ``ORDER``), each group in the order it was built."""
        out = []
        ranked = sorted(self.objects.items(), key=lambda kv: ORDER.index(kv[1]["type"]))
        for sid, obj in ranked:
            if obj["type"] == "relationship":
                # a relationship is as old as the younger of its two ends
                created = max(self.created[obj["source_ref"]], self.created[obj["target_ref"]])
            else:
                created = self.created[sid]
            out.append({**obj, "created": timestamp(created), "modified": timestamp(self.as_of)})
        return out


def build_bundle(ws: Workspace) -> dict[str, Any]:
    """The registry as one STIX 2.1 bundle (a plain dict, ready for ``json.dumps``)."""
    return bundle_from(read_registry(ws))


def bundle_from(reg: Registry) -> dict[str, Any]:
    days = {r.incident.incident_id: parse_date(r.incident.date).value for r in reg.records}
    as_of = max(days.values(), default=EPOCH)
    first = _actor_first_seen(reg, days, as_of)
    b = _Builder(as_of)
    for actor in sorted(reg.actors.values(), key=lambda a: a.actor_id):
        b.add(_intrusion_set(actor), first[actor.actor_id])
    for actor in sorted(reg.actors.values(), key=lambda a: a.actor_id):
        set_id = stix_id("intrusion-set", actor.actor_id)
        country = _country(actor.country)
        if country:
            loc = b.add(_location(country), first[actor.actor_id])
            b.relate("originates-from", set_id, loc)
        if actor.parent_id and actor.parent_id in reg.actors:
            parent = stix_id("intrusion-set", actor.parent_id)
            b.relate("related-to", set_id, parent, description=SUBGROUP_OF)
    for r in reg.records:
        _incident(b, r, days[r.incident.incident_id], reg.actors)
    objects = b.finish()
    digest = hashlib.sha256(json.dumps(objects, sort_keys=True).encode()).hexdigest()
    return {"type": "bundle", "id": f"bundle--{uuid.uuid5(NAMESPACE, digest)}", "objects": objects}


def _actor_first_seen(reg: Registry, days: dict[str, date], as_of: date) -> dict[str, date]:
    """Per actor, the date of the first incident attributed to it or to a sub-group of it."""
    first: dict[str, date] = {}
    for r in reg.records:
        day = days[r.incident.incident_id]
        for a in r.attributions:
            seen: set[str] = set()
            cur = a["actor_id"]
            while cur in reg.actors and cur not in seen:
                seen.add(cur)
                first[cur] = min(day, first.get(cur, day))
                cur = reg.actors[cur].parent_id
    return {a: first.get(a, as_of) for a in reg.actors}


def _intrusion_set(a: Actor) -> dict[str, Any]:
    refs = None
    if a.mitre_id:
        refs = [
            {
                "source_name": MITRE_SOURCE,
                "external_id": a.mitre_id,
                "url": f"https://attack.mitre.org/groups/{a.mitre_id}/",
            }
        ]
    return _drop_none(
        {
            "type": "intrusion-set",
            "id": stix_id("intrusion-set", a.actor_id),
            "name": a.name,
            "description": a.description,
            "aliases": sorted(a.aliases) or None,
            "external_references": refs,
            "x_sanctrace_actor_id": a.actor_id,
        }
    )


def _location(code: str) -> dict[str, Any]:
    return _drop_none(
        {
            "type": "location",
            "id": stix_id("location", code),
            "name": country_caption(code),
            "country": code,
        }
    )


def _incident(b: _Builder, r: IncidentDetail, day: date, known: dict[str, Actor]) -> None:
    i = r.incident
    inc_id = stix_id("incident", i.incident_id)
    stolen = None
    if i.stolen_usd is not None:
        stolen = {"low": i.stolen_usd_low, "central": i.stolen_usd, "high": i.stolen_usd_high}
    amounts = sorted(
        (
            _drop_none(
                {
                    "kind": a["kind"],
                    "status": a["status"],
                    "usd_text": a["usd_text"],
                    "amount_usd": a["amount_usd"],
                    "asset": a["asset"],
                    "amount_native": a["amount_native"],
                    "citation": a["citation"],
                }
            )
            for a in r.amounts
        ),
        key=lambda a: json.dumps(a, sort_keys=True),
    )
    citations = sorted(
        (_drop_none({k: c[k] for k in ("field", "document", "locator")}) for c in r.citations),
        key=lambda c: (c["field"], c["document"], c.get("locator", "")),
    )
    resolved = [a for a in r.attributions if a["actor_id"] in known]
    unresolved = sorted(
        (
            _drop_none({k: a[k] for k in ("actor_text", "confidence", "citation")})
            for a in r.attributions
            if a["actor_id"] not in known
        ),
        key=lambda a: json.dumps(a, sort_keys=True),
    )
    refs = external_references([(c["document"], c.get("locator")) for c in citations])
    obj = {
        "type": "incident",
        "id": inc_id,
        "name": i.victim,
        "description": r.note,
        "external_references": refs or None,
        "x_sanctrace_incident_id": i.incident_id,
        "x_sanctrace_date": i.date,
        "x_sanctrace_date_precision": i.date_precision,
        "x_sanctrace_victim_type": i.victim_type,
        "x_sanctrace_vector": i.vector,
        "x_sanctrace_asset_class": i.asset_class,
        "x_sanctrace_stolen_usd": _drop_none(stolen) if stolen else None,
        "x_sanctrace_amounts": amounts or None,
        "x_sanctrace_citations": citations or None,
        "x_sanctrace_unresolved_attributions": unresolved or None,
    }
    b.add(_drop_none(obj), day)

    country = _country(i.country)
    victim_key = json.dumps([i.victim, i.victim_type, country])
    identity = _drop_none(
        {
            "type": "identity",
            "id": stix_id("identity", victim_key),
            "name": i.victim,
            "identity_class": IDENTITY_CLASS.get(i.victim_type, "organization"),
            "sectors": SECTORS.get(i.victim_type),
        }
    )
    victim = b.add(identity, day)
    b.relate("targets", inc_id, victim)
    if country:
        b.relate("located-at", victim, b.add(_location(country), day))

    for a in sorted(resolved, key=lambda a: (a["actor_text"], a["actor_id"])):
        cited = [(c.document, c.locator) for c in parse_citations(a["citation"] or "")]
        b.relate(
            "attributed-to",
            inc_id,
            stix_id("intrusion-set", a["actor_id"]),
            key=a["actor_text"],
            confidence=CONFIDENCE_SCORE.get(a["confidence"]),
            external_references=external_references(cited) or None,
            x_sanctrace_actor_text=a["actor_text"],
            x_sanctrace_citation=a["citation"],
        )
