"""``stix``: a STIX 2.1 bundle of incidents, from ``sanctrace incidents export`` or any tool.

It yields the rows the incidents CSV gives (incident, amount, attribution, citation; a newer
bundle replaces the same incident ids) plus the actors the bundle describes. Values come from
the ``x_sanctrace_*`` properties where present (the mapping is in ``exports/stix.py``) and
from standard STIX otherwise, so another tool's incident still imports: ``name`` is the
victim, ``first_seen`` or ``created`` the date, ``attributed-to`` relationships the
attribution, the ``targets`` identity and its ``located-at`` location the victim's class and
country, ``external_references`` the sources. An incident without our amounts gets one stolen
amount of unknown value, as a CSV row with an empty amount does: a fact to flag, not a zero.

Actors from the bundle rank below every other source of actors (curated, ATT&CK, MISP), and
a bundle's own aliases outrank its actor names: each alias in our export is one the exporting
workspace resolved to that actor, so it must keep resolving there after the round trip.
Actor rows are added, never replaced: other sources describe the same actors.

Each object is validated with the stix2 library on its own, so one bad object is quarantined
(element = its STIX id) and the rest still load.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from sanctrace.errors import InputError
from sanctrace.exports.stix import MITRE_SOURCE, SUBGROUP_OF, confidence_level
from sanctrace.incidents.vocabulary import (
    AMOUNT_KINDS,
    ASSET_CLASSES,
    CONFIDENCE,
    VECTORS,
    VICTIM_TYPES,
)
from sanctrace.sources.base import Parsed, Progress, Quarantined, Row, read_text
from sanctrace.sources.values import (
    USD_MAX,
    FuzzyDate,
    ReportedUsd,
    alias_key,
    parse_choice,
    parse_country,
    parse_date,
    parse_native,
    parse_usd,
    slug,
)

PER_INCIDENT: Final = ("incident", "amount", "attribution", "citation")
CITED_FIELDS: Final = frozenset(
    {"incident", "amount", "attribution", "country", "victim_type", "vector"}
)
ACTOR_TYPES: Final = frozenset({"intrusion-set", "threat-actor"})
# alias ranks: below curated (0), ATT&CK (1, 2) and MISP (3, 4); see the module docstring
STIX_ALIAS, STIX_NAME = 5, 6
_MITRE_ID = re.compile(r"^G\d{4}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class _Object:
    """One object of the bundle: as written (for custom values) and as stix2 validated it."""

    raw: dict[str, Any]
    stix: Mapping[str, Any]

    @property
    def type(self) -> str:
        return str(self.raw["type"])


@dataclass
class _State:
    """The bundle's valid objects, and what became of each: used for rows, rejected, or
    left over with a reason."""

    objects: dict[str, _Object] = field(default_factory=dict)
    rels_from: dict[str, list[_Object]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)
    actor_ids: dict[str, str] = field(default_factory=dict)  # STIX id -> actor_id

    def rels(self, source: str, rel_type: str) -> list[_Object]:
        return [r for r in self.rels_from.get(source, []) if r.raw["relationship_type"] == rel_type]

    def target(self, rel: _Object) -> _Object | None:
        return self.objects.get(str(rel.raw["target_ref"]))


class StixBundle:
    name = "stix"
    version = "1"
    description = "STIX 2.1 bundle JSON: incidents, intrusion sets, victims and relationships"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        objects = _load(path)
        out = Parsed(replace={table: "incident_id" for table in PER_INCIDENT}, primary="incident")
        st = _State()
        for index, raw in enumerate(objects):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            obj = _validate(raw, index, out, st)
            if obj is None:
                continue
            st.objects[obj.raw["id"]] = obj
            if obj.type == "relationship":
                st.rels_from.setdefault(str(obj.raw["source_ref"]), []).append(obj)
        for obj in st.objects.values():
            if obj.type in ACTOR_TYPES:
                _actor_id(obj, st)
        for obj in st.objects.values():
            if obj.raw["id"] in st.actor_ids:
                _actor(obj, st, out)
        seen: set[str] = set()
        for obj in st.objects.values():
            if obj.type == "incident":
                _incident(obj, st, out, seen)
        _leftovers(st, out)
        return out


def _load(path: Path) -> list[Any]:
    """The bundle's ``objects``; a file that is no STIX bundle is an ``InputError``."""
    text = read_text(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}", f"not JSON: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:  # over-long integers, absurd nesting
        raise InputError(str(path), f"not readable JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("type") != "bundle":
        raise InputError(
            str(path), 'not a STIX bundle: expected a JSON object with "type": "bundle"'
        )
    if doc.get("spec_version") == "2.0":
        raise InputError(str(path), "a STIX 2.0 bundle; sanctrace reads STIX 2.1")
    objects = doc.get("objects", [])
    if not isinstance(objects, list):
        raise InputError(str(path), 'not a STIX bundle: "objects" is not a list')
    return objects


def _dump(raw: Any) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)[:2000]


def _validate(raw: Any, index: int, out: Parsed, st: _State) -> _Object | None:
    """The object validated by stix2, or None after quarantining it."""
    element = f"objects[{index}]"
    if not isinstance(raw, dict):
        out.quarantine.append(Quarantined("not a JSON object", element=element, raw=_dump(raw)))
        return None
    sid = raw.get("id")
    if not isinstance(sid, str) or not sid.strip() or not isinstance(raw.get("type"), str):
        reason = 'no "id" and "type" strings'
        out.quarantine.append(Quarantined(reason, element=element, raw=_dump(raw)))
        return None
    if sid in st.objects:
        out.quarantine.append(
            Quarantined("a second object with this id", element=sid, raw=_dump(raw))
        )
        return None
    try:
        # stix2 fills in a missing spec_version, created or modified; warnings are advisory
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _stix2_parse(raw)
    except Exception as exc:  # stix2 raises many types for invalid content; all quarantine
        reason = f"not valid STIX 2.1: {exc}".strip()
        out.quarantine.append(Quarantined(reason, element=sid, raw=_dump(raw)))
        st.rejected.add(sid)
        return None
    return _Object(raw, parsed)


def _stix2_parse(raw: dict[str, Any]) -> Mapping[str, Any]:
    import stix2

    parsed: Mapping[str, Any] = stix2.parse(raw, allow_custom=True, version="2.1")
    return parsed


# -- actors ----------------------------------------------------------------------------------


def _text(value: Any, what: str) -> str | None:
    """A custom property that must be a string when present."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a string")
    return value


def _actor_id(obj: _Object, st: _State) -> None:
    sid = obj.raw["id"]
    name = str(obj.stix["name"])
    try:
        own = _text(obj.raw.get("x_sanctrace_actor_id"), "x_sanctrace_actor_id")
    except ValueError as exc:
        st.reasons[sid] = str(exc)
        return
    if not alias_key(name):
        st.reasons[sid] = f"actor name {name!r} has no letters or digits"
        return
    actor_id = (own or "").strip() or slug(name)
    if actor_id in st.actor_ids.values():
        st.reasons[sid] = f"a second actor with id {actor_id!r} in this bundle"
        return
    st.actor_ids[sid] = actor_id


def _actor(obj: _Object, st: _State, out: Parsed) -> None:
    sid = obj.raw["id"]
    s = obj.stix
    parent_id = None
    for rel in st.rels(sid, "related-to"):
        target = rel.raw["target_ref"]
        if rel.raw.get("description") == SUBGROUP_OF and target in st.actor_ids:
            if parent_id is None:
                parent_id = st.actor_ids[target]
                st.used.add(rel.raw["id"])
            else:
                st.reasons[rel.raw["id"]] = f"{sid} is already a sub-group of another actor"
    country = None
    for rel in st.rels(sid, "originates-from"):
        code = _location_country(rel, st)
        if code and country is None:
            country = code
            st.used |= {rel.raw["id"], str(rel.raw["target_ref"])}
    mitre_id = None
    for ref in s.get("external_references") or []:
        ext = ref.get("external_id")
        if ref.get("source_name") == MITRE_SOURCE and isinstance(ext, str) and _MITRE_ID.match(ext):
            mitre_id = ext
            break
    name = str(s["name"])
    actor_id = st.actor_ids[sid]
    out.add(
        "actor",
        {
            "actor_id": actor_id,
            "name": name,
            "parent_id": parent_id,
            "mitre_id": mitre_id,
            "country": country,
            "description": s.get("description") or None,
        },
    )
    aliases = [(str(a), STIX_ALIAS) for a in s.get("aliases") or []] + [(name, STIX_NAME)]
    seen: set[tuple[str, str]] = set()
    for alias, rank in aliases:
        key = alias_key(alias)
        if key and (alias, key) not in seen:
            seen.add((alias, key))
            out.add(
                "actor_alias",
                {"alias": alias.strip(), "alias_key": key, "actor_id": actor_id, "rank": rank},
            )
    st.used.add(sid)


def _location_country(rel: _Object, st: _State) -> str | None:
    """The ISO code of the location ``rel`` points to; an unusable location is left to be
    quarantined, and the relationship with it, each with the reason."""
    loc = st.target(rel)
    if loc is None or loc.type != "location":
        return None
    text = loc.stix.get("country")
    try:
        if not isinstance(text, str) or not text:
            raise ValueError("location has no country")
        return parse_country(text)
    except ValueError as exc:
        st.reasons[loc.raw["id"]] = str(exc)
        st.reasons[rel.raw["id"]] = f"its location {loc.raw['id']} is quarantined: {exc}"
        return None


# -- incidents -------------------------------------------------------------------------------


def _incident(obj: _Object, st: _State, out: Parsed, seen: set[str]) -> None:
    sid = obj.raw["id"]
    try:
        records, used = _records(obj, st)
    except ValueError as exc:
        out.quarantine.append(Quarantined(str(exc), element=sid, raw=_dump(obj.raw)))
        st.rejected.add(sid)
        return
    incident_id = records[0][1]["incident_id"]
    if incident_id in seen:
        reason = f"duplicate incident_id {incident_id!r}"
        out.quarantine.append(Quarantined(reason, element=sid, raw=_dump(obj.raw)))
        st.rejected.add(sid)
        return
    seen.add(incident_id)
    st.used |= used | {sid}
    for table, row in records:
        out.add(table, row)


def _records(obj: _Object, st: _State) -> tuple[list[tuple[str, Row]], set[str]]:
    """All rows of one incident and the ids of the objects they used; ``ValueError``
    quarantines the incident with its reason."""
    raw, s, sid = obj.raw, obj.stix, obj.raw["id"]
    ours = "x_sanctrace_incident_id" in raw
    incident_id = (
        _text(raw.get("x_sanctrace_incident_id"), "x_sanctrace_incident_id") or ""
    ).strip()
    if ours and not incident_id:
        raise ValueError("x_sanctrace_incident_id is empty")
    incident_id = incident_id or sid
    victim = str(s["name"]).strip()
    if not victim:
        raise ValueError("the incident's name (its victim) is empty")
    when = _date(raw, s)
    used: set[str] = set()

    identity_class, country = None, None
    victims = [r for r in st.rels(sid, "targets") if (t := st.target(r)) and t.type == "identity"]
    for n, rel in enumerate(victims):
        if n:
            st.reasons[rel.raw["id"]] = f"{sid} already targets {victims[0].raw['target_ref']}"
            continue
        identity = st.target(rel)
        assert identity is not None
        used |= {rel.raw["id"], identity.raw["id"]}
        identity_class = identity.stix.get("identity_class")
        for loc_rel in st.rels(identity.raw["id"], "located-at"):
            code = _location_country(loc_rel, st)
            if code and country is None:
                country = code
                used |= {loc_rel.raw["id"], str(loc_rel.raw["target_ref"])}

    victim_type = _choice(raw, "x_sanctrace_victim_type", VICTIM_TYPES, None)
    if victim_type is None:
        victim_type = "individual" if identity_class == "individual" else "unknown"
    records: list[tuple[str, Row]] = [
        (
            "incident",
            {
                "incident_id": incident_id,
                "date": when.value,
                "date_precision": when.precision,
                "date_text": when.text,
                "year": when.value.year,
                "victim": victim,
                "victim_type": victim_type,
                "country": country,
                "vector": _choice(raw, "x_sanctrace_vector", VECTORS, "unknown"),
                "asset_class": _choice(raw, "x_sanctrace_asset_class", ASSET_CLASSES, "crypto"),
                "note": s.get("description") or None,
                "line": None,
            },
        )
    ]
    amounts = raw.get("x_sanctrace_amounts")
    if amounts is None:
        amounts = [] if ours else [{"kind": "stolen"}]
    for item in _list(amounts, "x_sanctrace_amounts"):
        records.append(("amount", {"incident_id": incident_id, **_amount(item)}))
    records += [("citation", {"incident_id": incident_id, **c}) for c in _citations(raw, s, ours)]
    for item in _list(
        raw.get("x_sanctrace_unresolved_attributions"), "x_sanctrace_unresolved_attributions"
    ):
        if not isinstance(item, dict):
            raise ValueError("x_sanctrace_unresolved_attributions holds a non-object")
        records.append(
            (
                "attribution",
                _attribution(
                    incident_id,
                    _text(item.get("actor_text"), "actor_text") or "",
                    parse_choice(
                        _text(item.get("confidence"), "confidence") or "",
                        "confidence",
                        frozenset(CONFIDENCE),
                        "low",
                    ),
                    _text(item.get("citation"), "citation"),
                ),
            )
        )
    for rel in st.rels(sid, "attributed-to"):
        row = _attributed_to(rel, incident_id, st)
        if row is not None:
            records.append(("attribution", row))
            used.add(rel.raw["id"])
    return records, used


def _date(raw: dict[str, Any], s: Mapping[str, Any]) -> FuzzyDate:
    text = _text(raw.get("x_sanctrace_date"), "x_sanctrace_date")
    if text is not None:
        return parse_date(text)
    for prop in ("first_seen", "created"):
        value = raw.get(prop)
        if isinstance(value, str) and _ISO_DAY.match(value):
            return parse_date(value[:10])
    raise ValueError("no date: the incident has neither x_sanctrace_date, first_seen nor created")


def _choice(
    raw: dict[str, Any], prop: str, allowed: Iterable[str], default: str | None
) -> str | None:
    """A vocabulary value from a custom property; ``default`` when the property is absent."""
    text = _text(raw.get(prop), prop)
    if text is None:
        return default
    return parse_choice(text, prop, frozenset(allowed), default or "unknown")


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} is not a list")
    return value


def _amount(item: Any) -> Row:
    """One amount, checked as the CSV adapter checks it: the USD text as reported decides,
    and a number that disagrees with it is an error, not a choice."""
    if not isinstance(item, dict):
        raise ValueError("x_sanctrace_amounts holds a non-object")
    kind = item.get("kind")
    if kind not in AMOUNT_KINDS:
        raise ValueError(f"amount kind {kind!r} is not one of {', '.join(AMOUNT_KINDS)}")
    usd_text = _text(item.get("usd_text"), "usd_text")
    number = item.get("amount_usd")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        raise ValueError(f"amount_usd {number!r} is not a whole number of dollars")
    if usd_text is not None:
        usd = parse_usd(usd_text)
        if number is not None and usd.value != number:
            raise ValueError(f"amount_usd {number} disagrees with usd_text {usd_text!r}")
    elif number is not None:
        usd = ReportedUsd(number, "reported", "")
    else:
        usd = parse_usd("")
    if usd.value is not None and not 0 <= usd.value <= USD_MAX:
        raise ValueError(f"amount_usd {usd.value} is out of range")
    native = item.get("amount_native")
    if native is not None and (isinstance(native, bool) or not isinstance(native, str | int)):
        raise ValueError("amount_native is not a decimal string")
    value: Decimal | None = parse_native(str(native)) if native is not None else None
    return {
        "kind": kind,
        "asset": _text(item.get("asset"), "asset") or None,
        "amount_native": value,
        "amount_usd": usd.value,
        "usd_text": usd.text or None,
        "status": usd.status,
        "citation": _text(item.get("citation"), "citation"),
    }


def _citations(raw: dict[str, Any], s: Mapping[str, Any], ours: bool) -> list[Row]:
    items = raw.get("x_sanctrace_citations")
    if items is None and not ours:
        # another tool's incident: its external references are the incident's sources
        return [
            {
                "field": "incident",
                "document": ref.get("url") or ref["source_name"],
                "locator": ref.get("description") or None,
            }
            for ref in s.get("external_references") or []
        ]
    rows = []
    for item in _list(items, "x_sanctrace_citations"):
        if not isinstance(item, dict):
            raise ValueError("x_sanctrace_citations holds a non-object")
        cited = item.get("field")
        if cited not in CITED_FIELDS:
            raise ValueError(
                f"citation field {cited!r} is not one of {', '.join(sorted(CITED_FIELDS))}"
            )
        document = _text(item.get("document"), "document")
        if not document:
            raise ValueError("a citation has no document")
        rows.append(
            {"field": cited, "document": document, "locator": _text(item.get("locator"), "locator")}
        )
    return rows


def _attribution(incident_id: str, actor_text: str, confidence: str, citation: str | None) -> Row:
    key = alias_key(actor_text)
    if not key:
        raise ValueError(f"actor {actor_text!r} has no letters or digits")
    return {
        "incident_id": incident_id,
        "actor_text": actor_text,
        "actor_key": key,
        "confidence": confidence,
        "citation": citation,
    }


def _attributed_to(rel: _Object, incident_id: str, st: _State) -> Row | None:
    """An attribution from an ``attributed-to`` relationship, or None (the relationship is
    then quarantined with the reason)."""
    rid = rel.raw["id"]
    target = st.target(rel)
    try:
        actor_text = _text(rel.raw.get("x_sanctrace_actor_text"), "x_sanctrace_actor_text")
        citation = _text(rel.raw.get("x_sanctrace_citation"), "x_sanctrace_citation")
    except ValueError as exc:
        st.reasons[rid] = str(exc)
        return None
    if not actor_text and target is not None:
        actor_text = str(target.stix.get("name") or "")
    if not actor_text:
        st.reasons[rid] = "attributed to an object that is not in the bundle or has no name"
        return None
    if citation is None and "x_sanctrace_citation" not in rel.raw:
        cited = [
            (ref.get("url") or ref["source_name"])
            + (f" @ {ref['description']}" if ref.get("description") else "")
            for ref in rel.stix.get("external_references") or []
        ]
        citation = " ; ".join(cited) or None
    score = rel.stix.get("confidence")
    confidence = confidence_level(score) if isinstance(score, int) else "low"
    try:
        row = _attribution(incident_id, actor_text, confidence, citation)
    except ValueError as exc:
        st.reasons[rid] = str(exc)
        return None
    return row


# -- what is left ----------------------------------------------------------------------------

_UNUSED = {
    "identity": "not the victim of any imported incident",
    "location": "no imported victim or actor is located here",
    "intrusion-set": "not imported",
    "threat-actor": "not imported",
    "incident": "not imported",
}


def _leftovers(st: _State, out: Parsed) -> None:
    """Quarantine every object that no row came from, saying why."""
    for sid, obj in st.objects.items():
        if sid in st.used or sid in st.rejected:
            continue
        reason = st.reasons.get(sid)
        if obj.type == "relationship":
            ends = [str(obj.raw["source_ref"]), str(obj.raw["target_ref"])]
            missing = [e for e in ends if e not in st.objects]
            rejected = [e for e in ends if e in st.rejected]
            if rejected:
                reason = f"refers to {rejected[0]}, which was quarantined"
            elif reason is not None:
                pass
            elif missing:
                reason = f"refers to {missing[0]}, which is not in the bundle"
            else:
                source, target = (st.objects[e].type for e in ends)
                reason = (
                    f"relationship {obj.raw['relationship_type']!r} from {source} to "
                    f"{target} is not imported"
                )
        if reason is None:
            reason = _UNUSED.get(
                obj.type,
                f"{obj.type} objects are not imported (sanctrace reads incidents, intrusion "
                "sets, threat actors, identities, locations and their relationships)",
            )
        out.quarantine.append(Quarantined(reason, element=sid, raw=_dump(obj.raw)))
