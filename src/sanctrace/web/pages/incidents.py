"""``/incidents/{id}``: one incident with its amounts, attributions, citations and files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.incidents import get_incident
from sanctrace.report.labels import country_name
from sanctrace.web.templating import render

router = APIRouter()


@router.get("/incidents/{incident_id}", name="web.incident", response_class=HTMLResponse)
def incident(request: Request, access: Access, incident_id: str) -> Response:
    with access.reading() as ws:
        detail = get_incident(ws, incident_id)
    return render(
        request,
        "incident.html",
        {"d": detail, "i": detail.incident, "country_name": country_name, "section": ""},
    )
