"""Reading files for adapters, and how every CSV adapter meets a broken file: an
``InputError`` naming the file (and line) with the reason, or good rows landing and bad rows
quarantined with theirs. Never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctrace.errors import InputError
from sanctrace.sources.base import Quarantined, read_csv, read_text
from tests.sources.factory import (
    CSV_KINDS,
    GOOD_ROWS,
    MAIN_TABLE,
    assert_contract,
    csv_text,
    good_csv,
    parse,
    write,
)


def rows_of(path: Path, required: tuple[str, ...] = ("a",), optional: tuple[str, ...] = ("b",)):
    return list(read_csv(path, required, optional))


# -- read_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("date,victim\n", "date,victim\n"),
        ("\ufeffdate,victim\n", "date,victim\n"),  # a BOM is dropped
        ("정찰총국\n", "정찰총국\n"),
    ],
)
def test_read_text_utf8(tmp_path: Path, content: str, text: str) -> None:
    assert read_text(write(tmp_path / "f.csv", content)) == text


@pytest.mark.parametrize(
    ("content", "location"),
    [
        ("a\nb\nCaf\xe9\n".encode("latin-1"), ":3"),
        ("a\n\u201cquoted\u201d\n".encode("cp1252"), ":2"),
        ("date,victim\n".encode("utf-16"), ":1"),
    ],
)
def test_read_text_refuses_other_encodings(tmp_path: Path, content: bytes, location: str) -> None:
    path = write(tmp_path / "f.csv", content)
    with pytest.raises(InputError, match="not UTF-8") as info:
        read_text(path)
    assert info.value.location == f"{path}{location}"
    assert "re-save the file as UTF-8" in info.value.reason


def test_read_text_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file") as info:
        read_text(tmp_path / "nope.csv")
    assert info.value.location == str(tmp_path / "nope.csv")


# -- read_csv -----------------------------------------------------------------------------


def test_read_csv_yields_physical_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", 'a,b\r\n1,"two\nlines"\r\n\r\n  ,  \n3, x \n')
    assert rows_of(path) == [(2, {"a": "1", "b": "two\nlines"}), (6, {"a": "3", "b": "x"})]


def test_read_csv_optional_columns_may_be_absent(tmp_path: Path) -> None:
    assert rows_of(write(tmp_path / "f.csv", "a\n1\n")) == [(2, {"a": "1"})]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1", "1 cells where the header has 2 (a truncated line?)"),
        ("1,2,3", "3 cells where the header has 2 (a truncated line?)"),
    ],
)
def test_read_csv_quarantines_wrong_width(tmp_path: Path, line: str, reason: str) -> None:
    path = write(tmp_path / "f.csv", f"a,b\n{line}\n5,6\n")
    assert rows_of(path) == [
        (2, Quarantined(reason, line=2, raw=line)),
        (3, {"a": "5", "b": "6"}),
    ]


def test_read_csv_unterminated_quote_keeps_rows_before(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", 'a,b\n1,2\n3,"never closed\n4,5\n')
    first, broken = rows_of(path)
    assert first == (2, {"a": "1", "b": "2"})
    assert broken[0] == 3 and isinstance(broken[1], Quarantined)
    assert broken[1].line == 3 and broken[1].reason.startswith("unreadable CSV")


@pytest.mark.parametrize(
    ("content", "location", "reason"),
    [
        ("", "", "the file is empty"),
        ("\n \n\r\n", "", "the file is empty"),
        ("b\n1\n", ":1", "missing column(s) a"),
        ("a,b,c\n1,2,3\n", ":1", "unknown column(s) c"),
        ("a,b,a\n1,2,3\n", ":1", "duplicate column(s) a"),
    ],
)
def test_read_csv_refuses_file(tmp_path: Path, content: str, location: str, reason: str) -> None:
    path = write(tmp_path / "f.csv", content)
    with pytest.raises(InputError) as info:
        rows_of(path)
    assert info.value.location == f"{path}{location}"
    assert reason in info.value.reason


# -- every CSV adapter against broken files -----------------------------------------------

KINDS = sorted(CSV_KINDS)


def with_line(kind: str, cells: list[str] | str, eol: str = "\n") -> str:
    """The good file plus one more line: ``cells`` as CSV, or a raw string."""
    line = cells if isinstance(cells, str) else csv_text(cells, []).rstrip("\n")
    return good_csv(kind) + line + eol


def good_cells(kind: str) -> list[str]:
    return list(GOOD_ROWS[kind].values())


# file builders -> (location suffix, words of the reason); None: the good row lands
REFUSED = {
    "latin-1": (lambda k: good_csv(k).replace("\n", "\nCaf\xe9 ", 1).encode("latin-1"), ":2"),
    "utf-16": (lambda k: good_csv(k).encode("utf-16"), ":1"),
    "utf-16 without BOM": (lambda k: good_csv(k).encode("utf-16-le"), ":1"),
    "empty": (lambda k: b"", ""),
    "blank": (lambda k: b"\n\n", ""),
    "missing required column": (lambda k: good_csv(k).split(",", 1)[1], ":1"),
    "extra unknown column": (lambda k: good_csv(k).replace("\n", ",colour\n", 1), ":1"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unreadable_file_is_one_input_error(tmp_path: Path, kind: str, case: str) -> None:
    build, location = REFUSED[case]
    path = write(tmp_path / "in.csv", build(kind))
    with pytest.raises(InputError) as info:
        parse(kind, path)
    assert info.value.location == f"{path}{location}"
    assert info.value.reason


def _replace_last_line(text: str, line: str) -> str:
    return text.rsplit("\n", 2)[0] + "\n" + line + "\n"


# file builders -> words of the reason for quarantining line 3; the good row (line 2) lands
QUARANTINED = {
    "too few cells": (lambda k: with_line(k, good_cells(k)[:-1]), "cells"),
    "too many cells": (lambda k: with_line(k, [*good_cells(k), "x"]), "cells"),
    "truncated mid-row": (lambda k: with_line(k, ",".join(good_cells(k))[:15], eol=""), "cells"),
    "unterminated quote": (lambda k: with_line(k, '"never closed,'), "unreadable CSV"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(QUARANTINED))
def test_bad_row_is_quarantined(tmp_path: Path, kind: str, case: str) -> None:
    build, reason = QUARANTINED[case]
    path = write(tmp_path / "in.csv", build(kind))
    parsed = parse(kind, path)
    assert_contract(parsed, kind, path)
    assert len(parsed.rows[MAIN_TABLE[kind]]) == 1
    [q] = parsed.quarantine
    assert q.line == 3 and reason in q.reason


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda t: "\ufeff" + t, id="BOM"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="CRLF"),
        pytest.param(lambda t: t.replace("\n", "\n\n \n", 1) + "\n\n", id="blank lines"),
        pytest.param(lambda t: t.rstrip("\n"), id="no final newline"),
    ],
)
def test_harmless_shapes_parse_as_usual(tmp_path: Path, kind: str, shape) -> None:
    path = write(tmp_path / "in.csv", shape(good_csv(kind)))
    parsed = parse(kind, path)
    assert_contract(parsed, kind, path)
    assert (parsed.rows_read, len(parsed.rows[MAIN_TABLE[kind]]), parsed.quarantine) == (1, 1, [])


@pytest.mark.parametrize("kind", KINDS)
def test_header_only_reads_nothing(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path / "in.csv", csv_text(list(GOOD_ROWS[kind]), []))
    parsed = parse(kind, path)
    assert (parsed.rows_read, parsed.rows, parsed.quarantine) == (0, {}, [])
