"""Proceeds and case counts grouped by year, country, actor, vector or victim type.

Every figure is a range (low, central, high) with its method named and the incidents behind
it listed. The central figure is always the registry's own sum of reported amounts, so it can
be traced row by row. By year, the low and high also take in the independent yearly totals
(Chainalysis, TRM Labs, ...): those estimate crypto theft, so they are compared with the
registry's crypto incidents only, and the year's non-crypto thefts are added to each side.
By country, each group carries the case counts that reports give for it (the UN Panel's
S/2019/691 breakdown), with a group for every country a report counts even where the registry
holds no incident; the total carries each report's own total ("35 cases in 17 countries").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from sanctrace.errors import InputError
from sanctrace.incidents.actors import actors
from sanctrace.incidents.registry import attributions, incident_view
from sanctrace.workspace import Workspace

GROUP_KEYS: Final[tuple[str, ...]] = ("year", "country", "actor", "vector", "victim-type")
_COLUMN = {"year": "year", "country": "country", "vector": "vector", "victim-type": "victim_type"}
UNKNOWN = "unknown"


@dataclass
class Range:
    low: int
    central: int
    high: int


@dataclass
class Estimate:
    estimator: str
    value_usd: int
    citation: str | None


@dataclass
class Group:
    key: str | int
    cases: int
    countries: int
    stolen_usd: Range
    method: str
    incident_ids: list[str]
    registry_usd: int  # sum of the registry's own central amounts
    unknown_amount_cases: int  # incidents whose stolen amount is unknown or malformed
    estimates: list[Estimate] = field(default_factory=list)
    reported_cases: list[dict[str, Any]] = field(default_factory=list)  # case tallies


@dataclass
class Summary:
    by: str
    date_from: str | None
    date_to: str | None
    groups: list[Group]
    total: Group


def summarize(
    ws: Workspace, by: str, date_from: date | None = None, date_to: date | None = None
) -> Summary:
    """Group the registry by ``by`` (one of ``GROUP_KEYS``)."""
    if by not in GROUP_KEYS:
        raise InputError("--by", f"{by!r} is not one of {', '.join(GROUP_KEYS)}")
    view = incident_view(ws, date_from, date_to)
    if by == "actor":
        att = attributions(ws)
        names = {a.actor_id: a.name for a in actors(ws).values()}
        view = view.left_join(
            att.select("incident_id", "actor_id", "actor_text"), "incident_id"
        ).drop("incident_id_right")
        rows = view.to_pyarrow().to_pylist()
        for r in rows:
            r["_key"] = names.get(r["actor_id"]) or r["actor_text"] or "unattributed"
    else:
        rows = view.to_pyarrow().to_pylist()
        for r in rows:
            r["_key"] = r[_COLUMN[by]] if r[_COLUMN[by]] is not None else UNKNOWN
    estimates = _estimates(ws) if by == "year" else {}
    tallies, report_totals = _tallies(ws) if by == "country" else ({}, [])
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["_key"], []).append(r)
    groups = [
        _group(key, members, estimates.get(key, []) if by == "year" else None, tallies.get(key, []))
        for key, members in grouped.items()
    ]
    have = {g.key for g in groups}
    # years with an estimate but no incident still belong in a by-year summary
    if by == "year":
        lo = date_from.year if date_from else None
        hi = date_to.year if date_to else None
        for year, ests in sorted(estimates.items()):
            if year not in have and (lo is None or year >= lo) and (hi is None or year <= hi):
                groups.append(_group(year, [], ests, []))
    # and countries where a report counts cases that the registry does not (yet) hold
    for country, country_tallies in sorted(tallies.items()):
        if country not in have:
            groups.append(_group(country, [], None, country_tallies))
    groups.sort(key=lambda g: _sort_key(by, g))
    total = _total(by, groups, rows)
    total.reported_cases = report_totals
    return Summary(
        by,
        date_from.isoformat() if date_from else None,
        date_to.isoformat() if date_to else None,
        groups,
        total,
    )


def _sort_key(by: str, g: Group) -> tuple[Any, ...]:
    """Years in order; anything else by proceeds, largest first."""
    if by == "year":
        return (int(g.key),)
    return (-g.registry_usd, str(g.key))


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per incident (an incident attributed to two actors appears twice in a join)."""
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r["incident_id"], r)
    return list(seen.values())


def _group(
    key: Any,
    rows: list[dict[str, Any]],
    estimates: list[Estimate] | None,
    tallies: list[dict[str, Any]],
) -> Group:
    rows = _unique(rows)
    central = sum(r["stolen_central"] or 0 for r in rows)
    low = sum(r["stolen_low"] or 0 for r in rows)
    high = sum(r["stolen_high"] or 0 for r in rows)
    unknown = sum(1 for r in rows if r["stolen_central"] is None)
    ids = sorted(r["incident_id"] for r in rows)
    countries = len({r["country"] for r in rows if r["country"]})
    method = (
        f"central: sum of the registry's reported stolen USD over {len(rows) - unknown} "
        f"incidents ({unknown} with unknown or malformed amounts left out, not guessed); "
        "low/high: lowest and highest amount any source reports per incident, summed"
    )
    if estimates:
        crypto = [r for r in rows if r["asset_class"] == "crypto"]
        other_low = low - sum(r["stolen_low"] or 0 for r in crypto)
        other_high = high - sum(r["stolen_high"] or 0 for r in crypto)
        crypto_low = sum(r["stolen_low"] or 0 for r in crypto)
        crypto_high = sum(r["stolen_high"] or 0 for r in crypto)
        values = [e.value_usd for e in estimates]
        low = other_low + min([crypto_low, *values])
        high = other_high + max([crypto_high, *values])
        method += (
            "; by year, low/high also span the independent crypto-theft totals of "
            + ", ".join(e.estimator for e in estimates)
            + " against the registry's crypto incidents, with the year's non-crypto "
            "thefts added to both ends"
        )
    return Group(
        key=key,
        cases=len(rows),
        countries=countries,
        stolen_usd=Range(low, central, high),
        method=method,
        incident_ids=ids,
        registry_usd=central,
        unknown_amount_cases=unknown,
        estimates=estimates or [],
        reported_cases=tallies,
    )


def _total(by: str, groups: list[Group], rows: list[dict[str, Any]]) -> Group:
    """All incidents once. By year the low and high add up year by year, so that each year's
    independent estimates count; otherwise they come from the incidents themselves (an
    incident in two actor groups is counted once)."""
    total = _group("total", rows, None, [])
    if by == "year":
        total.stolen_usd = Range(
            sum(g.stolen_usd.low for g in groups),
            total.stolen_usd.central,
            sum(g.stolen_usd.high for g in groups),
        )
        total.method = (
            "central: the registry's sum; low/high: the sum of each year's low and "
            "high, which take in the independent yearly totals"
        )
    return total


def _estimates(ws: Workspace) -> dict[int, list[Estimate]]:
    out: dict[int, list[Estimate]] = {}
    est = ws.table("estimate").order_by(["year", "estimator", "source_id"])
    for r in est.to_pyarrow().to_pylist():
        year_list = out.setdefault(r["year"], [])
        if all(e.estimator != r["estimator"] for e in year_list):
            year_list.append(Estimate(r["estimator"], r["value_usd"], r["citation"]))
    return out


def _tallies(ws: Workspace) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Reported case counts by country, and each report's own totals (its empty-country
    rows: "35 cases in 17 countries"), which belong to the summary's total."""
    by_country: dict[str, list[dict[str, Any]]] = {}
    totals: list[dict[str, Any]] = []
    t = ws.table("case_tally")
    for r in t.order_by(["report", "country", "source_id"]).to_pyarrow().to_pylist():
        if r["country"] is None:
            totals.append(
                {
                    "report": r["report"],
                    "cases": r["cases"],
                    "countries": r["countries"],
                    "citation": r["citation"],
                }
            )
        else:
            by_country.setdefault(r["country"], []).append(
                {"report": r["report"], "cases": r["cases"], "citation": r["citation"]}
            )
    return by_country, totals
