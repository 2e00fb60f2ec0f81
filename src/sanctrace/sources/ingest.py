"""Load a file into the workspace through its adapter, with provenance, in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from sanctrace.errors import InputError
from sanctrace.schema import table_schema
from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.chain_common import drop_records
from sanctrace.sources.registry import get_adapter
from sanctrace.workspace import Workspace, Writer


@dataclass
class IngestResult:
    """What an ingest did. ``unchanged`` means this exact file was already loaded."""

    kind: str
    uri: str
    source_id: str
    sha256: str
    unchanged: bool
    rows_read: int = 0
    rows_quarantined: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def ingest(
    ws: Workspace,
    kind: str,
    path: Path | str,
    *,
    uri: str | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Parse ``path`` with adapter ``kind`` and write it to ``ws``.

    The same bytes loaded twice by the same adapter change nothing (``unchanged=True``). The
    source row, the data rows and the quarantined rows commit together; on any error nothing
    is written.
    """
    adapter = get_adapter(kind)
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file")
    uri = uri or path.resolve().as_uri()
    sha = file_sha256(path)
    source_id = f"{adapter.name}:{sha[:16]}"
    with ws.writing() as w:
        if w.query("SELECT 1 FROM source WHERE source_id = ?", [source_id]):
            return IngestResult(kind, uri, source_id, sha, unchanged=True)
    parsed = adapter.parse(path, progress)
    result = IngestResult(
        kind,
        uri,
        source_id,
        sha,
        unchanged=False,
        rows_read=parsed.rows_read,
        rows_quarantined=len(parsed.quarantine),
    )
    with ws.writing() as w:
        _merge(w, parsed, uri, adapter.name)
        _merge_chain(w, parsed)
        result.rows_quarantined = len(parsed.quarantine)
        w.insert(
            "source",
            [
                {
                    "source_id": source_id,
                    "uri": uri,
                    "sha256": sha,
                    "adapter": adapter.name,
                    "adapter_version": adapter.version,
                    "loaded_at": datetime.now(UTC).replace(tzinfo=None),
                    "rows_read": parsed.rows_read,
                    "rows_quarantined": len(parsed.quarantine),
                }
            ],
        )
        for table, rows in parsed.rows.items():
            for row in rows:
                row["source_id"] = source_id
            result.tables[table] = w.insert(table, rows)
        for table, batch in parsed.arrow.items():
            batch = batch.drop_columns([c for c in batch.column_names if c.startswith("_")])
            batch = batch.append_column("source_id", pa.array([source_id] * batch.num_rows))
            result.tables[table] = w.insert_arrow(table, batch)
        w.insert(
            "quarantine",
            [
                {
                    "source_id": source_id,
                    "uri": uri,
                    "line": q.line,
                    "element": q.element,
                    "reason": q.reason,
                    "raw": q.raw,
                }
                for q in parsed.quarantine
            ],
        )
    return result


def _merge(w: Writer, parsed: Parsed, uri: str, adapter: str) -> None:
    """Fit keyed records into what is there (see ``Parsed``), in place, before the insert.

    A newer version of this file (same URI, same adapter) supersedes its earlier rows, so a
    corrected file updates records instead of duplicating them. A record that another file
    already holds keeps its primary row; this file's other rows join it, so two sources for
    one incident widen its amount range. Rows equal to existing ones apart from their source
    are dropped, so importing one's own export changes nothing.
    """
    if not parsed.replace:
        return
    earlier = [
        r[0]
        for r in w.query(
            "SELECT source_id FROM source WHERE uri = ? AND adapter = ?", [uri, adapter]
        )
    ]
    for table in parsed.replace:
        w.delete_in(table, "source_id", earlier)
    for table, key in parsed.replace.items():
        rows = parsed.rows.get(table, [])
        keys = sorted({row[key] for row in rows})
        if not keys:
            continue
        columns = [c for c in table_schema(table).names if c != "source_id"]
        listed = ", ".join(f'"{c}"' for c in columns)
        existing = w.query(
            f'SELECT {listed} FROM "{table}" WHERE "{key}" IN (SELECT UNNEST(?))', [keys]
        )
        if table == parsed.primary:
            held = {r[columns.index(key)] for r in existing}
            parsed.rows[table] = [row for row in rows if row[key] not in held]
        else:
            seen = set(existing)
            parsed.rows[table] = [
                row for row in rows if tuple(row.get(c) for c in columns) not in seen
            ]


# what must agree for a transaction or transfer already loaded from another file
_CHAIN_KEYS = {
    "chain_tx": (("chain", "tx_hash"), ("block_hash",)),
    "chain_transfer": (
        ("chain", "tx_hash", "seq"),
        ("kind", "asset", "from_address", "to_address", "value", "block_number"),
    ),
}


def _merge_chain(w: Writer, parsed: Parsed) -> None:
    """Chain rows that another file already loaded: an identical transaction (same block)
    or transfer is skipped with all its rows; one in another block (a reorg) or with other
    values is quarantined, naming what is there, and none of its rows land."""
    for table, (key, same) in _CHAIN_KEYS.items():
        batch = parsed.arrow.get(table)
        if batch is None or batch.num_rows == 0:
            continue
        w.register("_sanctrace_new", batch.select([*key, *same, "_tx", "_line"]))
        try:
            on = " AND ".join(f'n."{c}" = e."{c}"' for c in key)
            agree = " AND ".join(f'n."{c}" IS NOT DISTINCT FROM e."{c}"' for c in same)
            pairs = ", ".join(f'n."{c}", e."{c}"' for c in same)
            label = " || ' ' || ".join(f'n."{c}"::VARCHAR' for c in key)
            found = w.query(
                f"SELECT n._tx, n._line, ({agree}), {pairs}, e.source_id, {label} "
                f'FROM _sanctrace_new n JOIN "{table}" e ON {on}'
            )
        finally:
            w.unregister("_sanctrace_new")
        drop: set[int] = set()
        for ordinal, line, agree, *rest in found:
            drop.add(ordinal)
            if agree:
                continue
            label, held_in, values = str(rest[-1]), str(rest[-2]), rest[:-2]
            differ = ", ".join(
                f"{c} {values[2 * i]} here, {values[2 * i + 1]} there"
                for i, c in enumerate(same)
                if values[2 * i] != values[2 * i + 1]
            )
            kind = "reorg conflict" if "block_hash" in same else "conflict"
            parsed.quarantine.append(
                Quarantined(
                    f"{kind}: {table} {label} is already loaded from {held_in} "
                    f"with {differ}; this copy is not kept",
                    line=line,
                    element=label,
                )
            )
        parsed.arrow = drop_records(parsed.arrow, drop)
