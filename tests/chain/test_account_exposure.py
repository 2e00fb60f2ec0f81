"""Exposure on an account chain, on the generated ethereum chain: the attacker's address got
all its ether and tokens straight from the victim exchange's hot wallet (the theft), and
sent them through its own hops to exchanges, the bridge and the mixer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain.account_exposure import account_exposure, account_exposure_json
from sanctrace.chain.exposure import Side
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

Generated = tuple[Path, dict[str, Any]]


@pytest.fixture(scope="module")
def ws(generated_chain: Generated) -> Iterator[Workspace]:
    with Workspace.open(generated_chain[0]) as opened:
        yield opened


def attacker(generated: Generated) -> str:
    return str(generated[1]["eth"]["theft"]["outputs"][0]["address"])


def reached(side: Side) -> dict[str, int]:
    """Direct plus indirect, per category: what a trace over all the hops reached."""
    out: dict[str, int] = defaultdict(int)
    for part in (side.direct, side.indirect):
        for category, row in part.items():
            out[category] += row.amount
    return dict(out)


def truth_by_category(exits: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for e in exits:
        out[e["category"]] += e["amount"]
    return dict(out)


@pytest.mark.parametrize("asset", ["ETH", "token"])
def test_the_attacker(ws: Workspace, generated_chain: Generated, asset: str) -> None:
    truth = generated_chain[1]["eth"]
    stolen = next(o for o in truth["theft"]["outputs"] if (o["asset"] == "ETH") == (asset == "ETH"))
    found = account_exposure(
        ws, stolen["address"], asset=None if asset == "ETH" else stolen["asset"]
    )
    assert found.cluster == found.address == stolen["address"]
    # inbound: all of it, one hop back, from the victim exchange's hot wallet
    assert found.inbound.total == stolen["amount"]
    assert set(found.inbound.direct) == {"exchange"} and not found.inbound.indirect
    assert found.inbound.direct["exchange"].counterparties == {
        "Synthex hot wallet": stolen["amount"]  # the victim's, tagged in the tag packs
    }
    assert [p[2] for p in found.inbound.paths] == [(stolen["transaction"],)]
    # outbound: exactly where the generator sent the stolen funds, per category (the
    # stolen funds never met clean ones on the way, so haircut is exact)
    key = "ETH" if asset == "ETH" else stolen["asset"]
    assert reached(found.outbound) == truth_by_category(truth["assets"][key]["exits"])
    for part in (found.outbound.direct, found.outbound.indirect):
        for row in part.values():
            assert 0 < row.weighted <= row.amount
            assert sum(row.counterparties.values()) == row.amount
    (heaviest, *_) = sorted(found.outbound.paths, key=lambda p: -p[3])
    assert heaviest[2][0] == stolen["transaction"]  # every path starts at the theft


def test_one_hop_is_the_direct_exposure(ws: Workspace, generated_chain: Generated) -> None:
    address = attacker(generated_chain)
    near, far = account_exposure(ws, address, hops=1), account_exposure(ws, address, hops=5)
    for one, five in ((near.inbound, far.inbound), (near.outbound, far.outbound)):
        assert one.direct == five.direct and one.indirect == {}
    # the attacker sent ether only through its own hops: nothing direct, all indirect
    assert far.outbound.direct == {} and far.outbound.indirect


def test_json_is_the_utxo_shape_with_the_asset(ws: Workspace, generated_chain: Generated) -> None:
    address = attacker(generated_chain)
    body = account_exposure_json(ws, address)
    assert (body["chain"], body["asset"], body["address"]) == ("eth", "eth", address)
    row = body["inbound"]["direct"]["exchange"]
    assert row["share"] == 1.0 and row["amount"] == body["inbound"]["received"]
    assert set(body["outbound"]) == {"received", "direct", "indirect", "paths"}


def test_bad_input_says_why(ws: Workspace, generated_chain: Generated) -> None:
    address = attacker(generated_chain)
    with pytest.raises(InputError, match="no eth transfer of eth to this address"):
        account_exposure(ws, "0x" + "ab" * 20)
    with pytest.raises(InputError, match="no '0x00' transfers"):
        account_exposure(ws, address, asset="0x00")
    with pytest.raises(InputError, match="at least 1"):
        account_exposure(ws, address, hops=0)
    with pytest.raises(InputError, match="no 'ltc' transfers"):
        account_exposure(ws, address, chain="ltc")
