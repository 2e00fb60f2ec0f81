"""``/api/trace`` and ``/api/exposure/{address}``: the CLI's JSON over HTTP, on the generated
chain, and the API's one error shape for bad seeds, models, chains and addresses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanctrace.api import create_app
from tests.api.conftest import cli_json


@pytest.fixture(scope="module")
def chain_ws(
    generated_chain: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """A private copy of the generated chain's workspace (the fixture's is shared)."""
    path, truth = generated_chain
    copy = tmp_path_factory.mktemp("api_chain") / "chain.duckdb"
    shutil.copy(path, copy)
    return copy, truth


@pytest.fixture(scope="module")
def chain_client(chain_ws: tuple[Path, dict[str, Any]]) -> Iterator[TestClient]:
    with TestClient(create_app(chain_ws[0])) as c:
        yield c


def _theft(truth: dict[str, Any]) -> str:
    return str(truth["btc"]["theft"]["transactions"][0])


def test_trace_is_the_cli_json(
    chain_client: TestClient, chain_ws: tuple[Path, dict[str, Any]]
) -> None:
    path, truth = chain_ws
    theft = _theft(truth)
    r = chain_client.get("/api/trace", params={"seed": theft})
    assert r.status_code == 200
    body = r.json()
    assert body == cli_json(path, "trace", theft)
    assert (body["chain"], body["model"], body["direction"]) == ("btc", "fifo", "forward")
    attackers = {o["address"] for o in truth["btc"]["theft"]["outputs"]}
    assert sum(int(o["amount"]) for o in truth["btc"]["theft"]["outputs"]) == int(
        body["seed_amount"]
    )
    assert attackers and body["exits"], "the theft reaches services"
    assert all(e["category"] for e in body["exits"])
    accounted = (
        sum(int(e["amount"]) for e in body["exits"])
        + sum(int(u["amount"]) for u in body["unspent"])
        + sum(int(h["amount"]) for h in body["at_limit"])
        + int(body["fees"])
        + int(body["dust"])
    )
    assert accounted <= int(body["seed_amount"])


def test_trace_options_are_the_cli_options(
    chain_client: TestClient, chain_ws: tuple[Path, dict[str, Any]]
) -> None:
    path, truth = chain_ws
    attacker = truth["btc"]["theft"]["outputs"][0]["address"]
    theft = _theft(truth)
    params: dict[str, Any] = {
        "seed": [theft, attacker],
        "model": "haircut",
        "max_hops": 2,
        "min_amount": 1000,
    }
    body = chain_client.get("/api/trace", params=params).json()
    args = ["trace", theft, attacker, "--model", "haircut", "--max-hops", "2"]
    assert body == cli_json(path, *args, "--min-amount", "1000")
    assert body["model"] == "haircut"
    # a path starts at the seeds' transaction, then one transaction a hop
    assert max(len(p["tx_hashes"]) for p in body["paths"]) == 3
    full = chain_client.get("/api/trace", params={"seed": theft, "model": "haircut"}).json()
    assert body != full


def test_exposure_is_the_cli_json(
    chain_client: TestClient, chain_ws: tuple[Path, dict[str, Any]]
) -> None:
    path, truth = chain_ws
    exit_address = chain_client.get("/api/trace", params={"seed": _theft(truth)}).json()["exits"][
        0
    ]["address"]
    for hops in ("5", "1"):
        r = chain_client.get(f"/api/exposure/{exit_address}", params={"hops": hops})
        assert r.status_code == 200
        body = r.json()
        assert body == cli_json(path, "exposure", exit_address, "--hops", hops)
        assert body["address"] == exit_address and body["hops"] == int(hops)
        assert set(body["inbound"]) == {"received", "direct", "indirect", "paths"}
    whole = chain_client.get(f"/api/exposure/{exit_address}", params={"cluster": "true"}).json()
    assert whole == cli_json(path, "exposure", exit_address, "--cluster")
    assert whole["scope"] == "cluster" and body["scope"] == "address"


def test_account_chain_backward_and_exposure_are_the_cli_json(
    chain_client: TestClient, chain_ws: tuple[Path, dict[str, Any]]
) -> None:
    path, truth = chain_ws
    deposit = truth["eth"]["assets"]["ETH"]["exits"][0]["transactions"][0]
    params = {"seed": deposit, "chain": "eth", "direction": "backward", "model": "haircut"}
    body = chain_client.get("/api/trace", params=params).json()
    args = ["--chain", "eth", "--direction", "backward", "--model", "haircut"]
    assert body == cli_json(path, "trace", deposit, *args)
    assert body["assets"][0]["exits"][0]["address"] == truth["eth"]["theft"]["victim_address"]
    attacker = truth["eth"]["theft"]["outputs"][0]["address"]
    r = chain_client.get(f"/api/exposure/{attacker}", params={"chain": "eth"})
    assert r.status_code == 200, r.text
    assert r.json() == cli_json(path, "exposure", attacker, "--chain", "eth")
    assert r.json()["asset"] == "eth"


@pytest.mark.parametrize(
    ("url", "params", "start"),
    [
        ("/api/trace", {"seed": "no-such-seed"}, "no-such-seed: not an output"),
        ("/api/trace", {"seed": "THEFT", "model": "taint"}, "model:"),
        ("/api/trace", {"seed": "THEFT", "direction": "up"}, "direction:"),
        ("/api/trace", {"seed": "THEFT", "chain": "doge"}, "chain: no 'doge' transactions"),
        ("/api/trace", {"seed": "THEFT", "max_hops": 0}, "max_hops:"),
        ("/api/trace", {}, "seed:"),
        ("/api/exposure/no-such-address", {}, "no-such-address: no btc output pays"),
        ("/api/exposure/ATTACKER", {"chain": "doge"}, "chain: no 'doge' transactions"),
        ("/api/exposure/ATTACKER", {"hops": 0}, "hops:"),
        ("/api/exposure/ATTACKER", {"asset": "usdt"}, "asset: btc is not an account chain"),
        ("/api/exposure/ETH_ATTACKER", {"chain": "eth", "asset": "0x1"}, "asset: no '0x1'"),
    ],
)
def test_errors_take_the_one_shape(
    chain_client: TestClient,
    chain_ws: tuple[Path, dict[str, Any]],
    url: str,
    params: dict[str, Any],
    start: str,
) -> None:
    truth = chain_ws[1]
    url = url.replace("ETH_ATTACKER", truth["eth"]["theft"]["outputs"][0]["address"])
    url = url.replace("ATTACKER", truth["btc"]["theft"]["outputs"][0]["address"])
    params = {k: _theft(truth) if v == "THEFT" else v for k, v in params.items()}
    r = chain_client.get(url, params=params)
    assert r.status_code == 400, r.text
    assert r.json() == {"ok": False, "error": r.json()["error"], "status": 400}
    assert r.json()["error"].startswith(start)
    assert "Traceback" not in r.text


def test_openapi_documents_the_parameters(chain_client: TestClient) -> None:
    paths = chain_client.get("/openapi.json").json()["paths"]
    params = {p["name"]: p for p in paths["/api/trace"]["get"]["parameters"]}
    assert set(params) == {"seed", "chain", "model", "direction", "max_hops", "min_amount"}
    assert params["seed"]["required"] is True
    assert params["model"]["schema"]["enum"] == ["poison", "haircut", "fifo", "tiho"]
    exposure = paths["/api/exposure/{address}"]["get"]
    assert {p["name"] for p in exposure["parameters"]} == {
        "address",
        "chain",
        "hops",
        "asset",
        "cluster",
    }
    assert "400" in exposure["responses"]
