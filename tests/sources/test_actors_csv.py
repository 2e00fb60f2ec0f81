"""``actors``: the curated hierarchy CSV. Its aliases outrank every galaxy (rank 0)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.sources.actors_csv import ActorsCsv
from sanctrace.sources.base import Parsed
from tests.sources.factory import assert_contract, csv_text, parse_or_error, write
from tests.sources.strategies import FUZZ, csv_documents


def parse_rows(tmp_path: Path, *rows: dict[str, str]) -> Parsed:
    header = list(dict.fromkeys(k for r in rows for k in r))
    return ActorsCsv().parse(write(tmp_path / "actors.csv", csv_text(header, rows)))


def test_bundled_hierarchy() -> None:
    parsed = ActorsCsv().parse(bundled("incidents/actors.csv"))
    assert (parsed.rows_read, parsed.quarantine) == (6, [])
    assert {(a["actor_id"], a["parent_id"], a["mitre_id"]) for a in parsed.rows["actor"]} == {
        ("reconnaissance-general-bureau", None, None),
        ("lazarus-group", "reconnaissance-general-bureau", "G0032"),
        ("apt38", "lazarus-group", "G0082"),
        ("andariel", "lazarus-group", "G0138"),
        ("tradertraitor", "lazarus-group", None),
        ("kimsuky", "reconnaissance-general-bureau", "G0094"),
    }
    assert {a["rank"] for a in parsed.rows["actor_alias"]} == {0}


def test_row_becomes_actor_and_aliases(tmp_path: Path) -> None:
    parsed = parse_rows(
        tmp_path,
        {
            "name": "APT38",
            "parent": "Lazarus Group",
            "aliases": "BlueNoroff; Bluenoroff ;Stardust Chollima;;",
            "mitre_id": "G0082",
            "country": "North Korea",
            "description": "financial sub-group",
            "source": "https://home.treasury.gov/news/press-releases/sm774",
        },
    )
    assert parsed.rows["actor"] == [
        {
            "actor_id": "apt38",
            "name": "APT38",
            "parent_id": "lazarus-group",
            "mitre_id": "G0082",
            "country": "KP",
            "description": "financial sub-group "
            "(source: https://home.treasury.gov/news/press-releases/sm774)",
        }
    ]
    # spellings that share a key collapse to the first; empty aliases are skipped
    assert [(a["alias"], a["alias_key"]) for a in parsed.rows["actor_alias"]] == [
        ("APT38", "apt38"),
        ("BlueNoroff", "bluenoroff"),
        ("Stardust Chollima", "stardustchollima"),
    ]


def test_minimal_row(tmp_path: Path) -> None:
    parsed = parse_rows(tmp_path, {"name": "Kimsuky"})
    assert parsed.rows["actor"] == [
        {
            "actor_id": "kimsuky",
            "name": "Kimsuky",
            "parent_id": None,
            "mitre_id": None,
            "country": None,
            "description": None,
        }
    ]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"name": ""}, "name is empty"),
        ({"name": "---"}, "name is empty"),
        ({"name": "APT38", "country": "Atlantis"}, "country 'Atlantis' is not an ISO 3166 code"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, fields: dict[str, str], reason: str) -> None:
    good = {"name": "Andariel", "country": "KP", "description": "d"}
    parsed = parse_rows(tmp_path, good, {"country": "", "description": "d", **fields})
    assert [a["name"] for a in parsed.rows["actor"]] == ["Andariel"]
    [q] = parsed.quarantine
    assert (q.line, q.reason[: len(reason)]) == (3, reason)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "actors.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("actors", scratch), "actors", scratch)


@given(csv_documents("actors"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("actors", scratch), "actors", scratch)
