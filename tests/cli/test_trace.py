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
