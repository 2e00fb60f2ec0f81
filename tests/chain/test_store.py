"""The chain store: the same chain as ``graph.load``, clustered the same way, on disk."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain import store, taint
from sanctrace.chain.clustering import cluster
from sanctrace.chain.graph import load
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace


@pytest.fixture
def chain_ws(generated_chain: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    path = tmp_path / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    return path


def test_same_transactions_as_the_in_memory_graph(chain_ws: Path) -> None:
    with Workspace.open(chain_ws) as ws:
        loaded = load(ws, "btc")
        built = store.build(ws, "btc")
    graph = store.StoredGraph(built)
    assert built.n_tx == len(loaded.txs)
    assert built.unknown_spends == loaded.unknown_spends
    for tx in loaded.txs:
        assert graph.tx(tx.tx_hash) == tx
        for out in tx.outputs:
            outpoint = (tx.tx_hash, out.n)
            assert graph.spender(outpoint) == loaded.graph.spender(outpoint)
            assert graph.output(outpoint) == out
    some = [o.address for tx in loaded.txs[:50] for o in tx.outputs if o.address]
    for address in some:
        assert graph.paying(address) == loaded.graph.paying(address)
    assert graph.tx("00" * 32) is None
    assert graph.paying("1NotAnAddressOfThisChain") == []


def test_same_clusters_and_coinjoins_as_cluster(chain_ws: Path) -> None:
    with Workspace.open(chain_ws) as ws:
        expected = cluster(load(ws, "btc").for_clustering())
        built = store.build(ws, "btc")
    assert dict(store.ClusterMap(built)) == expected.cluster_of
    assert built.clusters == len(expected.sizes)
    assert built.coinjoins == expected.coinjoins
    assert built.coinjoins  # the generated chain mixes through CoinJoins


@pytest.mark.parametrize("model", taint.MODELS)
def test_traces_agree_with_the_in_memory_graph(
    chain_ws: Path, generated_chain: tuple[Path, dict[str, Any]], model: taint.Model
) -> None:
    theft = str(generated_chain[1]["btc"]["theft"]["transactions"][0])
    with Workspace.open(chain_ws) as ws:
        loaded = load(ws, "btc")
        graph = store.StoredGraph(store.build(ws, "btc"))
    seeds = [(theft, o.n) for o in loaded.graph.outputs(theft)]
    for direction in ("forward", "backward"):
        expected = taint.trace(loaded.graph, seeds, model, direction=direction)
        assert taint.trace(graph, seeds, model, direction=direction) == expected


def test_saved_beside_the_workspace_and_reopened(
    chain_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.open(chain_ws) as ws:
        assert not store.is_ready(ws, "btc")
        first = store.get_store(ws, "btc")
        assert store.is_ready(ws, "btc")
        assert (chain_ws.parent / "chain.duckdb.chain-index" / "btc" / "manifest.json").exists()
        store._CACHE.clear()  # as a new process would start

        def no_build(*_: Any) -> store.Store:
            raise AssertionError("the store on disk should have been read")

        monkeypatch.setattr(store, "build", no_build)
        again = store.get_store(ws, "btc")
        assert again is not first
        assert again.coinjoins == first.coinjoins
        assert (again.out_value == first.out_value).all()


def test_rebuilt_after_a_load_or_when_damaged(chain_ws: Path) -> None:
    with Workspace.open(chain_ws) as ws:
        store.get_store(ws, "btc")
        with ws.writing() as w:
            w.query("UPDATE source SET loaded_at = loaded_at + INTERVAL 1 DAY")
        assert not store.is_ready(ws, "btc")
        store.get_store(ws, "btc")
        folder = store.store_path(ws, "btc")
        (folder / "out_value.npy").write_bytes(b"not numpy")
        store._CACHE.clear()
        assert store.load(folder, store.fingerprint(ws)) is None
        rebuilt = store.get_store(ws, "btc")
        assert rebuilt.n_tx > 0


# --- bad chains: the build names the first transaction that fails --------------------------

T = datetime(2024, 1, 1, tzinfo=UTC)


def _chain(
    path: Path, txs: list[tuple[str, int, list[tuple[str | None, int, int]], list[int]]]
) -> Workspace:
    """A workspace holding ``txs``: (hash, block, inputs as (spent hash, n, value), output
    values); every output pays its own address ``a-<hash>-<n>``."""
    ws = Workspace.open(path, create=True)
    with ws.writing() as w:
        source = {"source_id": "s", "uri": "x", "sha256": "0", "adapter": "bitcoin-etl"}
        w.insert(
            "source",
            [
                {
                    **source,
                    "adapter_version": "1",
                    "loaded_at": T,
                    "rows_read": 1,
                    "rows_quarantined": 0,
                }
            ],
        )
        for tx_hash, block, inputs, outputs in txs:
            w.insert(
                "chain_tx",
                [
                    {
                        "chain": "btc",
                        "tx_hash": tx_hash,
                        "block_number": block,
                        "block_time": T,
                        "tx_index": 0,
                        "is_coinbase": not inputs,
                        "source_id": "s",
                    }
                ],
            )
            w.insert(
                "chain_input",
                [
                    {
                        "chain": "btc",
                        "tx_hash": tx_hash,
                        "n": i,
                        "spent_tx_hash": spent,
                        "spent_n": n,
                        "value": value,
                        "source_id": "s",
                    }
                    for i, (spent, n, value) in enumerate(inputs)
                ],
            )
            w.insert(
                "chain_output",
                [
                    {
                        "chain": "btc",
                        "tx_hash": tx_hash,
                        "n": n,
                        "address": f"a-{tx_hash}-{n}",
                        "value": value,
                        "source_id": "s",
                    }
                    for n, value in enumerate(outputs)
                ],
            )
    return ws


def test_a_small_chain(tmp_path: Path) -> None:
    with _chain(
        tmp_path / "w.duckdb",
        [("a", 1, [], [100]), ("b", 2, [("a", 0, 100)], [60, 30]), ("c", 3, [("z", 0, 5)], [5])],
    ) as ws:
        built = store.build(ws, "btc")
    graph = store.StoredGraph(built)
    assert graph.spender(("a", 0)) == "b"
    assert graph.spender(("b", 1)) is None
    b = graph.tx("b")
    assert b is not None and b.fee == 10 and b.time == T.replace(tzinfo=None)
    c = graph.tx("c")
    assert c is not None and c.inputs == (taint.TxIn("z", 0, None, 5),)  # spends outside
    assert store.ClusterMap(built)["a-b-0"] == "a-b-0"


@pytest.mark.parametrize(
    ("txs", "culprit", "reason"),
    [
        (
            [("a", 1, [], [100]), ("b", 2, [("a", 0, 100)], [100]), ("c", 3, [("a", 0, 100)], [1])],
            "c",
            "already spent by b",
        ),
        ([("a", 2, [], [100]), ("b", 1, [("a", 0, 100)], [100])], "b", "which is not earlier"),
        ([("a", 1, [], [100]), ("b", 2, [("a", 0, 99)], [99])], "b", "does not match the output"),
        ([("a", 1, [], [100]), ("b", 2, [("a", 5, 100)], [99])], "b", "does not match the output"),
        (
            [("a", 1, [], [100]), ("b", 2, [("a", 0, 100)], [101])],
            "b",
            "outputs exceed inputs by 1",
        ),
    ],
)
def test_bad_chains_are_refused(
    tmp_path: Path,
    txs: list[tuple[str, int, list[tuple[str | None, int, int]], list[int]]],
    culprit: str,
    reason: str,
) -> None:
    with _chain(tmp_path / "w.duckdb", txs) as ws, pytest.raises(InputError) as error:
        store.build(ws, "btc")
    assert error.value.location == culprit
    assert reason in error.value.reason
