"""``sanctrace serve --get PATH``: one request in-process, body on stdout, exit 1 unless 200."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctrace.cli.main import app


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def test_get_json(ws_path: Path) -> None:
    code, out = run("-w", str(ws_path), "serve", "--get", "/api/incidents/summary?by=country")
    assert code == 0
    body = json.loads(out)
    assert body["by"] == "country"
    assert body["total"]["countries"] == 17


def test_get_page(ws_path: Path) -> None:
    code, out = run("-w", str(ws_path), "serve", "--get", "/")
    assert code == 0
    assert "<svg" in out and "91 of 91 incidents" in out


def test_get_error_exits_1_with_the_body(ws_path: Path) -> None:
    code, out = run("-w", str(ws_path), "serve", "--get", "api/incidents/nope")
    assert code == 1
    body = json.loads(out)
    assert body["ok"] is False
    assert body["status"] == 404
    assert "'nope'" in body["error"]


def test_serve_without_a_workspace_fails_before_listening(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-w", str(tmp_path / "none.duckdb"), "serve"])
    assert result.exit_code == 2
    assert "sanctrace init" in result.output


def test_get_with_json_wraps_status_and_body(ws_path: Path) -> None:
    code, out = run("-w", str(ws_path), "serve", "--get", "/api/incidents/nope", "--json")
    assert code == 1
    wrapped = json.loads(out)
    assert wrapped["status"] == 404
    assert wrapped["content_type"].startswith("application/json")
    assert wrapped["body"]["ok"] is False


def test_get_page_with_json_keeps_the_html_as_text(ws_path: Path) -> None:
    code, out = run("-w", str(ws_path), "serve", "--get", "/", "--json")
    assert code == 0
    wrapped = json.loads(out)
    assert wrapped["content_type"].startswith("text/html")
    assert "<svg" in wrapped["body"]
