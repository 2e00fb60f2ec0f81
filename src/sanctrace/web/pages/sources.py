"""``/sources``: every loaded file, with its checksum and the rows that point to it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.sources.status import source_rows
from sanctrace.web.templating import render

router = APIRouter()


@router.get("/sources", name="web.sources", response_class=HTMLResponse)
def sources(request: Request, access: Access) -> Response:
    with access.reading() as ws:
        rows = source_rows(ws)
    return render(request, "sources.html", {"sources": rows, "section": "web.sources"})
