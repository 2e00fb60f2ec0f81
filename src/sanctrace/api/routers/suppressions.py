"""``/api/suppressions``: reviewed false positives and their audit log (``sanctrace suppress``).

The writes go through the same gate as the reads (``WorkspaceAccess``), which on the default
backend opens the DuckDB file read-write for the request; on the ``spark`` backend the
workspace is read-only and a write answers 503, saying so. Over HTTP there is no ``$USER``:
a write names its analyst.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from sanctrace.api.deps import Access
from sanctrace.screening import suppressions as engine
from sanctrace.screening.suppressions import Event, Listed, Suppression

router = APIRouter(prefix="/suppressions", tags=["suppressions"])


class SuppressionList(BaseModel):
    suppressions: list[Listed]


class AuditLog(BaseModel):
    events: list[Event]


class SuppressRequest(BaseModel):
    """``sanctrace suppress add``'s arguments."""

    query: str = Field(examples=["Lee Won-ho"])
    entity_id: str = Field(examples=["unsc-KPi.033"])
    reason: str = Field(examples=["customer born 1987 in Seoul; listed party born 1964"])
    analyst: str = Field(examples=["alice"])
    schema_: str | None = Field(default=None, alias="schema")

    model_config = ConfigDict(populate_by_name=True)


class RevokeRequest(BaseModel):
    reason: str
    analyst: str


@router.get("", summary="Suppressions in force (or all)", name="api.suppressions")
def list_suppressions(
    access: Access,
    all: Annotated[bool, Query(description="Revoked suppressions too.")] = False,
) -> SuppressionList:
    """Each with its state: active, lapsed (the listing was amended since) or revoked
    (``sanctrace suppress list --json``)."""
    with access.reading() as ws:
        return SuppressionList(suppressions=engine.listed(ws, include_revoked=all))


@router.post("", summary="Suppress a reviewed false positive", name="api.suppress", status_code=201)
def add_suppression(access: Access, body: SuppressRequest) -> Suppression:
    """Later screenings of ``query`` leave ``entity_id`` out (``sanctrace suppress add``)."""
    with access.reading() as ws:
        return engine.suppress(
            ws, body.query, body.entity_id, body.reason, body.analyst, body.schema_
        )


@router.get("/log", summary="The audit log", name="api.suppressions.log")
def audit_log(access: Access) -> AuditLog:
    """Every suppress and revoke, oldest first (``sanctrace suppress log --json``)."""
    with access.reading() as ws:
        return AuditLog(events=engine.log(ws))


@router.post(
    "/{suppression_id}/revoke", summary="Revoke a suppression", name="api.suppressions.revoke"
)
def revoke_suppression(access: Access, suppression_id: str, body: RevokeRequest) -> Suppression:
    """The match is shown again (``sanctrace suppress revoke``)."""
    with access.reading() as ws:
        return engine.revoke(ws, suppression_id, body.reason, body.analyst)
