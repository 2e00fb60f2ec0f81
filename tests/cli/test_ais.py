"""``sanctrace ingest ais-nmea|ais-csv`` and ``sanctrace ais vessels``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.invoke import run
from tests.sources.factory import csv_text, write

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ais"


def test_ingest_then_list_vessels(ws_path: Path, tmp_path: Path) -> None:
    out = run(ws_path, "ingest", "ais-nmea", str(FIXTURES / "mixed.txt")).stdout
    assert out.strip().endswith("23 rows read -> 1 ais_position, 2 ais_static; 16 quarantined")
    seen = write(
        tmp_path / "seen.csv",
        csv_text(
            ["mmsi", "timestamp", "lat", "lon", "imo", "name"],
            [
                ["445111000", "2019-03-01T00:00:00Z", "38.7", "125.1", "8132835", "AM NOK GANG"],
                ["445111000", "2019-03-01T06:00:00Z", "38.8", "125.1", "8132835", "SEA GLORY"],
            ],
        ),
    )
    run(ws_path, "ingest", "ais-csv", str(seen))

    body = json.loads(run(ws_path, "ais", "vessels", "--json").stdout)
    by_mmsi = {v["mmsi"]: v for v in body["vessels"]}
    assert sorted(by_mmsi) == ["351759000", "366989380", "367309370", "445111000"]
    dprk = by_mmsi["445111000"]
    assert {k: dprk[k] for k in ("name", "imo", "flag", "positions", "identity_anomalies")} == {
        "name": "SEA GLORY",
        "imo": "8132835",
        "flag": "KP",
        "positions": 2,
        "identity_anomalies": 1,  # renamed
    }
    assert (dprk["first_seen"], dprk["last_seen"]) == ("2019-03-01T00:00:00", "2019-03-01T06:00:00")
    [hit] = dprk["designated"]
    assert (hit["entity_id"], hit["key"], hit["value"], hit["score"]) == (
        "ofac-17084",
        "imo",
        "8132835",
        1.0,
    )
    assert by_mmsi["366989380"]["identity_anomalies"] == 1  # IMO 914466500

    only = json.loads(run(ws_path, "ais", "vessels", "--designated", "--json").stdout)
    assert [v["mmsi"] for v in only["vessels"]] == ["445111000"]
    text = run(ws_path, "ais", "vessels", "--designated").stdout
    assert "SEA GLORY" in text and "AM NOK GANG (ofac-17084, imo 8132835, 1.00)" in text


def test_no_vessels_yet(ws_path: Path) -> None:
    out = run(ws_path, "ais", "vessels").stdout
    assert out.startswith("no vessels; load AIS with `sanctrace ingest ais-nmea FILE`")
    assert json.loads(run(ws_path, "ais", "vessels", "--json").stdout) == {"vessels": []}


def test_bad_file_is_one_line_error(ws_path: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", "mmsi,lat,lon\n1,2,3\n")
    result = run(ws_path, "ingest", "ais-csv", str(bad))
    assert result.exit_code == 2
    assert "missing column(s) timestamp" in result.output


def test_identity_anomalies(ws_path: Path) -> None:
    run(ws_path, "ingest", "ais-nmea", str(FIXTURES / "mixed.txt"))
    body = json.loads(run(ws_path, "ais", "identity", "--json").stdout)
    assert body == {
        "identity": [
            {
                "mmsi": "366989380",
                "kind": "imo_check_digit",
                "start": "2015-04-09T23:22:18",
                "end": "2015-04-09T23:22:18",
                "detail": {
                    "imo": "914466500",
                    "reason": "'914466500' is not 7 digits",
                    "reports": 1,
                },
            }
        ]
    }
    assert json.loads(run(ws_path, "ais", "identity", "--mmsi", "1", "--json").stdout) == {
        "identity": []
    }
    assert "imo 914466500" in run(ws_path, "ais", "identity").stdout
