"""Exposure (KYT): how much of an address's coins came from, or went to, each kind of service,
directly or through intermediaries, weighted by how sure the tags are.

Built on the taint engine with the haircut model (the usual choice for exposure: every
coin's history shares the blame pro rata):

- outbound: the coins the address received, traced forward to the first services;
- inbound: the coins the address received, traced backward to the services they came from.

Direct exposure is what one hop reaches (a trace with ``max_hops=1``), indirect what the
remaining hops add (a trace with ``max_hops``); both are exact integers in native units. The
address's own cluster never counts as a counterparty. Each category also gets a weighted
amount: the amount times the tag's confidence level (0-100, GraphSense's scale; a tag
without one counts 50).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sanctrace.chain import taint, views
from sanctrace.chain.attribution import Attribution
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

UNKNOWN_CONFIDENCE = 50
"""Weight of a tag that states no confidence."""


@dataclass
class CategoryExposure:
    amount: int = 0
    weighted: int = 0
    counterparties: dict[str, int] = field(default_factory=dict)  # label -> amount


@dataclass(frozen=True)
class Side:
    """One direction's exposure by category, direct and indirect."""

    total: int  # what the address received: the base of every share
    direct: dict[str, CategoryExposure]
    indirect: dict[str, CategoryExposure]
    paths: tuple[tuple[str, str, tuple[str, ...], int], ...]  # (category, label, txs, amount)


@dataclass(frozen=True)
class Exposure:
    address: str
    chain: str
    cluster: str
    hops: int
    inbound: Side
    outbound: Side


def _by_category(
    result: taint.Trace, services: Attribution, exclude: set[str]
) -> dict[str, CategoryExposure]:
    out: dict[str, CategoryExposure] = defaultdict(CategoryExposure)
    for e in result.exits:
        service = services.service(e.address)
        if service is None or services.cluster(e.address) in exclude:
            continue
        row = out[service.category]
        row.amount += e.amount
        level = service.confidence if service.confidence is not None else UNKNOWN_CONFIDENCE
        row.weighted += e.amount * level // 100
        row.counterparties[service.label] = row.counterparties.get(service.label, 0) + e.amount
    return dict(out)


def _minus(
    total: dict[str, CategoryExposure], direct: dict[str, CategoryExposure]
) -> dict[str, CategoryExposure]:
    out: dict[str, CategoryExposure] = {}
    for category, row in total.items():
        near = direct.get(category, CategoryExposure())
        rest = CategoryExposure(row.amount - near.amount, row.weighted - near.weighted)
        for label, amount in row.counterparties.items():
            left = amount - near.counterparties.get(label, 0)
            if left:
                rest.counterparties[label] = left
        if rest.amount:
            out[category] = rest
    return out


def exposure(ws: Workspace, address: str, *, chain: str = "btc", hops: int = 5) -> Exposure:
    """Inbound and outbound exposure of ``address`` (see the module docstring)."""
    if hops < 1:
        raise InputError("hops", f"{hops}: give at least 1")
    view = views.utxo(ws, chain)
    graph, services = view.graph, view.services
    seeds = graph.paying(address)
    if not seeds:
        raise InputError(address, f"no {chain} output pays this address in the workspace")
    own = services.cluster(address)

    def stop(a: str) -> str | None:
        return None if services.cluster(a) == own else services.label(a)

    def side(direction: taint.Direction) -> Side:
        near = taint.trace(
            graph, seeds, "haircut", direction=direction, max_hops=1, is_exit=stop
        )
        far = taint.trace(
            graph, seeds, "haircut", direction=direction, max_hops=hops, is_exit=stop
        )
        direct = _by_category(near, services, {own})
        total = _by_category(far, services, {own})
        paths = tuple(
            (svc.category, svc.label, p.tx_hashes, p.amount)
            for e in far.exits
            if (svc := services.service(e.address)) is not None
            for p in e.paths[:1]
        )
        return Side(far.seed_amount, direct, _minus(total, direct), paths)

    return Exposure(address, chain, own, hops, side("backward"), side("forward"))


def to_json(x: Exposure) -> dict[str, Any]:
    """The CLI's and the API's JSON: amounts as integer strings, shares of what the address
    received."""

    def rows(found: dict[str, CategoryExposure], total: int) -> dict[str, Any]:
        return {
            category: {
                "amount": str(row.amount),
                "weighted": str(row.weighted),
                "share": round(row.amount / total, 6) if total else 0.0,
                "counterparties": {k: str(v) for k, v in sorted(row.counterparties.items())},
            }
            for category, row in sorted(found.items())
        }

    def side(s: Side) -> dict[str, Any]:
        return {
            "received": str(s.total),
            "direct": rows(s.direct, s.total),
            "indirect": rows(s.indirect, s.total),
            "paths": [
                {"category": c, "label": label, "tx_hashes": list(txs), "amount": str(amount)}
                for c, label, txs, amount in s.paths
            ],
        }

    return {
        "address": x.address,
        "chain": x.chain,
        "cluster": x.cluster,
        "hops": x.hops,
        "inbound": side(x.inbound),
        "outbound": side(x.outbound),
    }
