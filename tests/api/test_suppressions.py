"""``/api/suppressions``: the same decisions as ``sanctrace suppress``, over HTTP, and
``/api/screen`` leaving suppressed matches out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import cli_json

RI = "unsc-KPi.033"
BODY: dict[str, Any] = {
    "query": "Lee Won-ho",
    "entity_id": RI,
    "reason": "customer born 1987 in Seoul",
    "analyst": "alice",
}


def test_suppress_screen_revoke_log(client: TestClient, ws_path: Path) -> None:
    r = client.post("/api/suppressions", json=BODY)
    assert r.status_code == 201
    made = r.json()
    assert (made["suppression_id"], made["query_key"], made["analyst"]) == (
        "sup-1",
        "lee won ho",
        "alice",
    )

    body = client.get("/api/screen", params={"q": "LEE WON HO"}).json()
    assert body == cli_json(ws_path, "screen", "LEE WON HO")
    assert RI not in [m["entity_id"] for m in body["matches"]]
    assert [(s["entity_id"], s["suppression_id"]) for s in body["suppressed"]] == [(RI, "sup-1")]

    listed = client.get("/api/suppressions").json()
    assert listed == cli_json(ws_path, "suppress", "list")
    assert [s["state"] for s in listed["suppressions"]] == ["active"]

    r = client.post("/api/suppressions/sup-1/revoke", json={"reason": "same man", "analyst": "bob"})
    assert r.status_code == 200 and r.json()["revoked_by"] == "bob"
    body = client.get("/api/screen", params={"q": "Lee Won-ho"}).json()
    assert body["matches"][0]["entity_id"] == RI and body["suppressed"] == []
    assert client.get("/api/suppressions").json() == {"suppressions": []}
    everything = client.get("/api/suppressions", params={"all": "true"}).json()
    assert [s["state"] for s in everything["suppressions"]] == ["revoked"]

    log = client.get("/api/suppressions/log").json()
    assert log == cli_json(ws_path, "suppress", "log")
    assert [(e["action"], e["analyst"]) for e in log["events"]] == [
        ("suppress", "alice"),
        ("revoke", "bob"),
    ]


@pytest.mark.parametrize(
    ("change", "status", "start"),
    [
        ({"reason": "  "}, 400, "reason: empty"),
        ({"entity_id": "unsc-KPi.999"}, 400, "entity_id: 'unsc-KPi.999' is not a party"),
        ({"schema": "Ship"}, 400, "schema: 'Ship' is not one of"),
        ({"analyst": None}, 400, "analyst:"),
    ],
)
def test_bad_requests_take_the_one_error_shape(
    client: TestClient, change: dict[str, Any], status: int, start: str
) -> None:
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    r = client.post("/api/suppressions", json=body)
    assert r.status_code == status
    assert r.json()["ok"] is False and r.json()["status"] == status
    assert r.json()["error"].startswith(start)
    assert client.get("/api/suppressions/log").json() == {"events": []}


def test_duplicate_unknown_and_twice_revoked(client: TestClient) -> None:
    assert client.post("/api/suppressions", json=BODY).status_code == 201
    r = client.post("/api/suppressions", json={**BODY, "query": "lee  won ho"})
    assert r.status_code == 400 and "already suppressed" in r.json()["error"]
    revoke = {"reason": "same man", "analyst": "bob"}
    r = client.post("/api/suppressions/sup-9/revoke", json=revoke)
    assert r.status_code == 404 and "sup-9" in r.json()["error"]
    assert client.post("/api/suppressions/sup-1/revoke", json=revoke).status_code == 200
    r = client.post("/api/suppressions/sup-1/revoke", json=revoke)
    assert r.status_code == 400 and "already revoked" in r.json()["error"]


@pytest.mark.spark
def test_spark_reads_what_duckdb_wrote(client: TestClient, ws_path: Path) -> None:
    from sanctrace.api import create_app
    from sanctrace.workspace import export_parquet

    assert client.post("/api/suppressions", json=BODY).status_code == 201
    paths = ["/api/suppressions", "/api/suppressions/log", "/api/screen?q=Lee+Won-ho"]
    expected = [client.get(p).json() for p in paths]
    # an up-to-date export from before the suppression tables existed (an older sanctrace's)
    parquet = export_parquet(ws_path)
    for name in ("suppression", "audit_log"):
        (parquet / f"{name}.parquet").unlink()
    (parquet / ".exported").touch()
    assert (parquet / ".exported").stat().st_mtime >= ws_path.stat().st_mtime

    with TestClient(create_app(ws_path, backend="spark")) as spark:
        assert [spark.get(p).json() for p in paths] == expected
        r = spark.post("/api/suppressions", json={**BODY, "entity_id": "ofac-19609"})
        assert r.status_code == 503 and "read-only" in r.json()["error"]
