"""The incident registry as one MISP event (the ``{"Event": {...}}`` JSON MISP imports).

Per incident, three objects from MISP's standard templates: ``incident`` (named after the
victim, the attributed actors as galaxy tags on the name), ``victim`` (organisation, class,
sectors, country) and ``annotation`` (amounts, attribution and sources in words, with the
source URLs as ``link`` attributes). Object references tie them together: the incident
``targets`` the victim, the annotation ``annotates`` the incident.

Per-incident values live inside objects because MISP refuses two event-level attributes with
the same type, category and value, and most incidents cite the same few documents. The
event-level attributes are the ones that are unique: each attributed actor (``threat-actor``)
and each cited document (``link``), with how many incidents use it.

Uuids are UUIDv5 over the STIX export's namespace and the registry's keys; dates and
timestamps come from the incident dates, so the same registry gives the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Final

from sanctrace.exports._registry import Registry, read_registry
from sanctrace.exports.stix import EPOCH, NAMESPACE, SECTORS
from sanctrace.incidents import Actor, IncidentDetail
from sanctrace.incidents.vocabulary import VECTORS, VICTIM_TYPES
from sanctrace.sources.values import parse_date
from sanctrace.workspace import Workspace

# (template uuid, version) of the misp-objects templates used
TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    "incident": ("38597424-f9bb-4865-9b4b-819172df0334", "1"),
    "victim": ("a8806e40-39ad-435f-be02-ac2a13d6fc7d", "10"),
    "annotation": ("5d8dc046-15a1-4ca3-a09f-ed4ede7c4487", "2"),
}
# MISP's event enums, as strings (how MISP writes them)
THREAT_LEVEL_MEDIUM: Final = "2"
ANALYSIS_ONGOING: Final = "1"  # the registry grows as incidents are attributed
DISTRIBUTION_ALL: Final = "3"  # matches tlp:white
DISTRIBUTION_INHERIT: Final = "5"

_CATEGORY = {
    "text": "Other",
    "link": "External analysis",
    "threat-actor": "Attribution",
    "target-org": "Targeting data",
    "target-location": "Targeting data",
}


def misp_uuid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp:{key}"))


def galaxy_tags(actor: Actor) -> list[str]:
    """The MISP galaxy tags that name ``actor``: the threat-actor cluster by name and, with an
    ATT&CK id, the mitre-intrusion-set cluster (whose values read "Name - G0032")."""
    name = actor.name.replace('"', "'")
    tags = [f'misp-galaxy:threat-actor="{name}"']
    if actor.mitre_id:
        tags.append(f'misp-galaxy:mitre-intrusion-set="{name} - {actor.mitre_id}"')
    return tags


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _attribute(key: str, type_: str, value: str, **extra: Any) -> dict[str, Any]:
    attr = {
        "uuid": misp_uuid(f"attribute:{key}"),
        "type": type_,
        "category": _CATEGORY[type_],
        "value": value,
        "to_ids": False,
        "distribution": DISTRIBUTION_INHERIT,
        "disable_correlation": False,
    }
    attr.update({k: v for k, v in extra.items() if v is not None})
    return attr


def _object(name: str, key: str, attributes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    template_uuid, version = TEMPLATES[name]
    obj = {
        "uuid": misp_uuid(f"object:{name}:{key}"),
        "name": name,
        "meta-category": "misc",
        "template_uuid": template_uuid,
        "template_version": version,
        "distribution": DISTRIBUTION_INHERIT,
        "Attribute": attributes,
    }
    obj.update({k: v for k, v in extra.items() if v is not None})
    return obj


def _relation(
    obj_key: str, relation: str, n: int, type_: str, value: str, **extra: Any
) -> dict[str, Any]:
    attr = _attribute(f"{obj_key}:{relation}:{n}", type_, value, **extra)
    return {"object_relation": relation, **attr}


def build_event(ws: Workspace) -> dict[str, Any]:
    """The registry as one MISP event (a plain dict, ready for ``json.dumps``)."""
    return event_from(read_registry(ws))


def event_from(reg: Registry) -> dict[str, Any]:
    days = [parse_date(r.incident.date).value for r in reg.records]
    as_of = max(days, default=EPOCH)
    attributed: dict[str, int] = {}
    documents: dict[str, set[str]] = {}
    objects: list[dict[str, Any]] = []
    for r in reg.records:
        for a in r.attributions:
            if a["actor_id"] in reg.actors:
                attributed[a["actor_id"]] = attributed.get(a["actor_id"], 0) + 1
        for c in r.citations:
            documents.setdefault(c["document"], set()).add(r.incident.incident_id)
        objects += _incident_objects(r, reg.actors)

    tags = sorted({t for a in attributed for t in galaxy_tags(reg.actors[a])})
    attributes = []
    for actor_id in sorted(attributed, key=lambda a: reg.actors[a].name):
        actor = reg.actors[actor_id]
        comment = f"attributed in {_count(attributed[actor_id], 'incident')}"
        if actor.mitre_id:
            comment += f"; MITRE ATT&CK {actor.mitre_id}"
        attributes.append(
            _attribute(
                f"threat-actor:{actor_id}",
                "threat-actor",
                actor.name,
                comment=comment,
                Tag=[{"name": t} for t in galaxy_tags(actor)],
            )
        )
    for document, ids in sorted(documents.items()):
        is_url = document.startswith(("http://", "https://"))
        attributes.append(
            _attribute(
                f"document:{document}",
                "link" if is_url else "text",
                document,
                comment=f"cited for {_count(len(ids), 'incident')}",
                disable_correlation=not is_url,
            )
        )
    years = sorted({d.year for d in days})
    span = f", {years[0]}-{years[-1]}" if years else ""
    info = (
        f"sanctrace incident registry: {_count(len(reg.records), 'incident')}{span}, "
        f"attributed to {_count(len(attributed), 'actor')}"
    )
    stamp = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    event = {
        "uuid": misp_uuid("event:registry"),
        "info": info,
        "date": as_of.isoformat(),
        "timestamp": str(stamp),
        "published": False,
        "threat_level_id": THREAT_LEVEL_MEDIUM,
        "analysis": ANALYSIS_ONGOING,
        "distribution": DISTRIBUTION_ALL,
        "Tag": [{"name": "tlp:white"}] + [{"name": t} for t in tags],
        "Attribute": attributes,
        "Object": objects,
    }
    return {"Event": event}


def _incident_objects(r: IncidentDetail, known: dict[str, Actor]) -> list[dict[str, Any]]:
    i = r.incident
    key = i.incident_id
    day = parse_date(i.date).value
    actor_tags = sorted(
        {
            t
            for a in r.attributions
            if a["actor_id"] in known
            for t in galaxy_tags(known[a["actor_id"]])
        }
    )
    victim_uuid = misp_uuid(f"object:victim:{key}")
    incident_uuid = misp_uuid(f"object:incident:{key}")

    inc_attrs = [
        _relation(
            f"incident:{key}",
            "name",
            0,
            "text",
            i.victim,
            Tag=[{"name": t} for t in actor_tags] or None,
        )
    ]
    if r.note:
        inc_attrs.append(_relation(f"incident:{key}", "description", 0, "text", r.note))
    incident = _object(
        "incident",
        key,
        inc_attrs,
        comment=f"sanctrace incident {key}, {i.date} ({i.date_precision} precision)",
        first_seen=f"{day.isoformat()}T00:00:00.000000+00:00",
        ObjectReference=[
            {
                "uuid": misp_uuid(f"reference:{key}:targets"),
                "object_uuid": incident_uuid,
                "referenced_uuid": victim_uuid,
                "relationship_type": "targets",
            }
        ],
    )

    victim_attrs = [_relation(f"victim:{key}", "name", 0, "target-org", i.victim)]
    classification = {"individual": "individual", "unknown": "unknown"}.get(
        i.victim_type, "organization"
    )
    victim_attrs.append(_relation(f"victim:{key}", "classification", 0, "text", classification))
    for n, sector in enumerate(SECTORS.get(i.victim_type, [])):
        victim_attrs.append(
            # MISP's victim template spells sectors with spaces ("financial services")
            _relation(f"victim:{key}", "sectors", n, "text", sector.replace("-", " "))
        )
    if i.country:
        victim_attrs.append(_relation(f"victim:{key}", "regions", 0, "target-location", i.country))
    victim = _object(
        "victim",
        key,
        victim_attrs,
        comment=f"{VICTIM_TYPES.get(i.victim_type, i.victim_type)}; sanctrace incident {key}",
    )

    lines = [
        f"{VECTORS.get(i.vector, i.vector)} against {i.victim} "
        f"({VICTIM_TYPES.get(i.victim_type, i.victim_type)}, {i.country or 'country unknown'}), "
        f"{i.date}; asset class {i.asset_class}"
    ]
    for a in sorted(r.amounts, key=lambda a: (a["kind"], a["usd_text"] or "")):
        usd = f"{a['amount_usd']:,} USD" if a["amount_usd"] is not None else "amount unknown"
        lines.append(
            f"{a['kind']}: {usd} ({a['status']}; as reported: {a['usd_text'] or 'nothing'}"
            + (f"; source: {a['citation']}" if a["citation"] else "")
            + ")"
        )
    for a in r.attributions:
        lines.append(
            f"attributed to {a['actor']} ({a['confidence']} confidence; named {a['actor_text']}"
            + (f"; source: {a['citation']}" if a["citation"] else "")
            + ")"
        )
    cited: dict[str, list[str]] = {}
    for c in r.citations:
        where = c["field"] + (f" @ {c['locator']}" if c["locator"] else "")
        cited.setdefault(c["document"], []).append(where)
    urls = [d for d in sorted(cited) if d.startswith(("http://", "https://"))]
    others = [d for d in sorted(cited) if d not in urls]
    if others:
        lines.append("other sources: " + " ; ".join(others))
    note_attrs = [
        _relation(f"annotation:{key}", "text", 0, "text", "\n".join(lines)),
        _relation(f"annotation:{key}", "type", 0, "text", "Annotation"),
        _relation(f"annotation:{key}", "format", 0, "text", "text"),
    ]
    for n, url in enumerate(urls):
        note_attrs.append(
            _relation(
                f"annotation:{key}", "ref", n, "link", url, comment="; ".join(sorted(cited[url]))
            )
        )
    annotation = _object(
        "annotation",
        key,
        note_attrs,
        comment=f"amounts, attribution and sources of sanctrace incident {key}",
        ObjectReference=[
            {
                "uuid": misp_uuid(f"reference:{key}:annotates"),
                "object_uuid": misp_uuid(f"object:annotation:{key}"),
                "referenced_uuid": incident_uuid,
                "relationship_type": "annotates",
            }
        ],
    )
    return [incident, victim, annotation]
