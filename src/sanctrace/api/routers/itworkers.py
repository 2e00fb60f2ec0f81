"""DPRK IT-worker red flags over HTTP: ``/api/itworkers/rules`` (``sanctrace itworkers rules
--json``) and ``/api/itworkers/scan`` (the ranking of ``sanctrace itworkers scan --json`` over
what the workspace holds; files are loaded with the CLI or ``sanctrace ingest itw-...``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sanctrace.api.deps import Access
from sanctrace.itworkers import FLAG_SCORE, rules_table, scan
from sanctrace.serialize import to_jsonable

router = APIRouter(prefix="/itworkers", tags=["itworkers"])


@router.get("/rules", summary="The IT-worker red-flag rules", name="api.itworkers.rules")
def rules() -> dict[str, Any]:
    """Each rule with the advisory and paragraph it rests on, its weight and parameters."""
    return {"flag_score": FLAG_SCORE, "rules": rules_table()}


@router.get("/scan", summary="Workers ranked by red flags", name="api.itworkers.scan")
def scan_workers(
    access: Access,
    screen: Annotated[
        bool, Query(description="Screen names, emails, domains and wallets (ITW-13, ITW-14).")
    ] = True,
    flagged_only: Annotated[bool, Query(description="Only workers at the flag score.")] = False,
    limit: Annotated[int, Query(description="At most this many workers.", ge=1)] = 500,
) -> dict[str, Any]:
    """Workers with at least one red flag, best first, each with the rules that fired and the
    rows behind them; clients that rules fired for; counts per rule."""
    with access.reading() as ws:
        result = scan(ws, screen=screen)
    if flagged_only:
        result.workers = [w for w in result.workers if w.flagged]
    result.workers = result.workers[:limit]
    out: dict[str, Any] = to_jsonable(result)
    return out
