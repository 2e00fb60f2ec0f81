"""``sanctrace incidents export`` and ``sanctrace ingest stix`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sanctrace.cli.main import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_stix_then_ingest_it(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "registry.stix.json"
    code, stdout, _ = run(
        "--workspace", str(ws_path), "incidents", "export", "--format", "stix", str(out)
    )
    assert code == 0
    said = " ".join(stdout.split())  # Rich wraps long lines
    assert f"wrote {out} (stix): 91 identity, 91 incident, 30 intrusion-set" in said
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "bundle"

    fresh = tmp_path / "fresh.duckdb"
    assert run("--workspace", str(fresh), "init", "--empty")[0] == 0
    code, stdout, _ = run("--workspace", str(fresh), "ingest", "stix", str(out), "--json")
    assert code == 0, stdout
    loaded = json.loads(stdout)
    assert loaded["rows_quarantined"] == 0 and loaded["tables"]["incident"] == 91

    again = tmp_path / "again.stix.json"
    assert (
        run("--workspace", str(fresh), "incidents", "export", "--format", "stix", str(again))[0]
        == 0
    )
    assert again.read_bytes() == out.read_bytes()


def test_export_misp_json(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "event.json"
    code, stdout, _ = run(
        "--workspace", str(ws_path), "incidents", "export", "--format", "misp", str(out), "--json"
    )
    assert code == 0
    assert json.loads(stdout) == {
        "out": str(out),
        "format": "misp",
        "objects": {"event": 1, "attribute": 57, "object": 273},
    }
    assert "Event" in json.loads(out.read_text(encoding="utf-8"))


def test_unknown_format_is_a_one_line_error(ws_path: Path, tmp_path: Path) -> None:
    code, _, stderr = run(
        "--workspace", str(ws_path), "incidents", "export", "--format", "csv", str(tmp_path / "x")
    )
    assert code == 2
    assert "--format: 'csv' is not an export format; use one of stix, misp" in stderr
    assert "Traceback" not in stderr


def test_ingest_of_a_file_that_is_no_bundle(ws_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"type": "bundle",\n "objects": [', encoding="utf-8")
    code, _, stderr = run("--workspace", str(ws_path), "ingest", "stix", str(path))
    assert code == 2
    assert f"{path}:2: not JSON" in stderr
