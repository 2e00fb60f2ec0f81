"""Trace stolen coins through the workspace: seeds in, exits out, every amount exact.

``trace_funds(ws, seeds, chain=..., model=...)`` loads the chain (``graph.load``), clusters
its addresses (multi-input, CoinJoins left out), attributes services (``attribution``) and
runs ``taint.trace`` with the services as exits. A seed is one of:

- ``TXHASH:N``: one output;
- a transaction hash: what it moved away from its own input addresses (change paid back to
  a spender is not a seed), the usual way to name a theft;
- an address: every output paying it;
- an incident id of the registry: its theft addresses (``incident_address``, role theft).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sanctrace.chain import taint
from sanctrace.chain.attribution import Attribution, attribute
from sanctrace.chain.clustering import ClusterConfig, cluster
from sanctrace.chain.graph import Chain, load
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

_TX = re.compile(r"^(?:0x)?[0-9a-fA-F]{64}$")
_OUTPOINT = re.compile(r"^((?:0x)?[0-9a-fA-F]{64}):(\d{1,6})$")


@dataclass(frozen=True)
class ExitRow:
    """Where traced coins left the attacker's hands."""

    address: str
    cluster: str
    label: str
    category: str
    evidence: str  # tag | cluster | deposit
    amount: int
    share: Fraction
    first_seen: datetime | None
    last_seen: datetime | None
    paths: tuple[taint.Path, ...]


@dataclass(frozen=True)
class FundsTrace:
    """A trace with its exits attributed; ``taint`` holds the engine's full result."""

    chain: str
    seeds: tuple[str, ...]
    taint: taint.Trace
    exits: tuple[ExitRow, ...]
    clusters: int
    coinjoins: int
    unknown_spends: int


def resolve_seeds(ws: Workspace, chain: Chain, seeds: list[str]) -> list[taint.Outpoint]:
    """The outputs the ``seeds`` name (see the module docstring)."""
    graph = chain.graph
    found: list[taint.Outpoint] = []
    for seed in seeds:
        text = seed.strip()
        outpoint = _OUTPOINT.match(text)
        if outpoint:
            key = (outpoint.group(1).lower(), int(outpoint.group(2)))
            if graph.output(key) is None:
                raise InputError(
                    seed, f"no output {key[1]} of transaction {key[0]} in {chain.name}"
                )
            found.append(key)
        elif _TX.match(text):
            tx = graph.tx(text.lower())
            if tx is None:
                raise InputError(
                    seed, f"no {chain.name} transaction with this hash in the workspace"
                )
            spenders = {i.address for i in tx.inputs}
            found.extend((tx.tx_hash, o.n) for o in tx.outputs if o.address not in spenders)
        elif paying := graph.paying(text):
            found.extend(paying)
        elif addresses := _incident_addresses(ws, text, chain.name):
            for address in addresses:
                found.extend(graph.paying(address))
        else:
            raise InputError(
                seed,
                f"not an output, transaction, address or incident with theft addresses "
                f"in the {chain.name} data of this workspace",
            )
    if not found:
        raise InputError("seeds", "the seeds name no outputs")
    return list(dict.fromkeys(found))


def _incident_addresses(ws: Workspace, incident_id: str, chain: str) -> list[str]:
    t = ws.table("incident_address")
    rows = (
        t.filter((t.incident_id == incident_id) & (t.chain == chain) & (t.role == "theft"))
        .select("address")
        .to_pyarrow()
        .column("address")
        .to_pylist()
    )
    return sorted(set(rows))


def trace_funds(
    ws: Workspace,
    seeds: list[str],
    *,
    chain: str = "btc",
    model: taint.Model = "fifo",
    direction: taint.Direction = "forward",
    max_hops: int | None = None,
    min_amount: int = 0,
    k_paths: int = 5,
) -> FundsTrace:
    """Trace ``seeds`` on ``chain`` with ``model`` (see the module docstring)."""
    if model not in taint.MODELS:
        raise InputError("model", f"{model!r} is not one of {', '.join(taint.MODELS)}")
    if direction not in ("forward", "backward"):
        raise InputError("direction", f"{direction!r} is not forward or backward")
    if max_hops is not None and max_hops < 1:
        raise InputError("max_hops", f"{max_hops}: give at least 1")
    if min_amount < 0:
        raise InputError("min_amount", f"{min_amount} is negative")
    loaded = load(ws, chain)
    clustering = cluster(loaded.for_clustering(), ClusterConfig())
    services = attribute(loaded, clustering, ws)
    outpoints = resolve_seeds(ws, loaded, seeds)
    result = taint.trace(
        loaded.graph,
        outpoints,
        model,
        direction=direction,
        max_hops=max_hops,
        min_amount=min_amount,
        is_exit=services.label,
        k_paths=k_paths,
    )
    return FundsTrace(
        chain=chain,
        seeds=tuple(f"{h}:{n}" for h, n in outpoints),
        taint=result,
        exits=tuple(_exit(e, services) for e in result.exits),
        clusters=len(clustering.sizes),
        coinjoins=len(clustering.coinjoins),
        unknown_spends=loaded.unknown_spends,
    )


def _exit(e: taint.Exit, services: Attribution) -> ExitRow:
    service = services.service(e.address)
    return ExitRow(
        address=e.address,
        cluster=services.cluster(e.address),
        label=service.label if service else e.label,
        category=service.category if service else "",
        evidence=service.evidence if service else "",
        amount=e.amount,
        share=e.share,
        first_seen=e.first_seen,
        last_seen=e.last_seen,
        paths=e.paths,
    )


def to_json(t: FundsTrace) -> dict[str, object]:
    """The CLI's and the API's JSON: amounts as integer strings in native units."""
    r = t.taint

    def when(d: datetime | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "chain": t.chain,
        "model": r.model,
        "direction": r.direction,
        "seeds": list(t.seeds),
        "seed_amount": str(r.seed_amount),
        "exits": [
            {
                "address": e.address,
                "cluster": e.cluster,
                "label": e.label,
                "category": e.category,
                "evidence": e.evidence,
                "amount": str(e.amount),
                "share": round(float(e.share), 6),
                "first_seen": when(e.first_seen),
                "last_seen": when(e.last_seen),
            }
            for e in t.exits
        ],
        "unspent": [{"address": h.address, "amount": str(h.amount)} for h in r.unspent],
        "sources": [
            {"kind": s.kind, "tx_hash": s.tx_hash, "address": s.address, "amount": str(s.amount)}
            for s in r.sources
        ],
        "at_limit": [{"address": h.address, "amount": str(h.amount)} for h in r.at_limit],
        "fees": str(r.fees),
        "dust": str(r.dust),
        "returned": str(r.returned),
        "absorbed": str(r.absorbed),
        "paths": [
            {
                "exit": e.address,
                "tx_hashes": list(p.tx_hashes),
                "amount": str(p.amount),
            }
            for e in t.exits
            for p in e.paths
        ],
        "clusters": t.clusters,
        "coinjoins": t.coinjoins,
        "unknown_spends": t.unknown_spends,
    }
