"""``/``: headline figures, charts, and the incident table with its filters.

The filter form works without JavaScript (a GET that reloads the page); with htmx it
swaps only the table (``HX-Request``), which skips the summaries and charts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.incidents import list_incidents, summarize
from sanctrace.report.charts import cases_bar_svg, proceeds_by_year_svg
from sanctrace.report.labels import country_name
from sanctrace.web.table import TableQuery, incident_table
from sanctrace.web.templating import render

router = APIRouter()

Filter = Annotated[str, Query(max_length=200)]


@router.get("/", name="web.dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    access: Access,
    q: Filter = "",
    year: Filter = "",
    country: Filter = "",
    vector: Filter = "",
    actor: Filter = "",
    hx_request: Annotated[str | None, Header()] = None,
    hx_history_restore_request: Annotated[str | None, Header()] = None,
) -> Response:
    query = TableQuery(q.strip(), year, country, vector, actor)
    partial = hx_request == "true" and hx_history_restore_request != "true"
    with access.reading() as ws:
        incidents = list_incidents(ws)
        by_year = summarize(ws, "year")
        if not partial:
            by_country = summarize(ws, "country")
            by_vector = summarize(ws, "vector")
    table = incident_table(incidents, by_year, query)
    context = {"table": table, "country_name": country_name}
    if partial:
        response = render(request, "_incident_table.html", context)
    else:
        charts = [
            Markup(proceeds_by_year_svg(by_year)),
            Markup(cases_bar_svg(by_country, "Cases by country")),
            Markup(cases_bar_svg(by_vector, "Cases by attack vector")),
        ]
        response = render(
            request,
            "dashboard.html",
            {**context, "total": by_year.total, "charts": charts, "section": "web.dashboard"},
        )
    response.headers["Vary"] = "HX-Request"
    return response
