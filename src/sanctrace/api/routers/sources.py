"""``/api/sources``: the files loaded into the workspace, with their provenance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from sanctrace.api.deps import Access
from sanctrace.sources.status import source_rows

router = APIRouter(prefix="/sources", tags=["sources"])


class SourceList(BaseModel):
    sources: list[dict[str, Any]]


@router.get("", summary="Every loaded file", name="api.sources")
def sources(access: Access) -> SourceList:
    """URI, SHA-256, adapter, rows read and quarantined, and the rows per table that point to
    each file now (``sanctrace sources --json``)."""
    with access.reading() as ws:
        return SourceList(sources=source_rows(ws))
