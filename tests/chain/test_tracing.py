"""Tracing through the workspace: a generated theft, traced with every model, reaches the
generator's exits exactly where stolen coins never met clean ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain.taint import MODELS, Model
from sanctrace.chain.tracing import to_json, trace_funds, trace_json
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

Generated = tuple[Path, dict[str, Any]]


@pytest.fixture(scope="module")
def ws(generated_chain: Generated) -> Any:
    with Workspace.open(generated_chain[0]) as opened:
        yield opened


def theft_tx(truth: dict[str, Any]) -> str:
    return str(truth["btc"]["theft"]["transactions"][0])


@pytest.mark.parametrize("model", MODELS)
def test_exits_equal_the_ground_truth(
    ws: Workspace, generated_chain: Generated, model: Model
) -> None:
    truth = generated_chain[1]["btc"]
    found = trace_funds(ws, [theft_tx(generated_chain[1])], model=model)
    assert found.taint.seed_amount == truth["theft"]["amount"]
    assert found.taint.accounted == found.taint.seed_amount + found.taint.absorbed
    exits = {e.address: e for e in found.exits}
    expected = truth["assets"]["BTC"]["exits"]
    assert expected
    for want in expected:
        got = exits[want["address"]]
        assert got.amount == want["amount"], want
        assert got.category == want["category"]
        # deposit addresses are untagged: the sweep into the hot wallet names the exchange
        assert got.evidence == ("tag" if want["tagged"] else "deposit")


def test_models_differ_only_after_mixing(ws: Workspace, generated_chain: Generated) -> None:
    seed = [theft_tx(generated_chain[1])]
    poison = trace_funds(ws, seed, model="poison")
    fifo = trace_funds(ws, seed, model="fifo")
    # poison taints whole transactions: it reaches at least every exit FIFO reaches
    assert {e.address for e in fifo.exits} <= {e.address for e in poison.exits}
    assert poison.taint.absorbed > 0 and fifo.taint.absorbed == 0


def test_seed_forms(ws: Workspace, generated_chain: Generated) -> None:
    theft = generated_chain[1]["btc"]["theft"]
    by_tx = trace_funds(ws, [theft["transactions"][0]])
    outputs = [f"{o['transaction']}:{o['index']}" for o in theft["outputs"]]
    by_outputs = trace_funds(ws, outputs)
    by_address = trace_funds(ws, [o["address"] for o in theft["outputs"]])
    assert set(by_tx.seeds) == set(outputs) == set(by_outputs.seeds)
    assert by_outputs.taint.seed_amount == by_tx.taint.seed_amount
    assert by_address.taint.seed_amount >= by_tx.taint.seed_amount


def test_json_has_amounts_as_integer_strings(ws: Workspace, generated_chain: Generated) -> None:
    body = to_json(trace_funds(ws, [theft_tx(generated_chain[1])], model="haircut"))
    assert body["model"] == "haircut" and body["direction"] == "forward"
    assert isinstance(body["seed_amount"], str) and body["seed_amount"].isdigit()
    exits = body["exits"]
    assert isinstance(exits, list) and exits
    first = exits[0]
    assert set(first) >= {"address", "cluster", "label", "category", "amount", "share"}
    assert first["amount"].isdigit() and 0 < first["share"] <= 1
    assert body["paths"]


def test_backward_from_an_exit_reaches_the_theft(ws: Workspace, generated_chain: Generated) -> None:
    truth = generated_chain[1]["btc"]
    exit_tx = truth["assets"]["BTC"]["exits"][0]["transactions"][0]
    back = trace_funds(ws, [exit_tx], direction="backward", model="fifo", max_hops=40)
    assert back.taint.accounted == back.taint.seed_amount
    assert back.exits or back.taint.sources or back.taint.at_limit


@pytest.mark.parametrize(
    ("seeds", "kwargs", "reason"),
    [
        (["not-a-seed"], {}, "not an output, transaction, address"),
        (["0" * 64], {}, "no btc transaction"),
        (["0" * 64 + ":0"], {}, "no output 0"),
        (["x"], {"chain": "ltc"}, "no 'ltc' transactions"),
        (["x"], {"model": "magic"}, "not one of"),
        (["x"], {"max_hops": 0}, "at least 1"),
    ],
)
def test_bad_requests_say_why(ws: Workspace, seeds: list[str], kwargs: Any, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        trace_funds(ws, seeds, **kwargs)


@pytest.mark.parametrize("model", ["poison", "haircut", "fifo"])
def test_account_chain_exits_equal_the_ground_truth(
    ws: Workspace, generated_chain: Generated, model: str
) -> None:
    truth = generated_chain[1]["eth"]
    body = trace_json(ws, truth["theft"]["transactions"], chain="eth", model=model)
    assets = {a["asset"]: a for a in body["assets"]}  # type: ignore[attr-defined]
    assert set(assets) == {"eth", *(k for k in truth["assets"] if k != "ETH")}
    for key, want in truth["assets"].items():
        got = assets["eth" if key == "ETH" else key]
        assert int(got["seed_amount"]) == want["stolen"]
        exits = {e["address"]: int(e["amount"]) for e in got["exits"]}
        for e in want["exits"]:
            assert exits[e["address"]] == e["amount"], (key, e)


@pytest.mark.parametrize("model", ["haircut", "fifo"])
def test_account_chain_backward_from_each_exit_reaches_the_victim(
    ws: Workspace, generated_chain: Generated, model: str
) -> None:
    """Backward is forward's inverse: every deposit the stolen funds made, traced back, came
    from the hot wallet the theft emptied, in full, by way of the theft."""
    truth = generated_chain[1]["eth"]
    victim, theft = truth["theft"]["victim_address"], truth["theft"]["transactions"]
    for key, want in truth["assets"].items():
        for e in want["exits"]:
            body = trace_json(ws, e["transactions"], chain="eth", model=model, direction="backward")
            assert body["direction"] == "backward"
            (got,) = body["assets"]  # type: ignore[misc]
            assert got["asset"] == ("eth" if key == "ETH" else key)
            assert got["seed_amount"] == str(e["amount"])
            exits = [(x["address"], x["amount"]) for x in got["exits"]]
            assert exits == [(victim, str(e["amount"]))]
            assert got["sources"] == [] and got["unspent"] == []
            assert any(set(p["tx_hashes"]) & set(theft) for p in got["paths"])


def test_account_chains_refuse_what_they_cannot_do(
    ws: Workspace, generated_chain: Generated
) -> None:
    theft = generated_chain[1]["eth"]["theft"]["transactions"]
    with pytest.raises(InputError, match="account chains trace with"):
        trace_json(ws, theft, chain="eth", model="tiho")
    with pytest.raises(InputError, match="not forward or backward"):
        trace_json(ws, theft, chain="eth", direction="sideways")
    with pytest.raises(InputError, match="at least 1"):
        trace_json(ws, theft, chain="eth", max_hops=0)


def test_the_peel_chain_and_the_coinjoins_on_the_way(
    ws: Workspace, generated_chain: Generated
) -> None:
    truth = generated_chain[1]["btc"]
    found = trace_funds(ws, [theft_tx(generated_chain[1])], model="fifo")
    assert [list(c.transactions) for c in found.peel_chains] == [
        p["transactions"] for p in truth["peel_chains"]
    ]
    payments = {(h, a, v) for c in found.peel_chains for h, a, v in c.payments}
    for p in truth["peel_chains"][0]["payments"]:
        assert (p["transaction"], p["address"], p["amount"]) in payments
    coinjoins = truth["coinjoins"]
    known = set(coinjoins) if isinstance(coinjoins, dict) else {c["transaction"] for c in coinjoins}
    assert found.coinjoins_passed and {h for h, _ in found.coinjoins_passed} <= known
