"""Designated-vessel screening: vessels seen on AIS against the OFAC and UN vessels, by IMO,
MMSI and name, with the bundled OFAC DPRK vessels when no list is loaded."""

from __future__ import annotations

from pathlib import Path

from sanctrace.maritime import designated
from sanctrace.maritime.designated import Vessel
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import csv_text, write


def test_bundled_list_works_without_a_workspace() -> None:
    records = designated.bundled_records()
    assert len(records) == 105
    assert sum(1 for r in records if "imoNumber" in r.entity["properties"]) == 104
    index = designated.vessel_index(None)
    by_imo = designated.screen_vessel(index, Vessel("351000000", ("SEA STAR",), ("7937317",)))
    assert [(h.entity_id, h.caption, h.key, h.value, h.score) for h in by_imo] == [
        ("ofac-17069", "CHONG CHON GANG", "imo", "7937317", 1.0)
    ]
    by_name = designated.screen_vessel(index, Vessel("445000001", ("CHON MA SAN",)))
    assert [(h.caption, h.key, h.lists) for h in by_name] == [
        ("CHON MA SAN", "name", [designated.BUNDLED_LIST])
    ]
    # the same name with another valid IMO number is another ship
    other = designated.screen_vessel(index, Vessel("351000000", ("CHON MA SAN",), ("9811000",)))
    assert other == []
    assert designated.screen_vessel(index, Vessel("351000000", ("EVER GIVEN",), ())) == []
    # a name alone must be near-exact: "STAR" is not STAR 18, "JIN" is not JIN TAI
    for generic in ("STAR", "JIN", "LUCKY"):
        assert designated.screen_vessel(index, Vessel("351000000", (generic,))) == []
    loose = designated.screen_vessel(index, Vessel("1", ("STAR",)), name_threshold=0.7)
    assert "STAR 18" in [h.caption for h in loose]


def test_workspace_lists_supersede_the_bundled_copy(ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "seen.csv",
        csv_text(
            ["mmsi", "timestamp", "lat", "lon", "imo", "name"],
            [
                ["445111000", "2019-03-01T00:00:00Z", "38.7", "125.1", "8132835", ""],
                ["445222000", "2019-03-01T00:00:00Z", "38.8", "125.2", "", "AP ROK GANG"],
                ["351333000", "2019-03-01T00:00:00Z", "31.2", "32.3", "9811000", "EVER GIVEN"],
            ],
        ),
    )
    ingest(ws, "ais-csv", path)
    hits = designated.screen_vessels(ws)
    assert [(h.mmsi, h.entity_id, h.key, h.value) for h in hits] == [
        ("445111000", "ofac-17084", "imo", "8132835"),
        # the OFAC list as loaded knows AM NOK GANG's alias; the bundled CSV does not
        ("445222000", "ofac-17084", "name", "AP ROK GANG"),
    ]
    assert all("us_ofac_sdn" in h.lists for h in hits)
    best = designated.screen_mmsis(ws, ["445111000", "351333000"])
    assert list(best) == ["445111000"] and best["445111000"].caption == "AM NOK GANG"
