"""Screening over HTTP: ``/api/screen`` (``sanctrace screen --json``) and ``/api/match/{dataset}``
with yente's request and response shapes (``EntityMatchQuery`` in, ``EntityMatchResponse``
out, as in ``yente/data/common.py`` and ``yente/routers/match.py``), so that a yente client
pointed at ``<server>/api`` works unchanged.

What differs from yente: one algorithm (``algorithm`` is accepted and ignored, as are the
body's ``weights`` and ``config``), ``referents`` is always empty (sanctrace does not merge
entities), ``target`` is true (every result is a listed party or a wallet of one) and the
``first_seen``/``last_seen``/``last_change`` timestamps are null. Errors take the API's one
shape, not yente's ``{"detail": ...}``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from sanctrace.api.deps import Access
from sanctrace.errors import InputError, NotFoundError
from sanctrace.screening import lists
from sanctrace.screening.entity import prepare
from sanctrace.screening.index import Entry, Index, get_index
from sanctrace.screening.matcher import DEFAULT_THRESHOLD, FEATURES
from sanctrace.screening.screen import Match, check_text, check_threshold, screen, screen_entity
from sanctrace.screening.suppressions import Suppressed

router = APIRouter(tags=["screening"])

DEFAULT_DATASET = "default"
"""yente's name for every list at once."""
MATCH_PAGE = 5
"""yente's default ``limit`` for ``/match`` (``settings.MATCH_PAGE``)."""
MAX_MATCHES = 500
"""yente's largest ``limit`` for ``/match`` (``settings.MAX_MATCHES``)."""
MAX_BATCH = 100
"""yente's most queries in one ``/match`` request (``settings.MAX_BATCH``)."""
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")


# -- /api/screen -----------------------------------------------------------------------------


class ScreenMatch(BaseModel):
    entity_id: str
    schema_: str = Field(alias="schema")
    caption: str
    score: float
    refs: list[str]
    lists: list[str]
    explanation: dict[str, Any]

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class ScreenResponse(BaseModel):
    query: str
    matches: list[ScreenMatch]
    suppressed: list[Suppressed] = Field(
        default_factory=list,
        description="Matches reviewed as false positives for this query (/api/suppressions).",
    )


@router.get("/screen", summary="Screen one name or identifier", name="api.screen")
def screen_one(
    access: Access,
    q: Annotated[str, Query(description="A name, IMO number, wallet address, email or domain.")],
    schema: Annotated[
        str | None, Query(description="Person, Organization, Vessel or CryptoWallet.")
    ] = None,
    birth_date: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    country: Annotated[str | None, Query(description="ISO country code, e.g. kp.")] = None,
    threshold: Annotated[float, Query(description="Matches score at least this.")] = (
        DEFAULT_THRESHOLD
    ),
    limit: Annotated[int, Query(description="At most this many matches.")] = 10,
) -> ScreenResponse:
    """Best match first, each with its list references and the features behind its score
    (``sanctrace screen QUERY --json``); the query's reviewed false positives are listed under
    ``suppressed``, not among the matches."""
    with access.reading() as ws:
        result = screen(ws, q, schema, birth_date, country, threshold, limit)
    return ScreenResponse(
        query=result.query,
        matches=[ScreenMatch(**asdict(m)) for m in result.matches],
        suppressed=result.suppressed,
    )


# -- /api/match/{dataset}: yente's shapes -------------------------------------------------


class EntityExample(BaseModel):
    """A query entity (yente ``EntityExample``)."""

    id: str | None = None
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(examples=[{"name": ["RI Won Ho"]}])

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class EntityMatchQuery(BaseModel):
    """yente's ``/match`` request body."""

    weights: dict[str, float] = Field(default_factory=dict, description="Accepted, ignored.")
    config: dict[str, Any] = Field(default_factory=dict, description="Accepted, ignored.")
    queries: dict[str, EntityExample]


class ScoredEntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str]
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    score: float
    features: dict[str, float]
    match: bool

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str | None
    coefficient: float
    url: str


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


def _matcher_docs() -> dict[str, FeatureDoc]:
    return {f.name: FeatureDoc(description=f.doc, coefficient=f.weight, url="") for f in FEATURES}


def _entry(index: Index, entity_id: str) -> Entry:
    entry = index.get(entity_id)
    if entry is None:  # a match comes from the index: cannot happen
        raise LookupError(entity_id)
    return entry


def _entity(example: EntityExample, key: str) -> dict[str, Any]:
    """The example as the FtM-style dict ``prepare`` reads, its text checked; name parts
    (``firstName`` ... ``lastName``) are joined into a name, as yente does."""
    props: dict[str, list[str]] = {}
    for prop, raw in example.properties.items():
        values = [raw] if isinstance(raw, str) else raw
        kept = []
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise InputError(f"queries.{key}.properties.{prop}", "values must be text")
            if value.strip():
                kept.append(check_text(value, f"queries.{key}.properties.{prop}").strip())
        if kept:
            props[prop] = kept
    parts = [props[p][0] for p in NAME_PARTS if p in props]
    if parts:
        props.setdefault("name", []).append(" ".join(parts))
    return {"id": example.id or "query", "schema": example.schema_, "properties": props}


def _keep(
    m: Match, dataset: str | None, include: list[str], exclude: list[str], schemata: list[str]
) -> bool:
    if dataset is not None and dataset not in m.lists:
        return False
    if include and not set(include) & set(m.lists):
        return False
    if exclude and set(m.lists) <= set(exclude):
        return False
    return m.schema not in schemata


def _scored(m: Match, entry: Entry, threshold: float) -> ScoredEntityResponse:
    props = entry.prepared.entity.get("properties") or {}
    features = {
        name: float(part["score"])
        for name, part in m.explanation.items()
        if isinstance(part, dict) and isinstance(part.get("score"), int | float)
    }
    return ScoredEntityResponse(
        id=m.entity_id,
        caption=m.caption,
        schema=m.schema,
        properties={k: list(v) for k, v in props.items()},
        datasets=m.lists,
        score=m.score,
        features=features,
        match=m.score >= threshold,
    )


def _match_one(
    index: Index,
    key: str,
    example: EntityExample,
    dataset: str | None,
    threshold: float,
    cutoff: float,
    limit: int,
    filters: tuple[list[str], list[str], list[str], list[str]],
) -> EntityMatches:
    include, exclude, schemata, excluded_ids = filters
    entity = _entity(example, key)
    prepared = prepare(entity)
    if not prepared.names and not prepared.identifiers:
        raise InputError(f"queries.{key}", "give a name or an identifier sanctrace can read")
    found = screen_entity(index, prepared, cutoff, limit=len(index), label=key)
    kept = [
        m
        for m in found.matches
        if m.entity_id not in excluded_ids and _keep(m, dataset, include, exclude, schemata)
    ]
    return EntityMatches(
        results=[_scored(m, _entry(index, m.entity_id), threshold) for m in kept[:limit]],
        total=TotalSpec(value=len(kept)),
        query=EntityExample(id=example.id, schema=example.schema_, properties=entity["properties"]),
    )


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher (yente's /match)",
    name="api.match",
)
def match_entities(
    access: Access,
    response: Response,
    body: EntityMatchQuery,
    dataset: str,
    limit: Annotated[int, Query(description="Results per query.", ge=1, le=MAX_MATCHES)] = (
        MATCH_PAGE
    ),
    threshold: Annotated[float, Query(description="Score at which a result is a match.")] = (
        DEFAULT_THRESHOLD
    ),
    cutoff: Annotated[
        float | None, Query(description="Lowest score returned at all (at most threshold).")
    ] = None,
    algorithm: Annotated[str, Query(description="Accepted for yente clients; one algorithm.")] = (
        "best"
    ),
    include_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_schema: Annotated[list[str] | None, Query()] = None,
    exclude_entity_ids: Annotated[list[str] | None, Query()] = None,
) -> EntityMatchResponse:
    """yente's matching API: each query entity (``schema`` and FtM ``properties`` such as
    ``name``, ``birthDate``, ``nationality``, ``imoNumber``, ``publicKey``) scored against
    the current lists. ``dataset`` is ``default`` (every list) or one list's name. Results
    score at least ``cutoff`` (default: ``threshold``); ``match`` is score >= threshold."""
    check_threshold(threshold)
    low = threshold if cutoff is None else min(check_threshold(cutoff), threshold)
    if not body.queries:
        raise InputError("queries", "no queries provided")
    if len(body.queries) > MAX_BATCH:
        raise InputError("queries", f"{len(body.queries)} queries; at most {MAX_BATCH}")
    filters = (
        include_dataset or [],
        exclude_dataset or [],
        exclude_schema or [],
        exclude_entity_ids or [],
    )
    with access.reading() as ws:
        known = sorted(lists.latest(ws))
        if dataset != DEFAULT_DATASET and dataset not in known:
            raise NotFoundError(
                f"dataset {dataset!r} not found: use {DEFAULT_DATASET} or one of "
                + ", ".join(known)
            )
        index = get_index(ws)
    wanted = None if dataset == DEFAULT_DATASET else dataset
    responses = {
        key: _match_one(index, key, example, wanted, threshold, low, limit, filters)
        for key, example in body.queries.items()
    }
    response.headers["x-batch-size"] = str(len(responses))
    return EntityMatchResponse(responses=responses, matcher=_matcher_docs(), limit=limit)


# yente clients call POST /match/{dataset} on the server's root: the same endpoint is served
# there too (create_app mounts a module's ``root_router`` outside /api)
root_router = APIRouter(tags=["screening"])
root_router.add_api_route(
    "/match/{dataset}",
    match_entities,
    methods=["POST"],
    summary="Query by example matcher, at yente's own path",
    name="yente.match",
)
