"""``serve``: the JSON API and the web pages over the workspace (``--get`` for one request)."""

from __future__ import annotations

import sys
import warnings
from typing import TYPE_CHECKING

import typer

from sanctrace.cli.output import err_console, print_json
from sanctrace.errors import SanctraceError, WorkspaceError

if TYPE_CHECKING:
    from fastapi import FastAPI


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
        get: str = typer.Option(
            None,
            "--get",
            metavar="PATH",
            help="Send one GET request (e.g. /api/incidents) in-process, print the body and "
            "exit: 0 on status 200, 1 otherwise. No server is started.",
        ),
        json: bool = typer.Option(
            False,
            "--json",
            help="With --get, print {path, status, content_type, body}; otherwise print the "
            "server's address as JSON before serving.",
        ),
    ) -> None:
        """Serve the API (/api, OpenAPI at /docs) and the web pages (/) over the workspace."""
        from sanctrace.api import create_app

        app_ = create_app(ctx.obj.path, ctx.obj.backend)
        if get is not None:
            raise typer.Exit(_get(app_, get, json))
        if not ctx.obj.path.exists():
            raise WorkspaceError(
                f"{ctx.obj.path}: no workspace here; create one with `sanctrace init`"
            )
        import uvicorn

        if json:
            print_json(
                {
                    "url": f"http://{host}:{port}/",
                    "docs": f"http://{host}:{port}/docs",
                    "workspace": str(ctx.obj.path),
                    "backend": ctx.obj.backend,
                }
            )
            sys.stdout.flush()
        err_console.print(
            f"serving {ctx.obj.path} ({ctx.obj.backend}) on http://{host}:{port}/ "
            f"(API docs at /docs); Ctrl-C stops",
            highlight=False,
        )
        uvicorn.run(app_, host=host, port=port, log_level="warning")


def _get(app: FastAPI, path: str, as_json: bool = False) -> int:
    """One request through the in-process test client (Datasette's ``serve --get``)."""
    from starlette.exceptions import StarletteDeprecationWarning

    try:
        with warnings.catch_warnings():
            # with plain httpx (not httpx2) Starlette warns about the client it runs on,
            # which is no concern of someone asking for one page
            warnings.simplefilter("ignore", StarletteDeprecationWarning)
            from fastapi.testclient import TestClient
    except (ImportError, RuntimeError) as exc:  # Starlette raises RuntimeError without a client
        raise SanctraceError(
            "serve --get needs httpx2 (or httpx); install it with: pip install httpx2"
        ) from exc
    if not path.startswith("/"):
        path = "/" + path
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(path)
    body = response.text
    if as_json:
        content_type = response.headers.get("content-type", "")
        print_json(
            {
                "path": path,
                "status": response.status_code,
                "content_type": content_type,
                "body": response.json() if content_type.startswith("application/json") else body,
            }
        )
    else:
        sys.stdout.write(body if body.endswith("\n") else body + "\n")
    return 0 if response.status_code == 200 else 1
