"""Load a file into the workspace through its adapter, with provenance, in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Progress
from sanctrace.sources.registry import get_adapter
from sanctrace.workspace import Workspace


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
        # a record spans tables (an incident's amounts, attributions, citations): the keys
        # this file supersedes are gathered over all of them, then deleted from each, so a
        # re-imported incident without attributions loses its old ones
        superseded: dict[str, set[Any]] = {}
        for table, key in parsed.replace.items():
            superseded.setdefault(key, set()).update(row[key] for row in parsed.rows.get(table, []))
        for table, key in parsed.replace.items():
            w.delete_in(table, key, sorted(superseded[key]))
        for table, rows in parsed.rows.items():
            for row in rows:
                row["source_id"] = source_id
            result.tables[table] = w.insert(table, rows)
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
