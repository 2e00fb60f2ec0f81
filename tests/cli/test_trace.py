"""``sanctrace trace``: the generated theft traced from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.invoke import run


def test_trace_json(generated_chain: tuple[Path, dict[str, Any]]) -> None:
    path, truth = generated_chain
    theft = truth["btc"]["theft"]["transactions"][0]
    result = run(path, "trace", theft, "--model", "tiho", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["model"] == "tiho" and body["seed_amount"] == str(truth["btc"]["theft"]["amount"])
    exits = {e["address"]: e for e in body["exits"]}
    for want in truth["btc"]["assets"]["BTC"]["exits"]:
        assert exits[want["address"]]["amount"] == str(want["amount"])


def test_trace_table(generated_chain: tuple[Path, dict[str, Any]]) -> None:
    path, truth = generated_chain
    result = run(path, "trace", truth["btc"]["theft"]["transactions"][0])
    assert result.exit_code == 0
    assert "forward fifo trace of" in result.output and "exits" in result.output


def test_unknown_seed_is_one_line_and_exit_2(generated_chain: tuple[Path, dict[str, Any]]) -> None:
    result = run(generated_chain[0], "trace", "nonsense", "--json")
    assert result.exit_code == 2
    assert "nonsense" in result.output and len(result.output.strip().splitlines()) == 1


def test_exposure_json(generated_chain: tuple[Path, dict[str, Any]]) -> None:
    path, truth = generated_chain
    address = truth["btc"]["theft"]["outputs"][0]["address"]
    result = run(path, "exposure", address, "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["inbound"]["direct"]["exchange"]["share"] == 1.0
    assert run(path, "exposure", address).exit_code == 0


def test_trace_eth_backward(generated_chain: tuple[Path, dict[str, Any]]) -> None:
    """Where did the ether in a deposit to an exchange come from? The victim's hot wallet."""
    path, truth = generated_chain
    deposit = truth["eth"]["assets"]["ETH"]["exits"][0]
    args = ["trace", *deposit["transactions"], "--chain", "eth", "--direction", "backward"]
    result = run(path, *args, "--model", "haircut", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["direction"], body["model"]) == ("backward", "haircut")
    (eth,) = body["assets"]
    assert [(e["address"], e["amount"]) for e in eth["exits"]] == [
        (truth["eth"]["theft"]["victim_address"], str(deposit["amount"]))
    ]
    assert eth["sources"] == []
    table = run(path, *args)
    assert table.exit_code == 0, table.output
    assert "backward fifo trace of" in table.output and "0 sources" in table.output


def test_exposure_eth(generated_chain: tuple[Path, dict[str, Any]]) -> None:
    path, truth = generated_chain
    theft = truth["eth"]["theft"]["outputs"]
    result = run(path, "exposure", theft[0]["address"], "--chain", "eth", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["asset"], body["inbound"]["received"]) == ("eth", str(theft[0]["amount"]))
    assert body["inbound"]["direct"]["exchange"]["share"] == 1.0
    token = run(
        path, "exposure", theft[1]["address"], "--chain", "eth", "--asset", theft[1]["asset"]
    )
    assert token.exit_code == 0, token.output
    assert "inbound exposure of" in token.output and theft[1]["asset"] in token.output
    unknown = run(path, "exposure", theft[0]["address"], "--chain", "eth", "--asset", "0xdead")
    assert unknown.exit_code == 2 and "0xdead" in unknown.output
