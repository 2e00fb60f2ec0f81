"""``sanctrace screen`` and ``screen-file``: JSON shape, table, errors, CSV round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.cli.invoke import run


def test_screen_json_and_table(bundled_ws_path: Path) -> None:
    body = json.loads(run(bundled_ws_path, "screen", "Lee Won-ho", "--json").stdout)
    assert body["query"] == "Lee Won-ho"
    first = body["matches"][0]
    assert set(first) == {"entity_id", "schema", "caption", "score", "refs", "lists", "explanation"}
    assert first["refs"] == ["KPi.033"] and first["schema"] == "Person"
    body = json.loads(run(bundled_ws_path, "screen", "IMO 7937317", "--json").stdout)
    assert [m["refs"] for m in body["matches"]] == [["OFAC-17069"]]
    text = run(bundled_ws_path, "screen", "RI WON HO", "--schema", "person").stdout
    assert "KPi.033" in text
    assert "no match" in run(bundled_ws_path, "screen", "Park Seo-jun").stdout


def test_screen_errors(bundled_ws_path: Path) -> None:
    for args in (["  "], ["x" * 20_000], ["RI WON HO", "--threshold", "2"]):
        result = run(bundled_ws_path, "screen", *args)
        assert result.exit_code == 2 and "error:" in result.stderr


def test_screen_file_round_trip(bundled_ws_path: Path, tmp_path: Path) -> None:
    infile, out = tmp_path / "in.csv", tmp_path / "out.csv"
    infile.write_text(
        "id,name,schema,birth_date,country,identifier\n"
        "1,RI WON HO,Person,,,\n"
        "2,Park Seo-jun,,,,\n"
        "3,,,,,IMO7937317\n"
        "4,,,,,\n"
        "5,Yoon Hojin,Spaceship,,,\n",
        encoding="utf-8",
    )
    body = json.loads(
        run(bundled_ws_path, "screen-file", str(infile), "--out", str(out), "--json").stdout
    )
    assert body["rows"] == 5 and body["matched"] == 2 and body["unmatched"] == 1
    assert body["skipped"] == 2
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == ["id", "name", "schema", "birth_date", "country", "identifier"]
    by_id: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_id.setdefault(r["id"], []).append(r)
    assert by_id["1"][0]["match_rank"] == "1"
    assert by_id["1"][0]["match_entity_id"] == "unsc-KPi.033"
    assert "KPi.033" in by_id["1"][0]["match_refs"].split("|")
    assert float(by_id["1"][0]["match_score"]) >= 0.7
    assert by_id["2"] == [{**by_id["2"][0], "match_rank": "", "match_entity_id": ""}]
    assert by_id["3"][0]["match_refs"] == "OFAC-17069"
    assert "line 5" in by_id["4"][0]["match_note"]
    assert "Spaceship" in by_id["5"][0]["match_note"]


def test_screen_file_bad_files(bundled_ws_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\nx,y\n", encoding="utf-8")
    result = run(bundled_ws_path, "screen-file", str(bad), "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 2 and "bad.csv:1" in result.stderr and "'name'" in result.stderr
    bad.write_bytes("name\nK\xf6nig\n".encode("latin-1"))
    result = run(bundled_ws_path, "screen-file", str(bad), "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
