"""``/docs``: Swagger UI over ``/openapi.json``, served from the package (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter()


@router.get("/docs", name="web.docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    def static(path: str) -> str:
        return request.url_for("static", path=path).path

    return get_swagger_ui_html(
        openapi_url=request.url_for("openapi").path,
        title="sanctrace API",
        swagger_js_url=static("vendor/swagger-ui/swagger-ui-bundle.js"),
        swagger_css_url=static("vendor/swagger-ui/swagger-ui.css"),
        swagger_favicon_url=static("favicon.svg"),
        # no "validate online" badge: it would send the schema to validator.swagger.io
        swagger_ui_parameters={"validatorUrl": None},
    )
