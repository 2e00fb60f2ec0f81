"""Every error has one shape, ``{"ok": false, "error": "...", "status": N}`` (STYLE D4), with
the status the core error class calls for; pages get the same status as HTML."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctrace.api import create_app
from sanctrace.errors import WorkspaceError
from sanctrace.workspace import Workspace

if TYPE_CHECKING:
    import httpx2 as httpx


def assert_error(r: httpx.Response, status: int, *words: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    for w in words:
        assert w in body["error"]


@pytest.mark.parametrize(
    ("method", "url", "status", "words"),
    [
        ("GET", "/api/incidents/no-such-incident", 404, ["no-such-incident"]),
        ("GET", "/api/actors/resolve?name=nobody-at-all", 404, ["nobody-at-all"]),
        ("GET", "/api/no-such-endpoint", 404, ["Not Found"]),
        ("GET", "/api/incidents/summary?by=colour", 400, ["colour", "year"]),
        ("GET", "/api/incidents?from=2019-13-01", 400, ["from", "2019-13-01"]),
        ("GET", "/api/incidents/summary?to=last-week", 400, ["to", "last-week"]),
        ("GET", "/api/actors/resolve", 400, ["name"]),
        ("POST", "/api/incidents", 405, ["Method Not Allowed"]),
    ],
)
def test_error_shape(
    client: TestClient, method: str, url: str, status: int, words: list[str]
) -> None:
    assert_error(client.request(method, url), status, *words)


def test_missing_workspace_is_503(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "nowhere.duckdb")) as c:
        assert_error(c.get("/api/incidents"), 503, "nowhere.duckdb", "sanctrace init")


def test_unknown_backend_fails_at_creation(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="duckdb or spark"):
        create_app(tmp_path / "w.duckdb", backend="sqlite")


@pytest.fixture
def held_elsewhere(ws_path: Path) -> Iterator[Path]:
    """The workspace held open for writing by another process (as an ingest would)."""
    code = (
        "import duckdb, sys, time\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(ws_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield ws_path
    finally:
        proc.communicate(input="", timeout=30)


def test_workspace_locked_by_another_process_is_503(held_elsewhere: Path) -> None:
    with TestClient(create_app(held_elsewhere)) as c:
        assert_error(c.get("/api/incidents"), 503, "cannot open the workspace")


def test_unexpected_error_is_500_in_the_same_shape(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctrace.api.routers.sources as sources_router

    def boom(ws: Workspace) -> list[dict[str, object]]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sources_router, "source_rows", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/sources")
    assert_error(r, 500, "RuntimeError")
    assert "disk on fire" not in r.json()["error"]  # details go to the log, not the client


def test_pages_get_html_errors(client: TestClient) -> None:
    r = client.get("/incidents/no-such-incident")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "no-such-incident" in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")


def test_openapi_documents_the_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorBody"]["properties"]) == {
        "ok",
        "error",
        "status",
    }
    for path, item in schema["paths"].items():
        # pages stay out of the API document; /match/ is yente's path, served at the root
        assert path.startswith(("/api/", "/match/")), path
        for op in item.values():
            assert "422" not in op["responses"]
            assert op["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }
