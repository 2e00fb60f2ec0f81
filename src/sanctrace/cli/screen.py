"""``screen`` and ``screen-file``: one query, or a CSV of them, against the current lists.

``screen-file`` skips a row it cannot screen (no name or identifier, an unknown schema, an
identifier it cannot read) and says why in the ``match_note`` column; a file it cannot read
at all (missing, not UTF-8, no ``name`` column) is an error naming the file.

Both apply the reviewed false positives of ``sanctrace suppress``: ``screen --json`` lists
them under ``suppressed`` (the table only with ``--show-suppressed``); ``screen-file`` leaves
them out of the CSV and counts them.

With the global ``--backend spark``, ``screen-file`` screens the rows on Spark
(``screening.batch``); the CSV it writes is the same, byte for byte.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable
from pathlib import Path

import typer

from sanctrace.cli.output import (
    console,
    err_console,
    print_json,
    progress,
    screening_index,
    table,
)
from sanctrace.errors import InputError
from sanctrace.screening import batch, suppressions
from sanctrace.screening.matcher import DEFAULT_THRESHOLD
from sanctrace.screening.screen import (
    ScreenResult,
    check_threshold,
    screen,
)

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
THRESHOLD = typer.Option(
    DEFAULT_THRESHOLD, "--threshold", help="Report matches scoring at least this (0 to 1)."
)


def screen_cmd(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="A name, IMO number, wallet address, email or domain."),
    schema: str = typer.Option(
        None, "--schema", help="Person, Organization, Vessel or CryptoWallet (guessed if not)."
    ),
    birth_date: str = typer.Option(None, "--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    country: str = typer.Option(None, "--country", help="ISO country code, e.g. kp."),
    threshold: float = THRESHOLD,
    limit: int = typer.Option(10, "--limit", help="At most this many matches."),
    show_suppressed: bool = typer.Option(
        False, "--show-suppressed", help="Also list the matches reviewed as false positives."
    ),
    json: bool = JSON,
) -> None:
    """Screen a name or identifier against the sanctions lists, best match first."""
    check_threshold(threshold)
    with ctx.obj.open() as ws:
        screening_index(ws)  # built here, with progress, when a load made it stale
        result = screen(ws, query, schema, birth_date, country, threshold, limit)
    if json:
        print_json(result)
        return
    _render(result, threshold)
    if result.suppressed and show_suppressed:
        _render_suppressed(result)
    elif result.suppressed:
        console.print(
            f"{len(result.suppressed)} reviewed false positives not shown (--show-suppressed)",
            highlight=False,
            markup=False,
        )


def _render_suppressed(result: ScreenResult) -> None:
    table(
        f"{len(result.suppressed)} suppressed for {result.query!r}",
        ["score", "refs", "caption", "suppression", "analyst", "since", "reason"],
        [
            [
                f"{s.score:.3f}",
                ", ".join(s.refs),
                s.caption,
                s.suppression_id,
                s.analyst,
                f"{s.suppressed_at:%Y-%m-%d}",
                s.reason,
            ]
            for s in result.suppressed
        ],
        right=["score"],
    )


def _render(result: ScreenResult, threshold: float) -> None:
    if not result.matches:
        console.print(
            f"no match at or above {threshold} for {result.query!r}", highlight=False, markup=False
        )
        return
    table(
        f"{len(result.matches)} matches for {result.query!r}",
        ["score", "refs", "schema", "caption", "lists", "why"],
        [
            [
                f"{m.score:.3f}",
                ", ".join(m.refs),
                m.schema,
                m.caption,
                ", ".join(m.lists),
                "; ".join(v.get("detail", k) for k, v in m.explanation.items()),
            ]
            for m in result.matches
        ],
        right=["score"],
    )


def screen_file_cmd(
    ctx: typer.Context,
    infile: Path = typer.Argument(
        ...,
        help="CSV with a header: name, and optionally id, schema, birth_date, country, identifier.",
    ),
    out: Path = typer.Option(..., "--out", help="The CSV to write."),
    threshold: float = THRESHOLD,
    json: bool = JSON,
) -> None:
    """Screen every row of a CSV; write one row per match (or one with empty match columns
    when nothing matched; rows that cannot be screened get a match_note). With the global
    ``--backend spark`` the rows are screened on Spark; the CSV is the same."""
    check_threshold(threshold)
    parsed = batch.read_csv(infile)
    screened: Iterable[batch.Screened]
    with ctx.obj.open() as ws:
        if ws.backend == "spark":
            status = f"screening {len(parsed.rows):,} rows of {infile.name} on Spark"
            with err_console.status(status):
                screened = batch.screen_rows_spark(
                    ws, parsed.rows, threshold, columns=parsed.columns
                )
        else:
            index, found = screening_index(ws), suppressions.active(ws)
            screened = batch.screen_rows(index, parsed.rows, threshold, found, parsed.columns)
    try:
        handle = out.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(str(out), f"cannot write: {exc.strerror}") from None
    tally = batch.Tally()
    with handle, progress(f"screening {infile.name}", total=len(parsed.rows)) as advance:
        writer = csv.DictWriter(handle, fieldnames=[*parsed.columns, *batch.MATCH_COLUMNS])
        writer.writeheader()
        for done, outcome in enumerate(screened, start=1):
            writer.writerows(outcome.rows)
            tally.add(outcome)
            advance(done)
    summary = {"in": str(infile), "out": str(out), **dataclasses.asdict(tally)}
    if json:
        print_json(summary)
        return
    console.print(
        f"{tally.rows} rows screened: {tally.matched} matched, {tally.unmatched} unmatched, "
        f"{tally.skipped} skipped; {tally.suppressed} reviewed false positives left out; "
        f"{tally.written} rows written to {out}",
        highlight=False,
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_cmd)
    app.command("screen-file")(screen_file_cmd)
