"""``/api/incidents``: the registry, one incident with its sources, and summaries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sanctrace.api.deps import Access
from sanctrace.api.params import DateRange
from sanctrace.incidents import (
    GROUP_KEYS,
    Incident,
    IncidentDetail,
    Summary,
    get_incident,
    list_incidents,
    summarize,
)

router = APIRouter(prefix="/incidents", tags=["incidents"])


class IncidentList(BaseModel):
    incidents: list[Incident]


@router.get("", summary="Every incident in date order", name="api.incidents")
def incidents(access: Access, dates: DateRange) -> IncidentList:
    """Incidents with stolen and attempted USD as ranges and the actors they are attributed
    to (``sanctrace incidents list --json``)."""
    with access.reading() as ws:
        rows = list_incidents(ws, *dates)
    return IncidentList(incidents=rows)


@router.get(
    "/summary", summary="Cases, countries and proceeds per group", name="api.incidents.summary"
)
def summary(
    access: Access,
    dates: DateRange,
    by: Annotated[
        str,
        Query(
            description="Group by one of: " + ", ".join(GROUP_KEYS),
            json_schema_extra={"enum": list(GROUP_KEYS)},
        ),
    ] = "year",
) -> Summary:
    """Proceeds as a range (low, central, high) with the method named and the incidents behind
    each group (``sanctrace incidents summary --by ... --json``)."""
    with access.reading() as ws:
        return summarize(ws, by, *dates)


@router.get("/{incident_id}", summary="One incident with everything behind it", name="api.incident")
def incident(access: Access, incident_id: str) -> IncidentDetail:
    """Amounts, attributions, citations and the loaded files they came from
    (``sanctrace incidents show ID --json``)."""
    with access.reading() as ws:
        return get_incident(ws, incident_id)
