"""Exposure of the generated attacker: its coins came straight from an exchange's hot wallet
(the theft) and went, through its own hops, to exchanges, the bridge and the mixer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain.exposure import exposure, to_json
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

Generated = tuple[Path, dict[str, Any]]


@pytest.fixture(scope="module")
def ws(generated_chain: Generated) -> Iterator[Workspace]:
    with Workspace.open(generated_chain[0]) as opened:
        yield opened


def test_a_theft_address(ws: Workspace, generated_chain: Generated) -> None:
    theft = generated_chain[1]["btc"]["theft"]
    first = theft["outputs"][0]
    found = exposure(ws, first["address"])
    # inbound: all of it, one hop back, from the victim exchange's hot wallet
    assert found.inbound.total == first["amount"]
    assert set(found.inbound.direct) == {"exchange"}
    assert found.inbound.direct["exchange"].amount == first["amount"]
    # outbound: only through the attacker's own hops, so none of it is direct
    assert not found.outbound.direct
    reached = sum(r.amount for r in found.outbound.indirect.values())
    assert 0 < reached <= found.outbound.total
    assert "exchange" in found.outbound.indirect
    for row in found.outbound.indirect.values():
        assert row.weighted <= row.amount
        assert sum(row.counterparties.values()) == row.amount


def test_more_hops_reach_at_least_as_far(ws: Workspace, generated_chain: Generated) -> None:
    address = generated_chain[1]["btc"]["theft"]["outputs"][0]["address"]
    near, far = exposure(ws, address, hops=2), exposure(ws, address, hops=8)

    def total(side: Any) -> int:
        return sum(r.amount for part in (side.direct, side.indirect) for r in part.values())

    assert total(near.outbound) <= total(far.outbound)


def test_json(ws: Workspace, generated_chain: Generated) -> None:
    address = generated_chain[1]["btc"]["theft"]["outputs"][0]["address"]
    body = to_json(exposure(ws, address))
    assert body["address"] == address and body["inbound"]["received"].isdigit()
    row = body["inbound"]["direct"]["exchange"]
    assert row["share"] == 1.0 and row["amount"].isdigit()


def test_unknown_address(ws: Workspace) -> None:
    with pytest.raises(InputError, match="no btc output pays"):
        exposure(ws, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT")
