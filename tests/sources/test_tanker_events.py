"""The readers behind ``sanctrace cap derive``: tankers of interest (CSV) and detected
encounters and port calls (the JSON of ``sanctrace ais detect --json``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.caps.derive import (
    Tanker,
    estimated_deliveries,
    events_from_encounters,
    events_from_port_calls,
)
from sanctrace.errors import InputError
from sanctrace.sources.tanker_events import read_events, read_tankers
from tests.sources.factory import write
from tests.sources.strategies import FUZZ


def test_tankers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.csv",
        "mmsi,imo,name,capacity_barrels,dwt\n"
        '445539000,IMO 8660313,CHON MA SAN,"50,000",\n'
        "445112000,,YU JONG 2,,3000\n"
        "445112000,,again,,3000\n"
        "445000001,,none,,\n"
        "445000002,8660310,bad imo,5,\n",
    )
    got = read_tankers(path)
    assert sorted(got.by_mmsi) == ["445112000", "445539000"]
    chon = got.by_mmsi["445539000"]
    assert (chon.imo, chon.capacity_barrels, chon.dwt) == ("8660313", Decimal("50000"), None)
    assert got.by_mmsi["445112000"].dwt == 3000
    assert [(q.line, q.reason) for q in got.quarantine] == [
        (4, "MMSI 445112000 is listed twice"),
        (5, "neither capacity_barrels nor dwt is given"),
        (6, "imo '8660310' fails its check digit (expected 3)"),
    ]


def test_events(tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.json",
        json.dumps(
            {
                "encounters": [
                    {"vessel_a": "1", "vessel_b": "2", "start": "2019-01-01", "end": "2019-01-02"},
                    {"vessel_a": "1", "vessel_b": "", "start": "2019-01-01", "end": "2019-01-02"},
                    "not an object",
                ],
                "port_calls": [{"mmsi": "2", "start": "2019-01-05"}],
            }
        ),
    )
    got = read_events(path)
    assert (len(got.encounters), len(got.port_calls)) == (1, 1)
    assert [(q.element, q.reason) for q in got.quarantine] == [
        ("encounters[1]", "missing vessel_b"),
        ("encounters[2]", "missing vessel_a, vessel_b, start, end"),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not JSON"),
        ("[]", "expected an object with encounters"),
        ('{"gaps": []}', "expected an object with encounters"),
        ('{"encounters": 3}', "encounters: is not a list"),
    ],
)
def test_unreadable_events_name_the_file(tmp_path: Path, text: str, reason: str) -> None:
    path = write(tmp_path / "d.json", text)
    with pytest.raises(InputError, match=reason) as caught:
        read_events(path)
    assert str(path) in str(caught.value)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "events"


@given(st.binary(max_size=400))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    for reader in (read_tankers, read_events):
        try:
            got = reader(scratch)
        except InputError as exc:
            assert str(scratch) in str(exc)
            continue
        assert all(q.reason for q in got.quarantine)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["encounters", "port_calls", "vessel_a", "vessel_b", "mmsi", "start", "end"]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
@FUZZ
def test_fuzz_json(scratch: Path, doc: object) -> None:
    write(scratch, json.dumps(doc))
    try:
        got = read_events(scratch)
    except InputError as exc:
        assert str(scratch) in str(exc)
        return
    assert all(isinstance(e, dict) for e in got.encounters + got.port_calls)
    # and the derivation takes whatever the reader let through without a traceback
    fleet = {m: Tanker(m, capacity_barrels=Decimal(1000)) for m in ("0", "1", "", "None")}
    skipped: list[tuple[Any, str]] = []
    events = events_from_encounters(got.encounters, fleet, skipped=skipped)
    events += events_from_port_calls(got.port_calls, fleet, skipped=skipped)
    derived = estimated_deliveries(events, estimator="x", estimate="y")
    assert len(derived.rows) + len(derived.merged) == len(events)
