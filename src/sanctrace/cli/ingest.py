"""``init``, ``ingest``, ``sources``, ``quarantine``: what goes into the workspace."""

from __future__ import annotations

from pathlib import Path

import typer

from sanctrace.cli.output import console, print_json, progress, table
from sanctrace.data import DEFAULTS, bundled
from sanctrace.sources.ingest import IngestResult, ingest
from sanctrace.sources.registry import ADAPTERS
from sanctrace.sources.status import quarantined_rows, source_rows

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")


def _describe(r: IngestResult) -> str:
    if r.unchanged:
        return f"{r.uri}: already loaded ({r.source_id}); nothing changed"
    rows = ", ".join(f"{n:,} {t}" for t, n in sorted(r.tables.items()) if n)
    quarantined = f"; {r.rows_quarantined} quarantined" if r.rows_quarantined else ""
    return f"{r.uri}: {r.rows_read:,} rows read -> {rows or 'no rows'}{quarantined}"


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        ctx: typer.Context,
        json: bool = JSON,
        empty: bool = typer.Option(False, help="Create the tables only."),
    ) -> None:
        """Create the workspace and load the bundled defaults (actors, incidents, estimates, DPRK
        sanctions lists)."""
        results: list[IngestResult] = []
        with ctx.obj.open(create=True, backend="duckdb") as ws:
            for kind, rel in () if empty else DEFAULTS:
                with progress(f"{kind} {rel}") as advance:
                    results.append(
                        ingest(
                            ws, kind, bundled(rel), uri=f"sanctrace:data/{rel}", progress=advance
                        )
                    )
        if json:
            print_json({"workspace": str(ctx.obj.path), "loaded": results})
            return
        console.print(f"workspace {ctx.obj.path}", markup=False)
        for r in results:
            console.print(f"  {r.kind}: {_describe(r)}", highlight=False, markup=False)

    @app.command("ingest")
    def ingest_cmd(
        ctx: typer.Context,
        kind: str = typer.Argument(..., help=f"Adapter: {', '.join(sorted(ADAPTERS))}."),
        path: Path = typer.Argument(..., help="The file to load."),
        json: bool = JSON,
    ) -> None:
        """Load a file through its adapter: provenance recorded, bad rows quarantined."""
        with ctx.obj.open(backend="duckdb") as ws, progress(f"{kind} {path.name}") as advance:
            result = ingest(ws, kind, path, progress=advance)
        if json:
            print_json(result)
        else:
            console.print(_describe(result), highlight=False, markup=False)

    @app.command()
    def sources(ctx: typer.Context, json: bool = JSON) -> None:
        """What is loaded: one row per file, with rows read and quarantined."""
        with ctx.obj.open() as ws:
            rows = source_rows(ws)
        if json:
            print_json({"sources": rows})
            return
        table(
            "sources",
            ["source_id", "adapter", "uri", "loaded_at", "rows", "quarantined", "tables"],
            [
                [
                    r["source_id"],
                    f"{r['adapter']} v{r['adapter_version']}",
                    r["uri"],
                    r["loaded_at"][:19],
                    r["rows_read"],
                    r["rows_quarantined"],
                    ", ".join(f"{t} {n}" for t, n in r["tables"].items()),
                ]
                for r in rows
            ],
            right=["rows", "quarantined"],
        )

    @app.command()
    def quarantine(
        ctx: typer.Context,
        source: str = typer.Option(None, help="Only rows of this source_id."),
        json: bool = JSON,
    ) -> None:
        """Rows that adapters would not accept, with file, line and reason."""
        with ctx.obj.open() as ws:
            rows = quarantined_rows(ws, source)
        if json:
            print_json({"quarantine": rows})
            return
        table(
            "quarantine",
            ["source_id", "uri", "line", "element", "reason"],
            [[r["source_id"], r["uri"], r["line"], r["element"], r["reason"]] for r in rows],
        )
