"""Reviewed false positives: an analyst marks that query Q's match with listed party E is not
E, with a reason; later screenings of Q leave E out, and say so in ``ScreenResult.suppressed``.

A suppression is bound to three things:

- the query, by ``query_key``: case, accents, spacing and punctuation folded as the matcher
  folds names ("Ri Won-ho" and "RI WON HO" are one query), plus the schema when one is given
  (a suppression made for a Person query does not hide a Vessel query's matches);
- the party, by entity id;
- the party's listing as reviewed, by ``fingerprint`` (its properties, references and lists).
  When a newer list snapshot amends the party, the fingerprint differs, the suppression
  lapses and the match comes back marked "suppression lapsed: listing amended since <date>":
  what was reviewed is no longer what is listed.

Nothing is deleted. Revoking fills the suppression's ``revoked_*`` columns, and every suppress
and revoke appends an ``audit_log`` event, in the same transaction as the change it records.
Reads work on either backend; writes need DuckDB (``Workspace.writing``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import ibis

from sanctrace.errors import InputError, NotFoundError
from sanctrace.screening import names
from sanctrace.screening.index import Entry, Index, get_index
from sanctrace.screening.screen import Match, ScreenResult, check_schema, check_text
from sanctrace.workspace import Workspace, Writer

MAX_REASON_CHARS = 2000
"""A reason is a sentence or a paragraph, not a document."""

ACTIONS = ("suppress", "revoke")


@dataclass(frozen=True)
class Suppression:
    """One row of ``suppression``; ``revoked_at`` is set once it no longer applies."""

    suppression_id: str
    query_key: str
    query: str
    entity_id: str
    fingerprint: str
    reason: str
    analyst: str
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revoke_reason: str | None = None


@dataclass(frozen=True)
class Listed(Suppression):
    """A suppression with its state: ``active``, ``lapsed`` (the party's listing was amended
    since, or it is no longer listed: the match is shown again) or ``revoked``."""

    state: str = "active"


@dataclass(frozen=True)
class Event:
    """One row of ``audit_log``."""

    event_id: int
    at: datetime
    analyst: str
    action: str  # suppress | revoke
    suppression_id: str
    query_key: str
    entity_id: str
    reason: str


@dataclass(frozen=True)
class Suppressed:
    """A match left out of a screening result, and the decision that left it out."""

    entity_id: str
    schema: str
    caption: str
    score: float
    refs: list[str]
    lists: list[str]
    suppression_id: str
    reason: str
    analyst: str
    suppressed_at: datetime


# -- keys ----------------------------------------------------------------------------------


def query_key(query: str, schema: str | None = None) -> str:
    """The query folded as names are for matching (case, accents, spacing, punctuation),
    with ``|Schema`` appended when a schema is given."""
    text = check_text(query)
    key = " ".join(names.tokenize(names.normalize(text)))
    if not key:
        raise InputError("query", f"no letters or digits in {query!r}")
    known = check_schema(schema)
    return f"{key}|{known}" if known else key


def fingerprint(entry: Entry) -> str:
    """A hash of the party's listing as screened: schema, properties, references, lists."""
    props = entry.prepared.entity.get("properties") or {}
    listing = {
        "schema": entry.schema,
        "properties": {k: sorted(str(v) for v in vs) for k, vs in props.items() if vs},
        "refs": sorted(entry.refs),
        "lists": sorted(entry.lists),
    }
    text = json.dumps(listing, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entries(index: Index, ids: Iterable[str]) -> dict[str, Entry]:
    found = {i: index.get(i) for i in set(ids)}
    return {i: e for i, e in found.items() if e is not None}


# -- reading -------------------------------------------------------------------------------


def _rows(table: ibis.Table, order: str) -> list[dict[str, Any]]:
    return list(table.order_by(order).to_pyarrow().to_pylist())


def suppressions(ws: Workspace) -> list[Suppression]:
    """Every suppression ever made, revoked ones included, oldest first."""
    return [Suppression(**r) for r in _rows(ws.table("suppression"), "created_at")]


def active(ws: Workspace) -> list[Suppression]:
    """The suppressions not revoked (a lapsed one is still active: see ``lapsed``)."""
    t = ws.table("suppression")
    return [Suppression(**r) for r in _rows(t.filter(t.revoked_at.isnull()), "created_at")]


def for_query(ws: Workspace, query: str, schema: str | None = None) -> list[Suppression]:
    """The active suppressions of one query."""
    key = query_key(query, schema)
    t = ws.table("suppression")
    rows = _rows(t.filter(t.revoked_at.isnull() & (t.query_key == key)), "created_at")
    return [Suppression(**r) for r in rows]


def log(ws: Workspace) -> list[Event]:
    """The audit log, in the order things happened."""
    return [Event(**r) for r in _rows(ws.table("audit_log"), "event_id")]


def lapsed(index: Index, found: Sequence[Suppression]) -> set[str]:
    """The ids of the active suppressions whose party's listing has changed since (or that
    is no longer listed at all)."""
    entries = _entries(index, (s.entity_id for s in found))
    return {
        s.suppression_id
        for s in found
        if s.revoked_at is None
        and (s.entity_id not in entries or fingerprint(entries[s.entity_id]) != s.fingerprint)
    }


def listed(ws: Workspace, include_revoked: bool = False) -> list[Listed]:
    """The suppressions in force (or all of them), each with its state."""
    rows = suppressions(ws) if include_revoked else active(ws)
    gone = lapsed(get_index(ws), rows) if rows else set()
    return [
        Listed(
            **dataclasses.asdict(s),
            state="revoked"
            if s.revoked_at is not None
            else "lapsed"
            if s.suppression_id in gone
            else "active",
        )
        for s in rows
    ]


# -- applying ------------------------------------------------------------------------------


def apply(
    result: ScreenResult,
    found: Sequence[Suppression],
    index: Index,
    schema: str | None = None,
    limit: int | None = None,
) -> ScreenResult:
    """Split ``result``'s matches into shown and suppressed by the active suppressions of its
    query (``found`` may hold others; they are ignored). A match whose suppression has lapsed
    is shown, its explanation saying so. ``limit`` cuts the shown matches."""
    key = query_key(result.query, schema)
    by_entity: dict[str, list[Suppression]] = {}
    for s in found:
        if s.query_key == key and s.revoked_at is None:
            by_entity.setdefault(s.entity_id, []).append(s)
    entries = _entries(index, (m.entity_id for m in result.matches if m.entity_id in by_entity))
    shown: list[Match] = []
    suppressed: list[Suppressed] = list(result.suppressed)
    for m in result.matches:
        mine = by_entity.get(m.entity_id, [])
        current = fingerprint(entries[m.entity_id]) if mine else ""
        holding = [s for s in mine if s.fingerprint == current]
        if holding:
            s = holding[-1]
            suppressed.append(
                Suppressed(
                    entity_id=m.entity_id,
                    schema=m.schema,
                    caption=m.caption,
                    score=m.score,
                    refs=m.refs,
                    lists=m.lists,
                    suppression_id=s.suppression_id,
                    reason=s.reason,
                    analyst=s.analyst,
                    suppressed_at=s.created_at,
                )
            )
            continue
        if mine:
            s = mine[-1]
            note = {
                "detail": f"suppression lapsed: listing amended since {s.created_at:%Y-%m-%d} "
                f"({s.suppression_id} by {s.analyst}: {s.reason})",
                "suppression_id": s.suppression_id,
            }
            m = dataclasses.replace(m, explanation={**m.explanation, "suppression": note})
        shown.append(m)
    if limit is not None:
        shown = shown[: max(0, limit)]
    return dataclasses.replace(result, matches=shown, suppressed=suppressed)


# -- writing -------------------------------------------------------------------------------


def _text(value: object, what: str, limit: int = MAX_REASON_CHARS) -> str:
    if not isinstance(value, str):
        raise InputError(what, f"expected text, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise InputError(what, "empty: say why (an analyst reading the audit log needs it)")
    if len(text) > limit:
        raise InputError(what, f"{len(text):,} characters; at most {limit:,}")
    return text


def _analyst(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError("analyst", "empty: name who made the decision")
    return _text(value, "analyst", 200)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC, like loaded_at


def _next_event(w: Writer) -> int:
    [(last,)] = w.query("SELECT coalesce(max(event_id), 0) FROM audit_log")
    return int(last) + 1


def _event(w: Writer, s: Suppression, action: str, analyst: str, reason: str, at: datetime) -> None:
    w.insert(
        "audit_log",
        [
            {
                "event_id": _next_event(w),
                "at": at,
                "analyst": analyst,
                "action": action,
                "suppression_id": s.suppression_id,
                "query_key": s.query_key,
                "entity_id": s.entity_id,
                "reason": reason,
            }
        ],
    )


def _revoke(w: Writer, s: Suppression, reason: str, analyst: str, at: datetime) -> Suppression:
    done = dataclasses.replace(s, revoked_at=at, revoked_by=analyst, revoke_reason=reason)
    w.delete_in("suppression", "suppression_id", [s.suppression_id])
    w.insert("suppression", [dataclasses.asdict(done)])
    _event(w, done, "revoke", analyst, reason, at)
    return done


def _stored(w: Writer, where: str, params: Sequence[Any]) -> list[Suppression]:
    columns = [f.name for f in dataclasses.fields(Suppression)]
    sql = f"SELECT {', '.join(columns)} FROM suppression WHERE {where} ORDER BY created_at"
    return [Suppression(**dict(zip(columns, row, strict=True))) for row in w.query(sql, params)]


def suppress(
    ws: Workspace,
    query: str,
    entity_id: str,
    reason: str,
    analyst: str,
    schema: str | None = None,
) -> Suppression:
    """Record that ``query``'s match with ``entity_id`` is a false positive. Refuses an empty
    reason, a party not on the current lists and a suppression already in force; one that
    has lapsed (the listing was amended) is revoked as superseded, in the same transaction."""
    key = query_key(query, schema)
    reason = _text(reason, "reason")
    analyst = _analyst(analyst)
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise InputError("entity_id", "empty: give the id of the listed party (e.g. unsc-KPi.033)")
    entity_id = entity_id.strip()
    entry = _entries(get_index(ws), [entity_id]).get(entity_id)
    if entry is None:
        raise InputError(
            "entity_id",
            f"{entity_id!r} is not a party on the current lists; the ids are in "
            "`sanctrace screen QUERY --json` (entity_id)",
        )
    current = fingerprint(entry)
    at = _now()
    with ws.writing() as w:
        existing = _stored(
            w, "revoked_at IS NULL AND query_key = ? AND entity_id = ?", [key, entity_id]
        )
        for s in existing:
            if s.fingerprint == current:
                raise InputError(
                    "entity_id",
                    f"{entity_id} is already suppressed for {query.strip()!r} ({s.suppression_id} "
                    f"by {s.analyst} on {s.created_at:%Y-%m-%d}); revoke that one first",
                )
        [(count,)] = w.query("SELECT count(*) FROM suppression")
        made = Suppression(
            suppression_id=f"sup-{int(count) + 1}",
            query_key=key,
            query=query.strip(),
            entity_id=entity_id,
            fingerprint=current,
            reason=reason,
            analyst=analyst,
            created_at=at,
        )
        for s in existing:  # lapsed: the listing changed since it was reviewed
            _revoke(w, s, f"superseded by {made.suppression_id}: listing amended", analyst, at)
        w.insert("suppression", [dataclasses.asdict(made)])
        _event(w, made, "suppress", analyst, reason, at)
    return made


def revoke(ws: Workspace, suppression_id: str, reason: str, analyst: str) -> Suppression:
    """End a suppression: its query's match with the party is shown again."""
    reason = _text(reason, "reason")
    analyst = _analyst(analyst)
    sid = suppression_id.strip() if isinstance(suppression_id, str) else ""
    with ws.writing() as w:
        found = _stored(w, "suppression_id = ?", [sid])
        if not found:
            raise NotFoundError(
                f"suppression {suppression_id!r} not found; `sanctrace suppress list --all` "
                "lists them"
            )
        [s] = found
        if s.revoked_at is not None:
            raise InputError(
                "suppression_id",
                f"{sid} was already revoked by {s.revoked_by} on {s.revoked_at:%Y-%m-%d}",
            )
        return _revoke(w, s, reason, analyst, _now())
