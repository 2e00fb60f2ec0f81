"""A chain as the tracing engines read it, opened once per process and workspace state.

A UTXO chain comes from its ``store`` (columns with precomputed clusters, built once after a
load and memory-mapped by later processes); an account chain's transfers are loaded whole. A
long-running process (the API, the web pages, the report) keeps both, and the services
attributed so far, until a source is loaded (``Workspace.state``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sanctrace.chain import accounts
from sanctrace.chain.account_taint import Transfer
from sanctrace.chain.attribution import Attribution, attribute
from sanctrace.chain.store import ClusterMap, Steps, Store, StoredGraph, get_store
from sanctrace.workspace import Workspace

KEEP = 4
"""Chains kept per process (the most recently used)."""


@dataclass(frozen=True)
class UtxoView:
    store: Store
    graph: StoredGraph
    cluster_of: ClusterMap
    services: Attribution

    @property
    def name(self) -> str:
        return self.store.chain


@dataclass(frozen=True)
class AccountView:
    transfers: list[Transfer]
    services: accounts.AccountAttribution


_CACHE: OrderedDict[tuple[str, str, str, str], UtxoView | AccountView] = OrderedDict()
_LOCK = threading.Lock()


Key = tuple[str, str, str, str]


def _key(ws: Workspace, kind: str, chain: str) -> Key:
    return (str(ws.path), ws.state(), kind, chain)


def _cached(key: Key) -> UtxoView | AccountView | None:
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
        return found


def _keep(key: Key, view: UtxoView | AccountView) -> None:
    with _LOCK:
        _CACHE[key] = view
        while len(_CACHE) > KEEP:
            _CACHE.popitem(last=False)


def utxo(ws: Workspace, chain: str, steps: Steps | None = None) -> UtxoView:
    """The UTXO chain with its clusters (multi-input) and services; ``steps`` is told the
    store's build steps when it must be built."""
    key = _key(ws, "utxo", chain)
    found = _cached(key)
    if isinstance(found, UtxoView):
        return found
    store = get_store(ws, chain, steps)
    graph, cluster_of = StoredGraph(store), ClusterMap(store)
    view = UtxoView(store, graph, cluster_of, attribute(ws, chain, graph, cluster_of))
    _keep(key, view)
    return view


def account(ws: Workspace, chain: str) -> AccountView:
    """The account chain's transfers (fees included) and its services."""
    key = _key(ws, "account", chain)
    found = _cached(key)
    if isinstance(found, AccountView):
        return found
    transfers = accounts.load(ws, chain)
    view = AccountView(transfers, accounts.attribute(ws, chain, transfers))
    _keep(key, view)
    return view
