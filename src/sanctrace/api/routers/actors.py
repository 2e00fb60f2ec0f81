"""``/api/actors``: threat actors, their aliases and hierarchy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sanctrace.api.deps import Access
from sanctrace.errors import NotFoundError
from sanctrace.incidents import Actor, actors, resolve_actor

router = APIRouter(prefix="/actors", tags=["actors"])


class ActorList(BaseModel):
    actors: list[Actor]


@router.get("", summary="Every actor, ordered by hierarchy", name="api.actors")
def actor_list(access: Access) -> ActorList:
    """Actors with their MITRE ATT&CK id, lineage and aliases (``sanctrace actors list``)."""
    with access.reading() as ws:
        rows = sorted(actors(ws).values(), key=lambda a: (a.lineage, a.name))
    return ActorList(actors=rows)


@router.get("/resolve", summary="The actor an alias stands for", name="api.actors.resolve")
def resolve(
    access: Access,
    name: Annotated[str, Query(description="Any alias, e.g. BlueNoroff", min_length=1)],
) -> Actor:
    """Resolves any alias, in any case or punctuation (``BlueNoroff`` -> APT38)."""
    with access.reading() as ws:
        actor = resolve_actor(ws, name)
    if actor is None:
        raise NotFoundError(f"no actor is known by {name!r}; see /api/actors")
    return actor
