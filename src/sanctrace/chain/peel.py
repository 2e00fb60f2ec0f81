"""Peel chains: the laundering pattern where one large coin pays out a small amount per hop
and moves the rest, as change, to a fresh address, hop after hop.

A hop is a transaction with at most two inputs and exactly two outputs: the "change", the
larger, to an address paid nothing else (a fresh one), spent by the next hop; and a payment
at most ``MAX_PAYMENT_SHARE`` of the change. A chain is a run of at least ``MIN_HOPS`` such
hops; each hop's payment leaves the chain (often to an exchange deposit). Ordinary wallets
pay with change too, but reuse addresses and do not hop on and on. The search follows
change outputs forward from the transactions a trace passed through, one look-up per hop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sanctrace.chain.taint import Graph, TxOut

MIN_HOPS = 3
"""Fewer hops than this is ordinary spending with change."""
MAX_INPUTS = 2
MAX_PAYMENT_SHARE = 0.5
"""A hop pays out at most this share of what it keeps."""


@dataclass(frozen=True)
class PeelChain:
    transactions: tuple[str, ...]  # in chain order
    payments: tuple[tuple[str, str | None, int], ...]  # (tx hash, address, amount) per hop


def _hop(graph: Graph, tx_hash: str) -> tuple[TxOut, TxOut] | None:
    """(change, payment) when ``tx_hash`` has the shape of a peel hop."""
    tx = graph.tx(tx_hash)
    if tx is None or len(tx.outputs) != 2 or not 1 <= len(tx.inputs) <= MAX_INPUTS:
        return None
    if tx.is_coinbase:
        return None
    change, payment = sorted(tx.outputs, key=lambda o: (-o.value, o.n))
    if change.address is None or payment.value > MAX_PAYMENT_SHARE * change.value:
        return None
    if len(graph.paying(change.address)) != 1:
        return None  # change to a reused address: a wallet, not a peel
    return change, payment


def _parent(graph: Graph, tx_hash: str) -> str | None:
    """The hop whose change ``tx_hash`` spends, if any."""
    tx = graph.tx(tx_hash)
    assert tx is not None
    for i in tx.inputs:
        if i.spent_tx_hash is None:
            continue
        shape = _hop(graph, i.spent_tx_hash)
        if shape is not None and shape[0].n == i.spent_n:
            return i.spent_tx_hash
    return None


def peel_chains(graph: Graph, reached: Iterable[str]) -> list[PeelChain]:
    """The peel chains that start at, or pass through, the transactions in ``reached``;
    each reported once, from its first hop."""
    starts: dict[str, None] = {}
    for tx_hash in dict.fromkeys(reached):
        if _hop(graph, tx_hash) is None:
            continue
        first, seen = tx_hash, {tx_hash}
        while (parent := _parent(graph, first)) is not None and parent not in seen:
            first = parent
            seen.add(parent)
        starts[first] = None
    found: list[PeelChain] = []
    for start in starts:
        hops: list[str] = []
        payments: list[tuple[str, str | None, int]] = []
        current: str | None = start
        while current is not None and current not in hops:
            shape = _hop(graph, current)
            if shape is None:
                break
            change, payment = shape
            hops.append(current)
            payments.append((current, payment.address, payment.value))
            current = graph.spender((current, change.n))
        if len(hops) >= MIN_HOPS:
            found.append(PeelChain(tuple(hops), tuple(payments)))
    return found
