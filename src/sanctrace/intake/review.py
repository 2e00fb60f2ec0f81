"""Review: an analyst accepts a claim into the registry or rejects it, once, with an audit
event written in the same transaction as the registry rows it adds.

What an accepted claim becomes depends on its type and on ``target``:

- money (USD or a crypto asset), as ``amount`` (its default): an amount of an incident,
  stolen or attempted, with its citation;
- money or a victim, as ``incident``: a new incident (victim and date, from the sentence or
  given), with the amount when the claim is money, and citations;
- an actor, as ``attribution`` (its default): an attribution of an incident, with its citation;
- a count of cases, as ``case_tally`` (its default): a report total in the case tallies,
  with the sentence's count of countries;
- a quantity of refined petroleum or crude oil in barrels or tonnes, as ``delivery`` (its
  default): a reported delivery in the cap ledger, placed in time by the sentence's period or
  date (or ``--date``), from the supplier the sentence names (or ``--supplier``);
- anything, as ``evidence`` (the default for the other types): no registry row; the claim
  is accepted as evidence the report cites.

Every row written carries the claim's ``source_id`` (the document's) and cites the document
and the claim's character span, so a figure in the registry leads back to the sentence it
was read from. The incident a claim joins defaults to the one its sentence names (see
``corroborate``) when there is exactly one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from sanctrace.errors import InputError, NotFoundError
from sanctrace.intake.corroborate import CAP_COMMODITY, CAP_UNIT, link_claims
from sanctrace.intake.store import Review, StoredClaim, get_claim, sentence_of, stored_claims
from sanctrace.serialize import to_jsonable
from sanctrace.sources.base import Row
from sanctrace.sources.petroleum_values import parse_period
from sanctrace.sources.values import alias_key, parse_date, slug
from sanctrace.workspace import Workspace, Writer

TARGETS: Final[tuple[str, ...]] = (
    "amount",
    "incident",
    "attribution",
    "case_tally",
    "delivery",
    "evidence",
)
DEFAULT_TARGET: Final[dict[str, str]] = {
    "money": "amount",
    "actor": "attribution",
    "count": "case_tally",
    "quantity": "delivery",
}
ALLOWED: Final[dict[str, tuple[str, ...]]] = {
    "amount": ("money",),
    "incident": ("money", "victim"),
    "attribution": ("actor",),
    "case_tally": ("count",),
    "delivery": ("quantity",),
}
MAX_REASON_CHARS: Final[int] = 2000


@dataclass(frozen=True)
class AcceptFields:
    """What an accept may need beyond the claim (a new incident's victim and date, a
    delivery's date and supplier); each defaults from the claim's sentence."""

    victim: str | None = None
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    victim_type: str | None = None
    vector: str = "unknown"
    asset_class: str | None = None
    supplier: str | None = None  # for a delivery: the supplying country, as named


def accept(
    ws: Workspace,
    claim_id: str,
    analyst: str,
    *,
    target: str | None = None,
    incident_id: str | None = None,
    kind: str = "stolen",
    confidence: str = "medium",
    fields: AcceptFields | None = None,
    reason: str | None = None,
) -> Review:
    """Accept ``claim_id`` into the registry as ``target`` (see the module's table)."""
    claim = _undecided(ws, claim_id)
    target = target or DEFAULT_TARGET.get(claim.type, "evidence")
    if target not in TARGETS:
        raise InputError("--as", f"unknown target {target!r}; use {', '.join(TARGETS)}")
    if target in ALLOWED and claim.type not in ALLOWED[target]:
        raise InputError(
            claim_id, f"a {claim.type} claim cannot become {target}; try --as evidence"
        )
    if kind not in ("stolen", "attempted"):
        raise InputError("--kind", "use stolen or attempted")
    if confidence not in ("high", "medium", "low"):
        raise InputError("--confidence", "use high, medium or low")
    siblings = sentence_of(stored_claims(ws, source_ids=[claim.source_id]), claim)
    rows: dict[str, list[dict[str, Any]]] = {}
    if target == "incident":
        incident_id = _incident_row(ws, claim, siblings, fields or AcceptFields(), rows)
    elif target in ("amount", "attribution"):
        incident_id = _incident_for(ws, claim, siblings, incident_id)
    if target in ("amount", "incident") and claim.type == "money":
        assert incident_id is not None
        rows.setdefault("amount", []).append(_amount(claim, incident_id, kind))
        rows.setdefault("citation", []).append(_citation(claim, incident_id, "amount"))
    elif target == "attribution":
        assert incident_id is not None
        rows["attribution"] = [
            {
                "incident_id": incident_id,
                "actor_text": claim.text,
                "actor_key": alias_key(claim.value),
                "confidence": confidence,
                "citation": claim.citation,
            }
        ]
        rows["citation"] = [_citation(claim, incident_id, "attribution")]
    elif target == "case_tally":
        rows["case_tally"] = [_tally(claim, siblings)]
    elif target == "delivery":
        rows["delivery"] = [_delivery(claim, siblings, fields or AcceptFields())]
    return _decide(ws, claim, analyst, "accept", target, incident_id, reason, rows)


def reject(ws: Workspace, claim_id: str, analyst: str, reason: str) -> Review:
    """Record that ``claim_id`` is wrong or not worth keeping, and why (required)."""
    if not reason.strip():
        raise InputError("--reason", "say why the claim is rejected")
    claim = _undecided(ws, claim_id)
    return _decide(ws, claim, analyst, "reject", None, None, reason, {})


def _undecided(ws: Workspace, claim_id: str) -> StoredClaim:
    claim = get_claim(ws, claim_id)
    if claim.review is not None:
        r = claim.review
        raise InputError(
            claim_id,
            f"already {claim.status} by {r.analyst} at {r.at:%Y-%m-%d %H:%M} UTC; "
            "a decision is final (the audit trail keeps it)",
        )
    return claim


def _decide(
    ws: Workspace,
    claim: StoredClaim,
    analyst: str,
    action: str,
    target: str | None,
    incident_id: str | None,
    reason: str | None,
    rows: dict[str, list[dict[str, Any]]],
) -> Review:
    if not analyst.strip():
        raise InputError("--analyst", "name who decides")
    if reason is not None and len(reason) > MAX_REASON_CHARS:
        raise InputError("--reason", f"at most {MAX_REASON_CHARS} characters")
    at = datetime.now(UTC).replace(tzinfo=None)
    with ws.writing() as w:
        for table, table_rows in rows.items():
            for row in table_rows:
                row["source_id"] = claim.source_id
            w.insert(table, table_rows)
        event_id = _next_event(w)
        detail = to_jsonable(rows)
        w.insert(
            "claim_review",
            [
                {
                    "event_id": event_id,
                    "claim_id": claim.claim_id,
                    "at": at,
                    "analyst": analyst,
                    "action": action,
                    "target": target,
                    "incident_id": incident_id,
                    "reason": reason,
                    "detail": json.dumps(detail, sort_keys=True),
                }
            ],
        )
    return Review(event_id, claim.claim_id, at, analyst, action, target, incident_id, reason,
                  detail)  # fmt: skip


def _next_event(w: Writer) -> int:
    return int(w.query("SELECT coalesce(max(event_id), 0) + 1 FROM claim_review")[0][0])


def _incident_for(
    ws: Workspace, claim: StoredClaim, siblings: list[StoredClaim], incident_id: str | None
) -> str:
    """The incident named, checked; else the single one the claim's sentence names."""
    if incident_id is not None:
        found = ws.table("incident").filter(lambda t: t.incident_id == incident_id).count()
        if not found.execute():
            raise NotFoundError(f"no incident {incident_id!r} (see `sanctrace incidents list`)")
        return incident_id
    named = {
        link["key"]
        for c, links in link_claims(ws, siblings).items()
        for link in links
        if link["table"] in ("incident", "amount", "attribution")
    }
    if len(named) == 1:
        return str(named.pop())
    found_text = f"it names {', '.join(sorted(named))}" if named else "it names no incident"
    raise InputError(
        claim.claim_id,
        f"say which incident with --incident ({found_text}), or --as incident for a new one",
    )


def _incident_row(
    ws: Workspace,
    claim: StoredClaim,
    siblings: list[StoredClaim],
    fields: AcceptFields,
    rows: dict[str, list[dict[str, Any]]],
) -> str:
    victim_claim = claim if claim.type == "victim" else _first(siblings, "victim")
    victim = fields.victim or (victim_claim.value if victim_claim else None)
    if not victim:
        raise InputError(claim.claim_id, "the sentence names no victim: give --victim")
    date_claim = _first(siblings, "date")
    date_text = fields.date or (date_claim.value if date_claim else None)
    if not date_text:
        raise InputError(claim.claim_id, "the sentence gives no date: give --date YYYY[-MM[-DD]]")
    try:
        fuzzy = parse_date(date_text)
    except ValueError as exc:
        raise InputError("--date", str(exc)) from None
    day, precision = fuzzy.value, fuzzy.precision
    victim_type = fields.victim_type or (
        victim_claim.attrs.get("victim_type") if victim_claim else None
    )
    victim_type = victim_type or "unknown"
    incident_id = f"{fuzzy.iso()}-{slug(victim)}"
    clash = ws.table("incident").filter(lambda t: t.incident_id == incident_id).count()
    if clash.execute():
        raise InputError(
            claim.claim_id, f"incident {incident_id} exists: accept with --incident {incident_id}"
        )
    asset_class = fields.asset_class or ("crypto" if victim_type == "exchange" else "fiat")
    rows["incident"] = [
        {
            "incident_id": incident_id,
            "date": day,
            "date_precision": precision,
            "date_text": date_text,
            "year": day.year,
            "victim": victim,
            "victim_type": victim_type,
            "country": None,
            "vector": fields.vector,
            "asset_class": asset_class,
            "note": f"from {claim.citation}",
        }
    ]
    rows["citation"] = [_citation(claim, incident_id, "incident")]
    return incident_id


def _first(claims: list[StoredClaim], type: str) -> StoredClaim | None:
    return next((c for c in claims if c.type == type), None)


def _amount(claim: StoredClaim, incident_id: str, kind: str) -> dict[str, Any]:
    usd = claim.unit == "USD"
    return {
        "incident_id": incident_id,
        "kind": kind,
        "asset": None if usd else (claim.unit or "").lower() or None,
        "amount_native": None if usd else claim.number,
        "amount_usd": int(claim.number) if usd and claim.number is not None else None,
        "usd_text": claim.text,
        "status": "reported",
        "citation": claim.citation,
    }


def _citation(claim: StoredClaim, incident_id: str, field: str) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "field": field,
        "document": claim.uri,
        "locator": f"characters {claim.span[0]}-{claim.span[1]} (claim {claim.claim_id})",
    }


def _tally(claim: StoredClaim, siblings: list[StoredClaim]) -> dict[str, Any]:
    if claim.unit != "cases" or claim.number is None:
        hint = next((c.claim_id for c in siblings if c.type == "count" and c.unit == "cases"), None)
        also = f" (accept claim {hint}, the sentence's count of cases)" if hint else ""
        raise InputError(
            claim.claim_id, f"only a count of cases becomes a case tally{also}; try --as evidence"
        )
    countries = next(
        (c for c in siblings if c.type == "count" and c.unit == "countries" and c.number), None
    )
    return {
        "report": claim.document,
        "country": None,
        "cases": int(claim.number),
        "countries": int(countries.number) if countries and countries.number else None,
        "citation": claim.citation,
    }


def _delivery(claim: StoredClaim, siblings: list[StoredClaim], fields: AcceptFields) -> Row:
    """A reported delivery for the cap ledger, from a quantity and its sentence."""
    commodity = CAP_COMMODITY.get(claim.attrs.get("commodity", ""))
    unit = CAP_UNIT.get(claim.unit or "")
    if commodity is None or unit is None or claim.number is None:
        raise InputError(
            claim.claim_id,
            "only barrels or tonnes of refined petroleum or crude oil become a delivery "
            f"(this is {claim.attrs.get('commodity') or 'no commodity'} in {claim.unit})",
        )
    when = fields.date or next(
        (c.value for c in siblings if c.type in ("period", "date") and "X" not in c.value), None
    )
    if when is None:
        raise InputError(claim.claim_id, "the sentence places it in no year: give --date")
    try:
        period = parse_period(when)
    except ValueError as exc:
        raise InputError("--date", str(exc)) from None
    supplier = fields.supplier or next(
        (c.value for c in siblings if c.type == "country" and c.unit not in (None, "KP")), None
    )
    return {
        "kind": "reported",
        "commodity": commodity,
        "period_start": period.start,
        "period_end": period.end,
        "period_text": period.text,
        "supplier": supplier,
        unit: Decimal(str(claim.json_value)),  # exact, without the column's 18 places
        "citation": claim.citation,
        "note": f"from the sentence: {claim.sentence}"[:2000],
    }
