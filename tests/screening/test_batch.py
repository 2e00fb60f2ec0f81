"""Batch screening in this process: a CSV of queries, one output row per match; rows that
cannot be screened say why, reviewed false positives are left out and counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sanctrace.errors import InputError
from sanctrace.screening import suppressions
from sanctrace.screening.batch import (
    MATCH_COLUMNS,
    Screened,
    Tally,
    read_csv,
    screen_row,
    screen_rows,
)
from sanctrace.screening.index import Index, get_index
from sanctrace.screening.suppressions import Suppression, query_key
from sanctrace.workspace import Workspace

RI = "unsc-KPi.033"  # RI WON HO on the UN list
RI_OFAC = "ofac-19609"  # the same man on the SDN list
CHONG_CHON_GANG = "ofac-17069"  # IMO 7937317


@pytest.fixture(scope="module")
def index(bundled_ws_path: Path) -> Iterator[Index]:
    with Workspace.open(bundled_ws_path) as ws:
        yield get_index(ws)


def reviewed(index: Index, query: str, entity_id: str, sid: str = "sup-1") -> Suppression:
    """A suppression of ``query``'s match with ``entity_id``, for the listing as it is now."""
    entry = index.get(entity_id)
    assert entry is not None
    return Suppression(
        suppression_id=sid,
        query_key=query_key(query),
        query=query,
        entity_id=entity_id,
        fingerprint=suppressions.fingerprint(entry),
        reason="born 1987, the listed man 1964",
        analyst="alice",
        created_at=datetime(2026, 1, 2),
    )


def test_a_matching_row_gives_one_row_per_match_best_first(index: Index) -> None:
    row = {"id": "7", "name": "RI WON HO", "schema": "Person", "extra": "kept"}
    got = screen_row(index, 2, row)
    assert (got.line, got.status, got.suppressed) == (2, "matched", 0)
    assert [r["match_entity_id"] for r in got.rows][:2] == [RI, RI_OFAC]
    assert [r["match_rank"] for r in got.rows] == [str(n) for n in range(1, len(got.rows) + 1)]
    first = got.rows[0]
    assert list(first) == ["id", "name", "schema", "extra", *MATCH_COLUMNS]
    assert (first["id"], first["extra"], first["match_note"]) == ("7", "kept", "")
    assert "KPi.033" in first["match_refs"].split("|")
    assert float(first["match_score"]) >= 0.7
    scores = [float(r["match_score"]) for r in got.rows]
    assert scores == sorted(scores, reverse=True)


def test_an_identifier_alone_is_screened(index: Index) -> None:
    got = screen_row(index, 3, {"name": "", "identifier": "IMO7937317"})
    assert got.status == "matched"
    assert [(r["match_entity_id"], r["match_refs"]) for r in got.rows] == [
        (CHONG_CHON_GANG, "OFAC-17069")
    ]


def test_no_match_gives_one_row_with_empty_match_columns(index: Index) -> None:
    got = screen_row(index, 4, {"id": "2", "name": "Park Seo-jun"})
    assert got == Screened(4, "unmatched", ({"id": "2", "name": "Park Seo-jun"} | EMPTY,))


EMPTY = dict.fromkeys(MATCH_COLUMNS, "")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"id": "4", "name": ""}, "give a name or an identifier"),
        ({"id": "5", "name": "Yoon Hojin", "schema": "Spaceship"}, "Spaceship"),
    ],
)
def test_a_row_that_cannot_be_screened_says_why(
    index: Index, row: dict[str, str], reason: str
) -> None:
    got = screen_row(index, 9, row)
    assert got.status == "skipped" and len(got.rows) == 1
    note = got.rows[0]["match_note"]
    assert note.startswith("line 9: ") and reason in note
    assert got.rows[0]["match_entity_id"] == ""


def test_reviewed_false_positives_are_left_out_and_counted(index: Index) -> None:
    both = [reviewed(index, "RI WON HO", RI), reviewed(index, "RI WON HO", RI_OFAC, "sup-2")]
    got = screen_row(index, 2, {"name": "Ri Won-ho"}, found=both)
    assert (got.status, got.suppressed) == ("unmatched", 2)
    assert got.rows[0]["match_note"] == "reviewed false positives left out: sup-1, sup-2"
    one = screen_row(index, 2, {"name": "Ri Won-ho"}, found=both[:1])
    assert (one.status, one.suppressed) == ("matched", 1)
    assert RI not in {r["match_entity_id"] for r in one.rows}
    # another query: the suppressions do not apply
    other = screen_row(index, 3, {"name": "Lee Won-ho"}, found=both)
    assert other.suppressed == 0 and RI in {r["match_entity_id"] for r in other.rows}


def test_columns_choose_what_is_copied(index: Index) -> None:
    got = screen_row(index, 2, {"name": "Park Seo-jun", "x": "1"}, columns=["x", "name"])
    assert list(got.rows[0]) == ["x", "name", *MATCH_COLUMNS]


def test_screen_rows_keeps_the_input_order_and_tallies(index: Index) -> None:
    rows = [
        (2, {"name": "RI WON HO"}),
        (3, {"name": "Park Seo-jun"}),
        (4, {"name": ""}),
        (5, {"name": "", "identifier": "IMO7937317"}),
    ]
    found = [reviewed(index, "RI WON HO", RI)]
    got = list(screen_rows(index, rows, 0.7, found))
    assert [(s.line, s.status) for s in got] == [
        (2, "matched"),
        (3, "unmatched"),
        (4, "skipped"),
        (5, "matched"),
    ]
    assert got == [screen_row(index, line, row, 0.7, found) for line, row in rows]
    tally = Tally()
    for screened in got:
        tally.add(screened)
    assert (tally.rows, tally.matched, tally.unmatched, tally.skipped) == (4, 2, 1, 1)
    assert tally.suppressed == 1
    assert tally.written == sum(len(s.rows) for s in got) == len(got[0].rows) + 3


def test_a_higher_threshold_keeps_fewer_matches(index: Index) -> None:
    rows = [(2, {"name": "Lee Won-ho"})]
    [loose] = screen_rows(index, rows, 0.5)
    [strict] = screen_rows(index, rows, 0.99)
    assert len(strict.rows) < len(loose.rows)
    with pytest.raises(InputError, match="threshold"):
        list(screen_rows(index, rows, 1.5))


def test_read_csv_keeps_line_numbers_and_strips_cells(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        '\ufeffid, name ,note\n1, RI WON HO ,"two\nlines"\n2,Park Seo-jun,\n', encoding="utf-8"
    )
    parsed = read_csv(path)
    assert parsed.columns == ("id", "name", "note")
    assert parsed.rows == [
        (3, {"id": "1", "name": "RI WON HO", "note": "two\nlines"}),
        (4, {"id": "2", "name": "Park Seo-jun", "note": ""}),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("who,what\nx,y\n", "in.csv:1: the header needs a 'name' column"),
        ("name,match_note\nx,y\n", "in.csv:1: input columns clash with output: match_note"),
        ("name\nx,y\n", "in.csv:2: more cells than header columns"),
        ("name\nx\x00\n", "binary data"),
    ],
)
def test_read_csv_refuses_a_file_it_cannot_read(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_csv(path)
    with pytest.raises(InputError, match="no such file"):
        read_csv(tmp_path / "missing.csv")
