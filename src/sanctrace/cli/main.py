"""The ``sanctrace`` command: global options, error handling, and the command groups."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from sanctrace.cli.output import err_console
from sanctrace.errors import SanctraceError
from sanctrace.workspace import ENV_VAR, Backend, Workspace, default_path


class _Group(TyperGroup):
    """Turns every ``SanctraceError`` into one line on stderr and exit code 2."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context (private module)
        try:
            return super().invoke(ctx)
        except SanctraceError as exc:
            err_console.print(
                f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True
            )
            ctx.exit(2)


class State:
    """Global options, shared by every command through ``ctx.obj``."""

    def __init__(self, path: Path, backend: Backend) -> None:
        self.path = path
        self.backend = backend

    def open(self, create: bool = False, backend: Backend | None = None) -> Workspace:
        backend = backend or self.backend
        if backend == "spark":  # a local Spark session takes tens of seconds to start
            with err_console.status("starting Spark (local mode) and exporting Parquet"):
                return Workspace.open(self.path, backend=backend, create=create)
        return Workspace.open(self.path, backend=backend, create=create)


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Monitor DPRK sanctions evasion: incidents, screening, tracing, reports.",
)


@app.callback()
def _global(
    ctx: typer.Context,
    workspace: Path = typer.Option(
        None,
        "--workspace",
        "-w",
        envvar=ENV_VAR,
        show_default="./sanctrace.duckdb",
        help="The workspace file (DuckDB).",
    ),
    backend: str = typer.Option(
        "duckdb", "--backend", help="duckdb (embedded) or spark (PySpark local mode, Parquet)."
    ),
) -> None:
    if backend not in ("duckdb", "spark"):
        raise typer.BadParameter("use duckdb or spark", param_hint="--backend")
    ctx.obj = State(workspace or default_path(), backend)  # type: ignore[arg-type]


def _register() -> None:
    from sanctrace.cli import (
        ais,
        cap,
        chain,
        incidents,
        ingest,
        intake,
        itworkers,
        lists,
        phish,
        screen,
        suppress,
    )

    ingest.register(app)
    incidents.register(app)
    lists.register(app)
    screen.register(app)
    suppress.register(app)
    chain.register(app)
    intake.register(app)
    itworkers.register(app)
    cap.register(app)
    ais.register(app)
    phish.register(app)
    for optional in ("sanctrace.cli.report", "sanctrace.cli.serve"):
        try:
            module = __import__(optional, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != optional:
                raise
            continue
        module.register(app)


_register()


def main() -> None:
    """Console entry point. Typer's standalone mode already prints usage errors as one line
    with exit code 2, as ``_Group`` does for ours."""
    sys.exit(app())
