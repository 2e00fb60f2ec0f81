"""Ship behaviour over HTTP: ``/api/ais/detect`` is ``sanctrace ais detect --json``, the same
engine (``maritime.detect``) and the same JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sanctrace.api.deps import Access
from sanctrace.maritime.detect import detect
from sanctrace.maritime.tracks import parse_bbox, parse_time

router = APIRouter(tags=["maritime"])


@router.get(
    "/ais/detect", summary="Encounters, loitering, AIS gaps and more", name="api.ais_detect"
)
def ais_detect(
    access: Access,
    since: Annotated[str | None, Query(description="From this time (ISO 8601, UTC).")] = None,
    until: Annotated[str | None, Query(description="Before this time (ISO 8601).")] = None,
    bbox: Annotated[
        str | None, Query(description="W,S,E,N in degrees (W > E crosses 180).")
    ] = None,
) -> dict[str, Any]:
    """Every behavioural detector over the workspace's AIS positions, with Global Fishing
    Watch's default parameters: ``{"encounters", "loitering", "gaps", "identity",
    "draught"}``, MMSIs as strings. A bad time or box is a 400."""
    start = parse_time(since, "since")
    end = parse_time(until, "until")
    box = parse_bbox(bbox) if bbox else None
    with access.reading() as ws:
        return detect(ws, start, end, box).as_json()
