"""Account-chain transfers out of the workspace, and which addresses are services there.

``load`` reads ``chain_transfer`` and ``chain_tx`` for one chain into the account taint
engine's ``Transfer``s, in chain order (block, position in block, ``seq``), with each
transaction's fee as a transfer from its sender to no one at ``seq`` -1: gas is paid before
the transaction moves value.

Attribution on account chains has no multi-input clusters: an address is a service when its
own tag says so (``attribution.is_service``), and an untagged address whose every outgoing
transfer goes to one tagged exchange is that exchange's deposit address (evidence
``deposit``): exchanges sweep each deposit address into a hot wallet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sanctrace.chain.account_taint import Transfer
from sanctrace.chain.attribution import EXCHANGE, AddressTag, Service, is_service, tags
from sanctrace.errors import InputError
from sanctrace.sources.tagpack import is_a
from sanctrace.workspace import Workspace

FEE_SEQ = -1


def account_chains(ws: Workspace) -> list[str]:
    """The chains the workspace holds account transfers of."""
    t = ws.table("chain_transfer")
    return sorted(t.select("chain").distinct().to_pyarrow().column("chain").to_pylist())


def load(ws: Workspace, chain: str) -> list[Transfer]:
    """Every transfer of ``chain``, fees included, in chain order."""
    tx = ws.table("chain_tx")
    txs = {
        r["tx_hash"]: r
        for r in tx.filter(tx.chain == chain)
        .select("tx_hash", "block_number", "tx_index", "block_time", "fee", "sender")
        .to_pyarrow()
        .to_pylist()
    }
    t = ws.table("chain_transfer")
    rows = (
        t.filter(t.chain == chain)
        .select("tx_hash", "seq", "asset", "from_address", "to_address", "value")
        .to_pyarrow()
        .to_pylist()
    )
    if not rows and not txs:
        known = ", ".join(account_chains(ws)) or "none"
        raise InputError(
            "chain", f"no {chain!r} transfers in the workspace (account chains: {known})"
        )
    out: list[Transfer] = []
    for r in rows:
        meta = txs.get(r["tx_hash"], {})
        out.append(
            Transfer(
                r["tx_hash"],
                r["seq"],
                _order(meta, r["seq"]),
                _time(meta),
                r["asset"],
                r["from_address"],
                r["to_address"],
                int(r["value"]),
            )
        )
    for h, meta in txs.items():
        if meta["fee"] and meta["sender"]:
            out.append(
                Transfer(
                    h,
                    FEE_SEQ,
                    _order(meta, FEE_SEQ),
                    _time(meta),
                    chain,
                    meta["sender"],
                    None,
                    int(meta["fee"]),
                )
            )
    out.sort(key=lambda x: x.order)
    return out


def _order(meta: dict[str, Any], seq: int) -> tuple[int, int, int]:
    return (meta.get("block_number") or 0, meta.get("tx_index") or 0, seq)


def _time(meta: dict[str, Any]) -> datetime | None:
    value = meta.get("block_time")
    return value if isinstance(value, datetime) else None


@dataclass
class AccountAttribution:
    """``service(address)`` on an account chain (see the module docstring)."""

    own: dict[str, list[AddressTag]]
    sent_to: dict[str, set[str]]

    def tagged(self, address: str) -> Service | None:
        for tag in self.own.get(address, []):
            if is_service(tag.category) and tag.category is not None:
                return Service(tag.label, tag.category, "tag", tag.tagpack, tag.confidence_level)
        return None

    def service(self, address: str) -> Service | None:
        found = self.tagged(address)
        if found is not None:
            return found
        targets = self.sent_to.get(address, set())
        services = {self.tagged(a) for a in targets}
        if targets and None not in services and len({s.label for s in services if s}) == 1:
            service = next(s for s in services if s is not None)
            if is_a(service.category, EXCHANGE):
                return Service(
                    service.label, service.category, "deposit",
                    f"swept into {service.label}", service.confidence,
                )  # fmt: skip
        return None

    def label(self, address: str) -> str | None:
        service = self.service(address)
        if service is None:
            return None
        return service.label + (" (deposit)" if service.evidence == "deposit" else "")


def attribute(ws: Workspace, chain: str, transfers: list[Transfer]) -> AccountAttribution:
    sent_to: dict[str, set[str]] = defaultdict(set)
    for t in transfers:
        if t.to_address is not None:
            sent_to[t.from_address].add(t.to_address)
    return AccountAttribution(tags(ws, chain), dict(sent_to))
