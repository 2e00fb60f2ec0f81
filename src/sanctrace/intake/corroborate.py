"""How a claim stands against what the registry already holds: it corroborates a figure, it
conflicts with one, or it names a registry incident.

A claim is compared only where its sentence pins down what it is about, because a figure
compared with the wrong record is worse than none:

- an amount in USD, with exactly one registry victim named in its sentence (and, when the
  sentence gives a year, an incident of that victim in that year), against that incident's
  stolen and attempted amounts; with no victim, against the independent yearly estimates
  of a year the sentence names (agreement only: a yearly total is not one theft);
- a count of cases against the case tallies' totals, and a count of countries in the same
  sentence against their country counts;
- a named actor, with one registry incident in its sentence, against that incident's
  attribution (the same actor, or one above or below it in the hierarchy, corroborates);
- a registry victim: the incidents it names;
- a cap on refined petroleum or crude oil, in barrels or tonnes, against the caps loaded
  (resolution 2397's, by default).

Figures agree within the claim's own rounding: "$571 million" stands for anything from
570.5 to 571.5 million, so the tolerance is half a unit of the last non-zero digit of the
value as read. A bound is respected: "at least 35 cases" agrees with any tally of 35 or more
and conflicts with one below.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sanctrace.incidents.actors import Actor, actors
from sanctrace.incidents.registry import Incident, list_incidents
from sanctrace.intake.store import StoredClaim
from sanctrace.workspace import Workspace

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


@dataclass
class Registry:
    """What claims are compared with, read once for a batch of claims."""

    incidents: list[Incident]
    actors: dict[str, Actor]
    tallies: list[dict[str, Any]]
    estimates: list[dict[str, Any]]
    caps: list[dict[str, Any]]

    @classmethod
    def read(cls, ws: Workspace) -> Registry:
        return cls(
            incidents=list_incidents(ws),
            actors=actors(ws),
            tallies=ws.table("case_tally").to_pyarrow().to_pylist(),
            estimates=ws.table("estimate").to_pyarrow().to_pylist(),
            caps=ws.table("cap").to_pyarrow().to_pylist(),
        )

    def victim_incidents(self, victim: str, years: set[int]) -> list[Incident]:
        key = victim.casefold()
        found = [i for i in self.incidents if i.victim.casefold() == key]
        if years:
            found = [i for i in found if int(i.date[:4]) in years]
        return found

    def lineage(self, name: str) -> set[str]:
        """``name``'s actor and every actor above it, as lower-case names."""
        for a in self.actors.values():
            if a.name.casefold() == name.casefold():
                return {n.casefold() for n in a.lineage}
        return {name.casefold()}


def tolerance(value: Decimal) -> Decimal:
    """Half a unit of the last non-zero digit: the rounding a written figure implies."""
    if value == 0:
        return Decimal(0)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite decimals only reach here
    return Decimal(5) * Decimal(10) ** (exponent - 1)


def agrees(claimed: Decimal, bound: str | None, registry: Decimal) -> bool:
    """Whether a registry figure is consistent with the claimed one and its bound."""
    if bound == "at_least":
        return registry >= claimed - tolerance(claimed)
    if bound == "at_most":
        return registry <= claimed + tolerance(claimed)
    return abs(registry - claimed) <= tolerance(claimed)


def link_claims(ws: Workspace, claims: list[StoredClaim]) -> dict[str, list[dict[str, Any]]]:
    """Links per claim id (only claims that have any)."""
    if not claims:
        return {}
    reg = Registry.read(ws)
    by_sentence: dict[tuple[str, tuple[int, int]], list[StoredClaim]] = defaultdict(list)
    for c in claims:
        by_sentence[(c.source_id, c.sentence_span)].append(c)
    out: dict[str, list[dict[str, Any]]] = {}
    for group in by_sentence.values():
        for claim, found in sentence_links(reg, group).items():
            if found:
                out[claim] = found
    return out


def with_links(ws: Workspace, claims: list[StoredClaim]) -> list[StoredClaim]:
    """The claims with their links filled in (what the CLI, the API and the report show)."""
    links = link_claims(ws, claims)
    for c in claims:
        c.links[:] = links.get(c.claim_id, [])
    return claims


def sentence_links(reg: Registry, group: list[StoredClaim]) -> dict[str, list[dict[str, Any]]]:
    """Links for the claims of one sentence."""
    years = {int(y) for c in group if c.type in ("date", "period") for y in _YEAR.findall(c.value)}
    victims = sorted({c.value for c in group if c.rule == "victim.registry"})
    incidents = reg.victim_incidents(victims[0], years) if len(victims) == 1 else []
    out: dict[str, list[dict[str, Any]]] = {}
    for c in group:
        found: list[dict[str, Any]] = []
        if c.type == "victim" and c.rule == "victim.registry":
            found = [_link("mentions", "incident", i.incident_id, i.victim) for i in incidents]
        elif c.type == "money" and c.unit == "USD" and c.number is not None:
            found = _money(reg, c, c.number, incidents, years, len(victims))
        elif c.type == "count" and c.number is not None and c.unit in ("cases", "countries"):
            found = _count(reg, c, c.number, group)
        elif c.type == "actor" and c.rule.startswith("actor.alias") and len(incidents) == 1:
            found = [_actor(reg, c, incidents[0])]
        elif c.type == "cap" and c.number is not None:
            found = _cap(reg, c, c.number)
        out[c.claim_id] = found
    return out


def _link(relation: str, table: str, key: str, registry: Any, detail: str = "") -> dict[str, Any]:
    return {
        "relation": relation,
        "table": table,
        "key": key,
        "registry": registry,
        "detail": detail,
    }


def _money(
    reg: Registry,
    c: StoredClaim,
    value: Decimal,
    incidents: list[Incident],
    years: set[int],
    victims: int,
) -> list[dict[str, Any]]:
    bound = c.attrs.get("bound")
    if incidents:
        out = []
        for i in incidents:
            figures = [
                ("stolen", v) for v in (i.stolen_usd_low, i.stolen_usd, i.stolen_usd_high) if v
            ] + ([("attempted", i.attempted_usd)] if i.attempted_usd else [])
            if not figures:
                continue
            hit = next((f for f in figures if agrees(value, bound, Decimal(f[1]))), None)
            if hit is not None:
                out.append(_link("corroborates", "amount", i.incident_id, hit[1], hit[0]))
            else:
                central = i.stolen_usd or i.attempted_usd
                detail = f"registry has {central:,} USD"
                out.append(_link("conflicts", "amount", i.incident_id, central, detail))
        return out
    if victims or not years:
        return []
    return [
        _link("corroborates", "estimate", f"{e['year']} {e['estimator']}", e["value_usd"])
        for e in reg.estimates
        if e["year"] in years and agrees(value, bound, Decimal(e["value_usd"]))
    ]


def _count(
    reg: Registry, c: StoredClaim, value: Decimal, group: list[StoredClaim]
) -> list[dict[str, Any]]:
    column = str(c.unit)
    if column == "countries" and not any(g.type == "count" and g.unit == "cases" for g in group):
        return []  # "25 locations" alone is not the tally's country count
    totals = [t for t in reg.tallies if t["country"] is None and t[column] is not None]
    bound = c.attrs.get("bound")
    out = []
    for t in totals:
        relation = "corroborates" if agrees(value, bound, Decimal(t[column])) else "conflicts"
        out.append(_link(relation, "case_tally", t["report"], t[column], str(column)))
    return out


def _actor(reg: Registry, c: StoredClaim, incident: Incident) -> dict[str, Any]:
    claimed = c.value.casefold()
    for name in incident.actors:
        # the same actor, or one above or below it; two siblings under the RGB do not agree
        if claimed in reg.lineage(name) or name.casefold() in reg.lineage(c.value):
            return _link("corroborates", "attribution", incident.incident_id, name)
    registry = ", ".join(incident.actors) or None
    detail = f"registry attributes it to {registry}" if registry else "no attribution yet"
    return _link("conflicts" if registry else "mentions", "attribution", incident.incident_id,
                 registry, detail)  # fmt: skip


CAP_COMMODITY: Final[dict[str, str]] = {
    "refined petroleum products": "refined",
    "crude oil": "crude",
}
"""What the intake calls a commodity -> the cap ledger's name for it."""
CAP_UNIT: Final[dict[str, str]] = {"barrel": "barrels", "tonne": "tonnes"}


def _cap(reg: Registry, c: StoredClaim, value: Decimal) -> list[dict[str, Any]]:
    commodity = CAP_COMMODITY.get(c.attrs.get("commodity", ""))
    unit = CAP_UNIT.get(c.unit or "")
    out = []
    for cap in reg.caps:
        if (cap["commodity"], cap["unit"]) != (commodity, unit):
            continue
        limit = Decimal(cap["limit"])
        relation = "corroborates" if agrees(value, None, limit) else "conflicts"
        key = f"{cap['commodity']} {cap['unit']} from {cap['valid_from']}"
        out.append(_link(relation, "cap", key, int(limit) if limit == int(limit) else str(limit)))
    return out
