"""``/api/claims``: claims read from reports and news, and their review (``sanctrace claims``).

Reads answer on either backend; accept and reject write, through the same gate as the
suppressions (read-write DuckDB for the request; 503 on the read-only Spark backend). Over
HTTP there is no ``$USER``: a decision names its analyst.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from sanctrace.api.deps import Access
from sanctrace.intake import review as engine
from sanctrace.intake.corroborate import with_links
from sanctrace.intake.store import StoredClaim, get_claim, reviews, stored_claims
from sanctrace.workspace import Workspace

router = APIRouter(prefix="/claims", tags=["claims"])


class AcceptRequest(BaseModel):
    """``sanctrace claims accept``'s options."""

    analyst: str = Field(examples=["alice"])
    target: str | None = Field(
        default=None,
        alias="as",
        description="amount, incident, attribution, case_tally, delivery or evidence",
    )
    incident_id: str | None = None
    kind: str = "stolen"
    confidence: str = "medium"
    victim: str | None = None
    date: str | None = Field(default=None, description="YYYY[-MM[-DD]], for a new incident")
    victim_type: str | None = None
    vector: str = "unknown"
    supplier: str | None = Field(default=None, description="for a delivery")
    reason: str | None = None

    model_config = ConfigDict(populate_by_name=True)


class RejectRequest(BaseModel):
    analyst: str
    reason: str


def _linked(ws: Workspace, claims: list[StoredClaim]) -> list[dict[str, Any]]:
    return [c.to_dict() for c in with_links(ws, claims)]


@router.get("", summary="Claims, with review state and registry links", name="api.claims")
def list_claims(
    access: Access,
    status: Annotated[str | None, Query(description="pending, accepted or rejected")] = None,
    type: Annotated[str | None, Query(description="money, count, country, ...")] = None,
    source: Annotated[str | None, Query(description="a text source_id")] = None,
) -> dict[str, Any]:
    """``sanctrace claims list --json``."""
    with access.reading() as ws:
        sources = [source] if source else None
        return {"claims": _linked(ws, stored_claims(ws, status=status, type=type,
                                                    source_ids=sources))}  # fmt: skip


@router.get("/log", summary="The review audit trail", name="api.claims.log")
def claims_log(access: Access) -> dict[str, Any]:
    """Every accept and reject, oldest first (``sanctrace claims log --json``)."""
    with access.reading() as ws:
        return {"events": [e.to_dict() for e in reviews(ws)]}


@router.get("/{claim_id}", summary="One claim", name="api.claim")
def show_claim(access: Access, claim_id: str) -> dict[str, Any]:
    """``sanctrace claims show ID --json``."""
    with access.reading() as ws:
        return _linked(ws, [get_claim(ws, claim_id)])[0]


@router.post("/{claim_id}/accept", summary="Accept a claim", name="api.claims.accept")
def accept_claim(access: Access, claim_id: str, body: AcceptRequest) -> dict[str, Any]:
    """Into the registry or as evidence (``sanctrace claims accept``)."""
    fields = engine.AcceptFields(
        body.victim, body.date, body.victim_type, body.vector, supplier=body.supplier
    )
    with access.reading() as ws:
        return engine.accept(
            ws,
            claim_id,
            body.analyst,
            target=body.target,
            incident_id=body.incident_id,
            kind=body.kind,
            confidence=body.confidence,
            fields=fields,
            reason=body.reason,
        ).to_dict()


@router.post("/{claim_id}/reject", summary="Reject a claim", name="api.claims.reject")
def reject_claim(access: Access, claim_id: str, body: RejectRequest) -> dict[str, Any]:
    """``sanctrace claims reject``."""
    with access.reading() as ws:
        return engine.reject(ws, claim_id, body.analyst, body.reason).to_dict()
