"""``theft-addresses``: the addresses an incident names, as trace seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.ingest import ingest
from sanctrace.sources.theft_addresses import TheftAddresses
from sanctrace.workspace import Workspace
from tests.sources.factory import assert_fits, csv_text, parse_or_error, write
from tests.sources.strategies import FUZZ, TROUBLE

HEADER = ["incident_id", "chain", "address", "role", "citation"]
RONIN = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
CITE = "https://github.com/graphsense/graphsense-tagpacks @ ronin_bridge.yaml"


def theft_csv(tmp_path: Path, *rows: list[str], header: list[str] = HEADER) -> Path:
    return write(tmp_path / "theft.csv", csv_text(header, rows))


def assert_theft_contract(parsed: Parsed | InputError, path: Path) -> None:
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    rows = parsed.rows.get("incident_address", [])
    assert parsed.rows_read == len(rows) + len(parsed.quarantine)
    for q in parsed.quarantine:
        assert q.reason and q.line is not None and q.line >= 2
    assert_fits("incident_address", rows)


def test_a_seed_in_its_chain_s_spelling(tmp_path: Path) -> None:
    path = theft_csv(tmp_path, ["2022-04-14-ronin-bridge", "ETH", RONIN, "theft", CITE])
    [row] = TheftAddresses().parse(path).rows["incident_address"]
    assert row == {
        "incident_id": "2022-04-14-ronin-bridge",
        "chain": "eth",
        "address": RONIN.lower(),
        "role": "theft",
        "citation": CITE,
    }


def test_citation_is_optional(tmp_path: Path) -> None:
    path = theft_csv(
        tmp_path,
        ["2017-12-06-nicehash", "btc", "1EnJHhq8Jq8vDuZA5ahVh6H4t6jh1mB4rq", "theft"],
        header=HEADER[:4],
    )
    [row] = TheftAddresses().parse(path).rows["incident_address"]
    assert row["citation"] is None and row["address"] == "1EnJHhq8Jq8vDuZA5ahVh6H4t6jh1mB4rq"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["Ronin", "eth", RONIN, "theft", ""], "is not a registry id"),
        (["2022-04-14-ronin-bridge", "eth", RONIN, "thief", ""], "role 'thief' is not one of"),
        (["2022-04-14-ronin-bridge", "eth", RONIN[:-1], "theft", ""], "is not an EVM address"),
        (["2022-04-14-ronin-bridge", "e t h", RONIN, "theft", ""], "is not a ticker"),
        (
            ["2017-12-06-nicehash", "btc", "1EnJHhq8Jq8vDuZA5ahVh6H4t6jh1mB4rQ", "theft", ""],
            "bad base58 character or checksum",
        ),
        (["2022-04-14-ronin-bridge", "eth", RONIN, "theft"], "4 cells where the header has 5"),
    ],
)
def test_bad_rows_are_quarantined(tmp_path: Path, row: list[str], reason: str) -> None:
    good = ["2022-04-14-ronin-bridge", "eth", RONIN, "theft", CITE]
    parsed = TheftAddresses().parse(theft_csv(tmp_path, good, row))
    assert len(parsed.rows["incident_address"]) == 1
    [q] = parsed.quarantine
    assert q.line == 3 and reason in q.reason


def test_the_same_seed_twice_is_quarantined(tmp_path: Path) -> None:
    row = ["2022-04-14-ronin-bridge", "eth", RONIN, "theft", CITE]
    lower = [*row[:2], RONIN.lower(), *row[3:]]
    parsed = TheftAddresses().parse(theft_csv(tmp_path, row, lower))
    [q] = parsed.quarantine
    assert q.line == 3 and "named twice for 2022-04-14-ronin-bridge" in q.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"incident_id,chain,address\n", "missing column(s) role"),
        (b"incident_id,chain,address,role,note\n", "unknown column(s) note"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "theft.csv", content)
    with pytest.raises(InputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        TheftAddresses().parse(path)


def test_unknown_incident_is_kept_and_joins_when_the_incident_arrives(
    empty_ws: Workspace, tmp_path: Path
) -> None:
    """Seeds may be loaded before their incident: nothing is lost, the join is at read time."""
    path = theft_csv(tmp_path, ["2022-04-14-ronin-bridge", "eth", RONIN, "theft", CITE])
    assert ingest(empty_ws, "theft-addresses", path).tables == {"incident_address": 1}
    dangling = (
        "SELECT a.incident_id FROM incident_address a ANTI JOIN incident i USING (incident_id)"
    )
    with empty_ws.writing() as w:
        assert w.query(dangling) == [("2022-04-14-ronin-bridge",)]
    incidents = write(tmp_path / "incidents.csv", "date,victim\n2022-Apr-14,Ronin Bridge\n")
    ingest(empty_ws, "incidents", incidents)
    with empty_ws.writing() as w:
        assert w.query(dangling) == []


def test_ingest_reingest_and_newer_version(empty_ws: Workspace, tmp_path: Path) -> None:
    row = ["2022-04-14-ronin-bridge", "eth", RONIN, "theft", CITE]
    path = theft_csv(tmp_path, row)
    ingest(empty_ws, "theft-addresses", path, uri="test:theft.csv")
    assert ingest(empty_ws, "theft-addresses", path, uri="test:theft.csv").unchanged
    # a corrected file under the same URI replaces the earlier seeds of its incidents
    newer = theft_csv(tmp_path, [*row[:3], "attacker", CITE])
    ingest(empty_ws, "theft-addresses", newer, uri="test:theft.csv")
    with empty_ws.writing() as w:
        assert w.query("SELECT role FROM incident_address") == [("attacker",)]
    # another file naming the same seed, and one more, adds only the new one
    exploiter4 = ["2022-04-14-ronin-bridge", "eth", "0x29fC9B71492ec63696Cf9cd56e9832A42B0dCED0"]
    other = write(
        tmp_path / "other.csv",
        csv_text(HEADER, [[*row[:3], "attacker", CITE], [*exploiter4, "attacker", CITE]]),
    )
    assert ingest(empty_ws, "theft-addresses", other).tables == {"incident_address": 1}
    with empty_ws.writing() as w:
        assert w.query("SELECT count(*) FROM incident_address") == [(2,)]


def test_bundled_file() -> None:
    parsed = TheftAddresses().parse(bundled("tags/theft_addresses.csv"))
    assert parsed.quarantine == []
    rows = parsed.rows["incident_address"]
    theft = {(r["incident_id"], r["address"]) for r in rows if r["role"] == "theft"}
    assert ("2025-02-21-bybit", "0x47666fab8bd0ac7003bce3f5c3585383f09486e2") in theft
    assert ("2022-04-14-ronin-bridge", RONIN.lower()) in theft
    assert ("2017-12-06-nicehash", "1EnJHhq8Jq8vDuZA5ahVh6H4t6jh1mB4rq") in theft
    assert sum(r["incident_id"] == "2025-02-21-bybit" for r in rows) == 63
    assert all(r["citation"] for r in rows)


def test_bundled_workspace_has_the_theft_addresses(bundled_ws_path: Path) -> None:
    with Workspace.open(bundled_ws_path) as ws, ws.writing() as w:
        by_incident = dict(w.query("SELECT incident_id, count(*) FROM incident_address GROUP BY 1"))
        assert by_incident["2022-04-14-ronin-bridge"] == 6
        assert by_incident["2025-02-21-bybit"] == 63
        # every seed's incident is in the registry, Bybit 2025 included (added to the
        # registry by hand, see data/incidents/ENRICHMENT.md)
        dangling = w.query(
            "SELECT DISTINCT incident_id FROM incident_address "
            "ANTI JOIN incident USING (incident_id)"
        )
        assert dangling == []
        # the Ronin theft address is also tagged, by three packs
        packs = w.query(
            "SELECT tagpack FROM chain_tag JOIN incident_address USING (chain, address) "
            "WHERE incident_id = '2022-04-14-ronin-bridge' AND role = 'theft' ORDER BY 1"
        )
        assert packs == [
            ("OFAC Tagpack",),
            ("Ronin bridge hack",),
            ("US Treasury OFAC Sanctions List",),
        ]


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(TROUBLE),
                st.sampled_from(["2022-04-14-ronin-bridge", "eth", "btc", RONIN, "theft"]),
                st.text(max_size=12),
            ),
            min_size=3,
            max_size=6,
        ),
        max_size=5,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]),
)
def test_fuzz(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], encoding: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "theft.csv"
    path.write_bytes(csv_text(HEADER, rows).encode(encoding, errors="replace"))
    assert_theft_contract(parse_or_error("theft-addresses", path), path)
