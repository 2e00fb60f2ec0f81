"""``/api/incidents``: the same answers as the CLI's ``--json``, with dates as the CLI reads
them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctrace.incidents import GROUP_KEYS
from tests.api.conftest import cli_json


def test_list_is_the_cli_json(client: TestClient, ws_path: Path) -> None:
    r = client.get("/api/incidents")
    assert r.status_code == 200
    body = r.json()
    assert len(body["incidents"]) == 91
    assert body == cli_json(ws_path, "incidents", "list")


def test_list_by_date(client: TestClient, ws_path: Path) -> None:
    body = client.get("/api/incidents", params={"from": "2022", "to": "2022-06"}).json()
    ids = [i["incident_id"] for i in body["incidents"]]
    assert ids == [
        i["incident_id"]
        for i in cli_json(ws_path, "incidents", "list", "--from", "2022", "--to", "2022-06")[
            "incidents"
        ]
    ]
    victims = {i["victim"] for i in body["incidents"]}
    assert "Ronin Bridge" in victims
    assert "Harmony Horizon Bridge" in victims  # June 24: "to=2022-06" is the end of June
    assert all(i.startswith("2022") for i in ids)


def incident_id(client: TestClient, victim: str) -> str:
    rows = client.get("/api/incidents").json()["incidents"]
    return str(next(i["incident_id"] for i in rows if i["victim"] == victim))


def test_detail(client: TestClient, ws_path: Path) -> None:
    iid = incident_id(client, "Bangladesh Bank")
    r = client.get(f"/api/incidents/{iid}")
    assert r.status_code == 200
    d = r.json()
    assert d == cli_json(ws_path, "incidents", "show", iid)
    assert d["incident"]["stolen_usd"] == 81_000_000
    assert {a["kind"] for a in d["amounts"]} == {"stolen", "attempted"}
    assert d["attributions"][0]["actor"] == "Lazarus Group"
    assert any(c["document"] == "https://undocs.org/S/2019/691" for c in d["citations"])
    assert [s["uri"] for s in d["sources"]] == ["sanctrace:data/incidents/registry.csv"]


@pytest.mark.parametrize("by", GROUP_KEYS)
def test_summary_is_the_cli_json(client: TestClient, ws_path: Path, by: str) -> None:
    r = client.get("/api/incidents/summary", params={"by": by})
    assert r.status_code == 200
    body = r.json()
    assert body == cli_json(ws_path, "incidents", "summary", "--by", by)
    assert body["by"] == by
    group = body["groups"][0]
    assert {"key", "cases", "countries", "stolen_usd", "method", "incident_ids"} <= set(group)
    assert set(group["stolen_usd"]) == {"low", "central", "high"}
    assert body["total"]["cases"] == 91


def test_summary_defaults_to_year_and_takes_dates(client: TestClient, ws_path: Path) -> None:
    body = client.get("/api/incidents/summary", params={"from": "2018", "to": "2019"}).json()
    assert body["by"] == "year"
    assert [g["key"] for g in body["groups"]] == [2018, 2019]
    assert body == cli_json(
        ws_path, "incidents", "summary", "--by", "year", "--from", "2018", "--to", "2019"
    )
    assert body["date_to"] == "2019-12-31"


def test_summary_route_is_not_an_incident_id(client: TestClient) -> None:
    # /summary is declared before /{incident_id}: it must not be looked up as an incident
    assert "groups" in client.get("/api/incidents/summary").json()
