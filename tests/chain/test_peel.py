"""Peel chains on hand-built graphs: the pattern, and the ordinary payments that are not."""

from __future__ import annotations

from sanctrace.chain.peel import peel_chains
from sanctrace.chain.taint import Tx, TxIn, TxOut, UtxoGraph


def peel_graph(hops: int, reuse_change: bool = False) -> UtxoGraph:
    txs = [Tx("t0", 0, (TxIn(None, None, None, 10_000),), (TxOut(0, "a0", 10_000),))]
    value = 10_000
    for i in range(1, hops + 1):
        pay = 100 * i
        change_address = "a0" if reuse_change and i > 1 else f"a{i}"
        txs.append(
            Tx(
                f"t{i}",
                i,
                (TxIn(f"t{i - 1}", 0, f"a{i - 1}" if not reuse_change else "a0", value),),
                (TxOut(0, change_address, value - pay - 10), TxOut(1, f"shop{i}", pay)),
            )
        )
        value -= pay + 10
    return UtxoGraph(txs)


def test_a_peel_chain_is_found_once_from_any_of_its_hops() -> None:
    graph = peel_graph(5)
    [chain] = peel_chains(graph, ["t3", "t1", "t5"])
    assert chain.transactions == ("t1", "t2", "t3", "t4", "t5")
    assert chain.payments[0] == ("t1", "shop1", 100)


def test_two_hops_are_not_a_chain() -> None:
    assert peel_chains(peel_graph(2), ["t1"]) == []


def test_change_to_a_reused_address_is_a_wallet_not_a_peel() -> None:
    assert peel_chains(peel_graph(5, reuse_change=True), ["t1"]) == []


def test_a_payment_larger_than_half_the_change_is_not_a_peel() -> None:
    txs = [
        Tx("t0", 0, (TxIn(None, None, None, 1_000),), (TxOut(0, "a0", 1_000),)),
        Tx("t1", 1, (TxIn("t0", 0, "a0", 1_000),), (TxOut(0, "a1", 550), TxOut(1, "b", 450))),
        Tx("t2", 2, (TxIn("t1", 0, "a1", 550),), (TxOut(0, "a2", 300), TxOut(1, "c", 250))),
        Tx("t3", 3, (TxIn("t2", 0, "a2", 300),), (TxOut(0, "a3", 160), TxOut(1, "d", 140))),
    ]
    assert peel_chains(UtxoGraph(txs), ["t1", "t2", "t3"]) == []
