"""``screen`` and ``screen-file``: one query, or a CSV of them, against the current lists.

``screen-file`` skips a row it cannot screen (no name or identifier, an unknown schema, an
identifier it cannot read) and says why in the ``match_note`` column; a file it cannot read
at all (missing, not UTF-8, no ``name`` column) is an error naming the file.

Both apply the reviewed false positives of ``sanctrace suppress``: ``screen --json`` lists
them under ``suppressed`` (the table only with ``--show-suppressed``); ``screen-file`` leaves
them out of the CSV and counts them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import typer

from sanctrace.cli.output import console, print_json, progress, table
from sanctrace.errors import InputError
from sanctrace.screening import suppressions
from sanctrace.screening.index import get_index
from sanctrace.screening.matcher import DEFAULT_THRESHOLD
from sanctrace.screening.screen import (
    ScreenResult,
    check_threshold,
    query_entity,
    screen,
    screen_entity,
)

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
THRESHOLD = typer.Option(
    DEFAULT_THRESHOLD, "--threshold", help="Report matches scoring at least this (0 to 1)."
)
INPUT_COLUMNS = ("id", "name", "schema", "birth_date", "country", "identifier")
MATCH_COLUMNS = (
    "match_rank",
    "match_entity_id",
    "match_caption",
    "match_score",
    "match_refs",
    "match_note",
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
    when nothing matched; rows that cannot be screened get a match_note)."""
    check_threshold(threshold)
    rows, columns = _read(infile)
    with ctx.obj.open() as ws:
        index = get_index(ws)
        found = suppressions.active(ws)
    matched = unmatched = skipped = written = suppressed = 0
    try:
        handle = out.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(str(out), f"cannot write: {exc.strerror}") from None
    with handle, progress(f"screening {infile.name}", total=len(rows)) as advance:
        writer = csv.DictWriter(handle, fieldnames=[*columns, *MATCH_COLUMNS])
        writer.writeheader()
        for done, (line, row) in enumerate(rows, start=1):
            base = {c: row.get(c) or "" for c in columns}
            try:
                entity = query_entity(
                    row.get("name") or None,
                    row.get("schema") or None,
                    row.get("birth_date") or None,
                    row.get("country") or None,
                    row.get("identifier") or None,
                )
            except InputError as exc:
                skipped += 1
                writer.writerow({**base, "match_note": f"line {line}: {exc}"})
                written += 1
                advance(done)
                continue
            label = row.get("name") or row.get("identifier") or ""
            result = screen_entity(index, entity, threshold, limit=len(index), label=label)
            result = suppressions.apply(result, found, index, row.get("schema") or None)
            suppressed += len(result.suppressed)
            if result.matches:
                matched += 1
            else:
                unmatched += 1
                ids = ", ".join(x.suppression_id for x in result.suppressed)
                note = f"reviewed false positives left out: {ids}" if ids else ""
                writer.writerow({**base, "match_note": note})
                written += 1
            for rank, m in enumerate(result.matches, start=1):
                writer.writerow(
                    {
                        **base,
                        "match_rank": rank,
                        "match_entity_id": m.entity_id,
                        "match_caption": m.caption,
                        "match_score": m.score,
                        "match_refs": "|".join(m.refs),
                    }
                )
                written += 1
            advance(done)
    summary = {
        "in": str(infile),
        "out": str(out),
        "rows": len(rows),
        "matched": matched,
        "unmatched": unmatched,
        "skipped": skipped,
        "suppressed": suppressed,
        "written": written,
    }
    if json:
        print_json(summary)
        return
    console.print(
        f"{len(rows)} rows screened: {matched} matched, {unmatched} unmatched, {skipped} "
        f"skipped; {suppressed} reviewed false positives left out; {written} rows written to "
        f"{out}",
        highlight=False,
        markup=False,
    )


def _read(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The rows (with their line numbers) and the input columns to copy to the output."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    if "\x00" in text:
        raise InputError(str(path), "binary data (NUL bytes): not a CSV file")
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise InputError(
            str(path) + ":1",
            f"the header needs a 'name' column (optional: {', '.join(INPUT_COLUMNS)}); "
            f"found {', '.join(header) or 'nothing'}",
        )
    reader.fieldnames = header
    clash = sorted(set(header) & set(MATCH_COLUMNS))
    if clash:
        raise InputError(f"{path}:1", f"input columns clash with output: {', '.join(clash)}")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:
                raise InputError(f"{path}:{reader.line_num}", "more cells than header columns")
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}", str(exc)) from None
    return rows, [h for h in header if h]


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_cmd)
    app.command("screen-file")(screen_file_cmd)
