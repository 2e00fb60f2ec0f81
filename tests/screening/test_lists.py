"""List snapshots and diffs: the UN list's DPRK entries 2017 -> 2020 -> 2024, and OFAC
entries whose Sanction and wallets change."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sanctrace.errors import NotFoundError
from sanctrace.screening.lists import (
    Change,
    ListDiff,
    changed_properties,
    current_entities,
    datasets_with_history,
    diff,
    list_overview,
    snapshots,
    summary,
)
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import write
from tests.sources.sanctions import UN_2020

UN = "un_sc_sanctions"


def un_ids(ws: Workspace) -> list[str]:
    return [s.source_id for s in snapshots(ws, UN)]


@pytest.fixture
def un_ws(un_history_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "sanctrace.duckdb"
    shutil.copy(un_history_path, path)
    with Workspace.open(path) as ws:
        yield ws


def amended(d: ListDiff, ref: str) -> dict[str, Change]:
    [des] = [a for a in d.amended if ref in a.refs]
    return {c.property: c for c in des.changes}


def test_snapshots_in_publication_order(un_ws: Workspace) -> None:
    snaps = snapshots(un_ws, UN)
    assert [(s.published, s.entities) for s in snaps] == [
        (date(2017, 7, 3), 99),
        (date(2020, 3, 20), 155),
        (date(2024, 9, 26), 155),  # loaded first (bundled), still the newest
    ]
    every = {s.dataset: s for s in snapshots(un_ws)}
    assert every["us_ofac_sdn"].entities == 553  # 484 entries and 69 wallets
    assert every["us_ofac_addresses"].entities == 654
    assert datasets_with_history(un_ws) == [UN]


def test_current_entities_are_the_newest_snapshot(un_ws: Workspace) -> None:
    current = current_entities(un_ws, UN)
    assert current.count().execute() == 310  # 155 parties and their Sanctions
    newest = snapshots(un_ws, UN)[-1].source_id
    assert set(current.source_id.to_pyarrow().to_pylist()) == {newest}
    every = current_entities(un_ws)
    datasets = set(every.dataset.to_pyarrow().to_pylist())
    assert datasets == {UN, "us_ofac_sdn", "us_ofac_addresses"}


def test_2017_to_2020(un_ws: Workspace) -> None:
    old, new, _ = un_ids(un_ws)
    d = diff(un_ws, UN, old, new)
    assert summary(d) == {"added": 56, "removed": 0, "amended": 6}
    assert d.added[0].refs == ["KPe.047"]
    assert d.added[0].caption == "FOREIGN TRADE BANK (FTB)"
    assert all(a.changes == [] for a in d.added)


def test_2020_to_2024_is_the_default(un_ws: Workspace) -> None:
    d = diff(un_ws, UN)
    assert (d.old.published, d.new.published) == (date(2020, 3, 20), date(2024, 9, 26))
    assert summary(d) == {"added": 0, "removed": 0, "amended": 73}
    props = changed_properties(d)
    assert props["Sanction.modifiedAt"] == 65 and props["imoNumber"] == 13
    # the Ministry of the People's Armed Forces was renamed; the old name is now an f.k.a.
    mod = amended(d, "KPe.054")
    assert mod["name"] == Change(
        "name",
        ["MINISTRY OF THE PEOPLE’S ARMED FORCES (MPAF)"],
        ["MINISTRY OF NATIONAL DEFENCE"],
    )
    assert amended(d, "KPe.056")["imoNumber"] == Change("imoNumber", [], ["IMO5571322"])


def test_2017_to_2024_and_back(un_ws: Workspace) -> None:
    old, _, new = un_ids(un_ws)
    assert summary(diff(un_ws, UN, old, new)) == {"added": 56, "removed": 0, "amended": 50}
    # the DPRK entries were never delisted; backwards, the 56 later ones are "removed"
    back = diff(un_ws, old_source_id=new, new_source_id=old)
    assert summary(back) == {"added": 0, "removed": 56, "amended": 50}
    assert back.removed[0].refs == ["KPe.047"]


def sdn_line(ent: str, name: str, program: str, remarks: str = "-0- ") -> str:
    cells = [ent, f'"{name}"', "-0- ", f'"{program}"', *(["-0- "] * 7)]
    return ",".join([*cells, f'"{remarks}"' if remarks != "-0- " else remarks])


def test_sanction_and_wallet_changes_amend_their_party(empty_ws: Workspace, tmp_path: Path) -> None:
    wallet = "Digital Currency Address - XBT 1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn"
    old = [
        sdn_line("1", "ONE CO", "DPRK"),
        sdn_line("2", "TWO CO", "DPRK"),
        sdn_line("3", "THREE CO", "DPRK", wallet),
    ]
    new = [
        sdn_line("1", "ONE CO", "DPRK] [DPRK3", wallet),
        sdn_line("3", "THREE CO", "DPRK"),
        sdn_line("4", "FOUR CO", "DPRK4", "Digital Currency Address - ETH 0x" + "a" * 40),
    ]
    for day, lines in (("2024-01-01", old), ("2024-02-01", new)):
        ingest(empty_ws, "ofac-sdn", write(tmp_path / f"sdn_{day}.csv", "\r\n".join(lines)))
    d = diff(empty_ws, "us_ofac_sdn")
    # a new entry brings its Sanction and wallet; a dropped one takes them along
    assert [(a.refs, a.caption) for a in d.added] == [(["OFAC-4"], "FOUR CO")]
    assert [(r.refs, r.caption) for r in d.removed] == [(["OFAC-2"], "TWO CO")]
    one, three = d.amended
    assert one.refs == ["OFAC-1"]
    assert sorted(one.changes, key=lambda c: c.property) == [
        Change("CryptoWallet", [], ["1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn"]),
        Change("Sanction.program", ["DPRK"], ["DPRK", "DPRK3"]),
    ]
    # the wallet moved from THREE to ONE: THREE lost it
    assert three.refs == ["OFAC-3"] and three.changes == [
        Change("CryptoWallet", ["1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn"], [])
    ]


def test_reloading_the_same_file_adds_no_snapshot(un_ws: Workspace) -> None:
    before = len(snapshots(un_ws))
    assert ingest(un_ws, "un-list", UN_2020, uri="test:again").unchanged
    assert len(snapshots(un_ws)) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"dataset": "nope"}, "no snapshot of list 'nope'"),
        ({"dataset": "us_ofac_sdn"}, "no snapshot of us_ofac_sdn older than"),
        ({"old_source_id": "un-list:0000"}, "--from un-list:0000: no list snapshot"),
        ({}, None),  # one list has history: it is the default
    ],
)
def test_choosing_snapshots(un_ws: Workspace, args: dict[str, str], message: str | None) -> None:
    if message is None:
        assert diff(un_ws, **args).dataset == UN
        return
    with pytest.raises(NotFoundError, match=message):
        diff(un_ws, **args)


def test_mixing_lists_or_one_snapshot_twice_is_refused(un_ws: Workspace) -> None:
    un = un_ids(un_ws)[0]
    ofac = snapshots(un_ws, "us_ofac_sdn")[0].source_id
    with pytest.raises(NotFoundError, match="is of us_ofac_sdn, not un_sc_sanctions"):
        diff(un_ws, UN, un, ofac)
    with pytest.raises(NotFoundError, match="the same snapshot"):
        diff(un_ws, UN, un, un)


def test_no_history(empty_ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no list has two snapshots"):
        diff(empty_ws)
    assert current_entities(empty_ws).count().execute() == 0


def test_list_overview_of_the_bundled_lists(ws: Workspace) -> None:
    by = {o.snapshot.dataset: o for o in list_overview(ws)}
    assert sorted(by) == [UN, "us_ofac_addresses", "us_ofac_sdn"]
    un = by[UN]
    assert (un.snapshot.published, un.parties) == (date(2024, 9, 26), 155)
    assert un.by_schema == {"Person": 80, "Organization": 75}
    assert un.by_program == {"DPRK": 155}
    assert un.by_year == {2009: 13, 2012: 3, 2013: 15, 2014: 1, 2016: 49, 2017: 52, 2018: 22}
    assert un.sha256.startswith("18f582f0fe6d3faa") and un.previous is None
    sdn = by["us_ofac_sdn"]
    assert sdn.parties == 484 and sdn.held_wallets == 69  # wallets belong to their holders
    assert sdn.by_schema == {"Organization": 199, "Person": 164, "Vessel": 105, "Airplane": 16}
    assert sdn.by_program["DPRK4"] == 174 and sum(sdn.by_program.values()) > 484
    assert sdn.by_year == {None: 484}  # the SDN CSV gives no listing dates
    addresses = by["us_ofac_addresses"]
    assert addresses.by_schema == {"CryptoWallet": 654} and addresses.held_wallets == 0
    assert addresses.by_program == {None: 654}
    assert list_overview(ws, "us_ofac_sdn") == [sdn]


def test_list_overview_names_the_previous_snapshot(un_ws: Workspace) -> None:
    (un,) = list_overview(un_ws, UN)
    assert un.previous is not None and un.previous.published == date(2020, 3, 20)
    assert un.previous_sha256 and un.previous_sha256 != un.sha256
    assert un.parties == 155  # the current snapshot only


def test_list_overview_of_an_empty_workspace(empty_ws: Workspace) -> None:
    assert list_overview(empty_ws) == []


def test_programmes_one_snapshot_does_not_cover_can_be_left_out(
    ws: Workspace, tmp_path: Path
) -> None:
    """A full list against a DPRK-only subset: by default the other programmes' designations
    count as removed (a list may end a programme); with ``common_programmes`` they are left
    out and counted, and the DPRK ones are compared as usual."""
    text = UN_2020.read_text(encoding="utf-8")
    start = text.index("<INDIVIDUAL>")
    block = text[start : text.index("</INDIVIDUAL>", start) + len("</INDIVIDUAL>")]
    other = re.sub(r"<REFERENCE_NUMBER>[^<]*<", "<REFERENCE_NUMBER>QDi.999<", block)
    other = re.sub(r"<UN_LIST_TYPE>[^<]*<", "<UN_LIST_TYPE>Al-Qaida<", other)
    other = re.sub(r"<DATAID>[^<]*<", "<DATAID>999999<", other)
    full = write(tmp_path / "un_full_2020.xml", text.replace(block, block + other, 1))
    ingest(ws, "un-list", full)
    plain = diff(ws, "un_sc_sanctions")
    assert plain.old.published == date(2020, 3, 20)
    assert (plain.programmes_old, plain.programmes_new) == (["Al-Qaida", "DPRK"], ["DPRK"])
    assert summary(plain) == {"added": 0, "removed": 1, "amended": 73}
    scoped = diff(ws, "un_sc_sanctions", common_programmes=True)
    assert summary(scoped) == {"added": 0, "removed": 0, "amended": 73}
    assert scoped.out_of_scope == 1
