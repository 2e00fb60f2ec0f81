"""``/maritime``: ship behaviour at sea, the map and the events of ``sanctrace ais detect``.

Calls the engine the API calls (``maritime.detect``) for the window and box of the form, and
shows what it returns: the map (``report.maritime_charts``) and one table per detector.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.errors import InputError
from sanctrace.maritime.detect import detect
from sanctrace.maritime.tracks import parse_bbox, parse_time
from sanctrace.report.maritime_charts import events_map_svg
from sanctrace.web.templating import render

router = APIRouter()


@router.get("/maritime", name="web.maritime", response_class=HTMLResponse)
def maritime_page(
    request: Request, access: Access, since: str = "", until: str = "", bbox: str = ""
) -> Response:
    context: dict[str, object] = {
        "form": {"since": since, "until": until, "bbox": bbox},
        "section": "web.maritime",
        "found": None,
        "error": None,
        "svg": Markup(""),
    }
    status = 200
    try:
        start = parse_time(since.strip() or None, "since")
        end = parse_time(until.strip() or None, "until")
        box = parse_bbox(bbox) if bbox.strip() else None
        with access.reading() as ws:
            found = detect(ws, start, end, box)
    except InputError as exc:
        context["error"] = str(exc)
        status = 400
    else:
        context["found"] = found
        context["svg"] = Markup(events_map_svg(found))
    return render(request, "maritime.html", context, status_code=status)
