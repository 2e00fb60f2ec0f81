"""The app factory: JSON API under ``/api`` (OpenAPI at ``/docs``) and pages for people.

``create_app`` is the composition root: it mounts every router named in
``sanctrace.api.routers.ROUTERS`` under ``/api``, installs the pages of ``sanctrace.web`` and
routes every error through one shape (``sanctrace.api.errors``).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

import sanctrace
from sanctrace.api.access import WorkspaceAccess
from sanctrace.api.errors import document_errors, install_error_handlers
from sanctrace.api.routers import ROUTERS
from sanctrace.errors import WorkspaceError
from sanctrace.workspace import Backend

BACKENDS: tuple[Backend, ...] = ("duckdb", "spark")


def create_app(workspace_path: Path, backend: str = "duckdb") -> FastAPI:
    """An app serving the workspace at ``workspace_path`` on ``backend`` (duckdb or spark).

    Nothing is opened here: each request opens the workspace through the app's
    ``WorkspaceAccess`` (see ``sanctrace.api.access`` for why), so a missing or locked
    workspace is a 503 on the request, not a failure at start-up.
    """
    if backend not in BACKENDS:
        raise WorkspaceError(f"unknown backend {backend!r}: use duckdb or spark")
    access = WorkspaceAccess(Path(workspace_path), backend)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        access.close_held()

    app = FastAPI(
        title="sanctrace",
        version=sanctrace.__version__,
        description=(
            "Monitoring of DPRK sanctions evasion: the incident registry, threat actors and "
            "the provenance of every loaded file. Every error is "
            '`{"ok": false, "error": "...", "status": N}`.'
        ),
        lifespan=lifespan,
        docs_url=None,  # /docs is a page of sanctrace.web, with Swagger UI from the package
        redoc_url=None,
    )
    app.state.workspace = access

    api = APIRouter(prefix="/api")
    for name in ROUTERS:
        module = importlib.import_module(f"sanctrace.api.routers.{name}")
        api.include_router(module.router)
        if hasattr(module, "root_router"):  # paths other tools expect at the root (yente)
            app.include_router(module.root_router)
    app.include_router(api)

    from sanctrace import web

    web.install(app)
    install_error_handlers(app, html=web.render_error)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = document_errors(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
