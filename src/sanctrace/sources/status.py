"""What the workspace holds, file by file: the provenance that ``sanctrace sources`` shows."""

from __future__ import annotations

from typing import Any

from sanctrace.schema import TABLES
from sanctrace.workspace import Workspace


def source_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Every loaded file with its counts and, per table, the rows that point to it now."""
    counts: dict[str, dict[str, int]] = {}
    for name, columns in TABLES.items():
        if name in ("source", "quarantine") or "source_id" not in columns:
            continue
        t = ws.table(name)
        for r in t.group_by("source_id").agg(n=t.count()).to_pyarrow().to_pylist():
            counts.setdefault(r["source_id"], {})[name] = r["n"]
    rows = ws.table("source").order_by("loaded_at").to_pyarrow().to_pylist()
    for r in rows:
        r["loaded_at"] = r["loaded_at"].isoformat()
        r["tables"] = dict(sorted(counts.get(r["source_id"], {}).items()))
    return list(rows)


def quarantined_rows(ws: Workspace, source_id: str | None = None) -> list[dict[str, Any]]:
    q = ws.table("quarantine")
    if source_id:
        q = q.filter(q.source_id == source_id)
    return list(q.order_by(["source_id", "line"]).to_pyarrow().to_pylist())
