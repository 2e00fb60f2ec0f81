"""A chain as the tracing engines read it, loaded once per process and workspace state.

Loading a chain, clustering its addresses and attributing services take seconds to minutes
on large chains, and every ``trace`` or ``exposure`` needs all three; a long-running process
(the API, the web pages, the report) keeps them until a source is loaded
(``Workspace.state``). A CLI call still pays them once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sanctrace.chain import accounts
from sanctrace.chain.account_taint import Transfer
from sanctrace.chain.attribution import Attribution, attribute
from sanctrace.chain.clustering import ClusterConfig, Clustering, cluster
from sanctrace.chain.graph import Chain, load
from sanctrace.workspace import Workspace

KEEP = 4
"""Chains kept per process (the most recently used)."""


@dataclass(frozen=True)
class UtxoView:
    chain: Chain
    clustering: Clustering
    services: Attribution


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


def utxo(ws: Workspace, chain: str) -> UtxoView:
    """The UTXO chain with its clusters and services (multi-input clustering)."""
    key = _key(ws, "utxo", chain)
    found = _cached(key)
    if isinstance(found, UtxoView):
        return found
    loaded = load(ws, chain)
    clustering = cluster(loaded.for_clustering(), ClusterConfig())
    view = UtxoView(loaded, clustering, attribute(loaded, clustering, ws))
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
