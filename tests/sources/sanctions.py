"""Helpers for the sanctions-list adapters' tests: entities by id, and the contract that every
list adapter keeps (``InputError`` naming the file, or rows that fit the tables)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from tests.sources.factory import assert_fits

FIXTURES = Path(__file__).parent / "fixtures"
# the UN list's DPRK entries in 2017 and 2020, filtered as the bundled 2024 one is
UN_2017 = Path(__file__).parents[1] / "fixtures" / "sanctions" / "un_consolidated_2017-07-03_kp.xml"
UN_2020 = Path(__file__).parents[1] / "fixtures" / "sanctions" / "un_consolidated_2020-03-20_kp.xml"


def entities(parsed: Parsed) -> dict[str, dict[str, Any]]:
    """entity_id -> the row, with ``properties`` decoded."""
    return {
        r["entity_id"]: {**r, "properties": json.loads(r["properties"])}
        for r in parsed.rows.get("entity", [])
    }


def props(parsed: Parsed, entity_id: str) -> dict[str, list[str]]:
    return dict(entities(parsed)[entity_id]["properties"])


def assert_list_contract(parsed: Parsed | InputError, path: Path, linked: bool = True) -> None:
    """An ``InputError`` that names the file, or: every entity row fits the table, ids are
    unique, every Sanction points at a party of the file (``linked``), one snapshot row
    counts the parties, and every quarantined record has a reason and a place."""
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    rows = parsed.rows.get("entity", [])
    assert_fits("entity", rows)
    assert_fits("list_snapshot", parsed.rows["list_snapshot"])
    ids = [r["entity_id"] for r in rows]
    assert len(ids) == len(set(ids))
    parties = {r["entity_id"] for r in rows if r["schema"] != "Sanction"}
    for r in rows if linked else ():
        if r["schema"] == "Sanction":
            assert set(json.loads(r["properties"])["entity"]) <= parties
    [snapshot] = parsed.rows["list_snapshot"]
    assert snapshot["entities"] == len(parties)
    for q in parsed.quarantine:
        assert q.reason and (q.line is not None or q.element)
