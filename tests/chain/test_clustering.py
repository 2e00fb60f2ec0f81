"""Address clustering: multi-input merges, CoinJoins kept out, change links, the collapse
guard and tag propagation."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import NamedTuple

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.chain.clustering import (
    ClusterConfig,
    UnionFind,
    address_type,
    change_links,
    cluster,
    connected_labels,
    propagate_tags,
)
from sanctrace.chain.coinjoin import Tx, TxIn, TxOut

P2PKH = ["1" + c * 25 for c in "ABCDEFGH"]
P2WPKH = ["bc1q" + c * 38 for c in "acdefghj"]


def tx(name: str, spends: list[str], pays: list[tuple[str, int]], value: int = 10_000) -> Tx:
    return Tx(
        name,
        [TxIn(a, value) for a in spends],
        [TxOut(n, a, v) for n, (a, v) in enumerate(pays)],
    )


def test_multi_input_merges_and_ids_are_the_smallest_address() -> None:
    result = cluster(
        [
            tx("t1", ["c", "b"], [("x", 5)]),
            tx("t2", ["b", "a"], [("y", 5)]),
            tx("t3", ["d"], [("e", 5)]),
        ]
    )
    assert result.cluster_of["c"] == result.cluster_of["b"] == result.cluster_of["a"] == "a"
    assert result.cluster_of["d"] == "d" and result.cluster_of["x"] == "x"
    assert result.sizes == {"a": 3, "d": 1, "e": 1, "x": 1, "y": 1}


def test_coinjoins_are_not_merged() -> None:
    mix = tx("mix", ["p", "q", "r"], [("m1", 4_000), ("m2", 4_000), ("m3", 4_000)])
    result = cluster([mix, tx("t", ["p", "s"], [("z", 5)])])
    assert result.coinjoins["mix"].pattern == "generic"
    assert result.cluster_of["q"] == "q" and result.cluster_of["r"] == "r"
    assert result.cluster_of["s"] == "p"


def test_one_time_change() -> None:
    txs = [
        tx("fund", ["old"], [("shop", 1)]),  # the shop's address is known before
        tx("pay", ["a", "b"], [("shop", 6_000), ("fresh", 3_999)]),
    ]
    links = change_links(txs, {})
    assert [(link.tx_hash, link.address, link.heuristic) for link in links] == [
        ("pay", "fresh", "one_time")
    ]
    # fresh twice: paid again later, so it is no one-time address
    again = [*txs, tx("later", ["x"], [("fresh", 5), ("y", 5)])]
    assert not [link for link in change_links(again, {}) if link.tx_hash == "pay"]


def test_script_type_change() -> None:
    pay = tx("pay", [P2WPKH[0], P2WPKH[1]], [(P2PKH[0], 70_001), (P2WPKH[2], 29_999)])
    links = [link for link in change_links([pay], {}) if link.heuristic == "script_type"]
    assert [(link.address, link.confidence) for link in links] == [(P2WPKH[2], 0.7)]
    # both outputs match the inputs' type: nothing to tell
    same = tx("pay", [P2WPKH[0]], [(P2WPKH[3], 70_001), (P2WPKH[2], 29_999)])
    assert not [link for link in change_links([same], {}) if link.heuristic == "script_type"]


def test_round_value_change_and_conflicts() -> None:
    pay = tx("pay", [P2PKH[0]], [(P2PKH[1], 2_000_000), (P2PKH[2], 1_234_567)])
    links = change_links([pay, tx("other", [P2PKH[3]], [(P2PKH[1], 1)])], {})
    assert [(link.address, link.heuristic, link.conflicting) for link in links] == [
        (P2PKH[2], "one_time", False),
        (P2PKH[2], "round_value", False),
    ]
    # one-time change says output 1 (output 0 is paid again), round value says output 0
    clash = tx("pay", [P2PKH[0]], [(P2PKH[1], 1_234_567), (P2PKH[2], 2_000_000)])
    links = change_links([clash, tx("other", [P2PKH[3]], [(P2PKH[1], 1)])], {})
    assert {(link.n, link.heuristic) for link in links} == {(1, "one_time"), (0, "round_value")}
    assert {link.heuristic for link in links} == {"one_time", "round_value"}
    assert all(link.conflicting for link in links)


def test_change_merged_only_above_the_threshold() -> None:
    txs = [
        tx("fund", ["old"], [("shop", 1)]),
        tx("pay", ["a", "b"], [("shop", 6_000), ("fresh", 3_999)]),
    ]
    assert cluster(txs).cluster_of["fresh"] == "fresh"
    assert cluster(txs, ClusterConfig(change_threshold=0.9)).cluster_of["fresh"] == "fresh"
    merged = cluster(txs, ClusterConfig(change_threshold=0.5))
    assert merged.cluster_of["fresh"] == "a" and merged.change_merged == 1


def test_address_types() -> None:
    assert address_type(P2PKH[0]) == "p2pkh"
    assert address_type("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy") == "p2sh"
    assert address_type(P2WPKH[0]) == "p2wpkh"
    assert address_type("bc1q" + "a" * 58) == "p2wsh"
    assert address_type("bc1p" + "a" * 58) == "p2tr"
    assert address_type("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a") == "p2pkh"
    assert address_type("multisig:1a,1b") == "multisig"
    assert address_type("nonstandard" + "0" * 40) is None


def group(owner: str, size: int) -> list[str]:
    return [f"{owner}{i:02d}" for i in range(size)]


def test_collapse_guard_refuses_joining_two_large_clusters() -> None:
    big_a, big_b = group("a", 4), group("b", 4)
    txs = [tx("ta", big_a, [("x", 1)]), tx("tb", big_b, [("y", 1)])]
    bridge = tx("bridge", [big_a[0], big_b[0]], [("z", 1)])
    guarded = cluster([*txs, bridge], ClusterConfig(collapse_limit=3))
    assert guarded.sizes["a00"] == 4 and guarded.sizes["b00"] == 4
    [refused] = guarded.refused
    assert (refused.tx_hash, refused.evidence, refused.left_size) == ("bridge", "multi_input", 4)
    # a small cluster may still join a large one
    small = cluster([*txs, tx("s", [big_a[1], "c"], [("w", 1)])], ClusterConfig(collapse_limit=3))
    assert small.cluster_of["c"] == "a00" and not small.refused
    # a second, independent transaction linking the same two clusters lifts the guard
    again = tx("again", [big_a[2], big_b[3]], [("v", 1)])
    confirmed = cluster([*txs, bridge, again], ClusterConfig(collapse_limit=3))
    assert confirmed.sizes["a00"] == 8 and not confirmed.refused
    # without the guard the bridge merges
    assert cluster([*txs, bridge]).sizes["a00"] == 8


class Tag(NamedTuple):
    label: str
    is_cluster_definer: bool


def test_tags_propagate_only_when_cluster_definers() -> None:
    result = cluster([tx("t", ["hot", "deposit", "sweep"], [("out", 1)])])
    exchange, victim = Tag("Exchange", True), Tag("victim report", False)
    view = propagate_tags(result.cluster_of, {"hot": [exchange], "deposit": [victim]})
    assert view.by_cluster == {"deposit": [exchange]}
    assert view.for_address("sweep") == [exchange]
    assert view.for_address("deposit") == [exchange, victim]
    assert view.for_address("hot") == [exchange]
    assert view.for_address("out") == []
    # a tagged address no transaction names is a cluster of its own
    alone = propagate_tags(result.cluster_of, {"unseen": [exchange]})
    assert alone.for_address("unseen") == [exchange] and alone.for_address("hot") == []


def bfs_components(addresses: set[str], txs: list[Tx]) -> dict[str, str]:
    """The reference: connected components of the multi-input graph by breadth-first search,
    each named by its smallest address."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for t in txs:
        spent = [i.address for i in t.inputs if i.address is not None]
        for a in spent:
            neighbours[a].update(spent)
    named: dict[str, str] = {}
    for start in sorted(addresses):
        if start in named:
            continue
        queue, seen = deque([start]), {start}
        while queue:
            for b in neighbours[queue.popleft()] - seen:
                seen.add(b)
                queue.append(b)
        for a in seen:
            named[a] = start
    return named


names = st.sampled_from([f"addr{i:02d}" for i in range(30)])
plain_txs = st.lists(
    st.tuples(st.lists(names, min_size=1, max_size=4), st.lists(names, min_size=1, max_size=2)),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(plain_txs)
def test_clustering_equals_connected_components(shapes: list[tuple[list[str], list[str]]]) -> None:
    # distinct output values and at most two outputs: no CoinJoin can match
    txs = [
        tx(f"t{k}", spends, [(a, 1_000 + 10 * k + j) for j, a in enumerate(pays)])
        for k, (spends, pays) in enumerate(shapes)
    ]
    result = cluster(txs)
    assert not result.coinjoins
    addresses = {a for spends, pays in shapes for a in spends + pays}
    assert result.cluster_of == bfs_components(addresses, txs)
    guarded = cluster(txs, ClusterConfig(collapse_limit=10**6))
    assert guarded.cluster_of == result.cluster_of
    assert cluster(list(txs)) == result  # deterministic


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60),
        )
    )
)
def test_vectorised_union_find_equals_the_sequential_one(
    case: tuple[int, list[tuple[int, int]]],
) -> None:
    n, edges = case
    sets = UnionFind(n)
    for a, b in edges:
        sets.union(a, b)
    left = np.array([a for a, _ in edges], dtype=np.int64)
    right = np.array([b for _, b in edges], dtype=np.int64)
    assert connected_labels(n, left, right).tolist() == sets.labels().tolist()
