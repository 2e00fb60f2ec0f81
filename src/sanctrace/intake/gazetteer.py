"""The names the extractor recognises: actors with their aliases and known victims, read from
the project's bundled registry data through the same adapters that load a workspace.

Reading through the adapters keeps one parser per format and one alias rule: an alias
resolves to the actor that claims it with the lowest rank (the curated hierarchy before
MITRE ATT&CK before MISP), exactly as ``incidents.actors.alias_resolution`` does in the
workspace, so the intake names the same actor the registry will.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from sanctrace.sources.values import alias_key

# rows of the incident registry that are not a victim's name
_NOT_A_VICTIM = re.compile(
    r"\d|\b(?:theft|from|key|admin|jobs|incidents?|founder|receiver|attempt|lp|developer)\b",
    re.IGNORECASE,
)
_INSTITUTIONAL: Final[set[str]] = {
    "exchange",
    "bank",
    "company",
    "defi_protocol",
    "bridge",
    "wallet_provider",
    "payment_processor",
    "gambling",
}


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """``actors``: alias as written -> canonical actor name; ``curated``: alias keys that an
    analyst listed (trusted even when short, like "RGB"); ``victims``: a victim's name or
    alias (case-folded) -> (registry name, victim type). Hashed by identity, so the regexes
    built from one gazetteer are cached with it."""

    actors: dict[str, str]
    curated: frozenset[str]
    victims: dict[str, tuple[str, str]]


def build(
    actor_rows: list[dict[str, Any]],
    alias_rows: list[dict[str, Any]],
    incident_rows: list[dict[str, Any]],
) -> Gazetteer:
    """A gazetteer from the rows the ``actors``/``attack`` and ``incidents`` adapters make
    (or the same rows read back from a workspace)."""
    names: dict[str, str] = {}
    for r in actor_rows:
        names.setdefault(r["actor_id"], r["name"])
    best: dict[str, tuple[int, str]] = {}
    for r in alias_rows:
        key, cand = r["alias_key"], (int(r["rank"]), r["actor_id"])
        if key not in best or cand < best[key]:
            best[key] = cand
    actors: dict[str, str] = {}
    curated: set[str] = set()
    for r in alias_rows:
        alias, key = r["alias"].strip(), r["alias_key"]
        if int(r["rank"]) == 0:
            curated.add(key)
        actor_id = best[key][1]
        if alias and actor_id in names:
            actors.setdefault(alias, names[actor_id])
    for name in names.values():
        actors.setdefault(name, name)
    victims: dict[str, tuple[str, str]] = {}
    for r in incident_rows:
        victim, vtype = (r.get("victim") or "").strip(), r.get("victim_type") or ""
        if (
            not victim
            or vtype == "individual"
            or r.get("vector") in {"ransomware", "cryptojacking"}
        ):
            continue
        if not vtype and _NOT_A_VICTIM.search(victim):
            continue
        for variant in _variants(victim):
            victims.setdefault(variant.casefold(), (victim, vtype or "unknown"))
    return Gazetteer(actors, frozenset(curated), victims)


def _variants(name: str) -> list[str]:
    """Each name a registry row gives: "Youbit aka Yapizon aka Coinbin" gives three,
    "Bitcoin Norway (AlphaPoint)" and "HTX / Heco" two each."""
    parts = re.split(r"\s+aka\s+|\s*/\s*|\s*\+\s*", name)
    out: list[str] = []
    for part in parts:
        inner = re.findall(r"\(([^)]*)\)", part)
        outer = re.sub(r"\s*\([^)]*\)", "", part).strip()
        for v in [outer, *inner]:
            v = v.strip()
            if len(alias_key(v)) >= 3:
                out.append(v)
    return out


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled data (parsed once per process: about two seconds)."""
    from sanctrace.data import bundled
    from sanctrace.sources.actors_csv import ActorsCsv
    from sanctrace.sources.incidents_csv import IncidentsCsv
    from sanctrace.sources.misp_galaxy import MispGalaxy

    actor_rows: list[dict[str, Any]] = []
    alias_rows: list[dict[str, Any]] = []
    # curated first: its names win where an actor id appears in several files
    for adapter, rel in (
        (ActorsCsv(), "incidents/actors.csv"),
        (MispGalaxy(), "attack/dprk_groups_subset.json"),
        (MispGalaxy(), "attack/threat_actors_kp.json"),
    ):
        parsed = adapter.parse(bundled(rel))
        actor_rows += parsed.rows.get("actor", [])
        alias_rows += parsed.rows.get("actor_alias", [])
    incidents = IncidentsCsv().parse(bundled("incidents/registry.csv"))
    return build(actor_rows, alias_rows, incidents.rows.get("incident", []))
