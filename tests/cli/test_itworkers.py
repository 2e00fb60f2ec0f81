"""``sanctrace itworkers scan`` and ``rules``: files in (kinds told from their headers),
workers ranked out, as tables and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctrace.synthetic.itworkers import Config, generate
from tests.cli.invoke import run
from tests.sources.factory import write

FILES = ("profiles.csv", "logins.csv", "payouts.csv", "clients.csv")


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("itw")
    truth = generate(Config(seed=11, workers=150), folder)
    return folder, truth


def test_scan_json_ranks_the_planted_workers_first(
    population: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder, truth = population
    result = run(
        tmp_path / "ws.duckdb", "itworkers", "scan", *(str(folder / f) for f in FILES), "--json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [x["kind"] for x in out["loaded"]] == [
        "itw-profiles",
        "itw-logins",
        "itw-payouts",
        "itw-clients",
    ]
    scan = out["scan"]
    people = truth["workers"]
    assert isinstance(people, dict)
    flagged = [w for w in scan["workers"] if w["flagged"]]
    assert flagged and all(people[w["worker_id"]]["dprk"] for w in flagged[:5])
    first = flagged[0]
    assert first["rank"] == 1 and first["score"] >= 1.0
    rule = first["rules"][0]
    assert set(rule) == {"rule_id", "title", "weight", "detail", "evidence", "evidence_total"}
    assert rule["evidence"][0]["table"].startswith("itw_") and rule["evidence"][0]["line"] >= 2
    assert scan["screened"] is False  # a new workspace holds no lists


def test_scan_table_and_a_second_load_changes_nothing(
    population: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder, _ = population
    files = [str(folder / f) for f in FILES]
    run(tmp_path / "ws.duckdb", "itworkers", "scan", *files, "--json")
    result = run(tmp_path / "ws.duckdb", "itworkers", "scan", *files, "--top", "5")
    assert result.exit_code == 0
    assert "already loaded" in result.stderr
    assert "workers flagged (score >= 1.0)" in result.stdout
    assert "evidence: itw_" in result.stdout


def test_kind_from_option_and_bad_headers(tmp_path: Path) -> None:
    odd = write(tmp_path / "odd.csv", "date,victim\n2024-01-01,x\n")
    result = run(tmp_path / "ws.duckdb", "itworkers", "scan", str(odd))
    assert result.exit_code == 2 and "no IT-worker kind fits the header" in result.stderr
    result = run(tmp_path / "ws.duckdb", "itworkers", "scan", str(odd), "--kind", "itw-logins")
    assert result.exit_code == 2 and "missing column(s) account_id" in result.stderr
    result = run(tmp_path / "ws.duckdb", "itworkers", "scan", str(odd), "--kind", "logins")
    assert result.exit_code == 2 and "--kind" in result.output


def test_rules_table_and_json(tmp_path: Path) -> None:
    result = run(tmp_path / "ws.duckdb", "itworkers", "rules")
    assert result.exit_code == 0 and "ITW-14" in result.stdout and "PSA231018" in result.stdout
    out = json.loads(run(tmp_path / "ws.duckdb", "itworkers", "rules", "--json").stdout)
    assert out["flag_score"] == 1.0 and len(out["rules"]) == 14
