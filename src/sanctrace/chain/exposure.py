"""Exposure (KYT): how much of an address's coins came from, or went to, each kind of service,
directly or through intermediaries, weighted by how sure the tags are.

Haircut (the usual choice for exposure: every coin's history shares the blame pro rata),
each coin the address received taken on its own:

- inbound: the coins the address received, traced backward to the services they came from;
- outbound: the coins the address received, traced forward to the first services.

Direct exposure is what one hop reaches (a coin's own transaction), indirect what paths of
up to ``hops`` transactions add. The answer comes from ``exposure_index`` (shares of every
transaction precomputed once per load, so a look-up takes milliseconds). Services stop the
trace; an address inside a service's cluster (an exchange's deposit address) does not count
its own service as a counterparty, and its trace does not pass through that service's other
addresses either: what went in and out of an exchange's pooled wallets is the exchange's,
not this address's. Amounts are integers in native units. Each category also gets a
weighted amount: the amount times the tag's confidence level (0-100, GraphSense's scale; a
tag without one counts 50).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctrace.chain import exposure_index, taint, views
from sanctrace.chain.store import Steps, Store, ranges
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
    whole_cluster: bool = False
    """The cluster's exposure (coins it received from others), not the address's alone."""


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


def exposure(
    ws: Workspace,
    address: str,
    *,
    chain: str = "btc",
    hops: int = exposure_index.HOPS,
    whole_cluster: bool = False,
    steps: Steps | None = None,
) -> Exposure:
    """Inbound and outbound exposure of ``address`` (see the module docstring), or with
    ``whole_cluster`` of its cluster: then the coins counted are those paid to any address of
    the cluster by transactions that spend none of the cluster's coins (what it received from
    others; its change is followed by the traces, not counted again). ``steps`` is told what
    is being built when the chain's store or exposure index must be."""
    if hops < 1:
        raise InputError("hops", f"{hops}: give at least 1")
    view = views.utxo(ws, chain, steps)
    aid = view.store.address_id(address)
    outputs = _paid(view.store, aid)
    if aid is None or not len(outputs):
        raise InputError(address, f"no {chain} output pays this address in the workspace")
    if whole_cluster:
        outputs = _received_by_cluster(view.store, aid)
    index = exposure_index.get_index(view.store, view.services, hops, steps)
    own = exposure_index.own_parties(index, view.store, aid)
    return Exposure(
        address,
        chain,
        view.services.cluster(address),
        hops,
        _looked_up(view, index, outputs, "backward", own),
        _looked_up(view, index, outputs, "forward", own),
        whole_cluster,
    )


def _received_by_cluster(store: Store, aid: int) -> npt.NDArray[np.int64]:
    """Coins paid to ``aid``'s cluster by transactions spending none of its coins."""
    cluster = int(store.addr_cluster[aid])
    members = exposure_index.cluster_members(store, cluster)
    paid = np.concatenate([_paid(store, int(m)) for m in members.tolist()])
    creators = np.unique(store.out_tx[paid])
    ins = ranges(store.tx_in[creators], store.tx_in[creators + 1])
    spender_of = np.repeat(creators, store.tx_in[creators + 1] - store.tx_in[creators])
    addr = store.in_addr[ins]
    own = np.zeros(len(addr), bool)
    known = addr >= 0
    own[known] = store.addr_cluster[addr[known]] == cluster
    internal = np.unique(spender_of[own])
    return np.sort(paid[~np.isin(store.out_tx[paid], internal)])


def _paid(store: Store, aid: int | None) -> npt.NDArray[np.int64]:
    if aid is None:
        return np.array([], np.int64)
    start, end = int(store.addr_out[aid]), int(store.addr_out[aid + 1])
    return np.asarray(store.addr_out_ids[start:end], dtype=np.int64)


def _looked_up(
    view: views.UtxoView,
    index: exposure_index.ExposureIndex,
    outputs: npt.NDArray[np.int64],
    direction: taint.Direction,
    own: set[int],
) -> Side:
    store = view.store
    values = np.asarray(store.out_value[outputs], dtype=np.int64)
    near, far = exposure_index.amounts(index, store, outputs, direction)
    near = {c: a for c, a in near.items() if c not in own}
    far = {c: a for c, a in far.items() if c not in own}
    direct: dict[str, CategoryExposure] = defaultdict(CategoryExposure)
    total: dict[str, CategoryExposure] = defaultdict(CategoryExposure)
    for found, amounts in ((direct, near), (total, far)):
        for column, amount in amounts.items():
            party = index.parties[column]
            _count(found[party.category], party.label, party.confidence, amount)
    paths = []
    for column in sorted(far, key=lambda c: -far[c]):
        walked = exposure_index.explain(index, view.graph, outputs, column, direction)
        if walked is not None:
            party = index.parties[column]
            paths.append((party.category, party.label, walked[0], walked[1]))
    return Side(int(values.sum()), dict(direct), _minus(dict(total), dict(direct)), tuple(paths))


def _count(row: CategoryExposure, label: str, confidence: int | None, amount: int) -> None:
    level = confidence if confidence is not None else UNKNOWN_CONFIDENCE
    row.amount += amount
    row.weighted += amount * level // 100
    row.counterparties[label] = row.counterparties.get(label, 0) + amount


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
        "scope": "cluster" if x.whole_cluster else "address",
        "hops": x.hops,
        "inbound": side(x.inbound),
        "outbound": side(x.outbound),
    }
