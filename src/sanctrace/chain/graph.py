"""UTXO transactions out of the workspace, in the shapes the chain engines take.

One read of ``chain_tx``, ``chain_input`` and ``chain_output`` for a chain gives both the
taint engine's ``taint.Tx`` (inputs linked to the outputs they spend, chain order) and the
clustering engine's ``coinjoin.Tx`` (input addresses and values). Chain order is
``block_number * 2**20 + tx_index``: a transaction always comes after those it spends.

An input whose value or address the export left out (a ``getblock`` dump without prevouts)
takes them from the output it spends when that output is loaded; when it is not, the input
keeps value 0 and is counted in ``Chain.unknown_spends``, so that a trace through it is
known to be incomplete rather than silently short.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sanctrace.chain import coinjoin, taint
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

BLOCK_SHIFT = 2**20
"""Transactions per block that chain order leaves room for."""


@dataclass
class Chain:
    """One chain's UTXO transactions, in chain order."""

    name: str
    txs: list[taint.Tx]
    unknown_spends: int = 0
    """Inputs whose spent output is not in the workspace and whose value the export omits."""
    graph: taint.UtxoGraph = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.graph = taint.UtxoGraph(self.txs)

    def for_clustering(self) -> list[coinjoin.Tx]:
        """The same transactions as the clustering engine reads them (chain order)."""
        return [
            coinjoin.Tx(
                tx.tx_hash,
                [coinjoin.TxIn(i.address, i.value) for i in tx.inputs if i.spent_tx_hash],
                [coinjoin.TxOut(o.n, o.address, o.value) for o in tx.outputs],
            )
            for tx in self.txs
        ]


def _int(value: Decimal | int | None) -> int | None:
    return None if value is None else int(value)


def _rows(ws: Workspace, table: str, chain: str, columns: list[str]) -> list[dict[str, Any]]:
    t = ws.table(table)
    return list(t.filter(t.chain == chain).select(*columns).to_pyarrow().to_pylist())


def chains(ws: Workspace) -> list[str]:
    """The UTXO chains the workspace holds transactions of."""
    t = ws.table("chain_output")
    return sorted(t.select("chain").distinct().to_pyarrow().column("chain").to_pylist())


def load(ws: Workspace, chain: str) -> Chain:
    """Every transaction of ``chain`` in the workspace (see the module docstring)."""
    txs = _rows(ws, "chain_tx", chain, ["tx_hash", "block_number", "tx_index", "block_time"])
    if not txs:
        known = ", ".join(chains(ws)) or "none"
        raise InputError(
            "chain", f"no {chain!r} transactions in the workspace (UTXO chains: {known})"
        )
    outputs: dict[str, list[taint.TxOut]] = defaultdict(list)
    values: dict[tuple[str, int], tuple[str | None, int]] = {}
    for row in _rows(ws, "chain_output", chain, ["tx_hash", "n", "address", "value"]):
        amount = _int(row["value"]) or 0
        outputs[row["tx_hash"]].append(taint.TxOut(row["n"], row["address"], amount))
        values[(row["tx_hash"], row["n"])] = (row["address"], amount)
    inputs: dict[str, list[tuple[int, taint.TxIn]]] = defaultdict(list)
    unknown = 0
    columns = ["tx_hash", "n", "spent_tx_hash", "spent_n", "address", "value"]
    for row in _rows(ws, "chain_input", chain, columns):
        spent = (row["spent_tx_hash"], row["spent_n"])
        address: str | None = row["address"]
        value = _int(row["value"])
        if row["spent_tx_hash"] is not None and spent in values:
            known_address, known_value = values[spent]
            address = address or known_address
            value = known_value if value is None else value
        elif row["spent_tx_hash"] is not None and value is None:
            unknown += 1
        item = taint.TxIn(row["spent_tx_hash"], row["spent_n"], address, value or 0)
        inputs[row["tx_hash"]].append((row["n"], item))
    ordered = sorted(
        txs, key=lambda r: ((r["block_number"] or 0), (r["tx_index"] or 0), r["tx_hash"])
    )
    built = [
        taint.Tx(
            tx_hash=r["tx_hash"],
            order=(r["block_number"] or 0) * BLOCK_SHIFT + (r["tx_index"] or 0),
            inputs=tuple(i for _, i in sorted(inputs.get(r["tx_hash"], []))),
            outputs=tuple(sorted(outputs.get(r["tx_hash"], []))),
            time=_time(r["block_time"]),
        )
        for r in ordered
    ]
    return Chain(chain, built, unknown)


def _time(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None
