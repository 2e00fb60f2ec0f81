"""The bulk engine against the taint engine: the same exits, holdings, fees and dust."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain import bulk_taint, parties, taint, views
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace


@pytest.fixture(scope="module")
def view(
    generated_chain: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> views.UtxoView:
    path = tmp_path_factory.mktemp("bulk") / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    with Workspace.open(path) as ws:
        return views.utxo(ws, "btc")


def _ledger(t: taint.Trace) -> tuple[Any, ...]:
    return (
        t.seed_amount,
        t.absorbed,
        tuple((e.address, e.label, e.amount, e.first_seen, e.last_seen) for e in t.exits),
        t.unspent,
        t.at_limit,
        t.fees,
        t.dust,
        t.returned,
    )


@pytest.mark.parametrize("model", bulk_taint.MODELS)
@pytest.mark.parametrize(
    ("max_hops", "min_amount"), [(None, 0), (3, 0), (None, 50_000), (6, 1_000)]
)
def test_same_as_the_taint_engine(
    view: views.UtxoView,
    generated_chain: tuple[Path, dict[str, Any]],
    model: str,
    max_hops: int | None,
    min_amount: int,
) -> None:
    theft = str(generated_chain[1]["btc"]["theft"]["transactions"][0])
    named = parties.get_parties(view.store, view.services)
    seeds = [(theft, o.n) for o in view.graph.outputs(theft)]
    expected = taint.trace(
        view.graph,
        seeds,
        model,  # type: ignore[arg-type]
        max_hops=max_hops,
        min_amount=min_amount,
        is_exit=lambda a: named.exit_label(view.store.address_id(a)),
    )
    found = bulk_taint.trace(
        view.graph, seeds, model, named, max_hops=max_hops, min_amount=min_amount
    )
    assert _ledger(found) == _ledger(expected)
    assert found.accounted == found.seed_amount + found.absorbed
    assert found.exits and all(len(e.paths) == 1 for e in found.exits)
    for e in found.exits:
        (path,) = e.paths
        assert path.tx_hashes[0] == theft and 0 < path.amount <= e.amount


def test_seeds_anywhere_and_bad_input(view: views.UtxoView) -> None:
    named = parties.get_parties(view.store, view.services)
    tx = view.graph.tx_at(view.store.n_tx // 2)
    seeds = [(tx.tx_hash, o.n) for o in tx.outputs]
    expected = taint.trace(
        view.graph,
        seeds,
        "haircut",
        is_exit=lambda a: named.exit_label(view.store.address_id(a)),
    )
    assert _ledger(bulk_taint.trace(view.graph, seeds, "haircut", named)) == _ledger(expected)
    with pytest.raises(InputError, match="bulk engine runs"):
        bulk_taint.trace(view.graph, seeds, "fifo", named)
    with pytest.raises(InputError, match="no such output"):
        bulk_taint.trace(view.graph, [(tx.tx_hash, 999)], "haircut", named)
