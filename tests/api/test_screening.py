"""``/api/screen`` (the CLI's ``screen --json``) and ``/api/match/{dataset}`` (yente's
``/match``: ``EntityMatchQuery`` in, ``EntityMatchResponse`` out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import cli_json

YENTE_BODY: dict[str, Any] = {
    "queries": {
        "ri": {
            "schema": "Person",
            "properties": {"name": ["Ri Won Ho"], "nationality": ["kp"]},
        },
        "ship": {"schema": "Vessel", "properties": {"imoNumber": "7937317"}},
    }
}
RESULT_FIELDS = {
    "id",
    "caption",
    "schema",
    "properties",
    "datasets",
    "referents",
    "target",
    "first_seen",
    "last_seen",
    "last_change",
    "score",
    "features",
    "match",
}


@pytest.mark.parametrize(("query", "ref"), [("RI WON HO", "KPi.033"), ("IMO7937317", "OFAC-17069")])
def test_screen_is_the_cli_json(client: TestClient, ws_path: Path, query: str, ref: str) -> None:
    r = client.get("/api/screen", params={"q": query})
    assert r.status_code == 200
    body = r.json()
    assert body == cli_json(ws_path, "screen", query)
    assert ref in body["matches"][0]["refs"]
    assert set(body["matches"][0]) == {
        "entity_id",
        "schema",
        "caption",
        "score",
        "refs",
        "lists",
        "explanation",
    }


def test_screen_options_are_the_cli_options(client: TestClient, ws_path: Path) -> None:
    params = {"q": "Ri Won Ho", "schema": "Person", "birth_date": "1964", "limit": "1"}
    body = client.get("/api/screen", params=params).json()
    expected = cli_json(
        ws_path, "screen", "Ri Won Ho", "--schema", "Person", "--birth-date", "1964", "--limit", "1"
    )
    assert body == expected
    assert len(body["matches"]) == 1


def test_screen_bad_input_is_400(client: TestClient) -> None:
    for params in ({"q": "  "}, {"q": "x", "threshold": "2"}, {"q": "x", "schema": "Dog"}, {}):
        r = client.get("/api/screen", params=params)
        assert r.status_code == 400, params
        assert r.json()["ok"] is False
        assert r.json()["status"] == 400


def test_match_default_has_yentes_shape(client: TestClient) -> None:
    r = client.post("/api/match/default", json=YENTE_BODY)
    assert r.status_code == 200
    assert r.headers["x-batch-size"] == "2"
    body = r.json()
    assert set(body) == {"responses", "matcher", "limit"}
    assert body["limit"] == 5
    assert set(body["matcher"]["name_similarity"]) == {"description", "coefficient", "url"}
    ri = body["responses"]["ri"]
    assert set(ri) == {"status", "results", "total", "query"}
    assert ri["status"] == 200
    assert ri["total"] == {"value": len(ri["results"]), "relation": "eq"}
    assert ri["query"]["schema"] == "Person"
    assert ri["query"]["properties"]["name"] == ["Ri Won Ho"]
    top = ri["results"][0]
    assert set(top) == RESULT_FIELDS
    assert top["id"] == "unsc-KPi.033"
    assert top["match"] is True
    assert top["score"] == 1.0
    assert top["features"]["name_similarity"] == 1.0
    assert top["datasets"] == ["un_sc_sanctions"]
    assert "ofac-19609" in [x["id"] for x in ri["results"]]
    ship = body["responses"]["ship"]["results"][0]
    assert (ship["id"], ship["caption"]) == ("ofac-17069", "CHONG CHON GANG")
    assert ship["properties"]["imoNumber"] == ["IMO7937317"]


def test_match_threshold_and_cutoff(client: TestClient) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ri Won Ho"]}}}}
    strict = client.post("/api/match/default", params={"threshold": 1.0, "cutoff": 0.5}, json=body)
    results = strict.json()["responses"]["q"]["results"]
    assert results
    assert all(x["match"] == (x["score"] >= 1.0) for x in results)
    one = client.post("/api/match/default", params={"limit": 1}, json=body).json()
    assert len(one["responses"]["q"]["results"]) == 1
    assert one["limit"] == 1


@pytest.mark.parametrize(
    ("dataset", "ri", "ship"),
    [
        ("un_sc_sanctions", ["unsc-KPi.033"], []),
        ("us_ofac_sdn", ["ofac-19609"], ["ofac-17069"]),
    ],
)
def test_match_dataset_restricts_results(
    client: TestClient, dataset: str, ri: list[str], ship: list[str]
) -> None:
    r = client.post(f"/api/match/{dataset}", json=YENTE_BODY)
    assert r.status_code == 200
    responses = r.json()["responses"]
    assert [x["id"] for x in responses["ri"]["results"]] == ri
    assert [x["id"] for x in responses["ship"]["results"]] == ship
    for response in responses.values():
        assert all(dataset in x["datasets"] for x in response["results"])


def test_match_unknown_dataset_is_404(client: TestClient) -> None:
    r = client.post("/api/match/eu_fsf", json=YENTE_BODY)
    assert r.status_code == 404
    body = r.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False
    assert body["status"] == 404
    assert "eu_fsf" in body["error"]
    assert "un_sc_sanctions" in body["error"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"queries": 3},
        {"queries": {}},
        {"queries": {"q": {"properties": {"name": ["x"]}}}},
        {"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1964"]}}}},
        {"queries": {"q": {"schema": "Person", "properties": {"name": [{"a": 1}]}}}},
    ],
)
def test_match_bad_body_is_400(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post("/api/match/default", json=body)
    assert r.status_code == 400
    assert set(r.json()) == {"ok", "error", "status"}
    assert r.json()["status"] == 400


def test_match_bad_json_is_400(client: TestClient) -> None:
    r = client.post(
        "/api/match/default", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["ok"] is False


def test_match_is_served_at_yentes_own_path_too(client: TestClient) -> None:
    """yente clients post to /match/{dataset} on the server's root."""
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["RI WON HO"]}}}}
    at_root = client.post("/match/default", json=body)
    under_api = client.post("/api/match/default", json=body)
    assert at_root.status_code == 200
    assert at_root.json() == under_api.json()
    missing = client.post("/match/nope", json=body)
    assert missing.status_code == 404
    assert missing.json()["ok"] is False
