"""Threat actors: one record per actor id across every source that describes it, aliases
resolved to the actor that claims them with the lowest rank (curated < ATT&CK < MISP)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis

from sanctrace.sources.values import alias_key
from sanctrace.workspace import Workspace


@dataclass
class Actor:
    actor_id: str
    name: str
    parent_id: str | None
    mitre_id: str | None
    country: str | None
    description: str | None
    aliases: list[str] = field(default_factory=list)
    lineage: list[str] = field(default_factory=list)  # names from the top of the hierarchy


def alias_resolution(ws: Workspace) -> ibis.Table:
    """``alias_key -> actor_id``: for each key, the actor with the lowest rank (ties: the
    smallest id, so the answer is the same on every backend)."""
    alias = ws.table("actor_alias")
    best = alias.group_by("alias_key").agg(best_rank=alias["rank"].min())
    ranked = alias.join(best, [alias.alias_key == best.alias_key, alias["rank"] == best.best_rank])
    return ranked.group_by(alias.alias_key).agg(actor_id=ranked.actor_id.min())


def actors(ws: Workspace) -> dict[str, Actor]:
    """Every actor by id. Small table: collapsed in Python, preferring the curated values."""
    rows = ws.table("actor").order_by(["actor_id", "source_id"]).to_pyarrow().to_pylist()
    resolution = {
        r["alias_key"]: r["actor_id"] for r in alias_resolution(ws).to_pyarrow().to_pylist()
    }
    alias_rows = ws.table("actor_alias").order_by(["rank", "alias"]).to_pyarrow().to_pylist()
    out: dict[str, Actor] = {}
    for r in rows:
        a = out.setdefault(r["actor_id"], Actor(r["actor_id"], r["name"], None, None, None, None))
        # rows come curated first ("actors:" sorts before "attack:"): first value wins
        a.parent_id = a.parent_id or r["parent_id"]
        a.mitre_id = a.mitre_id or r["mitre_id"]
        a.country = a.country or r["country"]
        a.description = a.description or r["description"]
    for r in alias_rows:
        a2 = out.get(r["actor_id"])
        # an alias is listed under the actor it resolves to, once
        if (
            a2
            and resolution.get(r["alias_key"]) == a2.actor_id
            and r["alias"] not in a2.aliases
            and r["alias"] != a2.name
        ):
            a2.aliases.append(r["alias"])
    for a in out.values():
        chain: list[str] = []
        seen: set[str] = set()
        cur: Actor | None = a
        while cur is not None and cur.actor_id not in seen:
            seen.add(cur.actor_id)
            chain.append(cur.name)
            cur = out.get(cur.parent_id) if cur.parent_id else None
        a.lineage = list(reversed(chain))
    return out


def resolve_actor(ws: Workspace, name: str) -> Actor | None:
    """The actor that ``name`` (any alias, any case or spelling of punctuation) stands for."""
    key = alias_key(name)
    res = alias_resolution(ws)
    hit = res.filter(res.alias_key == key).to_pyarrow().to_pylist()
    if not hit:
        return None
    return actors(ws).get(hit[0]["actor_id"])
