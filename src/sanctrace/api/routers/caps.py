"""The petroleum cap ledger over HTTP: ``/api/cap/status`` (``sanctrace cap status --json``)
and ``/api/cap/deliveries`` (``sanctrace cap deliveries --json``), the same engine and the
same JSON as the CLI. Volumes are exact decimal strings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sanctrace.api.deps import Access
from sanctrace.caps import ledger
from sanctrace.caps.records import check_commodity, deliveries
from sanctrace.serialize import to_jsonable

router = APIRouter(prefix="/cap", tags=["caps"])


@router.get("/status", summary="A commodity's deliveries against its cap", name="api.cap.status")
def cap_status(
    access: Access,
    commodity: Annotated[str, Query(description="refined or crude.")] = "refined",
    year: Annotated[
        int | None, Query(description="The cap year (default: the latest with deliveries).")
    ] = None,
) -> dict[str, Any]:
    """Reported total, estimated deliveries per load scenario, percentage of the cap, and the
    thresholds crossed and when, with the rows and files behind each figure. A commodity
    without a cap, or a year no cap covers, is a 400."""
    with access.reading() as ws:
        result: dict[str, Any] = to_jsonable(ledger.status(ws, commodity, year))
    return result


@router.get("/deliveries", summary="Every delivery loaded", name="api.cap.deliveries")
def cap_deliveries(
    access: Access,
    commodity: Annotated[str | None, Query(description="refined or crude (default: all).")] = None,
    kind: Annotated[str | None, Query(description="reported or estimated (default: both).")] = None,
) -> dict[str, Any]:
    """Reported and estimated deliveries as loaded, with their files and lines."""
    with access.reading() as ws:
        if commodity is not None:
            commodity = commodity.strip().lower()
            check_commodity(ws, commodity)
        rows = deliveries(ws, commodity, kind)
    return {"deliveries": to_jsonable(rows)}
