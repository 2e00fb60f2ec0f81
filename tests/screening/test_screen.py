"""``screen`` against the bundled UN and OFAC DPRK entries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctrace.errors import InputError
from sanctrace.screening.index import Index, get_index
from sanctrace.screening.screen import screen
from sanctrace.workspace import Workspace

TORNADO = "0x03893a7c7463AE47D46bc7f091665f1893656003"  # EVM, OFAC-39796 (Tornado Cash)
WU_HUIHUI = "125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU"  # bitcoin base58, OFAC-42496


@pytest.fixture(scope="module")
def index(bundled_ws_path: Path) -> Iterator[Index]:
    with Workspace.open(bundled_ws_path) as ws:
        yield get_index(ws)


def top(index: Index, query: str, **kw: str) -> tuple[str, list[str], float]:
    result = screen(index, query, **kw)  # type: ignore[arg-type]
    assert result.matches, f"no match for {query!r}"
    m = result.matches[0]
    return m.entity_id, m.refs, m.score


@pytest.mark.parametrize(
    ("query", "entity_id", "ref"),
    [
        ("RI WON HO", "unsc-KPi.033", "KPi.033"),  # exact
        ("Lee Won-ho", "unsc-KPi.033", "KPi.033"),  # surname variant, hyphen
        ("Yoon Hojin", "unsc-KPi.001", "KPi.001"),  # romanisation variant, glued
        ("윤호진", "unsc-KPi.001", "KPi.001"),  # Hangul against a Latin-only entry
        ("리원호", "unsc-KPi.033", "KPi.033"),
        ("Korea Mining Development Trading Corp", "unsc-KPe.001", "KPe.001"),
    ],
)
def test_names(index: Index, query: str, entity_id: str, ref: str) -> None:
    result = screen(index, query)
    found = {m.entity_id: m for m in result.matches}
    assert entity_id in found
    assert ref in found[entity_id].refs
    assert found[entity_id].score >= 0.9
    assert result.matches == sorted(result.matches, key=lambda m: -m.score)


@pytest.mark.parametrize("query", ["IMO7937317", "IMO 7937317", "7937317", "imo:7937317"])
def test_vessel_by_imo(index: Index, query: str) -> None:
    assert top(index, query) == ("ofac-17069", ["OFAC-17069"], 1.0)


def test_crypto_addresses(index: Index) -> None:
    for query in (TORNADO, TORNADO.lower(), TORNADO.upper().replace("0X", "0x")):
        entity_id, refs, score = top(index, query)
        assert refs == ["OFAC-39796"] and score == 1.0
        assert entity_id.lower().endswith(TORNADO.lower())
    assert top(index, WU_HUIHUI)[1:] == (["OFAC-42496"], 1.0)
    # base58 is case-sensitive: another case is another address
    assert not screen(index, WU_HUIHUI.lower()).matches
    assert not screen(index, WU_HUIHUI.swapcase()).matches


def test_explanation_and_holder(index: Index) -> None:
    m = screen(index, WU_HUIHUI).matches[0]
    assert m.explanation["identifier_match"]["score"] == 1.0
    assert "WU Huihui" in m.explanation["holder"]["detail"]
    assert m.lists == ["us_ofac_addresses", "us_ofac_sdn"]


@pytest.mark.parametrize("query", ["Kim Ji-hoon", "Park Seo-jun", "Lee Seo-yeon", "Choi Min-seo"])
def test_hard_negatives(index: Index, query: str) -> None:
    assert screen(index, query).matches == []


def test_qualifiers_lower_the_score(index: Index) -> None:
    plain = top(index, "RI WON HO")[2]
    conflict = screen(index, "RI WON HO", schema="Vessel", birth_date="1901-01-01")
    assert all(m.score < plain for m in conflict.matches if m.entity_id == "unsc-KPi.033")


def test_threshold_and_limit(index: Index) -> None:
    assert len(screen(index, "KIM", threshold=0.0, limit=3).matches) <= 3
    with pytest.raises(InputError, match="threshold"):
        screen(index, "KIM", threshold=1.5)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\x00\x01\x02", "empty"),
        ("x" * 20_000, "10 kB"),
        ("a" * 5_000, "at most"),
        ("--- !!", "no letters"),
    ],
)
def test_garbage_queries(index: Index, query: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        screen(index, query)


def test_unknown_schema(index: Index) -> None:
    with pytest.raises(InputError, match="not one of"):
        screen(index, "RI WON HO", schema="Spaceship")


def test_workspace_directly(ws: Workspace) -> None:
    assert screen(ws, "RI WON HO").matches[0].entity_id == "unsc-KPi.033"
