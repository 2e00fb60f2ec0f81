"""The candidate index over the bundled DPRK lists: entries, references, retrieval, cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctrace.screening.entity import prepare
from sanctrace.screening.index import Index, get_index
from sanctrace.workspace import Workspace


@pytest.fixture(scope="module")
def index(bundled_ws_path: Path) -> Iterator[Index]:
    with Workspace.open(bundled_ws_path) as ws:
        yield get_index(ws)


def test_entries_carry_refs_and_lists(index: Index) -> None:
    by_id = {e.entity_id: e for e in index.entries}
    assert "Sanction" not in {e.schema for e in index.entries}
    assert by_id["unsc-KPi.033"].refs == ("KPi.033",)
    assert by_id["unsc-KPi.033"].lists == ("un_sc_sanctions",)
    assert by_id["ofac-17069"].refs == ("OFAC-17069",)
    # a wallet on the SDN list and the address list is one entry, listed through its holder
    wallet = by_id["ofac-wallet-xbt-125W5ek3DT6Zqy5S2iPt4FHQdNMCbZA3FU"]
    assert wallet.refs == ("OFAC-42496",)
    assert wallet.lists == ("us_ofac_addresses", "us_ofac_sdn")
    assert wallet.holders == ("WU Huihui",)


def test_candidates_by_identifier_korean_key_and_typo(index: Index) -> None:
    def ids(name: str, schema: str = "Person") -> set[str]:
        query = prepare({"schema": schema, "properties": {"name": [name]}})
        return {e.entity_id for e in index.candidates(query)}

    assert "unsc-KPi.033" in ids("Lee Won-ho")  # Korean key: Ri/Lee, glued/split
    assert "unsc-KPi.001" in ids("Yun Hojin")  # glued given name
    assert "unsc-KPe.002" in ids("Korea Ryonbnog General", "Organization")  # typo: deletion keys
    imo = prepare({"schema": "Vessel", "properties": {"imoNumber": ["7937317"]}})
    assert [e.entity_id for e in index.candidates(imo)] == ["ofac-17069"]


def test_built_once_and_rebuilt_after_a_load(ws: Workspace) -> None:
    first = get_index(ws)
    assert get_index(ws) is first
    with ws.writing() as w:
        w.query("UPDATE source SET loaded_at = loaded_at + INTERVAL 1 DAY")
    assert get_index(ws) is not first
