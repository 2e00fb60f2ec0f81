"""One error shape for every error the API returns (Datasette's ``error_body``, STYLE D4):

    {"ok": false, "error": "<one line that names the input and the fix>", "status": <int>}

Core errors map to statuses by class: ``InputError`` 400, ``NotFoundError`` 404,
``WorkspaceError`` and ``MissingDependency`` 503 (the server is fine, its workspace or an
extra is not). Request validation errors are input errors too (400, not FastAPI's 422), and
unknown routes, wrong methods and unexpected exceptions take the same shape. Pages for people
(any path outside ``/api``) get the same status with an HTML page instead, when the app has an
HTML renderer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Literal

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from sanctrace.errors import (
    InputError,
    MissingDependency,
    NotFoundError,
    SanctraceError,
    WorkspaceError,
)

log = logging.getLogger("sanctrace.api")

STATUS: dict[type[SanctraceError], int] = {
    InputError: 400,
    NotFoundError: 404,
    WorkspaceError: 503,
    MissingDependency: 503,
}

HtmlErrorRenderer = Callable[[Request, int, str], Response]


class ErrorBody(BaseModel):
    """Every error response of the API."""

    ok: Literal[False] = False
    error: str
    status: int


def error_body(message: str, status: int) -> dict[str, Any]:
    return ErrorBody(error=message, status=status).model_dump()


def status_for(exc: SanctraceError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def wants_json(request: Request) -> bool:
    path = request.url.path
    # /match/ is yente's path, served at the root for its clients
    return path == "/api" or path.startswith(("/api/", "/openapi", "/match/"))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body", "header")]
        parts.append(f"{'.'.join(loc) or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI, html: HtmlErrorRenderer | None = None) -> None:
    """Route every error through ``error_body`` (or ``html`` for pages)."""

    def respond(
        request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        if html is not None and not wants_json(request):
            return html(request, status, message)
        return JSONResponse(error_body(message, status), status_code=status, headers=headers)

    async def sanctrace_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SanctraceError)
        return respond(request, status_for(exc), str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return respond(request, exc.status_code, str(exc.detail), exc.headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return respond(request, 400, _validation_message(exc))

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return respond(
            request, 500, f"internal error ({type(exc).__name__}); the server log has the trace"
        )

    app.add_exception_handler(SanctraceError, sanctrace_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI document tell the truth about errors: ``ErrorBody`` on every
    operation, 400 in place of FastAPI's 422 validation response."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorBody"] = ErrorBody.model_json_schema()
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    descriptions = {
        "400": "Bad input (InputError or invalid parameters)",
        "404": "Not found (NotFoundError)",
        "503": "Workspace missing or busy (WorkspaceError)",
    }
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for code, text in descriptions.items():
                responses.setdefault(code, {"description": text, **ref})
    return schema
