"""``sanctrace intake`` and ``sanctrace claims`` (list, show, accept, reject, log)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.invoke import run

NEWS = Path(__file__).parents[1] / "fixtures" / "intake" / "review_news.txt"


def test_intake_review_and_log(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "alice")
    body = json.loads(run(ws_path, "intake", str(NEWS), "--json").stdout)
    [doc] = body["documents"]
    assert (doc["file"], doc["unchanged"]) == (str(NEWS), False)
    assert doc["source_id"].startswith("text:")
    claims = {c["text"]: c for c in doc["claims"]}
    money = claims["$48.5 million"]
    assert {k: money[k] for k in ("type", "value", "unit", "span", "rule", "status")} == {
        "type": "money",
        "value": 48_500_000,
        "unit": "USD",
        "span": [76, 89],
        "rule": money["rule"],
        "status": "pending",
    }
    assert money["links"][0]["relation"] == "corroborates"

    table = run(ws_path, "intake", str(NEWS)).stdout
    assert "(already loaded)" in table and "conflicts amount 2019-11-27-upbit" in table

    out = run(ws_path, "claims", "accept", money["id"]).stdout
    assert out.strip() == (
        f"claim {money['id']} accepted as amount (2019-11-27-upbit) by alice; "
        "wrote 1 amount, 1 citation"
    )
    wrong = claims["$60 million"]["id"]
    run(ws_path, "claims", "reject", wrong, "--reason", "conflates two incidents")
    again = run(ws_path, "claims", "accept", wrong)
    assert again.exit_code == 2 and "already rejected by alice" in again.output

    pending = json.loads(run(ws_path, "claims", "list", "--status", "pending", "--json").stdout)
    assert money["id"] not in {c["id"] for c in pending["claims"]}
    shown = run(ws_path, "claims", "show", money["id"]).stdout
    assert "accepted by alice" in shown and "Upbit" in shown
    log = json.loads(run(ws_path, "claims", "log", "--json").stdout)["events"]
    assert [(e["action"], e["claim_id"]) for e in log] == [
        ("accept", money["id"]),
        ("reject", wrong),
    ]


def test_one_bad_file_loads_none(ws_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run(ws_path, "intake", str(NEWS), str(empty))
    assert result.exit_code == 2 and f"{empty}: the file is empty" in result.output
    listed = json.loads(run(ws_path, "claims", "list", "--json").stdout)
    assert listed["claims"] == []
