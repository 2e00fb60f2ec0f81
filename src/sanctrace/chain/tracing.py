"""Trace stolen coins through the workspace: seeds in, exits out, every amount exact.

``trace_funds(ws, seeds, chain=..., model=...)`` opens the chain's store (``store``: columns
with multi-input clusters, CoinJoins left out), names every address's service (``parties``)
and traces with the services as exits: forward haircut and poison on whole arrays
(``bulk_taint``: they spread over most of a chain), everything else with ``taint.trace``.
A seed is one of:

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
from typing import Any

from sanctrace.chain import (
    account_taint,
    accounts,
    bulk_taint,
    exposure,
    exposure_index,
    parties,
    taint,
    views,
)
from sanctrace.chain.account_exposure import account_exposure_json
from sanctrace.chain.attribution import Attribution, Service
from sanctrace.chain.peel import PeelChain, peel_chains
from sanctrace.chain.store import Steps
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
    peel_chains: tuple[PeelChain, ...] = ()
    """Peel chains on the paths to the exits."""
    coinjoins_passed: tuple[tuple[str, str], ...] = ()
    """(tx hash, pattern) of the CoinJoins on the paths to the exits."""


def resolve_seeds(
    ws: Workspace, graph: taint.Graph, chain: str, seeds: list[str]
) -> list[taint.Outpoint]:
    """The outputs the ``seeds`` name on ``chain`` (see the module docstring)."""
    found: list[taint.Outpoint] = []
    for seed in seeds:
        text = seed.strip()
        outpoint = _OUTPOINT.match(text)
        if outpoint:
            key = (outpoint.group(1).lower(), int(outpoint.group(2)))
            if graph.output(key) is None:
                raise InputError(seed, f"no output {key[1]} of transaction {key[0]} in {chain}")
            found.append(key)
        elif _TX.match(text):
            tx = graph.tx(text.lower())
            if tx is None:
                raise InputError(seed, f"no {chain} transaction with this hash in the workspace")
            spenders = {i.address for i in tx.inputs}
            found.extend((tx.tx_hash, o.n) for o in tx.outputs if o.address not in spenders)
        elif paying := graph.paying(text):
            found.extend(paying)
        elif addresses := _incident_addresses(ws, text, chain):
            for address in addresses:
                found.extend(graph.paying(address))
        else:
            raise InputError(
                seed,
                f"not an output, transaction, address or incident with theft addresses "
                f"in the {chain} data of this workspace",
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


def _check_limits(direction: str, max_hops: int | None, min_amount: int) -> None:
    """The options every trace takes, checked before anything is loaded."""
    if direction not in ("forward", "backward"):
        raise InputError("direction", f"{direction!r} is not forward or backward")
    if max_hops is not None and max_hops < 1:
        raise InputError("max_hops", f"{max_hops}: give at least 1")
    if min_amount < 0:
        raise InputError("min_amount", f"{min_amount} is negative")


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
    steps: Steps | None = None,
) -> FundsTrace:
    """Trace ``seeds`` on ``chain`` with ``model`` (see the module docstring)."""
    if model not in taint.MODELS:
        raise InputError("model", f"{model!r} is not one of {', '.join(taint.MODELS)}")
    _check_limits(direction, max_hops, min_amount)
    view = views.utxo(ws, chain, steps)
    graph, services = view.graph, view.services
    outpoints = resolve_seeds(ws, graph, chain, seeds)
    named = parties.get_parties(view.store, services)
    if direction == "forward" and model in bulk_taint.MODELS:
        result = bulk_taint.trace(
            graph, outpoints, model, named, max_hops=max_hops, min_amount=min_amount
        )
    else:
        result = taint.trace(
            graph,
            outpoints,
            model,
            direction=direction,
            max_hops=max_hops,
            min_amount=min_amount,
            is_exit=lambda address: named.exit_label(view.store.address_id(address)),
            k_paths=k_paths,
        )
    on_paths = [h for e in result.exits for p in e.paths for h in p.tx_hashes]
    return FundsTrace(
        chain=chain,
        seeds=tuple(f"{h}:{n}" for h, n in outpoints),
        taint=result,
        exits=tuple(_exit(e, services, _swept(e.address, view, named)) for e in result.exits),
        clusters=view.store.clusters,
        coinjoins=len(view.store.coinjoins),
        unknown_spends=view.store.unknown_spends,
        peel_chains=tuple(peel_chains(graph, on_paths)),
        coinjoins_passed=tuple(
            (h, view.store.coinjoins[h].pattern)
            for h in dict.fromkeys(on_paths)
            if h in view.store.coinjoins
        ),
    )


def _swept(address: str, view: views.UtxoView, named: parties.Parties) -> Service | None:
    """The exchange an exit address was swept into, from the precomputed parties (asking
    ``Attribution.service`` would walk the address's outputs again, per exit)."""
    aid = view.store.address_id(address)
    if aid is None or not named.deposit[aid]:
        return None
    party = named.parties[int(named.addr_party[aid])]
    detail = f"swept into {party.label}"
    return Service(party.label, party.category, "deposit", detail, party.confidence)


def _exit(
    e: taint.Exit,
    services: Attribution | accounts.AccountAttribution,
    swept: Service | None = None,
) -> ExitRow:
    """An engine's exit with the service behind it (``swept``: already known to be an
    exchange deposit)."""
    service = swept or services.service(e.address)
    cluster = services.cluster(e.address) if isinstance(services, Attribution) else e.address
    return ExitRow(
        address=e.address,
        cluster=cluster,
        label=service.label if service else e.label,
        category=service.category if service else "",
        evidence=service.evidence if service else "",
        amount=e.amount,
        share=e.share,
        first_seen=e.first_seen,
        last_seen=e.last_seen,
        paths=e.paths,
    )


def _exit_json(e: ExitRow) -> dict[str, object]:
    return {
        "address": e.address,
        "cluster": e.cluster,
        "label": e.label,
        "category": e.category,
        "evidence": e.evidence,
        "amount": str(e.amount),
        "share": round(float(e.share), 6),
        "first_seen": e.first_seen.isoformat() if e.first_seen else None,
        "last_seen": e.last_seen.isoformat() if e.last_seen else None,
    }


def to_json(t: FundsTrace) -> dict[str, object]:
    """The CLI's and the API's JSON: amounts as integer strings in native units."""
    r = t.taint
    return {
        "chain": t.chain,
        "model": r.model,
        "direction": r.direction,
        "seeds": list(t.seeds),
        "seed_amount": str(r.seed_amount),
        "exits": [_exit_json(e) for e in t.exits],
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
        "peel_chains": [
            {
                "transactions": list(c.transactions),
                "payments": [
                    {"tx_hash": h, "address": a, "amount": str(v)} for h, a, v in c.payments
                ],
            }
            for c in t.peel_chains
        ],
        "coinjoins_passed": [{"tx_hash": h, "pattern": p} for h, p in t.coinjoins_passed],
        "clusters": t.clusters,
        "coinjoins": t.coinjoins,
        "unknown_spends": t.unknown_spends,
    }


# -- account chains -----------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFunds:
    """A trace on an account chain: one ``AccountTrace`` per asset the seeds carried, with
    exits attributed (``accounts.AccountAttribution``)."""

    chain: str
    model: str
    seeds: tuple[str, ...]
    assets: tuple[tuple[account_taint.AccountTrace, tuple[ExitRow, ...]], ...]
    direction: taint.Direction = "forward"


def _account_seeds(
    ws: Workspace, chain: str, transfers: list[account_taint.Transfer], seeds: list[str]
) -> list[account_taint.Transfer]:
    moved = [t for t in transfers if t.to_address is not None]
    found: list[account_taint.Transfer] = []
    for seed in seeds:
        text = seed.strip().lower()
        if _TX.match(text):
            h = text if text.startswith("0x") else "0x" + text
            hits = [t for t in moved if t.tx_hash == h]
        else:
            addresses = {text} | set(_incident_addresses(ws, seed.strip(), chain))
            hits = [t for t in moved if t.to_address in addresses]
        if not hits:
            raise InputError(
                seed,
                f"not a transaction, address or incident with theft addresses that moved "
                f"value in the {chain} data of this workspace",
            )
        found.extend(hits)
    return list(dict.fromkeys(found))


def trace_account_funds(
    ws: Workspace,
    seeds: list[str],
    *,
    chain: str = "eth",
    model: account_taint.AccountModel = "fifo",
    direction: taint.Direction = "forward",
    max_hops: int | None = None,
    min_amount: int = 0,
    k_paths: int = 5,
) -> AccountFunds:
    """Trace ``seeds`` on an account chain, forward (where the value went) or backward (where
    it came from): a seed is a transaction hash (the value it moved), an address (what it
    received) or an incident id (its theft addresses)."""
    _check_limits(direction, max_hops, min_amount)
    view = views.account(ws, chain)
    transfers, services = view.transfers, view.services
    found = _account_seeds(ws, chain, transfers, seeds)
    traces = account_taint.trace_accounts(
        transfers,
        found,
        model,
        direction=direction,
        max_hops=max_hops,
        min_amount=min_amount,
        is_exit=services.label,
        k_paths=k_paths,
    )
    rows = []
    for asset in sorted(traces):
        trace = traces[asset]
        rows.append((trace, tuple(_exit(e, services) for e in trace.exits)))
    names = tuple(f"{t.tx_hash}:{t.seq}" for t in found)
    return AccountFunds(chain, model, names, tuple(rows), direction)


def account_to_json(t: AccountFunds) -> dict[str, object]:
    """An account-chain trace as JSON: the UTXO shape per asset, amounts as integer strings
    in the asset's native units. ``sources`` (backward) are funds held before the data, by
    the address that held them and the transaction that spent them (null: at the seed)."""
    return {
        "chain": t.chain,
        "model": t.model,
        "direction": t.direction,
        "seeds": list(t.seeds),
        "assets": [
            {
                "asset": r.asset,
                "seed_amount": str(r.seed_amount),
                "exits": [_exit_json(e) for e in exits],
                "unspent": [{"address": h.address, "amount": str(h.amount)} for h in r.unspent],
                "sources": [
                    {
                        "kind": s.kind,
                        "tx_hash": s.tx_hash,
                        "address": s.address,
                        "amount": str(s.amount),
                    }
                    for s in r.sources
                ],
                "at_limit": [{"address": h.address, "amount": str(h.amount)} for h in r.at_limit],
                "fees": str(r.fees),
                "dust": str(r.dust),
                "returned": str(r.returned),
                "absorbed": str(r.absorbed),
                "paths": [
                    {"exit": e.address, "tx_hashes": list(p.tx_hashes), "amount": str(p.amount)}
                    for e in exits
                    for p in e.paths
                ],
            }
            for r, exits in t.assets
        ],
    }


def is_account_chain(ws: Workspace, chain: str) -> bool:
    """Whether ``chain``'s value moves as account transfers (eth) rather than UTXOs (btc)."""
    outputs, transfers = ws.table("chain_output"), ws.table("chain_transfer")
    has_outputs = outputs.filter(outputs.chain == chain).count().to_pyarrow().as_py()
    has_transfers = transfers.filter(transfers.chain == chain).count().to_pyarrow().as_py()
    return bool(has_transfers) and not has_outputs


def trace_json(
    ws: Workspace,
    seeds: list[str],
    *,
    chain: str = "btc",
    model: str = "fifo",
    direction: str = "forward",
    max_hops: int | None = None,
    min_amount: int = 0,
    steps: Steps | None = None,
) -> dict[str, object]:
    """The trace the CLI and the API print: ``to_json`` of a UTXO trace, or
    ``account_to_json`` (one entry per asset) on an account chain. ``steps`` is told what is
    being built when the chain's store must be (the first trace after a load)."""
    if is_account_chain(ws, chain):
        if model not in account_taint.ACCOUNT_MODELS:
            raise InputError(
                "model",
                f"{model!r}: account chains trace with {', '.join(account_taint.ACCOUNT_MODELS)}",
            )
        return account_to_json(
            trace_account_funds(
                ws,
                seeds,
                chain=chain,
                model=model,  # type: ignore[arg-type]  # checked above
                direction=direction,  # type: ignore[arg-type]  # checked by the callee
                max_hops=max_hops,
                min_amount=min_amount,
            )
        )
    return to_json(
        trace_funds(
            ws,
            seeds,
            chain=chain,
            model=model,  # type: ignore[arg-type]  # checked by trace_funds
            direction=direction,  # type: ignore[arg-type]
            max_hops=max_hops,
            min_amount=min_amount,
            steps=steps,
        )
    )


def exposure_json(
    ws: Workspace,
    address: str,
    *,
    chain: str = "btc",
    hops: int = exposure_index.HOPS,
    asset: str | None = None,
    whole_cluster: bool = False,
    steps: Steps | None = None,
) -> dict[str, Any]:
    """The exposure the CLI, the API and the web page show: ``exposure.to_json`` on a UTXO
    chain (of the address, or with ``whole_cluster`` of its cluster),
    ``account_exposure_json`` (per asset) on an account chain."""
    if is_account_chain(ws, chain):
        if whole_cluster:
            raise InputError("cluster", f"{chain} is an account chain: an address is its own")
        return account_exposure_json(ws, address, chain=chain, hops=hops, asset=asset)
    if asset is not None:
        raise InputError("asset", f"{chain} is not an account chain: it has no assets")
    found = exposure.exposure(
        ws, address, chain=chain, hops=hops, whole_cluster=whole_cluster, steps=steps
    )
    return exposure.to_json(found)
