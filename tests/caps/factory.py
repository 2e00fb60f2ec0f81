"""Workspaces for the ledger tests: the bundled caps and deliveries written as rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sanctrace.data import bundled
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import csv_text, write


def load_caps(ws: Workspace) -> None:
    ingest(ws, "caps", bundled("petroleum/caps.csv"))


def load_deliveries(ws: Workspace, tmp_path: Path, rows: Sequence[Mapping[str, str]]) -> str:
    """Write ``rows`` as a deliveries CSV and load it; returns its source id."""
    header = list(dict.fromkeys(k for r in rows for k in r))
    path = write(
        tmp_path / f"deliveries-{len(list(tmp_path.iterdir()))}.csv", csv_text(header, rows)
    )
    result = ingest(ws, "deliveries", path)
    assert result.rows_quarantined == 0
    return result.source_id


def reported(period: str, barrels: str, supplier: str = "China", **more: str) -> dict[str, str]:
    return {
        "kind": "reported",
        "commodity": "refined",
        "period": period,
        "supplier": supplier,
        "barrels": barrels,
        **more,
    }


def estimated(period: str, estimate: str, capacity: str, **more: str) -> dict[str, str]:
    return {
        "kind": "estimated",
        "commodity": "refined",
        "period": period,
        "estimator": more.pop("estimator", "Panel"),
        "estimate": estimate,
        "capacity_barrels": capacity,
        **more,
    }
