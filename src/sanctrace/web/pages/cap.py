"""``/cap``: the petroleum cap ledger for one commodity and cap year, with the chart of every
year against the cap. It calls the engine the API calls (``caps.ledger.status``) and shows
what it returns; the chart is the report's (``report.cap_charts``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.caps import ledger
from sanctrace.errors import InputError
from sanctrace.report.cap_charts import cap_chart_svg
from sanctrace.report.labels import share, volume
from sanctrace.web.templating import render

router = APIRouter()


@router.get("/cap", name="web.cap", response_class=HTMLResponse)
def cap_page(
    request: Request, access: Access, commodity: str = "refined", year: str = ""
) -> Response:
    context: dict[str, object] = {
        "section": "web.cap",
        "form": {"commodity": commodity, "year": year},
        "years": [],
        "result": None,
        "error": None,
        "svg": Markup(""),
        "volume": volume,
        "share": share,
    }
    status = 200
    try:
        chosen = int(year) if year.strip() else None
    except ValueError:
        chosen = None
        context["error"] = f"year {year!r} is not a year"
        status = 400
    if status == 200:
        try:
            with access.reading() as ws:
                history = ledger.statuses(ws, commodity)
                context["years"] = [s.year for s in history]
                wanted = history[-1].year if chosen is None and history else chosen
                result = next((s for s in history if s.year == wanted), None) or ledger.status(
                    ws, commodity, chosen
                )
        except InputError as exc:
            context["error"] = str(exc)
            status = 400
        else:
            context["result"] = result
            context["form"] = {"commodity": result.commodity, "year": str(result.year)}
            if history:
                context["svg"] = Markup(cap_chart_svg(history))
    return render(request, "cap.html", context, status_code=status)
