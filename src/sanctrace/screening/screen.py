"""Screening: one query (a name, IMO number, wallet address, email or domain, with optional
qualifiers) against the index of the current sanctions lists, best match first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sanctrace.errors import InputError
from sanctrace.screening import identifiers
from sanctrace.screening.entity import PROPERTY_OF_KIND, Prepared, QueryEntity, prepare
from sanctrace.screening.index import Index, get_index
from sanctrace.screening.matcher import DEFAULT_THRESHOLD, match
from sanctrace.screening.names import check_query
from sanctrace.workspace import Workspace

if TYPE_CHECKING:
    from sanctrace.screening.suppressions import Suppressed

SCHEMATA = ("Person", "Organization", "Vessel", "CryptoWallet")
"""The schemata a query may name (``--schema``)."""

MAX_INPUT_BYTES = 10_000
"""A query longer than this is garbage, whatever it holds."""

_SCHEMA_OF = {"imo": "Vessel", "mmsi": "Vessel", "crypto": "CryptoWallet"}


@dataclass(frozen=True)
class Match:
    entity_id: str
    schema: str
    caption: str
    score: float
    refs: list[str]
    lists: list[str]
    explanation: dict[str, Any]


@dataclass(frozen=True)
class ScreenResult:
    query: str
    matches: list[Match] = field(default_factory=list)
    # matches an analyst reviewed as false positives for this query (screening.suppressions)
    suppressed: list[Suppressed] = field(default_factory=list)


def check_text(text: object, what: str = "query") -> str:
    """Refuse garbage: not text, empty, over 10 kB, control characters or punctuation only."""
    if not isinstance(text, str):
        raise InputError(what, f"expected text, got {type(text).__name__}")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise InputError(what, f"{len(text):,} characters; a query is at most 10 kB")
    if not text.strip():
        raise InputError(what, "empty: give a name, IMO number, wallet address, email or domain")
    try:
        return check_query(text)
    except InputError as exc:
        raise InputError(what, exc.reason) from None


def check_schema(schema: str | None) -> str | None:
    if schema is None or schema == "":
        return None
    for known in SCHEMATA:
        if schema.lower() == known.lower():
            return known
    raise InputError("schema", f"{schema!r} is not one of {', '.join(SCHEMATA)}")


def query_entity(
    query: str | None,
    schema: str | None = None,
    birth_date: str | None = None,
    country: str | None = None,
    identifier: str | None = None,
) -> QueryEntity:
    """The query as a ``QueryEntity``. ``query`` is a name or an identifier (guessed);
    ``identifier`` an identifier beside the name (its kind guessed the same way)."""
    schema = check_schema(schema)
    names: list[str] = []
    ids: dict[str, list[str]] = {}
    for text, is_query in ((query, True), (identifier, False)):
        if text is None or (not is_query and not text.strip()):
            continue
        guess = identifiers.guess_kind(check_text(text, "query" if is_query else "identifier"))
        if guess.kind == "name":
            if not is_query:
                raise InputError("identifier", f"{text!r} is not an identifier sanctrace knows")
            names.append(text.strip())
            continue
        ids.setdefault(PROPERTY_OF_KIND[guess.kind], []).append(text.strip())
        if is_query and guess.kind in ("passport", "id"):
            # letters and digits may be a document number or a name: an aircraft's tail
            # number ("P-532"), a vessel called "Hao Fan 2"; look for both
            names.append(text.strip())
        if schema is None and not names:
            schema = _SCHEMA_OF.get(guess.kind)
    if not names and not ids:
        raise InputError("query", "give a name or an identifier")
    return QueryEntity(
        names=tuple(names),
        schema=schema,
        birth_dates=(birth_date.strip(),) if birth_date and birth_date.strip() else (),
        countries=(country.strip().lower(),) if country and country.strip() else (),
        identifiers=ids,
    )


def screen_entity(
    index: Index,
    query: QueryEntity | Mapping[str, Any] | Prepared,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    label: str = "",
) -> ScreenResult:
    """Score the candidates of a prepared query; keep those at or above ``threshold``."""
    if isinstance(query, QueryEntity):
        prepared = prepare(query.to_entity())
    elif isinstance(query, Prepared):
        prepared = query
    else:
        prepared = prepare(query)
    found: list[Match] = []
    for candidate in index.retrieve(prepared):
        entry = candidate.entry
        result = match(prepared, candidate.prepared)
        if result.score < threshold:
            continue
        explanation: dict[str, Any] = {k: v.to_dict() for k, v in result.explanation.items()}
        if entry.holders:
            explanation["holder"] = {"detail": "held by " + "; ".join(entry.holders)}
        found.append(
            Match(
                entity_id=entry.entity_id,
                schema=entry.schema,
                caption=entry.caption,
                score=result.score,
                refs=list(entry.refs),
                lists=list(entry.lists),
                explanation=explanation,
            )
        )
    found.sort(key=lambda m: (-m.score, m.refs[0] if m.refs else "~", m.entity_id))
    return ScreenResult(label, found[: max(0, limit)])


def check_threshold(threshold: float) -> float:
    if not 0.0 <= threshold <= 1.0:
        raise InputError("threshold", f"{threshold} is not between 0 and 1")
    return threshold


def screen(
    ws_or_index: Workspace | Index,
    query: str,
    schema: str | None = None,
    birth_date: str | None = None,
    country: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> ScreenResult:
    """Screen one query (a name, IMO number, wallet address, email or domain; the schema is
    guessed when not given) against the current lists, best match first. Against a workspace,
    the query's reviewed false positives are moved to ``suppressed``."""
    check_threshold(threshold)
    if limit < 1:
        raise InputError("limit", f"{limit}: give at least 1")
    text = check_text(query)
    entity = query_entity(text, schema, birth_date, country)
    if isinstance(ws_or_index, Index):
        return screen_entity(ws_or_index, entity, threshold, limit, label=text)
    from sanctrace.screening import suppressions  # it imports this module

    found = suppressions.for_query(ws_or_index, text, schema)
    index = get_index(ws_or_index)
    result = screen_entity(index, entity, threshold, limit + len(found), label=text)
    return suppressions.apply(result, found, index, schema, limit)


def screen_many(
    index: Index, queries: Sequence[QueryEntity], threshold: float = DEFAULT_THRESHOLD
) -> list[ScreenResult]:
    """Several prepared queries, every match at or above the threshold."""
    return [screen_entity(index, q, threshold, limit=len(index)) for q in queries]
