"""Rendering for the CLI: JSON on stdout for ``--json``, Rich tables otherwise, progress on
stderr. Results are computed once by engines as plain data and only rendered here."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from sanctrace.serialize import to_jsonable

# piped or redirected output has no terminal width; Rich would assume 80 columns and fold
# every number, so tables written to files and logs get room instead ($COLUMNS still wins)
console = Console() if sys.stdout.isatty() or "COLUMNS" in os.environ else Console(width=160)
err_console = Console(stderr=True)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    right: Sequence[str] = (),
) -> None:
    t = Table(title=title, title_justify="left")
    for c in columns:
        t.add_column(c, justify="right" if c in right else "left", overflow="fold")
    for r in rows:
        # cells are data, not markup: a victim named "[/b]" must show, not crash the table
        t.add_row(*(Text("" if v is None else str(v)) for v in r))
    console.print(t)


def usd(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Any]:
    """A progress bar on stderr; yields ``advance(n_done)`` (absolute count)."""
    bar = Progress(
        TextColumn("{task.description}", markup=False),  # file names are not markup
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(done: int) -> None:
            if done % 256 == 0 or (total is not None and done == total):
                bar.update(task, completed=done)

        yield advance


def screening_index(ws: Any) -> Any:
    """The workspace's screening index, with a progress bar when it must be built (the first
    screening after a load: seconds on the full lists)."""
    from sanctrace.screening.index import get_index, is_ready

    if is_ready(ws):
        return get_index(ws)
    with progress("building the screening index (once after each load)") as advance:
        return get_index(ws, progress=advance)
