"""``/api/actors`` and ``/api/sources``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sanctrace.data import DEFAULTS
from tests.api.conftest import cli_json


def test_actors(client: TestClient, ws_path: Path) -> None:
    body = client.get("/api/actors").json()
    assert body == cli_json(ws_path, "actors", "list")
    by_id = {a["actor_id"]: a for a in body["actors"]}
    assert by_id["apt38"]["lineage"] == ["Reconnaissance General Bureau", "Lazarus Group", "APT38"]
    assert by_id["apt38"]["mitre_id"] == "G0082"


def test_resolve_alias(client: TestClient) -> None:
    r = client.get("/api/actors/resolve", params={"name": "bluenoroff"})
    assert r.status_code == 200
    assert r.json()["actor_id"] == "apt38"


def test_resolve_unknown_is_404(client: TestClient) -> None:
    r = client.get("/api/actors/resolve", params={"name": "Fancy Bear Cub"})
    assert r.status_code == 404
    assert "Fancy Bear Cub" in r.json()["error"]


def test_sources(client: TestClient, ws_path: Path) -> None:
    body = client.get("/api/sources").json()
    assert body == cli_json(ws_path, "sources")
    # one per bundled default
    assert len(body["sources"]) == len(DEFAULTS)
    registry = next(s for s in body["sources"] if s["adapter"] == "incidents")
    assert registry["tables"]["incident"] == 91
    assert len(registry["sha256"]) == 64
