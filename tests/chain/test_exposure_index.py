"""Precomputed exposure against two references: a path-by-path haircut in exact fractions,
and (with hops enough to reach every service) the taint engine's own traces."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from fractions import Fraction
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sanctrace.chain import exposure_index, store, taint, views
from sanctrace.chain.exposure import Exposure, exposure
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

Generated = tuple[Path, dict[str, Any]]
Amounts = dict[tuple[str, str], int]  # (category, label) -> amount


@pytest.fixture(scope="module")
def ws(generated_chain: Generated, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("exposure") / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    with Workspace.open(path) as opened:
        yield opened


def _amounts(found: Exposure, direction: str) -> tuple[Amounts, Amounts]:
    side = found.inbound if direction == "backward" else found.outbound
    direct = {
        (c, label): a for c, r in side.direct.items() for label, a in r.counterparties.items()
    }
    total = dict(direct)
    for c, r in side.indirect.items():
        for label, a in r.counterparties.items():
            total[(c, label)] = total.get((c, label), 0) + a
    return direct, total


def _reference(view: views.UtxoView, address: str, hops: int, direction: str) -> Amounts:
    """Haircut by enumerating paths of at most ``hops`` transactions, in exact fractions,
    each coin on its own: the definition ``exposure_index`` computes with matrices."""
    graph, services = view.graph, view.services

    def party(a: str | None) -> tuple[str, str] | None:
        service = None if a is None else services.service(a)
        return None if service is None else (service.category, service.label)

    # the services of the address's own cluster are never its counterparties
    members = view.store.addr_cluster == view.store.addr_cluster[view.store.address_id(address)]
    mine = {party(view.store.address(int(m))) for m in members.nonzero()[0]} - {None}

    @cache
    def shares(tx_hash: str, left: int) -> dict[tuple[str, str], Fraction]:
        tx = graph.tx(tx_hash)
        assert tx is not None
        whole = sum(i.value for i in tx.inputs)
        out: dict[tuple[str, str], Fraction] = {}
        if whole == 0:
            return out
        steps: list[tuple[int, str | None, str | None]]
        if direction == "backward":
            steps = [
                (i.value, i.address, i.spent_tx_hash)
                for i in tx.inputs
                if i.spent_tx_hash is not None and graph.tx(i.spent_tx_hash) is not None
            ]
        else:
            steps = [(o.value, o.address, graph.spender((tx_hash, o.n))) for o in tx.outputs]
        for value, a, neighbour in steps:
            share = Fraction(value, whole)
            found = party(a)
            if found is not None:
                if found not in mine:
                    out[found] = out.get(found, Fraction(0)) + share
            elif left > 1 and neighbour is not None:
                for key, more in shares(neighbour, left - 1).items():
                    out[key] = out.get(key, Fraction(0)) + share * more
        return out

    total: dict[tuple[str, str], Fraction] = {}
    for tx_hash, n in graph.paying(address):
        out = graph.output((tx_hash, n))
        assert out is not None
        start = tx_hash if direction == "backward" else graph.spender((tx_hash, n))
        if start is None:
            continue
        for key, share in shares(start, hops).items():
            total[key] = total.get(key, Fraction(0)) + share * out.value
    return {k: round(v) for k, v in total.items() if round(v)}


def _addresses(view: views.UtxoView) -> list[str]:
    return [
        a
        for aid in range(view.store.n_addresses)
        if (a := view.store.address(aid)) is not None and view.graph.paying(a)
    ]


def _close(found: Amounts, expected: Amounts, tolerance: int) -> None:
    for key in set(found) | set(expected):
        assert abs(found.get(key, 0) - expected.get(key, 0)) <= tolerance, key


@pytest.mark.parametrize("hops", [1, 2, 5])
def test_equals_the_path_by_path_reference(ws: Workspace, hops: int) -> None:
    view = views.utxo(ws, "btc")
    addresses = _addresses(view)
    assert len(addresses) > 200
    for address in addresses:
        found = exposure(ws, address, hops=hops)
        for direction in ("backward", "forward"):
            direct, total = _amounts(found, direction)
            _close(total, _reference(view, address, hops, direction), tolerance=1)
            _close(direct, _reference(view, address, 1, direction), tolerance=1)


def test_reaching_every_service_equals_the_taint_engine(ws: Workspace) -> None:
    """With hops beyond the chain's depth, the shares equal one haircut trace per coin."""
    view = views.utxo(ws, "btc")
    index = exposure_index.get_index(view.store, view.services, 200)
    compared = 0
    for address in _addresses(view)[::5]:  # a sample: one trace per coin is slow
        aid = view.store.address_id(address)
        assert aid is not None
        if exposure_index.own_parties(index, view.store, aid):
            continue  # the engine would trace through the service's own wallets
        found = exposure(ws, address, hops=200)
        for direction in ("backward", "forward"):
            expected: Amounts = {}
            for seed in view.graph.paying(address):
                traced = taint.trace(
                    view.graph, [seed], "haircut", direction=direction, is_exit=view.services.label
                )
                for e in traced.exits:
                    service = view.services.service(e.address)
                    assert service is not None
                    key = (service.category, service.label)
                    expected[key] = expected.get(key, 0) + e.amount
            _close(_amounts(found, direction)[1], expected, tolerance=32)
        compared += 1
    assert compared > 30


def test_paths_lead_to_the_counterparty(ws: Workspace, generated_chain: Generated) -> None:
    view = views.utxo(ws, "btc")
    address = generated_chain[1]["btc"]["theft"]["outputs"][0]["address"]
    found = exposure(ws, address)
    assert found.outbound.paths
    for category, label, txs, amount in found.outbound.paths:
        assert amount > 0 and txs
        first = view.graph.tx(txs[0])
        assert first is not None and address in {i.address for i in first.inputs}
        for earlier, later in pairwise(txs):
            tx = view.graph.tx(later)
            assert tx is not None and earlier in {i.spent_tx_hash for i in tx.inputs}
        last = view.graph.tx(txs[-1])
        assert last is not None
        paid = {view.services.service(o.address) for o in last.outputs if o.address}
        assert any(s is not None and (s.category, s.label) == (category, label) for s in paid)


def test_a_deposit_address_does_not_count_its_own_exchange(ws: Workspace) -> None:
    view = views.utxo(ws, "btc")
    for address in _addresses(view):
        service = view.services.service(address)
        if service is not None and service.evidence == "deposit":
            break
    else:
        pytest.fail("the generated chain has swept deposit addresses")
    found = exposure(ws, address)
    for side in (found.inbound, found.outbound):
        for part in (side.direct, side.indirect):
            for row in part.values():
                assert service.label not in row.counterparties


def test_saved_beside_the_store(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    view = views.utxo(ws, "btc")
    first = exposure_index.get_index(view.store, view.services)
    assert view.store.folder is not None
    assert (view.store.folder / f"exposure-{exposure_index.HOPS}" / "manifest.json").exists()
    exposure_index._CACHE.clear()

    def no_build(*_: Any) -> None:
        raise AssertionError("the index on disk should have been read")

    monkeypatch.setattr(exposure_index, "build", no_build)
    again = exposure_index.get_index(view.store, view.services)
    assert again.parties == first.parties
    assert (again.inbound[1] != first.inbound[1]).nnz == 0
    assert store.store_path(ws, "btc") == view.store.folder


def test_a_whole_cluster_counts_what_it_received_from_others(ws: Workspace) -> None:
    view = views.utxo(ws, "btc")
    s = view.store
    sizes = np.bincount(s.addr_cluster, minlength=s.n_addresses)
    cluster = int(np.flatnonzero(sizes >= 3)[0])
    members = {s.address(int(a)) for a in np.flatnonzero(s.addr_cluster == cluster)}
    address = next(iter(sorted(a for a in members if a and view.graph.paying(a))))
    found = exposure(ws, address, whole_cluster=True)
    assert found.whole_cluster and found.cluster == view.services.cluster(address)
    received = 0
    for member in members:
        assert member is not None
        for tx_hash, n in view.graph.paying(member):
            tx = view.graph.tx(tx_hash)
            assert tx is not None
            if not {i.address for i in tx.inputs} & members:  # paid by someone else
                out = view.graph.output((tx_hash, n))
                assert out is not None
                received += out.value
    assert found.inbound.total == found.outbound.total == received
    with pytest.raises(InputError, match="no btc output pays"):
        exposure(ws, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", whole_cluster=True)
