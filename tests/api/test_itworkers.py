"""``/api/itworkers/rules`` and ``/api/itworkers/scan``: the CLI's JSON over HTTP."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.itworkers import Config, generate
from sanctrace.workspace import Workspace
from tests.api.conftest import cli_json


def test_rules_are_the_cli_json(client: TestClient, ws_path: Path) -> None:
    response = client.get("/api/itworkers/rules")
    assert response.status_code == 200
    assert response.json() == cli_json(ws_path, "itworkers", "rules")


def test_scan_ranks_what_the_workspace_holds(
    client: TestClient, ws_path: Path, tmp_path: Path
) -> None:
    truth = generate(Config(seed=5, workers=120, photos=False), tmp_path)
    with Workspace.open(ws_path) as ws:
        for kind, name in (
            ("itw-profiles", "profiles.csv"),
            ("itw-payouts", "payouts.csv"),
            ("itw-logins", "logins.csv"),
            ("itw-clients", "clients.csv"),
        ):
            ingest(ws, kind, tmp_path / name)
    response = client.get("/api/itworkers/scan", params={"flagged_only": True, "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["screened"] is True and len(body["workers"]) == 3
    assert all(truth["workers"][w["worker_id"]]["dprk"] for w in body["workers"])
    assert client.get("/api/itworkers/scan", params={"limit": 0}).status_code == 400
