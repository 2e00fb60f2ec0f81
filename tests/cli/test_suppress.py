"""``sanctrace suppress`` (add, list, revoke, log) and how ``screen`` and ``screen-file`` show
what it suppressed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.invoke import run

RI = "unsc-KPi.033"
WHY = "customer born 1987 in Seoul"


def test_add_screen_list_revoke_log(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "alice")
    text = run(ws_path, "suppress", "add", "Lee Won-ho", RI, "--reason", WHY).stdout
    assert text.strip() == f"sup-1: {RI} suppressed for 'Lee Won-ho' by alice"

    body = json.loads(run(ws_path, "screen", "lee won-ho", "--json").stdout)
    assert RI not in [m["entity_id"] for m in body["matches"]]
    [hidden] = body["suppressed"]
    assert {k: hidden[k] for k in ("entity_id", "suppression_id", "reason", "analyst")} == {
        "entity_id": RI,
        "suppression_id": "sup-1",
        "reason": WHY,
        "analyst": "alice",
    }
    table = run(ws_path, "screen", "Lee Won-ho").stdout
    assert "KPi.033" not in table and "1 reviewed false positives not shown" in table
    shown = run(ws_path, "screen", "Lee Won-ho", "--show-suppressed").stdout
    assert "1 suppressed for 'Lee Won-ho'" in shown and "KPi.033" in shown and WHY in shown

    [listed] = json.loads(run(ws_path, "suppress", "list", "--json").stdout)["suppressions"]
    assert (listed["suppression_id"], listed["state"], listed["query"]) == (
        "sup-1",
        "active",
        "Lee Won-ho",
    )
    assert "sup-1" in run(ws_path, "suppress", "list").stdout

    done = run(
        ws_path, "suppress", "revoke", "sup-1", "--reason", "same passport", "--analyst", "bob"
    )
    assert done.stdout.strip() == f"sup-1: revoked by bob; {RI} is shown again"
    assert "KPi.033" in run(ws_path, "screen", "Lee Won-ho").stdout
    assert json.loads(run(ws_path, "suppress", "list", "--json").stdout) == {"suppressions": []}
    [revoked] = json.loads(run(ws_path, "suppress", "list", "--all", "--json").stdout)[
        "suppressions"
    ]
    assert revoked["state"] == "revoked" and revoked["revoked_by"] == "bob"

    events = json.loads(run(ws_path, "suppress", "log", "--json").stdout)["events"]
    assert [(e["event_id"], e["action"], e["analyst"]) for e in events] == [
        (1, "suppress", "alice"),
        (2, "revoke", "bob"),
    ]
    log = run(ws_path, "suppress", "log").stdout
    assert "2 audit events" in log and "same passport" in log


def test_analyst_defaults_to_unknown_without_user(
    ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("USER", raising=False)
    made = json.loads(
        run(ws_path, "suppress", "add", "Lee Won-ho", RI, "--reason", WHY, "--json").stdout
    )
    assert made["analyst"] == "unknown" and made["query_key"] == "lee won ho"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Lee Won-ho", RI, "--reason", " "], "error: reason: empty"),
        (["add", "Lee Won-ho", "nobody-1", "--reason", WHY], "error: entity_id:"),
        (["add", "Lee Won-ho", RI, "--reason", WHY, "--schema", "Ship"], "error: schema:"),
        (["revoke", "sup-3", "--reason", WHY], "error: suppression 'sup-3' not found"),
    ],
)
def test_errors_are_one_line(ws_path: Path, args: list[str], message: str) -> None:
    result = run(ws_path, "suppress", *args)
    assert result.exit_code == 2 and result.stderr.startswith(message)
    assert "suppressions" in run(ws_path, "suppress", "list", "--json").stdout


def test_a_duplicate_is_refused(ws_path: Path) -> None:
    run(ws_path, "suppress", "add", "Lee Won-ho", RI, "--reason", WHY)
    result = run(ws_path, "suppress", "add", "LEE WON HO", RI, "--reason", "again")
    assert result.exit_code == 2 and "already suppressed" in result.stderr
    assert len(json.loads(run(ws_path, "suppress", "log", "--json").stdout)["events"]) == 1


def test_screen_file_leaves_suppressed_matches_out(ws_path: Path, tmp_path: Path) -> None:
    run(ws_path, "suppress", "add", "RI WON HO", RI, "--reason", WHY)
    run(ws_path, "suppress", "add", "RI WON HO", "ofac-19609", "--reason", WHY)
    infile, out = tmp_path / "in.csv", tmp_path / "out.csv"
    infile.write_text("id,name\n1,Ri Won-ho\n2,Lee Won-ho\n", encoding="utf-8")
    body = json.loads(run(ws_path, "screen-file", str(infile), "--out", str(out), "--json").stdout)
    assert (body["suppressed"], body["matched"], body["unmatched"]) == (2, 1, 1)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    first = [r for r in rows if r["id"] == "1"]
    assert first == [{**first[0], "match_entity_id": ""}]
    assert first[0]["match_note"] == "reviewed false positives left out: sup-1, sup-2"
    assert RI in {r["match_entity_id"] for r in rows if r["id"] == "2"}  # another query
    text = run(ws_path, "screen-file", str(infile), "--out", str(out)).stdout
    assert "2 reviewed false positives left out" in text
