"""Exposure (KYT) on account chains: :mod:`sanctrace.chain.exposure`'s answer for an address
of Ethereum and its kin, from the account taint engine.

The same rules as on UTXO chains, over what the address received in one asset:

- inbound: the transfers into the address, traced backward to the services they came from;
- outbound: the same transfers, traced forward to the first services the funds reached.

Both with the haircut model. Direct exposure is what one hop reaches (``max_hops=1``: the
senders of the transfers into the address inbound, the receivers of what it sent
outbound), indirect what the remaining hops add; both are exact integers in the asset's
native units, weighted per category by the tags' confidence as on UTXO chains. An account
chain has no multi-input clusters, so the address is its own cluster and only it is left
out of the counterparties.

Assets are scored separately, as they are traced: the chain's coin by default
(``native_asset``), a token by its contract address.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sanctrace.chain import account_taint, views
from sanctrace.chain.account_taint import AccountTrace, Transfer
from sanctrace.chain.accounts import AccountAttribution
from sanctrace.chain.exposure import (
    UNKNOWN_CONFIDENCE,
    CategoryExposure,
    Exposure,
    Side,
    _minus,
    to_json,
)
from sanctrace.chain.taint import Direction
from sanctrace.errors import InputError
from sanctrace.sources.ethereum_etl import COIN
from sanctrace.workspace import Workspace


def native_asset(chain: str) -> str:
    """The asset name of ``chain``'s own coin in the workspace (eth, bnb on bsc, ...)."""
    return COIN.get(chain, chain)


def _by_category(
    result: AccountTrace, services: AccountAttribution, own: str
) -> dict[str, CategoryExposure]:
    """The trace's exits per service category, weighted by the tags' confidence (the
    account-chain twin of ``exposure._by_category``: no clusters, the address is its own)."""
    out: dict[str, CategoryExposure] = defaultdict(CategoryExposure)
    for e in result.exits:
        service = services.service(e.address)
        if service is None or e.address == own:
            continue
        row = out[service.category]
        row.amount += e.amount
        level = service.confidence if service.confidence is not None else UNKNOWN_CONFIDENCE
        row.weighted += e.amount * level // 100
        row.counterparties[service.label] = row.counterparties.get(service.label, 0) + e.amount
    return dict(out)


def received(transfers: list[Transfer], address: str, asset: str) -> list[Transfer]:
    """The transfers of ``asset`` into ``address``: the seeds of both sides."""
    return [t for t in transfers if t.to_address == address and t.asset == asset]


def account_exposure(
    ws: Workspace, address: str, *, chain: str = "eth", hops: int = 5, asset: str | None = None
) -> Exposure:
    """Inbound and outbound exposure of ``address`` in ``asset`` (the chain's coin when None)
    on an account chain (see the module docstring)."""
    if hops < 1:
        raise InputError("hops", f"{hops}: give at least 1")
    view = views.account(ws, chain)
    transfers, services = view.transfers, view.services
    address = address.strip().lower()
    asset = (asset or native_asset(chain)).strip().lower()
    seeds = received(transfers, address, asset)
    if not seeds:
        if not any(t.asset == asset for t in transfers):
            raise InputError("asset", f"no {asset!r} transfers on {chain} in the workspace")
        raise InputError(address, f"no {chain} transfer of {asset} to this address")

    def stop(a: str) -> str | None:
        return None if a == address else services.label(a)

    def side(direction: Direction) -> Side:
        def trace(max_hops: int) -> AccountTrace:
            return account_taint.trace_accounts(
                transfers, seeds, "haircut", direction=direction, max_hops=max_hops, is_exit=stop
            )[asset]

        near, far = trace(1), trace(hops)
        direct = _by_category(near, services, address)
        total = _by_category(far, services, address)
        paths = tuple(
            (svc.category, svc.label, p.tx_hashes, p.amount)
            for e in far.exits
            if (svc := services.service(e.address)) is not None
            for p in e.paths[:1]
        )
        return Side(far.seed_amount, direct, _minus(total, direct), paths)

    return Exposure(address, chain, address, hops, side("backward"), side("forward"))


def account_exposure_json(
    ws: Workspace, address: str, *, chain: str = "eth", hops: int = 5, asset: str | None = None
) -> dict[str, Any]:
    """``exposure.to_json`` of :func:`account_exposure`, with the asset it is in."""
    found = account_exposure(ws, address, chain=chain, hops=hops, asset=asset)
    return {**to_json(found), "asset": (asset or native_asset(chain)).strip().lower()}
