"""``sanctrace lists show`` and ``lists diff``: tables, --json, and errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.invoke import run


def test_show(un_history_path: Path) -> None:
    text = run(un_history_path, "lists", "show").stdout
    assert "5 list snapshots" in text
    for expected in ("un_sc_sanctions", "2017-07-03", "us_ofac_sdn", "553", "us_ofac_addresses"):
        assert expected in text
    body = json.loads(run(un_history_path, "lists", "show", "--json").stdout)
    un = [s for s in body["snapshots"] if s["dataset"] == "un_sc_sanctions"]
    assert [(s["published"], s["entities"]) for s in un] == [
        ("2017-07-03", 99),
        ("2020-03-20", 155),
        ("2024-09-26", 155),
    ]


def test_diff_default_is_the_list_with_history(un_history_path: Path) -> None:
    text = run(un_history_path, "lists", "diff").stdout
    assert "un_sc_sanctions: 2020-03-20 -> 2024-09-26: 0 added, 0 removed, 73 amended" in text
    assert "MINISTRY OF NATIONAL DEFENCE" in text and "KPe.054" in text
    assert "properties changed: Sanction.modifiedAt 65" in text


def test_diff_json_between_named_snapshots(un_history_path: Path) -> None:
    shown = json.loads(run(un_history_path, "lists", "show", "--json").stdout)["snapshots"]
    old, new = (s["source_id"] for s in shown if s["published"] in ("2017-07-03", "2020-03-20"))
    result = run(un_history_path, "lists", "diff", "--from", old, "--to", new, "--json")
    assert result.exit_code == 0
    [d] = json.loads(result.stdout)["diffs"]
    assert d["summary"] == {"added": 56, "removed": 0, "amended": 6}
    assert d["added"][0] == {
        "entity_id": "unsc-KPe.047",
        "schema": "Organization",
        "caption": "FOREIGN TRADE BANK (FTB)",
        "refs": ["KPe.047"],
        "changes": [],
    }
    assert (d["old"]["published"], d["new"]["published"]) == ("2017-07-03", "2020-03-20")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "nope"], "no snapshot of list 'nope'"),
        (["--from", "un-list:0"], "--from un-list:0: no list snapshot"),
        (["--dataset", "us_ofac_sdn"], "no snapshot of us_ofac_sdn older than"),
    ],
)
def test_diff_errors(un_history_path: Path, args: list[str], message: str) -> None:
    result = run(un_history_path, "lists", "diff", *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_diff_without_history(bundled_ws_path: Path) -> None:
    result = run(bundled_ws_path, "lists", "diff", "--json")
    assert result.exit_code == 2 and "no list has two snapshots" in result.stderr
