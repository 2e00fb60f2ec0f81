"""``ais-nmea``: raw AIS NMEA from receivers (the real samples of pyais' tests, MIT, in
tests/fixtures/ais/), decoded, timed by tag blocks or ``$PGHP`` headers, with every bad
sentence quarantined with its reason."""

from __future__ import annotations

import functools
import operator
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pyais
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyais.encode import encode_dict

from sanctrace.errors import InputError
from sanctrace.sources import ais_vector
from sanctrace.sources.ais_nmea import AisNmea
from sanctrace.sources.base import Parsed
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.strategies import FUZZ

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ais"
SAMPLES = (
    "nmea_data_sample.txt",
    "ais_test_messages",
    "messages.ais",
    "mixed.txt",
    "timestamped.ais",
)
T0 = 1_546_300_800  # 2019-01-01T00:00:00Z


def tagged(sentence: str, unix: int | None = None, source: str = "test", group: str = "") -> str:
    """``sentence`` behind an NMEA 4.0 tag block with a receiver time, as receivers log it."""
    fields = [f for f in (group, f"s:{source}", f"c:{unix}" if unix is not None else "") if f]
    tag = ",".join(fields)
    return f"\\{tag}*{functools.reduce(operator.xor, tag.encode(), 0):02X}\\{sentence}"


def position(mmsi: int, lat: float, lon: float, **fields: Any) -> str:
    [sentence] = encode_dict(
        {"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, **fields},
        talker_id="AI",
        sentence_type="VDM",
    )
    return str(sentence)


def parse_lines(tmp_path: Path, *lines: str) -> Parsed:
    path = tmp_path / "feed.nmea"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return AisNmea().parse(path)


def reasons(parsed: Parsed) -> dict[int, str]:
    return {q.line: q.reason for q in parsed.quarantine if q.line is not None}


def positions(parsed: Parsed) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = parsed.arrow["ais_position"].to_pylist()
    return rows


# -- the vectorised decoder --------------------------------------------------------------


def hot_sentences() -> list[bytes]:
    found = []
    for name in SAMPLES:
        for raw in (FIXTURES / name).read_bytes().splitlines():
            line = raw.strip()
            if b"!" not in line:
                continue
            fields = line[line.index(b"!") :].split(b",")
            hot = len(fields) == 7 and fields[1] == b"1" and len(fields[5]) == 28
            if hot and fields[5][0] in ais_vector.HOT_FIRST:
                found.append(line[line.index(b"!") :])
    return found


def test_vectorised_decoder_matches_pyais_on_every_real_sample() -> None:
    sentences = hot_sentences()
    assert len(sentences) == 788  # types 1, 2, 3 and 18 in the five real files
    decoded = ais_vector.decode([s.split(b",")[5] for s in sentences])
    assert decoded["valid"].all()
    for i, sentence in enumerate(sentences):
        want = pyais.decode(sentence).asdict()
        for name in ("msg_type", "mmsi", "speed", "lon", "lat", "course", "heading", "second"):
            assert decoded[name][i] == want[name], (sentence, name)
        if want["msg_type"] != 18:
            assert decoded["status"][i] == want["status"]


def test_hot_path_and_pyais_path_store_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [tagged(s.decode(), T0 + 60 * n) for n, s in enumerate(hot_sentences())]
    fast = parse_lines(tmp_path, *lines)
    monkeypatch.setattr(ais_vector, "HOT_FIRST", frozenset())  # everything through pyais
    slow = parse_lines(tmp_path, *lines)
    assert fast.arrow["ais_position"].equals(slow.arrow["ais_position"])
    assert [(q.line, q.reason) for q in fast.quarantine] == [
        (q.line, q.reason) for q in slow.quarantine
    ]
    assert fast.arrow["ais_position"].num_rows > 700


# -- the real samples --------------------------------------------------------------------


def test_mixed_file_tag_blocks_multipart_and_noise() -> None:
    parsed = AisNmea().parse(FIXTURES / "mixed.txt")
    why = reasons(parsed)
    assert why[7] == "not an AIS sentence ($GPGGA); AIS is !xxVDM or !xxVDO"
    assert why[14] == "not an NMEA AIS sentence (!xxVDM or !xxVDO)"  # "foobar"
    assert why[2] == "no time: no tag-block c: time and no $PGHP header before it"
    # the pyais sample's tag blocks end "*A": one hex digit where NMEA has two
    assert why[23] == why[26] == why[27] == "bad tag-block checksum"
    static = parsed.arrow["ais_static"].to_pylist()
    # an untimed two-sentence type 5 is kept, undated; a tagged one (g: group) is dated
    assert [(s["mmsi"], s["name"], s["imo"], s["ts"]) for s in static] == [
        ("351759000", "EVER DIADEM", "9134270", None),
        ("366989380", "MARE ISLAND", "914466500", datetime(2015, 4, 9, 23, 22, 18)),
    ]
    assert static[0] | {"line": 0} == {
        "mmsi": "351759000",
        "ts": None,
        "imo": "9134270",
        "name": "EVER DIADEM",
        "call_sign": "3FOF8",
        "ship_type": 70,
        "draught": 12.2,
        "destination": "NEW YORK",
        "line": 0,
    }
    # every line is stored or quarantined
    assert parsed.rows_read == 23


def test_gatehouse_pghp_header_times_the_next_message_only() -> None:
    parsed = AisNmea().parse(FIXTURES / "timestamped.ais")
    assert [(p["mmsi"], p["ts"], p["line"]) for p in positions(parsed)] == [
        ("367309370", datetime(2008, 5, 9, 0, 0, 0, 10000), 2),
        ("445451000", datetime(2009, 5, 9, 0, 0, 0, 10000), 8),
    ]
    assert set(reasons(parsed)) == {6, 9}  # messages after a header's message: no time


def test_receiver_sample_with_times_added(tmp_path: Path) -> None:
    lines = (FIXTURES / "nmea_data_sample.txt").read_text().splitlines()
    parsed = parse_lines(tmp_path, *(tagged(s, T0 + n) for n, s in enumerate(lines)))
    counts = Counter(q.reason.split(":")[0] for q in parsed.quarantine)
    assert counts == {
        "empty payload": 100,
        "truncated multipart": 20,  # the sample was cut from a live feed
        "message type 15 (interrogation) is not stored": 7,
        "message type 4 (base station report) is not stored": 6,
        "message type 20 (data link management) is not stored": 1,
        "position not available (AIS latitude 91 / longitude 181)": 4,
    }
    # two type 24 part B reports (call sign, ship type); every type 5 lost its second half
    static = parsed.arrow["ais_static"].to_pylist()
    assert [(s["call_sign"], s["ship_type"], s["name"]) for s in static][1] == ("PH7460", 36, None)
    assert Counter(p["msg_type"] for p in positions(parsed)) == {1: 663, 3: 76, 18: 19}
    # every line is stored or quarantined
    assert parsed.rows_read == 898 == 758 + 2 + len(parsed.quarantine)


# -- bad input ---------------------------------------------------------------------------


def test_bad_sentences_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    good = position(445123000, 39.0, 125.0, speed=5.0, heading=511)  # 511: not available
    broken = good[:-2] + ("00" if good[-2:] != "00" else "11")
    [type4] = encode_dict({"type": 4, "mmsi": 2734567}, talker_id="AI", sentence_type="VDM")
    identity = {"type": 5, "mmsi": 445123000, "imo": 7937317, "shipname": "CHONG CHON GANG"}
    part1, _ = encode_dict(identity, talker_id="AI", sentence_type="VDM", seq_id=1)
    _, part2 = encode_dict(identity, talker_id="AI", sentence_type="VDM", seq_id=2)
    parsed = parse_lines(
        tmp_path,
        tagged(good, T0),
        tagged(broken, T0 + 1),
        tagged(position(445123000, 91, 181), T0 + 2),
        tagged(type4, T0 + 3),
        tagged(part1, T0 + 4),  # its fragment 2 never comes
        tagged(good, T0),  # the same report again
        tagged(position(445123000, 39.1, 125.0), T0 - 3600),  # an hour back
        tagged(part2, T0 + 5),  # alone
        good,  # no time
        tagged(good, 4102444800 + 10),  # 2100
        "!AIVDM,1,1,,A,1" + "X" * 27 + ",0*00",
    )
    assert reasons(parsed) == {
        2: "bad checksum",
        3: "position not available (AIS latitude 91 / longitude 181)",
        4: "message type 4 (base station report) is not stored",
        5: "truncated multipart: 1 of 2 fragments arrived",
        6: "duplicate report: same MMSI, time and position as line 1",
        7: "time goes backwards: 2018-12-31T23:00:00Z after 2019-01-01T00:00:00Z for this MMSI "
        "(more than 300 s earlier)",
        8: "multipart fragment 2 of 2 without the fragments before it",
        9: "no time: no tag-block c: time and no $PGHP header before it",
        10: "implausible tag-block time c:4102444810 (before 1990 or after 2100)",
        11: "bad checksum",
    }
    [row] = positions(parsed)
    assert (row["mmsi"], row["lat"], row["lon"], row["sog"], row["heading"]) == (
        "445123000",
        39.0,
        125.0,
        5.0,
        None,
    )
    assert all(q.raw for q in parsed.quarantine)


def test_out_of_range_coordinates(tmp_path: Path) -> None:
    parsed = parse_lines(tmp_path, tagged(position(445123000, 39.0, -190.0), T0))
    assert reasons(parsed)[1].startswith("position out of range: latitude 39.0, longitude")


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.nmea"
    empty.write_text("# only a comment\n\n")
    with pytest.raises(InputError, match="no NMEA sentences"):
        AisNmea().parse(empty)
    with pytest.raises(InputError, match="cannot read"):
        AisNmea().parse(tmp_path / "missing.nmea")


def test_ingest_writes_both_tables_once(empty_ws: Workspace, tmp_path: Path) -> None:
    part1, part2 = encode_dict(
        {"type": 5, "mmsi": 445123000, "imo": 7937317, "shipname": "CHONG CHON GANG"},
        talker_id="AI",
        sentence_type="VDM",
    )
    path = tmp_path / "feed.nmea"
    path.write_text(
        "\n".join(
            [
                tagged(position(445123000, 39.0, 125.0), T0),
                tagged(part1, T0 + 1, group="g:1-2-7"),
                tagged(part2, None, group="g:2-2-7"),
                tagged(position(445123000, 39.0, 125.01), T0 + 60),
            ]
        )
        + "\n"
    )
    result = ingest(empty_ws, "ais-nmea", path)
    assert result.tables == {"ais_position": 2, "ais_static": 1}
    static = empty_ws.table("ais_static").to_pyarrow().to_pylist()
    assert [(s["name"], s["imo"], s["ts"], s["source_id"]) for s in static] == [
        ("CHONG CHON GANG", "7937317", datetime(2019, 1, 1, 0, 0, 1), result.source_id)
    ]
    assert ingest(empty_ws, "ais-nmea", path).unchanged
    assert empty_ws.count("ais_position") == 2


# -- fuzzing -----------------------------------------------------------------------------

REAL = [
    line
    for name in ("mixed.txt", "ais_test_messages")
    for line in (FIXTURES / name).read_text().splitlines()
]


@st.composite
def nmea_documents(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        base = draw(st.sampled_from([*REAL, tagged(REAL[1], T0), position(1, 1.0, 1.0)]))
        how = draw(st.sampled_from(["keep", "cut", "flip", "noise", "tag"]))
        if how == "cut":
            base = base[: draw(st.integers(0, len(base)))]
        elif how == "flip" and base:
            i = draw(st.integers(0, len(base) - 1))
            base = base[:i] + draw(st.characters(max_codepoint=0x7F)) + base[i + 1 :]
        elif how == "noise":
            base = draw(st.text(max_size=80))
        elif how == "tag":
            base = tagged(base, draw(st.integers(0, 10**14)))
        lines.append(base)
    text = "\n".join(lines).encode("utf-8", "surrogatepass")
    return draw(st.sampled_from([text, text + draw(st.binary(max_size=40))]))


@FUZZ
@given(nmea_documents())
def test_fuzzed_files_never_crash(content: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.nmea"
        path.write_bytes(content)
        try:
            parsed = AisNmea().parse(path)
        except InputError as exc:
            assert str(path) in str(exc)
            return
        for q in parsed.quarantine:
            assert q.reason and q.line is not None and q.line >= 1
        rows = positions(parsed)
        assert all(-90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180 for r in rows)


def test_one_transmission_heard_by_two_receivers_is_stored_once(tmp_path: Path) -> None:
    report = position(445123000, 39.0, 125.0)
    parsed = parse_lines(
        tmp_path,
        tagged(report, T0, source="station-a"),
        tagged(report, T0 + 2, source="station-b"),  # the same message, 2 s later
        tagged(report, T0 + 60, source="station-a"),  # a minute on: a new report
    )
    assert reasons(parsed) == {
        2: "duplicate report: the message of line 1 again, 2 s later (relayed by another receiver?)"
    }
    assert [p["line"] for p in positions(parsed)] == [1, 3]
