"""The ``sanctrace`` command as a user meets it: tables or ``--json`` on stdout, and every error
as one line on stderr with exit code 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sanctrace.cli.main import app
from sanctrace.data import DEFAULTS
from tests.cli.invoke import run, runner
from tests.sources.factory import csv_text, incident_row, write


def ok_json(workspace: Path, *args: str) -> Any:
    result = run(workspace, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def words(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_init_loads_the_defaults_then_says_already_loaded(tmp_path: Path) -> None:
    workspace = tmp_path / "new" / "sanctrace.duckdb"
    first = run(workspace, "init")
    assert first.exit_code == 0, first.stderr
    assert words(first.stdout).startswith(f"workspace {workspace}")
    assert "incidents: sanctrace:data/incidents/registry.csv: 91 rows read -> 94 amount" in words(
        first.stdout
    )
    # Bybit 2025 is in the registry init loads, under the id its theft addresses name
    bybit = ok_json(workspace, "incidents", "show", "2025-02-21-bybit")["incident"]
    assert (bybit["victim"], bybit["stolen_usd"], bybit["actors"]) == (
        "Bybit",
        1_500_000_000,
        ["TraderTraitor"],
    )
    again = ok_json(workspace, "init")
    assert again["workspace"] == str(workspace)
    assert [(r["kind"], r["unchanged"]) for r in again["loaded"]] == [
        (k, True) for k, _ in DEFAULTS
    ]
    text = run(workspace, "init")
    assert words(text.stdout).count("already loaded") == len(DEFAULTS)


def test_init_empty(tmp_path: Path) -> None:
    workspace = tmp_path / "sanctrace.duckdb"
    assert ok_json(workspace, "init", "--empty")["loaded"] == []
    assert ok_json(workspace, "sources") == {"sources": []}


def test_ingest_sources_quarantine(ws_path: Path, tmp_path: Path) -> None:
    rows = [incident_row(victim="New Exchange"), incident_row(victim="Bad", date="2017-13-01")]
    path = write(tmp_path / "new.csv", csv_text(list(rows[0]), rows))
    result = ok_json(ws_path, "ingest", "incidents", str(path))
    assert (
        result["kind"],
        result["unchanged"],
        result["rows_read"],
        result["rows_quarantined"],
    ) == (
        "incidents",
        False,
        2,
        1,
    )
    assert result["tables"]["incident"] == 1
    assert ok_json(ws_path, "ingest", "incidents", str(path))["unchanged"] is True
    again = run(ws_path, "ingest", "incidents", str(path))
    assert "already loaded" in words(again.stdout) and "nothing changed" in words(again.stdout)

    sources = ok_json(ws_path, "sources")["sources"]
    assert len(sources) == len(DEFAULTS) + 1
    assert sources[-1]["source_id"] == result["source_id"]
    assert sources[-1]["tables"] == {"amount": 1, "attribution": 1, "citation": 1, "incident": 1}

    [q] = ok_json(ws_path, "quarantine", "--source", result["source_id"])["quarantine"]
    assert (q["uri"], q["line"], q["reason"]) == (
        path.resolve().as_uri(),
        3,
        "date '2017-13-01': month must be in 1..12",
    )
    assert ok_json(ws_path, "quarantine", "--source", "nope") == {"quarantine": []}
    table = run(ws_path, "quarantine")
    assert "month must be in 1..12" in words(table.stdout)


def test_incidents_list(ws_path: Path) -> None:
    incidents = ok_json(ws_path, "incidents", "list")["incidents"]
    assert len(incidents) == 91
    upbit = next(i for i in incidents if i["victim"] == "Upbit")
    assert upbit["incident_id"] == "2019-11-27-upbit"
    assert (upbit["stolen_usd"], upbit["actors"]) == (48_500_000, ["Lazarus Group"])
    window = ok_json(ws_path, "incidents", "list", "--from", "2019-01", "--to", "2019")["incidents"]
    assert len(window) == 9 and {i["date"][:4] for i in window} == {"2019"}
    table = words(run(ws_path, "incidents", "list").stdout)
    assert table.startswith("91 incidents") and "malformed" in table


def test_incidents_show(ws_path: Path) -> None:
    detail = ok_json(ws_path, "incidents", "show", "2023-08-16-c8")
    assert (detail["incident"]["victim"], detail["incident"]["amount_flag"]) == ("C8", "malformed")
    assert [(a["usd_text"], a["status"]) for a in detail["amounts"]] == [("$1,620,00", "malformed")]
    assert detail["sources"][0]["uri"] == "sanctrace:data/incidents/registry.csv"
    text = words(run(ws_path, "incidents", "show", "2019-11-27-upbit").stdout)
    assert text.startswith("Upbit (2019-11-27-upbit), 2019-11-27 [day]")


@pytest.mark.parametrize("by", ["year", "country", "actor", "vector", "victim-type"])
def test_incidents_summary_json_shape(ws_path: Path, by: str) -> None:
    summary = ok_json(ws_path, "incidents", "summary", "--by", by)
    assert summary["by"] == by
    for g in [*summary["groups"], summary["total"]]:
        assert {"key", "cases", "countries", "stolen_usd", "method", "incident_ids"} <= set(g)
        assert set(g["stolen_usd"]) == {"low", "central", "high"}
        assert all(isinstance(v, int) for v in g["stolen_usd"].values())
        assert g["stolen_usd"]["low"] <= g["stolen_usd"]["central"] <= g["stolen_usd"]["high"]
    assert summary["total"]["cases"] == 91


def test_incidents_summary_by_year(ws_path: Path) -> None:
    summary = ok_json(
        ws_path, "incidents", "summary", "--by", "year", "--from", "2019", "--to", "2019"
    )
    [g] = summary["groups"]
    assert (g["key"], g["stolen_usd"]) == (
        2019,
        {"low": 191_794_000, "central": 191_794_000, "high": 271_000_000},
    )
    assert (summary["date_from"], summary["date_to"]) == ("2019-01-01", "2019-12-31")
    table = words(run(ws_path, "incidents", "summary", "--by", "year").stdout)
    assert "191,794,000" in table and "method: central" in table


def test_actors(ws_path: Path) -> None:
    listed = ok_json(ws_path, "actors", "list")["actors"]
    apt38 = next(a for a in listed if a["name"] == "APT38")
    assert (apt38["mitre_id"], apt38["lineage"]) == (
        "G0082",
        ["Reconnaissance General Bureau", "Lazarus Group", "APT38"],
    )
    resolved = ok_json(ws_path, "actors", "resolve", "Silent Chollima")
    assert (resolved["name"], resolved["mitre_id"]) == ("Andariel", "G0138")
    text = words(run(ws_path, "actors", "resolve", "BlueNoroff").stdout)
    assert text == (
        "BlueNoroff -> APT38 (G0082); "
        "hierarchy: Reconnaissance General Bureau > Lazarus Group > APT38"
    )
    assert "Lazarus Group" in words(run(ws_path, "actors", "list").stdout)


ERRORS = [
    pytest.param(
        None,
        ["sources"],
        "no workspace here; create one with `sanctrace init`",
        id="missing workspace",
    ),
    pytest.param(
        "ws",
        ["ingest", "teleport", "x.csv"],
        "teleport: no adapter of that name",
        id="unknown adapter",
    ),
    pytest.param(
        "ws", ["ingest", "incidents", "no/such.csv"], "no/such.csv: no such file", id="missing file"
    ),
    pytest.param(
        "ws", ["ingest", "incidents", "latin1.csv"], "latin1.csv:2: not UTF-8", id="unreadable file"
    ),
    pytest.param(
        "ws",
        ["incidents", "summary", "--by", "month"],
        "--by: 'month' is not one of",
        id="bad --by",
    ),
    pytest.param(
        "ws",
        ["incidents", "list", "--from", "2019-13-01"],
        "--from: '2019-13-01' is not a date",
        id="bad --from",
    ),
    pytest.param(
        "ws",
        ["incidents", "summary", "--by", "year", "--to", "soon"],
        "--to: 'soon' is not a date",
        id="bad --to",
    ),
    pytest.param("ws", ["incidents", "show", "nope"], "no incident 'nope'", id="unknown incident"),
    pytest.param(
        "ws",
        ["actors", "resolve", "Cobalt Spider"],
        "no actor is known by 'Cobalt Spider'",
        id="unknown actor",
    ),
]


@pytest.mark.parametrize(("workspace", "args", "message"), ERRORS)
def test_errors_are_one_line_and_exit_2(
    ws_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workspace: str | None,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "latin1.csv", b"date,victim\n2017,Caf\xe9\n")
    result = run(ws_path if workspace else tmp_path / "none.duckdb", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_workspace_from_the_environment(
    ws_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere").mkdir()  # ws_path is ./sanctrace.duckdb in tmp_path itself
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.setenv("SANCTRACE_WORKSPACE", str(ws_path))
    assert len(json.loads(runner.invoke(app, ["sources", "--json"]).stdout)["sources"]) == len(
        DEFAULTS
    )
    monkeypatch.delenv("SANCTRACE_WORKSPACE")
    result = runner.invoke(app, ["sources"])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: sanctrace.duckdb: no workspace here; create one with `sanctrace init` "
        "(or point --workspace / $SANCTRACE_WORKSPACE at an existing one)\n",
    )


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("sanctrace")
    assert script.exists(), "install the package: pip install -e '.[dev,spark]'"
    missing = tmp_path / "none.duckdb"
    done = subprocess.run(
        [str(script), "--workspace", str(missing), "incidents", "show", "x"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {missing}: no workspace here")
    assert done.stderr.count("\n") == 1


def test_square_brackets_in_data_are_text_not_markup(ws_path: Path, tmp_path: Path) -> None:
    row = incident_row(victim="Foo [/b] [day] bar", date="2019-11-28", note="see [/]")
    path = write(tmp_path / "odd.csv", csv_text(list(row), [row]))
    loaded = run(ws_path, "ingest", "incidents", str(path))
    assert loaded.exit_code == 0
    [incident] = ok_json(
        ws_path, "incidents", "list", "--from", "2019-11-28", "--to", "2019-11-28"
    )["incidents"]
    shown = run(ws_path, "incidents", "show", incident["incident_id"])
    assert shown.exit_code == 0
    assert words(shown.stdout).startswith(
        f"Foo [/b] [day] bar ({incident['incident_id']}), 2019-11-28 [day]"
    )
    assert "note: see [/]" in words(shown.stdout)
    listed = run(ws_path, "incidents", "list")
    assert "Foo [/b] [day] bar" in listed.stdout
    refused = run(ws_path, "incidents", "summary", "--by", "[/]")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "error: --by: '[/]' is not one of year, country, actor, vector, victim-type\n",
    )
