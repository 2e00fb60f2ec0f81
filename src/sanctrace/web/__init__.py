"""Pages for people, server-rendered with Jinja2 and served by the API app.

``install(app)`` mounts the static files at ``/static`` and the page routers named in
``sanctrace.web.pages.PAGES``; ``render_error`` is the HTML face of the API's error handler.
Pages read the workspace through the app's gate and call engines only; the scripts they load
(htmx, Swagger UI, a small sortable-table script) come from ``static/``, never from a CDN.
"""

from __future__ import annotations

import importlib
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from sanctrace.web.pages import PAGES
from sanctrace.web.templating import render

__all__ = ["STATIC", "install", "render_error"]

STATIC = Path(str(files("sanctrace.web").joinpath("static")))


def install(app: FastAPI) -> None:
    """Mount the static files and every page router on ``app``."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for name in PAGES:
        module = importlib.import_module(f"sanctrace.web.pages.{name}")
        app.include_router(module.router, include_in_schema=False)


def render_error(request: Request, status: int, message: str) -> Response:
    """An error as a page: the same status and message the API would give."""
    return render(
        request,
        "error.html",
        {"status": status, "message": message, "section": ""},
        status_code=status,
    )
