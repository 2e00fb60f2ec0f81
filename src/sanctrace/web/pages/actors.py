"""``/actors``: threat actors with hierarchy, ATT&CK ids and aliases."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.incidents import actors
from sanctrace.web.templating import render

router = APIRouter()


@router.get("/actors", name="web.actors", response_class=HTMLResponse)
def actor_list(request: Request, access: Access) -> Response:
    with access.reading() as ws:
        rows = sorted(actors(ws).values(), key=lambda a: (a.lineage, a.name))
    return render(request, "actors.html", {"actors": rows, "section": "web.actors"})
