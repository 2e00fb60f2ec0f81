"""The sanctions lists' sections: what the bundled lists hold, by type, program and year of
listing, and what changed since an earlier UN snapshot, each figure footnoted to its file."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctrace.report import ReportContext, build_report, render_html
from sanctrace.report.list_sections import BUILDERS
from sanctrace.workspace import Workspace
from tests.report.conftest import body_refs, notes, refs_in, row, section

UN_FILE = "sanctrace:data/sanctions/un_consolidated_2024-09-26_kp.xml"
SDN_FILE = "sanctrace:data/sanctions/ofac_sdn_dprk_2024-05-03.csv"


def lists_report(ws: Workspace) -> tuple[list[str], str]:
    report = build_report(ws, ReportContext(), builders=list(BUILDERS))
    return report.section_ids, render_html(report)


@pytest.fixture
def un_ws(un_history_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "sanctrace.duckdb"
    shutil.copy(un_history_path, path)
    with Workspace.open(path) as ws:
        yield ws


def cells(html: str, row_id: str) -> list[str]:
    """The row's cells as text, superscript note numbers left out."""
    cleaned = re.sub(r'<sup class="fn">.*?</sup>', "", row(html, row_id), flags=re.S)
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cleaned, re.S)
    ]


def column_notes(body: str, table_class: str) -> list[str]:
    """The note texts of each list column's header in a table, in column order."""
    m = re.search(rf'<table class="{table_class}">.*?<thead>(.*?)</thead>', body, re.S)
    assert m, table_class
    return [
        " ".join(str(n) for n in refs_in(th))
        for th in re.findall(r"<th[^>]*>(.*?)</th>", m.group(1), re.S)[1:]
    ]


def test_bundled_lists_by_type_program_and_year(ws: Workspace) -> None:
    ids, html = lists_report(ws)
    assert ids == ["sanctions-lists", "sanctions-by-listing-year"]  # no earlier snapshot
    listed = notes(html)
    body = section(html, "sanctions-lists")
    # columns: UN, OFAC addresses, OFAC SDN (by dataset name), each footnoted to its file
    headers = column_notes(body, "lists-by-type")
    texts = [listed[int(h)] for h in headers]
    assert texts[0] == f"{UN_FILE}, published 2024-09-26, sha256 18f582f0fe6d3faa" + texts[0][-48:]
    assert texts[2].startswith(f"{SDN_FILE}, published 2024-05-03, sha256 979dfd399c90b73c")
    assert "no publication date in the file" in texts[1]
    assert cells(body, "list-type-Person") == ["Individuals", "80", "", "164"]
    assert cells(body, "list-type-Organization") == ["Organizations", "75", "", "199"]
    assert cells(body, "list-type-Vessel") == ["Vessels", "", "", "105"]
    assert cells(body, "list-type-CryptoWallet") == ["Crypto wallets", "", "654", ""]
    assert cells(body, "list-un_sc_sanctions")[1:6] == [UN_FILE, "2024-09-26", "155", "0", ""]
    assert cells(body, "list-us_ofac_sdn")[3:5] == ["484", "69"]  # wallets held by parties
    assert cells(body, "list-program-DPRK") == ["DPRK", "155", "", "57"]
    assert cells(body, "list-program-DPRK4") == ["DPRK4", "", "", "174"]
    assert cells(body, "list-program-not-given") == ["not given", "", "654", ""]
    years = section(html, "sanctions-by-listing-year")
    assert "<svg" in years
    caption = re.search(r"<figcaption>(.*?)</figcaption>", years, re.S)
    assert caption and [listed[n] for n in refs_in(caption.group(1))] == [texts[0]]
    assert cells(years, "list-year-2017") == ["2017", "52", "", ""]
    assert cells(years, "list-year-2009") == ["2009", "13", "", ""]
    assert cells(years, "list-year-not-given") == ["not given", "", "654", "484"]
    assert re.findall(r'<tr id="list-year-(\d+)">', years) == [
        "2009",
        "2012",
        "2013",
        "2014",
        "2016",
        "2017",
        "2018",
    ]


def test_every_note_used_exists_and_points_at_a_list_file(ws: Workspace) -> None:
    _, html = lists_report(ws)
    listed = notes(html)
    assert body_refs(html) == set(listed) == {1, 2, 3}
    assert all(
        t.startswith("sanctrace:data/sanctions/") and "sha256 " in t for t in listed.values()
    )


def test_changes_since_the_previous_un_snapshot(un_ws: Workspace) -> None:
    ids, html = lists_report(un_ws)
    assert ids[-1] == "sanctions-changes"
    listed = notes(html)
    assert body_refs(html) == set(listed)
    body = section(html, "sanctions-changes")
    counts = cells(body, "changes-un_sc_sanctions")
    assert counts[1:6] == ["2020-03-20", "2024-09-26", "0", "0", "73"]
    texts = sorted({listed[n] for n in refs_in(row(body, "changes-un_sc_sanctions"))})
    assert texts[0].startswith(f"{UN_FILE}, published 2024-09-26")
    assert "un_consolidated_2020-03-20_kp.xml, published 2020-03-20" in texts[1]
    entries = re.findall(r'<tr class="amended">(.*?)</tr>', body, re.S)
    assert len(entries) == 73
    mod = next(e for e in entries if "<td>KPe.054</td>" in e)
    assert "MINISTRY OF NATIONAL DEFENCE" in mod and "<code>name</code>" in mod
    assert "MINISTRY OF THE PEOPLE’S ARMED FORCES (MPAF) &rarr; MINISTRY OF NATIONAL DEFENCE" in mod
    assert refs_in(mod)
    # the UN columns of the other sections now say an earlier snapshot is loaded
    assert cells(section(html, "sanctions-lists"), "list-un_sc_sanctions")[5] == "2020-03-20"


def test_no_list_loaded_no_section(empty_ws: Workspace) -> None:
    report = build_report(empty_ws, builders=list(BUILDERS))
    assert report.sections == [] and report.footnotes == []
