"""The relational clustering and exposure (the scale-out path) against the embedded path:
labels equal to the store's clusters, shares equal to the scipy matrices' rows, and on Spark
equal to DuckDB."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from sanctrace.chain import exposure_index, store, views
from sanctrace.chain.parties import get_parties
from sanctrace.chain.relational import cluster_labels, exposure_shares, parties_table
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

Generated = tuple[Path, dict[str, Any]]
Shares = dict[tuple[str, str, str, int], float]


@pytest.fixture(scope="module")
def chain_path(generated_chain: Generated, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy: the relational stages write scratch tables (temporary on DuckDB,
    Parquet beside the workspace on Spark)."""
    path = tmp_path_factory.mktemp("relational") / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    return path


@pytest.fixture(scope="module")
def ws(chain_path: Path) -> Iterator[Workspace]:
    with Workspace.open(chain_path) as opened:
        yield opened


@pytest.fixture(scope="module")
def built(ws: Workspace) -> store.Store:
    return store.build(ws, "btc")


@pytest.fixture(scope="module")
def parties(ws: Workspace) -> pa.Table:
    view = views.utxo(ws, "btc")
    return parties_table(view.store, get_parties(view.store, view.services).addr_party)


def as_dict(labels: pa.Table) -> dict[str, str]:
    return dict(zip(labels["address"].to_pylist(), labels["cluster"].to_pylist(), strict=True))


def as_shares(table: pa.Table) -> Shares:
    return {
        (r["direction"], r["reach"], r["tx_hash"], r["party"]): r["share"]
        for r in table.to_pylist()
    }


def matrix_shares(ws: Workspace, hops: int) -> Shares:
    """Every non-zero entry of ``exposure_index.build``'s four matrices."""
    view = views.utxo(ws, "btc")
    index = exposure_index.build(view.store, view.services, hops)
    found: Shares = {}
    for direction, pair in (("inbound", index.inbound), ("outbound", index.outbound)):
        for reach, matrix in zip(("direct", "total"), pair, strict=True):
            coo = matrix.tocoo()
            for row, col, value in zip(coo.row, coo.col, coo.data, strict=True):
                if value:
                    key = (direction, reach, view.store.tx_hash_of(int(row)), int(col))
                    found[key] = found.get(key, 0.0) + float(value)
    return found


def assert_close(got: Shares, expected: Shares) -> None:
    assert got.keys() == expected.keys()
    wrong = {
        k: (got[k], v) for k, v in expected.items() if not math.isclose(got[k], v, rel_tol=1e-9)
    }
    assert not wrong


# --- clustering ------------------------------------------------------------------------------


def test_clusters_equal_the_store(ws: Workspace, built: store.Store) -> None:
    told: list[str] = []
    labels = cluster_labels(ws, "btc", sorted(built.coinjoins), steps=told.append)
    assert labels.schema.names == ["address", "cluster"]
    assert labels["address"].to_pylist() == sorted(labels["address"].to_pylist())
    got = as_dict(labels)
    assert got == dict(store.ClusterMap(built))
    assert len(set(got.values())) == built.clusters
    assert any(t.startswith("clustering iteration") for t in told)
    # the CoinJoins are what keeps clusters apart: clustered through, some merge
    assert built.coinjoins
    through = as_dict(cluster_labels(ws, "btc"))
    assert len(set(through.values())) < built.clusters


def _path_chain(path: Path, n: int) -> Workspace:
    """A chain whose clusters form one path of ``n`` addresses, named so that the smallest
    is at the far end: each address gets two coinbase outputs, and spend i joins an output
    of address i with one of address i + 1 (plus a change address of its own)."""
    when = datetime(2024, 1, 1, tzinfo=UTC)
    ws = Workspace.open(path, create=True)
    name = [f"p{n - i:05d}" for i in range(n)]
    txs, ins, outs = [], [], []
    for i in range(n):
        txs.append((f"c{i:05d}", 1, i, True))
        outs += [(f"c{i:05d}", k, name[i], 10) for k in (0, 1)]
    for i in range(n - 1):
        h = f"s{i:05d}"
        txs.append((h, 2, i, False))
        ins += [(h, 0, f"c{i:05d}", 1, 10), (h, 1, f"c{i + 1:05d}", 0, 10)]
        outs.append((h, 0, f"q{i:05d}", 19))
    common = {"chain": "btc", "source_id": "s"}
    with ws.writing() as w:
        w.insert(
            "source",
            [
                {
                    "source_id": "s",
                    "uri": "x",
                    "sha256": "0",
                    "adapter": "bitcoin-etl",
                    "adapter_version": "1",
                    "loaded_at": when,
                    "rows_read": 1,
                    "rows_quarantined": 0,
                }
            ],
        )
        w.insert(
            "chain_tx",
            [
                {**common, "tx_hash": h, "block_number": b, "block_time": when, "tx_index": i}
                | {"is_coinbase": cb}
                for h, b, i, cb in txs
            ],
        )
        w.insert(
            "chain_input",
            [
                {**common, "tx_hash": h, "n": k, "spent_tx_hash": s, "spent_n": sn, "value": v}
                for h, k, s, sn, v in ins
            ],
        )
        w.insert(
            "chain_output",
            [{**common, "tx_hash": h, "n": k, "address": a, "value": v} for h, k, a, v in outs],
        )
    return ws


def test_a_long_path_takes_few_iterations(tmp_path: Path) -> None:
    """Propagation alone would take one iteration per address of the path; pointer jumping
    about doubles the reach of a label per iteration."""
    n = 256
    with _path_chain(tmp_path / "path.duckdb", n) as ws:
        told: list[str] = []
        got = as_dict(cluster_labels(ws, "btc", steps=told.append))
        expected = dict(store.ClusterMap(store.build(ws, "btc")))
    assert got == expected
    assert {got[f"p{n - i:05d}"] for i in range(n)} == {"p00001"}
    assert got["q00000"] == "q00000"
    iterations = sum(t.startswith("clustering iteration") for t in told)
    assert iterations <= 2 * math.log2(n)


# --- exposure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("hops", [1, 5])
def test_shares_equal_the_matrices(ws: Workspace, parties: pa.Table, hops: int) -> None:
    shares = exposure_shares(ws, "btc", parties, hops)
    assert shares.schema.names == ["tx_hash", "direction", "reach", "party", "share"]
    got = as_shares(shares)
    assert_close(got, matrix_shares(ws, hops))
    assert {k[:2] for k in got} == {
        (d, r) for d in ("inbound", "outbound") for r in ("direct", "total")
    }
    direct = {(d, t, p): v for (d, r, t, p), v in got.items() if r == "direct"}
    total = {(d, t, p): v for (d, r, t, p), v in got.items() if r == "total"}
    if hops == 1:
        assert direct.keys() == total.keys()
    else:  # indirect exposure reaches transactions that pay no service themselves
        assert len(total) > len(direct)
    assert all(0 < v <= 1 + 1e-9 for v in got.values())
    assert not [t for t in ws.con.list_tables() if t.startswith("sanctrace_rel_")]


def test_no_parties_no_shares(ws: Workspace, parties: pa.Table) -> None:
    assert exposure_shares(ws, "btc", parties.slice(0, 0), 3).num_rows == 0


def test_bad_arguments_are_refused(ws: Workspace, parties: pa.Table) -> None:
    with pytest.raises(InputError, match="at least 1"):
        exposure_shares(ws, "btc", parties, 0)
    with pytest.raises(InputError, match="address and party"):
        exposure_shares(ws, "btc", parties.rename_columns(["addr", "party"]), 2)


# --- Spark -------------------------------------------------------------------------------------


@pytest.mark.spark
def test_spark_equals_duckdb(
    ws: Workspace, built: store.Store, parties: pa.Table, chain_path: Path
) -> None:
    """One Spark test (a session takes about 25 s to start, each materialised step a
    second or so): clusters and shares on Spark equal DuckDB's, which the tests above tie
    to the embedded path."""
    spark = Workspace.open(chain_path, backend="spark")
    # the store's relational build (ordering, joins, address ids) on Spark: the same arrays
    on_spark = store.build(spark, "btc")
    for name in store.COLUMNS:
        assert np.array_equal(on_spark.arrays[name], built.arrays[name]), name
    assert on_spark.coinjoins == built.coinjoins
    coinjoins = sorted(built.coinjoins)
    labels = cluster_labels(spark, "btc", coinjoins)
    assert labels.equals(cluster_labels(ws, "btc", coinjoins))
    assert as_dict(labels) == dict(store.ClusterMap(built))
    assert_close(
        as_shares(exposure_shares(spark, "btc", parties, 3)),
        as_shares(exposure_shares(ws, "btc", parties, 3)),
    )
    scratch = chain_path.with_name(chain_path.name + ".parquet")
    assert not list(scratch.glob(".relational-*"))  # the scratch tables are gone
    assert not [t for t in spark.con.list_tables() if t.startswith("sanctrace_rel_")]
