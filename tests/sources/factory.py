"""Builders for adapter tests: files from rows, rows with defaults, the real headers of the
bundled files, and the contract that every adapter's ``parse`` keeps."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.schema import table_schema
from sanctrace.sources.base import Parsed
from sanctrace.sources.registry import get_adapter

# adapter -> (bundled example, the table that gets one row per accepted input row)
CSV_KINDS: dict[str, tuple[str, str]] = {
    "incidents": ("incidents/registry.csv", "incident"),
    "actors": ("incidents/actors.csv", "actor"),
    "estimates": ("incidents/annual_estimates_by_source.csv", "estimate"),
    "case-tally": ("incidents/un_panel_2019_cases.csv", "case_tally"),
}
MAIN_TABLE = {kind: table for kind, (_, table) in CSV_KINDS.items()} | {"attack": "actor"}

# one acceptable row per CSV adapter, with only the columns its header needs
GOOD_ROWS: dict[str, dict[str, str]] = {
    "incidents": {"date": "2019-Nov-27", "victim": "Upbit", "amount_stolen_usd": "$48,500,000"},
    "actors": {"name": "APT38", "parent": "Lazarus Group", "aliases": "BlueNoroff;Bluenoroff"},
    "estimates": {"year": "2019", "source": "chainalysis", "value_stolen_usd": "271000000"},
    "case-tally": {"report": "S/2019/691", "country": "South Korea", "cases": "10"},
}


def bundled_rows(kind: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of the bundled example file of a CSV adapter."""
    with bundled(CSV_KINDS[kind][0]).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def csv_text(
    header: Sequence[str], rows: Sequence[Mapping[str, str] | Sequence[str]], eol: str = "\n"
) -> str:
    """CSV as a careful writer would produce it; dict rows are laid out by ``header``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=eol)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] if isinstance(row, Mapping) else row)
    return buf.getvalue()


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def good_csv(kind: str, *extra_rows: Mapping[str, str]) -> str:
    """A valid file for ``kind``: its good row, then ``extra_rows`` (over the same header)."""
    good = GOOD_ROWS[kind]
    header = list(dict.fromkeys([*good, *(k for r in extra_rows for k in r)]))
    return csv_text(header, [good, *extra_rows])


def incident_row(**fields: str) -> dict[str, str]:
    """An incidents-CSV row: a plausible theft, with ``fields`` overriding the defaults."""
    return {
        "date": "2019-Nov-27",
        "victim": "Upbit",
        "victim_type": "exchange",
        "country": "KR",
        "vector": "hot_wallet_compromise",
        "amount_stolen_usd": "$48,500,000",
        "amount_source": "https://github.com/tayvano/lazarus-bluenoroff-research @ README",
        "actor": "Lazarus Group",
        "attribution_confidence": "high",
        **fields,
    }


def parse(kind: str, path: Path) -> Parsed:
    return get_adapter(kind).parse(path)


def parse_or_error(kind: str, path: Path) -> Parsed | InputError:
    """What ``parse`` gave: the result, or the ``InputError`` (any other exception fails)."""
    try:
        return parse(kind, path)
    except InputError as exc:
        return exc


def assert_contract(parsed: Parsed | InputError, kind: str, path: Path) -> None:
    """The promise every adapter keeps, whatever the file: an ``InputError`` that names the
    file, or every row read either lands (fitting its table's schema) or is quarantined with a
    reason and a place."""
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    main = MAIN_TABLE[kind]
    assert parsed.rows_read == len(parsed.rows.get(main, [])) + len(parsed.quarantine)
    for q in parsed.quarantine:
        assert q.reason
        if kind == "attack":
            assert q.element and q.element.startswith("values[")
        else:
            assert q.line is not None and q.line >= 2
    for table, rows in parsed.rows.items():
        assert_fits(table, rows)
    for amount in parsed.rows.get("amount", []):
        assert amount["status"] in {"reported", "unknown", "malformed"}
        assert (amount["amount_usd"] is None) == (amount["status"] != "reported")


def assert_fits(table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """``rows`` convert to the table's Arrow schema (types, int ranges) with no null in a
    required column: what ``Writer.insert`` needs to store them."""
    schema = table_schema(table).to_pyarrow()
    columns = {
        name: [row.get(name, "x" if name == "source_id" else None) for row in rows]
        for name in schema.names
    }
    batch = pa.Table.from_pydict(columns, schema=schema)
    for f in schema:
        if not f.nullable:
            assert batch[f.name].null_count == 0, f"{table}.{f.name} has nulls"
