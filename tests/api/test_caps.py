"""``/api/cap/status`` and ``/api/cap/deliveries``: the CLI's JSON over HTTP, and the API's
one error shape."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import cli_json


def test_status_is_the_cli_json(client: TestClient, ws_path: Path) -> None:
    response = client.get("/api/cap/status", params={"commodity": "refined", "year": 2018})
    assert response.status_code == 200
    body = response.json()
    assert body == cli_json(ws_path, "cap", "status", "--commodity", "refined", "--year", "2018")
    us = next(e for e in body["ledgers"][0]["estimates"] if e["estimate"] == "us-2018-jan-may")
    assert [s["figure"]["amount"] for s in us["scenarios"]] == [
        "501463",
        "759793",
        "1367628",
        "1519587",
    ]


def test_status_defaults_to_the_latest_year(client: TestClient) -> None:
    assert client.get("/api/cap/status").json()["year"] == 2023


def test_deliveries(client: TestClient, ws_path: Path) -> None:
    body = client.get("/api/cap/deliveries", params={"kind": "estimated"}).json()
    assert len(body["deliveries"]) == 4
    assert body == cli_json(ws_path, "cap", "deliveries", "--kind", "estimated")


def test_errors_have_the_one_shape(client: TestClient) -> None:
    response = client.get("/api/cap/status", params={"commodity": "diesel"})
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "commodity 'diesel': no cap is loaded for it; loaded: crude, refined "
        "(load caps with `sanctrace ingest caps FILE` or `sanctrace init`)",
        "status": 400,
    }
    assert client.get("/api/cap/status", params={"year": 2010}).status_code == 400
    assert client.get("/api/cap/status", params={"year": "x"}).status_code == 400  # validation
