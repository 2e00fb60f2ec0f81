"""Claims as the workspace holds them: each with its document, its sentence and where review
left it (pending, accepted or rejected).

A claim row never changes; its state is the latest ``claim_review`` event, so the audit
trail and the state cannot disagree. Reads work on either backend.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sanctrace.errors import InputError, NotFoundError
from sanctrace.intake.claims import CLAIM_TYPES
from sanctrace.workspace import Workspace

Status = Literal["pending", "accepted", "rejected"]
STATUSES: tuple[Status, ...] = ("pending", "accepted", "rejected")
_ACTION_STATUS: dict[str, Status] = {"accept": "accepted", "reject": "rejected"}


@dataclass(frozen=True)
class Review:
    """One accept or reject: who, when, why, and what it wrote into the registry."""

    event_id: int
    claim_id: str
    at: datetime
    analyst: str
    action: str
    target: str | None
    incident_id: str | None
    reason: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "claim_id": self.claim_id,
            "at": self.at.isoformat() + "Z",
            "analyst": self.analyst,
            "action": self.action,
            "target": self.target,
            "incident_id": self.incident_id,
            "reason": self.reason,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class StoredClaim:
    """A claim row with its document and review state. ``sentence`` is the text of the
    sentence it sits in, the context an analyst reads before deciding."""

    claim_id: str
    source_id: str
    document: str
    uri: str
    type: str
    text: str
    span: tuple[int, int]
    sentence_span: tuple[int, int]
    sentence: str
    value: str
    number: Decimal | None
    unit: str | None
    subject: str | None
    confidence: float
    rule: str
    attrs: dict[str, str]
    status: Status = "pending"
    review: Review | None = None
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def json_value(self) -> Any:
        """The value as ``Claim.to_dict`` gives it: exact numbers as JSON integers where
        whole, as decimal strings otherwise; names as strings."""
        if self.number is None:
            return self.value
        if self.number == self.number.to_integral_value():
            return int(self.number)
        return str(self.number.normalize())

    @property
    def citation(self) -> str:
        """Where a figure from this claim comes from, as the report and registry cite it."""
        return f"{self.document}, characters {self.span[0]}-{self.span[1]} (claim {self.claim_id})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.claim_id,
            "type": self.type,
            "text": self.text,
            "span": [self.span[0], self.span[1]],
            "value": self.json_value,
            "unit": self.unit,
            "subject": self.subject,
            "confidence": self.confidence,
            "rule": self.rule,
            "attrs": self.attrs,
            "source_id": self.source_id,
            "sentence": self.sentence,
            "status": self.status,
            "review": self.review.to_dict() if self.review else None,
            "links": self.links,
        }


def reviews(ws: Workspace, claim_ids: Collection[str] | None = None) -> list[Review]:
    """The audit trail, oldest first (of ``claim_ids`` only, when given)."""
    t = ws.table("claim_review")
    if claim_ids is not None:
        t = t.filter(t.claim_id.isin(list(claim_ids)))
    return [
        Review(
            event_id=r["event_id"],
            claim_id=r["claim_id"],
            at=r["at"],
            analyst=r["analyst"],
            action=r["action"],
            target=r["target"],
            incident_id=r["incident_id"],
            reason=r["reason"],
            detail=json.loads(r["detail"]) if r["detail"] else {},
        )
        for r in t.order_by("event_id").to_pyarrow().to_pylist()
    ]


def stored_claims(
    ws: Workspace,
    *,
    status: str | None = None,
    type: str | None = None,
    source_ids: Collection[str] | None = None,
    claim_ids: Collection[str] | None = None,
) -> list[StoredClaim]:
    """Claims in document and text order, filtered by review state, type, document or id."""
    if status is not None and status not in STATUSES:
        raise InputError("--status", f"unknown status {status!r}; use {', '.join(STATUSES)}")
    if type is not None and type not in CLAIM_TYPES:
        raise InputError("--type", f"unknown claim type {type!r}; use {', '.join(CLAIM_TYPES)}")
    c = ws.table("claim")
    if type is not None:
        c = c.filter(c.type == type)
    if source_ids is not None:
        c = c.filter(c.source_id.isin(list(source_ids)))
    if claim_ids is not None:
        c = c.filter(c.claim_id.isin(list(claim_ids)))
    d = ws.table("document").select("source_id", "name")
    s = ws.table("source").select("source_id", "uri")
    j = c.join(d, "source_id").join(s, "source_id")
    rows = j.order_by(["name", "source_id", "span_start", "span_end"]).to_pyarrow().to_pylist()
    latest = {r.claim_id: r for r in reviews(ws, {r["claim_id"] for r in rows})}
    texts = _texts(ws, {r["source_id"] for r in rows})  # each document once, not per claim
    out = []
    for r in rows:
        review = latest.get(r["claim_id"])
        state: Status = _ACTION_STATUS[review.action] if review else "pending"
        if status is not None and state != status:
            continue
        text = texts[r["source_id"]]
        out.append(
            StoredClaim(
                claim_id=r["claim_id"],
                source_id=r["source_id"],
                document=r["name"],
                uri=r["uri"],
                type=r["type"],
                text=r["text"],
                span=(r["span_start"], r["span_end"]),
                sentence_span=(r["sentence_start"], r["sentence_end"]),
                sentence=text[r["sentence_start"] : r["sentence_end"]],
                value=r["value"],
                number=r["number"],
                unit=r["unit"],
                subject=r["subject"],
                confidence=r["confidence"],
                rule=r["rule"],
                attrs=json.loads(r["attrs"]),
                status=state,
                review=review,
            )
        )
    return out


def _texts(ws: Workspace, source_ids: Collection[str]) -> dict[str, str]:
    d = ws.table("document")
    d = d.filter(d.source_id.isin(list(source_ids))).select("source_id", "text")
    return {r["source_id"]: r["text"] for r in d.to_pyarrow().to_pylist()}


def get_claim(ws: Workspace, claim_id: str) -> StoredClaim:
    found = stored_claims(ws, claim_ids=[claim_id])
    if not found:
        raise NotFoundError(f"no claim {claim_id!r} in the workspace (see `sanctrace claims list`)")
    return found[0]


def sentence_of(claims: list[StoredClaim], claim: StoredClaim) -> list[StoredClaim]:
    """The claims that share ``claim``'s sentence (itself included), in text order."""
    return [
        c
        for c in claims
        if c.source_id == claim.source_id and c.sentence_span == claim.sentence_span
    ]
