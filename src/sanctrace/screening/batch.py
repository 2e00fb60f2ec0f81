"""Batch screening: a CSV of queries in, one output row per match out, in this process or on
Spark.

``screen_row`` turns one input row into its output rows; ``screen_rows`` maps it over the rows
in this process and ``screen_rows_spark`` over the partitions of a Spark DataFrame, so the two
paths give the same rows by construction (the parity test checks the CSV byte for byte).

On Spark, each Python worker opens the index file beside the workspace (``index.cache_path``)
once per partition and reads it lazily by key, as a cold ``sanctrace screen`` does: no large
pickled index is broadcast, and a worker only reads the postings its rows touch. The
suppressions in force are read on the driver and shipped with the task: they are a few rows.

A row that cannot be screened (no name or identifier, an unknown schema, an identifier that
cannot be read) is not an error: it gets one output row saying why in ``match_note``.
"""

from __future__ import annotations

import csv
import functools
import io
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sanctrace.errors import InputError, MissingDependency, WorkspaceError
from sanctrace.screening import index_store, suppressions
from sanctrace.screening.index import (
    Index,
    cache_path,
    fingerprint,
    get_index,
    memory_store,
    records,
)
from sanctrace.screening.matcher import DEFAULT_THRESHOLD
from sanctrace.screening.screen import check_threshold, query_entity, screen_entity
from sanctrace.screening.suppressions import Suppression

if TYPE_CHECKING:
    from sanctrace.workspace import Workspace

INPUT_COLUMNS = ("id", "name", "schema", "birth_date", "country", "identifier")
"""The columns a row is screened by (only ``name`` is required); any others are copied."""

MATCH_COLUMNS = (
    "match_rank",
    "match_entity_id",
    "match_caption",
    "match_score",
    "match_refs",
    "match_note",
)
"""The columns appended to the input columns in the output."""

Status = Literal["matched", "unmatched", "skipped"]
Line = tuple[int, Mapping[str, str]]
"""An input row with its line number in the file (for messages and for ordering)."""


@dataclass(frozen=True)
class InputFile:
    """A parsed input CSV: the columns to copy to the output, and the rows."""

    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class Screened:
    """What one input row gave: its output rows (every output column, as the CSV text)."""

    line: int
    status: Status
    rows: tuple[dict[str, str], ...]
    suppressed: int = 0
    """Matches left out as reviewed false positives."""


@dataclass
class Tally:
    """Counts for the summary line of ``screen-file``."""

    rows: int = 0
    matched: int = 0
    unmatched: int = 0
    skipped: int = 0
    suppressed: int = 0
    written: int = 0

    def add(self, screened: Screened) -> None:
        self.rows += 1
        setattr(self, screened.status, getattr(self, screened.status) + 1)
        self.suppressed += screened.suppressed
        self.written += len(screened.rows)


def read_csv(path: Path) -> InputFile:
    """The rows of an input CSV (cells stripped), with their line numbers. A file that cannot
    be read as a whole (missing, not UTF-8, no ``name`` column, a ragged row) is an error
    naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    if "\x00" in text:
        raise InputError(str(path), "binary data (NUL bytes): not a CSV file")
    reader = csv.DictReader(io.StringIO(text, newline=""))  # keeps newlines in quoted cells
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise InputError(
            str(path) + ":1",
            f"the header needs a 'name' column (optional: {', '.join(INPUT_COLUMNS)}); "
            f"found {', '.join(header) or 'nothing'}",
        )
    reader.fieldnames = header
    clash = sorted(set(header) & set(MATCH_COLUMNS))
    if clash:
        raise InputError(f"{path}:1", f"input columns clash with output: {', '.join(clash)}")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:
                raise InputError(f"{path}:{reader.line_num}", "more cells than header columns")
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}", str(exc)) from None
    return InputFile(tuple(h for h in header if h), rows)


def screen_row(
    index: Index,
    line: int,
    row: Mapping[str, str],
    threshold: float = DEFAULT_THRESHOLD,
    found: Sequence[Suppression] = (),
    columns: Sequence[str] | None = None,
) -> Screened:
    """Screen one input row: one output row per match, best first, its reviewed false
    positives (``found``) left out; one row with empty match columns when nothing matched (its
    note names the suppressions that left matches out); one row with a ``match_note`` saying
    why when the row cannot be screened. ``columns`` are copied (default: the row's own)."""
    copied = [k for k in row if k] if columns is None else columns
    base = {c: row.get(c) or "" for c in copied} | dict.fromkeys(MATCH_COLUMNS, "")
    schema = row.get("schema") or None
    try:
        entity = query_entity(
            row.get("name") or None,
            schema,
            row.get("birth_date") or None,
            row.get("country") or None,
            row.get("identifier") or None,
        )
    except InputError as exc:
        return Screened(line, "skipped", ({**base, "match_note": f"line {line}: {exc}"},))
    label = row.get("name") or row.get("identifier") or ""
    result = screen_entity(index, entity, threshold, limit=len(index), label=label)
    result = suppressions.apply(result, found, index, schema)
    left_out = len(result.suppressed)
    if not result.matches:
        ids = ", ".join(s.suppression_id for s in result.suppressed)
        note = f"reviewed false positives left out: {ids}" if ids else ""
        return Screened(line, "unmatched", ({**base, "match_note": note},), left_out)
    out = tuple(
        {
            **base,
            "match_rank": str(rank),
            "match_entity_id": m.entity_id,
            "match_caption": m.caption,
            "match_score": str(m.score),
            "match_refs": "|".join(m.refs),
        }
        for rank, m in enumerate(result.matches, start=1)
    )
    return Screened(line, "matched", out, left_out)


def screen_rows(
    index: Index,
    rows: Iterable[Line],
    threshold: float = DEFAULT_THRESHOLD,
    found: Sequence[Suppression] = (),
    columns: Sequence[str] | None = None,
) -> Iterator[Screened]:
    """``screen_row`` over ``rows`` in this process, lazily (so a caller can show progress)."""
    check_threshold(threshold)
    for line, row in rows:
        yield screen_row(index, line, row, threshold, found, columns)


def screen_rows_spark(
    ws: Workspace,
    rows: Iterable[Line] | Path,
    threshold: float = DEFAULT_THRESHOLD,
    found: Sequence[Suppression] | None = None,
    columns: Sequence[str] | None = None,
    partitions: int | None = None,
) -> list[Screened]:
    """``screen_row`` over ``rows`` (or the rows of the CSV file at that path) on the Spark
    session of ``ws`` (opened with ``backend="spark"``), in input order. The index file is
    built first if it is missing or stale; ``found`` defaults to the workspace's suppressions
    in force; ``partitions`` spreads the rows over that many tasks (default: Spark's)."""
    check_threshold(threshold)
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql.types import LongType, MapType, StringType, StructField, StructType
    except ImportError as exc:
        raise MissingDependency("pyspark", "spark") from exc
    if ws.backend != "spark":
        raise WorkspaceError(
            f"{ws.path}: open the workspace with backend='spark' (--backend spark) to screen "
            "on Spark"
        )
    if isinstance(rows, Path):
        parsed = read_csv(rows)
        rows, columns = parsed.rows, parsed.columns if columns is None else columns
    path, state = _index_file(ws)
    if found is None:
        found = suppressions.active(ws)
    schema = StructType(
        [
            StructField("line", LongType(), nullable=False),
            StructField("row", MapType(StringType(), StringType()), nullable=False),
        ]
    )
    spark = SparkSession.builder.getOrCreate()  # the session the workspace opened
    frame = spark.createDataFrame([(line, dict(row)) for line, row in rows], schema)
    if partitions is not None:
        frame = frame.repartition(partitions)
    task = functools.partial(_screen_partition, str(path), state, threshold, tuple(found), columns)
    screened: list[Screened] = frame.rdd.mapPartitions(task).collect()
    return sorted(screened, key=lambda s: s.line)


def _index_file(ws: Workspace) -> tuple[Path, str]:
    """The index file the workers read, and the workspace state it must be built from:
    saved by ``get_index``, or saved here when this process holds the index in memory only
    (the file was removed since it was cached)."""
    get_index(ws)
    path, state = cache_path(ws), fingerprint(ws)
    if index_store.load(path, state) is None:
        try:
            index_store.save(memory_store(records(ws)), path, state)
        except (OSError, sqlite3.Error) as exc:
            raise WorkspaceError(
                f"{path}: cannot save the screening index beside the workspace ({exc}); "
                "Spark workers read it from there"
            ) from None
    return path, state


def _screen_partition(
    path: str,
    state: str,
    threshold: float,
    found: Sequence[Suppression],
    columns: Sequence[str] | None,
    rows: Iterable[Any],
) -> Iterator[Screened]:
    """On a Spark worker: open the index file once, screen this partition's rows."""
    store = index_store.load(Path(path), state)
    if store is None:
        raise WorkspaceError(f"{path}: the screening index changed while screening; run again")
    index = Index(store)
    for row in rows:
        yield screen_row(index, row["line"], row["row"], threshold, found, columns)
