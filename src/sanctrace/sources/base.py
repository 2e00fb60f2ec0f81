"""What every adapter shares: its declaration, what it returns, and small readers.

An adapter turns one external file into rows for workspace tables, plus quarantined rows with
their reason. It never writes: ``sources.ingest`` wraps it with provenance and one
transaction. ``parse`` raises ``InputError`` for a file that cannot be read at all (wrong
encoding, missing required column, empty); a bad row is quarantined instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from sanctrace.errors import InputError

Row = dict[str, Any]


@dataclass
class Quarantined:
    """A row an adapter would not accept, and why."""

    reason: str
    line: int | None = None
    element: str | None = None
    raw: str | None = None


@dataclass
class Parsed:
    """An adapter's output: rows per table, quarantined rows, and how many rows it read.

    ``replace`` names the tables that hold records keyed by a column (an incident spans
    ``incident``, ``amount``, ``attribution`` and ``citation``, all keyed by ``incident_id``);
    ``primary`` is the one table with one row per record. ``sources.ingest`` merges by key:
    a newer version of the same file (same URI) supersedes its earlier rows, while another
    file that names an existing record adds its amounts, attributions and citations to it
    (the primary row already there stands, and rows identical to existing ones are skipped).

    ``arrow`` is the columnar path for files of millions of rows (the chain adapters): whole
    Arrow tables, inserted as they are. Columns named ``_tx`` (the record a row came from)
    and ``_line`` are for merging and are dropped before the insert.
    """

    rows: dict[str, list[Row]] = field(default_factory=dict)
    quarantine: list[Quarantined] = field(default_factory=list)
    rows_read: int = 0
    replace: dict[str, str] = field(default_factory=dict)
    primary: str | None = None
    arrow: dict[str, pa.Table] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)


Progress = Callable[[int], None]
"""Called with the number of rows read so far, for progress bars."""


class Adapter(Protocol):
    """One external format. Declared as data: ``name`` is the ``ingest`` KIND."""

    name: str
    version: str
    description: str

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed: ...


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (BOM allowed). Any other encoding is an error naming the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}",
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8",
        ) from exc


def read_csv(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, Row | Quarantined]]:
    """Yield ``(line, row)`` for each data row of a CSV with a header, or a ``Quarantined``.

    The header must hold every ``required`` column and nothing outside ``required`` and
    ``optional`` (an unknown column is usually a typo that would lose data). A row with too
    many or too few cells is quarantined. Line numbers are physical lines of the file.
    """
    text = read_text(path)
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"{path}:1", f"unreadable CSV header: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"{path}:1", f"missing column(s) {', '.join(missing)}; the header is {header}"
        )
    known = set(required) | set(optional)
    unknown = [h for h in header if h not in known]
    if unknown:
        raise InputError(
            f"{path}:1",
            f"unknown column(s) {', '.join(unknown)}; expected {sorted(known)}",
        )
    check_unique(path, header)
    yield from csv_records(reader, header, strip=True)


Convert = Callable[[Row, int], Row]
"""Turns one CSV row (cells stripped) and its line number into a table row; raises
``ValueError`` with the reason to quarantine the row."""


def parse_csv_rows(
    path: Path,
    required: Sequence[str],
    optional: Sequence[str],
    table: str,
    convert: Convert,
    progress: Progress | None = None,
) -> Parsed:
    """Every row of a CSV through ``convert`` into ``table``: the loop of a one-table CSV
    adapter. Each row read counts and reports progress; a row that ``read_csv`` or
    ``convert`` refuses is quarantined with its line, reason and first 2,000 characters."""
    out = Parsed()
    for line, row in read_csv(path, required, optional):
        out.rows_read += 1
        if progress:
            progress(out.rows_read)
        if isinstance(row, Quarantined):
            out.quarantine.append(row)
            continue
        try:
            converted = convert(row, line)
        except ValueError as exc:
            out.quarantine.append(
                Quarantined(str(exc), line=line, raw=",".join(row.values())[:2000])
            )
            continue
        out.add(table, converted)
    return out


def check_unique(path: Path, header: Sequence[str]) -> None:
    """Refuse a header that names a column twice: the second cell would silently overwrite
    the first."""
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise InputError(f"{path}:1", f"duplicate column(s) {', '.join(twice)}")


def csv_records(
    reader: Any, header: Sequence[str], *, strip: bool
) -> Iterator[tuple[int, Row | Quarantined]]:
    """``(line, row)`` for each data row after the header, or a ``Quarantined`` for a row
    with the wrong number of cells (a truncated line?); an unreadable quote ends the file
    with one quarantined entry (it swallows the rest; the rows before it stand). Blank
    lines are skipped; line numbers are physical lines of the file."""
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, Quarantined(f"unreadable CSV: {exc}", line=start)
            return
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield (
                start,
                Quarantined(
                    f"{len(cells)} cells where the header has {len(header)} (a truncated line?)",
                    line=start,
                    raw=",".join(cells)[:2000],
                ),
            )
            continue
        if strip:
            yield start, {h: c.strip() for h, c in zip(header, cells, strict=True)}
        else:
            yield start, dict(zip(header, cells, strict=True))
