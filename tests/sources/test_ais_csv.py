"""``ais-csv``: decoded AIS positions with a header: the issue's columns, NOAA MarineCadastre's
and the VesselsValue Ever Given file's spellings, bad cells quarantined with their reason."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.ais_csv import AisCsv
from sanctrace.sources.base import Parsed
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import csv_text, write
from tests.sources.strategies import FUZZ

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ais"
HEADER = ["mmsi", "timestamp", "lat", "lon", "sog", "cog", "heading", "imo", "name", "draught"]


def parse_rows(tmp_path: Path, header: list[str], *rows: list[str]) -> Parsed:
    return AisCsv().parse(write(tmp_path / "ais.csv", csv_text(header, rows)))


def positions(parsed: Parsed) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = parsed.arrow["ais_position"].to_pylist()
    return rows


def test_ever_given_file_as_published(tmp_path: Path) -> None:
    # VesselsValue via movingpandas-examples: ID (anonymised), dd/mm/yyyy hh:mm, lon, lat
    parsed = AisCsv().parse(FIXTURES / "evergiven_excerpt.csv")
    assert parsed.rows_read == 165
    first = positions(parsed)[0]
    assert first == {
        "mmsi": "000000001",
        "ts": datetime(2021, 3, 20, 0, 22),
        "lat": 31.4386,
        "lon": 32.32925,
        "sog": None,
        "cog": None,
        "heading": None,
        "nav_status": None,
        "msg_type": None,
        "line": 2,
    }
    # the file repeats some reports verbatim
    assert [(q.line, q.reason) for q in parsed.quarantine][:1] == [
        (64, "duplicate report: same MMSI, time and position as line 63")
    ]
    assert len(positions(parsed)) + len(parsed.quarantine) == 165
    assert parsed.arrow["ais_static"].num_rows == 0


def test_noaa_marinecadastre_header(tmp_path: Path) -> None:
    noaa = "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    header = (noaa + "Length,Width,Draft,Cargo,TransceiverClass").split(",")  # as published
    parsed = parse_rows(
        tmp_path,
        header,
        [
            "445123000",
            "2019-01-01T00:00:00",
            "39.1",
            "124.5",
            "0.1",
            "360.0",
            "511",
            "CHON MA SAN",
            "IMO8660313",
            "HMYD",
            "80",
            "5",
            "100",
            "16",
            "6.2",
            "80",
            "A",
        ],
        [
            "445123000",
            "2019-01-01T00:10:00",
            "39.1",
            "124.5",
            "102.3",
            "12.5",
            "13",
            "CHON MA SAN",
            "IMO8660313",
            "HMYD",
            "80",
            "5",
            "100",
            "16",
            "6.2",
            "80",
            "A",
        ],
        [
            "445123000",
            "2019-01-02T00:00:00",
            "39.2",
            "124.5",
            "3",
            "12.5",
            "13",
            "KUM UN SAN 3",
            "IMO8660313",
            "HMYD",
            "80",
            "5",
            "100",
            "16",
            "9.8",
            "80",
            "A",
        ],
    )
    assert parsed.quarantine == []
    got = [(p["sog"], p["cog"], p["heading"], p["nav_status"]) for p in positions(parsed)]
    assert got == [(0.1, None, None, 5), (None, 12.5, 13.0, 5), (3.0, 12.5, 13.0, 5)]
    # identity rows only when something changes: the renaming (and draught) on line 4
    static = parsed.arrow["ais_static"].to_pylist()
    assert [
        (s["line"], s["name"], s["imo"], s["call_sign"], s["ship_type"], s["draught"])
        for s in static
    ] == [
        (2, "CHON MA SAN", "8660313", "HMYD", 80, 6.2),
        (4, "KUM UN SAN 3", "8660313", "HMYD", 80, 9.8),
    ]


def test_times_are_utc(tmp_path: Path) -> None:
    parsed = parse_rows(
        tmp_path,
        ["mmsi", "timestamp", "lat", "lon"],
        ["445123000", "2019-01-01T09:00:00+09:00", "39", "125"],
        ["445123001", "2019-01-01T00:00:30Z", "39", "125"],
        ["445123002", "01/02/2019 00:00:30", "39", "125"],  # day first: 1 February
    )
    assert [p["ts"] for p in positions(parsed)] == [
        datetime(2019, 1, 1),
        datetime(2019, 1, 1, 0, 0, 30),
        datetime(2019, 2, 1, 0, 0, 30),
    ]


def test_bad_cells_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    parsed = parse_rows(
        tmp_path,
        HEADER,
        ["445123000", "2019-01-01T00:00:00Z", "39", "125", "", "", "", "", "", ""],
        ["4451230001", "2019-01-01T00:00:00Z", "39", "125", "", "", "", "", "", ""],
        ["445123000", "yesterday", "39", "125", "", "", "", "", "", ""],
        ["445123000", "2019-01-01T00:01:00Z", "91", "181", "", "", "", "", "", ""],
        ["445123000", "2019-01-01T00:02:00Z", "95", "125", "", "", "", "", "", ""],
        ["445123000", "2019-01-01T00:03:00Z", "39", "125", "-1", "", "", "", "", ""],
        ["445123000", "2019-01-01T00:04:00Z", "39", "125", "", "", "", "IMO 12a", "", ""],
        ["445123000", "2019-01-01T00:00:00Z", "39", "125", "", "", "", "", "", ""],
        ["445123000", "2018-12-31T00:00:00Z", "39", "125", "", "", "", "", "", ""],
        ["445123000", "1970-01-01T00:00:00Z", "39", "125", "", "", "", "", "", ""],
        ["445123000", "2019-01-01T00:05:00Z", "NaN", "125", "", "", "", "", "", ""],
        ["445123000", "2019-01-01T00:06:00Z", "39", "125", "", "", "", "", "", "0"],
    )
    assert {q.line: q.reason for q in parsed.quarantine} == {
        3: "MMSI '4451230001' is not 1 to 9 digits",
        4: "timestamp 'yesterday' is not ISO 8601 (2021-03-23T05:40:00Z) or dd/mm/yyyy hh:mm",
        5: "position not available (AIS latitude 91 / longitude 181)",
        6: "position out of range: latitude 95.0, longitude 125.0",
        7: "sog '-1' is outside 0 to 102.3",
        8: "IMO 'IMO 12a' is not a number",
        9: "duplicate report: same MMSI, time and position as line 2",
        10: "time goes backwards: 2018-12-31T00:00:00Z after 2019-01-01T00:00:00Z for this "
        "MMSI (more than 300 s earlier)",
        11: "timestamp '1970-01-01T00:00:00Z' is before 1990 or after 2100",
        12: "lat 'NaN' is not a number",
    }
    assert [p["line"] for p in positions(parsed)] == [2, 13]
    assert all(q.raw for q in parsed.quarantine)


def test_header_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing column.*timestamp"):
        parse_rows(tmp_path, ["mmsi", "lat", "lon"], ["1", "2", "3"])
    with pytest.raises(InputError, match=r"unknown column.*speedz"):
        parse_rows(tmp_path, ["mmsi", "timestamp", "lat", "lon", "speedz"], [])
    with pytest.raises(InputError, match="'lat' and 'LATITUDE' both give lat"):
        parse_rows(tmp_path, ["mmsi", "timestamp", "lat", "lon", "LATITUDE"], [])
    with pytest.raises(InputError, match=str(tmp_path)):
        write(tmp_path / "empty.csv", "")
        AisCsv().parse(tmp_path / "empty.csv")


def test_ingest(empty_ws: Workspace) -> None:
    result = ingest(empty_ws, "ais-csv", FIXTURES / "evergiven_excerpt.csv")
    assert result.tables == {"ais_position": 159, "ais_static": 0}
    assert result.rows_quarantined == 6
    assert empty_ws.count("quarantine") == 6


# -- fuzzing -----------------------------------------------------------------------------

CELLS = [
    "445123000", "1", "", " ", "0", "-1", "91", "181", "102.3", "360", "511", "NaN", "1e400",
    "2019-01-01T00:00:00Z", "20/03/2021 00:22", "31/02/2021 00:00", "2019-13-01", "yesterday",
    "IMO9074729", "9074729", "CHON MA SAN", '"', "a,b", "two\nlines", "\x00", "\ufeff", "²",
]  # fmt: skip


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(
        st.lists(st.sampled_from([*HEADER, "ID", "LAT", "speedz", ""]), min_size=0, max_size=8)
    )
    rows = draw(
        st.lists(
            st.lists(st.sampled_from(CELLS) | st.text(max_size=8), min_size=0, max_size=9),
            max_size=8,
        )
    )
    text = csv_text(header, rows).encode("utf-8", "surrogatepass")
    return draw(st.sampled_from([text, text[: draw(st.integers(0, len(text)))], b"\xff" + text]))


@FUZZ
@given(csv_files())
def test_fuzzed_files_never_crash(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(content)
        try:
            parsed = AisCsv().parse(path)
        except InputError as exc:
            assert str(path) in str(exc)
            return
        assert parsed.rows_read == len(positions(parsed)) + len(parsed.quarantine)
        for q in parsed.quarantine:
            assert q.reason and q.line is not None and q.line >= 2
