"""``sanctrace cap status`` and ``sanctrace cap deliveries`` on the bundled workspace: the
ledger as tables and as JSON, and errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.invoke import run


def test_status_json_reproduces_the_us_2018_estimate(bundled_ws_path: Path) -> None:
    body = json.loads(
        run(
            bundled_ws_path, "cap", "status", "--commodity", "refined", "--year", "2018", "--json"
        ).stdout
    )
    assert (body["commodity"], body["year"], body["period_start"]) == (
        "refined",
        2018,
        "2018-01-01",
    )
    [ledger] = body["ledgers"]
    assert (ledger["unit"], ledger["limit"], ledger["thresholds"]) == (
        "barrels",
        "500000",
        ["0.75", "0.9", "0.95"],
    )
    assert (ledger["reported"]["amount"], ledger["reported"]["percent"]) == ("241114", "48.22")
    us = next(e for e in ledger["estimates"] if e["estimate"] == "us-2018-jan-may")
    at = {s["load"]: s for s in us["scenarios"]}
    assert (at["0.5"]["figure"]["amount"], at["0.5"]["published"], at["0.5"]["reproduced"]) == (
        "759793",
        "759793",
        True,
    )
    assert (at["0.9"]["figure"]["amount"], at["0.9"]["reproduced"]) == ("1367628", True)
    crossing = at["0.5"]["figure"]["crossings"][0]
    assert (crossing["threshold"], crossing["by"], crossing["line"]) == ("0.75", "2018-05-30", 2)
    assert [r["load"] for r in ledger["estimated"]] == ["0.33", "0.5", "0.9", "1"]
    assert {s["uri"] for s in body["sources"]} >= {"sanctrace:data/petroleum/estimates.csv"}


def test_status_tables(bundled_ws_path: Path) -> None:
    text = run(bundled_ws_path, "cap", "status", "--year", "2018").stdout
    assert (
        "reported: 241,114 barrels (48.22% of the cap) from 1 row; thresholds crossed: none" in text
    )
    assert "759,793 at 50% (reproduced); 1,367,628 at 90% (reproduced)" in text
    assert (
        "75% by 2018-05-30, 90% by 2018-05-30, 95% by 2018-05-30, cap exceeded by 2018-05-30"
        in text
    )
    assert "sanctrace:data/petroleum/caps.csv" in text


def test_deliveries(bundled_ws_path: Path) -> None:
    body = json.loads(run(bundled_ws_path, "cap", "deliveries", "--json").stdout)
    assert len(body["deliveries"]) == 8
    reported = json.loads(
        run(bundled_ws_path, "cap", "deliveries", "--kind", "reported", "--json").stdout
    )["deliveries"]
    assert [(d["period_text"], d["supplier"], d["barrels"], d["factor"]) for d in reported] == [
        ("2018", "Russia", "241114", "refined-1718"),
        ("2019", "Russia", "277365", "refined-1718"),
        ("2021", "China", "91909", "refined-1718"),
        ("2023", "Russia", "105845", "refined-1718"),
    ]
    text = run(bundled_ws_path, "cap", "deliveries", "--commodity", "refined").stdout
    assert "8 deliveries" in text and "1,519,587" in text


def test_errors_are_one_line(bundled_ws_path: Path, tmp_path: Path) -> None:
    result = run(bundled_ws_path, "cap", "status", "--commodity", "diesel")
    assert result.exit_code == 2
    assert "commodity 'diesel': no cap is loaded for it; loaded: crude, refined" in result.stderr
    result = run(bundled_ws_path, "cap", "status", "--year", "2016")
    assert result.exit_code == 2 and "the first starts on 2018-01-01" in result.stderr
    result = run(bundled_ws_path, "cap", "deliveries", "--kind", "guessed")
    assert result.exit_code == 2 and "kind 'guessed': use reported or estimated" in result.stderr
    result = run(tmp_path / "none.duckdb", "cap", "status")
    assert result.exit_code == 2 and "no workspace here" in result.stderr


def test_derive_from_detected_encounters(ws_path: Path, tmp_path: Path) -> None:
    detected = tmp_path / "detect.json"
    detected.write_text(
        json.dumps(
            {
                "encounters": [
                    {
                        "vessel_a": "352001234",
                        "vessel_b": "445539000",
                        "start": "2019-02-01T20:00:00",
                        "end": "2019-02-02T03:10:00",
                        "median_distance_m": 40.0,
                        "lat": 31.1,
                        "lon": 123.9,
                        "designated": [],
                    },
                    {"vessel_a": "352001234", "start": "2019-02-03T00:00:00"},
                ],
                "loitering": [],
                "gaps": [],
                "identity": [],
                "port_calls": [{"mmsi": "445539000", "start": "2019-02-05T08:00", "port": "Nampo"}],
            }
        ),
        encoding="utf-8",
    )
    tankers = tmp_path / "tankers.csv"
    tankers.write_text(
        "mmsi,imo,name,capacity_barrels,dwt\n"
        "445539000,8660313,CHON MA SAN,50000,\n"
        "445112000,,YU JONG 2,,3000\n"
        "4451,,BAD,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "derived.csv"
    args = ["cap", "derive", str(detected), "--tankers", str(tankers), "--out", str(out)]
    text = run(ws_path, *args, "--estimate", "ais-2019", "--ingest").stdout
    assert (
        "1 encounters, 1 port calls, 2 tankers of interest -> 1 deliveries written to "
        f"{out} (1 same cargo, 0 skipped)"
    ) in text
    assert "set aside: line 4: mmsi '4451' is not nine digits" in text
    assert "set aside: encounters[1]: missing vessel_b, end" in text
    assert "loaded as deliveries:" in text
    body = json.loads(run(ws_path, "cap", "status", "--year", "2019", "--json").stdout)
    [est] = body["ledgers"][0]["estimates"]
    assert (est["estimate"], est["deliveries"], est["capacity_barrels"]) == ("ais-2019", 1, "50000")
    again = json.loads(
        run(ws_path, *args, "--estimate", "ais-2019", "--json").stdout  # no --ingest
    )
    assert (again["deliveries"], again["loaded"], len(again["set_aside"])) == (1, None, 2)


def test_derive_errors_name_the_file(ws_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "detect.json"
    bad.write_text("{not json", encoding="utf-8")
    tankers = tmp_path / "t.csv"
    tankers.write_text("mmsi,capacity_barrels\n445539000,5\n", encoding="utf-8")
    args = ["cap", "derive", str(bad), "--tankers", str(tankers), "--out", str(tmp_path / "o.csv")]
    result = run(ws_path, *args, "--estimate", "x")
    assert result.exit_code == 2 and f"{bad}:1: not JSON" in result.stderr
