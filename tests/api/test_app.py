"""The app factory: OpenAPI, docs from the package, and how it holds the workspace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from sanctrace.workspace import Workspace

API_PATHS = {
    "/api/incidents",
    "/api/incidents/summary",
    "/api/incidents/{incident_id}",
    "/api/actors",
    "/api/actors/resolve",
    "/api/sources",
    "/api/screen",
    "/api/match/{dataset}",
    "/match/{dataset}",  # yente's own path, for its clients
    "/api/suppressions",
    "/api/suppressions/log",
    "/api/suppressions/{suppression_id}/revoke",
    "/api/trace",
    "/api/exposure/{address}",
    "/api/claims",
    "/api/claims/log",
    "/api/claims/{claim_id}",
    "/api/claims/{claim_id}/accept",
    "/api/claims/{claim_id}/reject",
    "/api/itworkers/rules",
    "/api/itworkers/scan",
    "/api/cap/status",
    "/api/cap/deliveries",
    "/api/ais/detect",
    "/api/phish/analyze",
    "/api/phish/campaigns",
}


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == API_PATHS
    summary = schema["paths"]["/api/incidents/summary"]["get"]
    by = next(p for p in summary["parameters"] if p["name"] == "by")
    assert by["schema"]["enum"] == ["year", "country", "actor", "vector", "victim-type"]


def test_docs_are_served_from_the_package(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    assert "cdn." not in r.text and "https://" not in r.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200


def _open_in_another_process(path: Path) -> subprocess.CompletedProcess[str]:
    code = "import duckdb, sys; duckdb.connect(sys.argv[1]).close(); print('opened')"
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )


def test_workspace_is_free_between_requests(client: TestClient, ws_path: Path) -> None:
    """The server does not hold the DuckDB file: an ingest in another process can write."""
    assert client.get("/api/incidents").status_code == 200
    done = _open_in_another_process(ws_path)
    assert done.stdout.strip() == "opened", done.stderr
    assert client.get("/api/incidents").status_code == 200


def test_each_request_sees_the_latest_data(client: TestClient, ws_path: Path) -> None:
    rows = client.get("/api/incidents").json()["incidents"]
    assert len(rows) == 91
    with Workspace.open(ws_path) as ws, ws.writing() as w:
        w.delete_in("incident", "incident_id", [rows[0]["incident_id"]])
    assert len(client.get("/api/incidents").json()["incidents"]) == 90
