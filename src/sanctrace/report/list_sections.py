"""The report's sections on the sanctions lists: what the current snapshot of each list holds
(by type of party, by program, by year of listing) and what changed since the snapshot before.

Every figure comes from ``sanctrace.screening.lists`` (``list_overview``, ``diff``) as the
engine returns it; these builders only choose, label and footnote. Each list's figures are
footnoted to the list file they were read from: its URI, publication date and SHA-256, so a
reader can fetch the same file and count again.
"""

from __future__ import annotations

from typing import Any, Final

from markupsafe import Markup

from sanctrace.report.charts import listing_years_svg
from sanctrace.report.labels import list_name, schema_label
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.screening.lists import (
    Change,
    Designation,
    ListDiff,
    ListOverview,
    Snapshot,
    diff,
    list_overview,
)
from sanctrace.workspace import Workspace

NOT_GIVEN: Final = "not given"
VALUES_SHOWN: Final = 160  # characters of a changed property's values shown, each side


# -- engine results, once per report ------------------------------------------------------


def overview_of(ws: Workspace, ctx: ReportContext) -> list[ListOverview]:
    return ctx.memo("screening.list_overview", lambda: list_overview(ws))


def diff_of(ws: Workspace, ctx: ReportContext, o: ListOverview) -> ListDiff | None:
    """What changed from the snapshot before the current one; None when there is none."""
    prev = o.previous
    if prev is None:
        return None
    return ctx.memo(
        f"screening.diff:{prev.source_id}:{o.snapshot.source_id}",
        lambda: diff(ws, o.snapshot.dataset, prev.source_id, o.snapshot.source_id),
    )


# -- footnotes ------------------------------------------------------------------------------


def snapshot_note(ctx: ReportContext, snap: Snapshot, sha256: str | None) -> int:
    """The list file a figure was read from: URI, publication date and checksum."""
    when = (
        f"published {snap.published.isoformat()}"
        if snap.published
        else f"no publication date in the file, loaded {snap.loaded_at.date().isoformat()}"
    )
    locator = f"{when}, sha256 {sha256}" if sha256 else when
    return ctx.footnotes.source(snap.uri, locator)


def current_note(ctx: ReportContext, o: ListOverview) -> int:
    return snapshot_note(ctx, o.snapshot, o.sha256)


def matrix(counts: list[dict[Any, int]], ordered: bool = False) -> list[dict[str, Any]]:
    """Rows of a key-by-list table: every key any list has, in the lists' own order (sorted
    when ``ordered``), the key ``None`` last; a list without the key shows an empty cell."""
    keys: list[Any] = []
    for c in counts:
        keys.extend(k for k in c if k not in keys and k is not None)
    if ordered:
        keys.sort()
    if any(None in c for c in counts):
        keys.append(None)
    return [{"key": k, "cells": [c.get(k) for c in counts]} for k in keys]


# -- sections -------------------------------------------------------------------------------


def lists_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """The lists loaded, each one's current snapshot, and its parties by type and program."""
    lists = overview_of(ws, ctx)
    if not lists:
        return None
    fn = ctx.footnotes
    columns = [
        {
            "o": o,
            "name": list_name(o.snapshot.dataset),
            "refs": fn.refs([current_note(ctx, o)]),
        }
        for o in lists
    ]
    types = matrix([dict(o.by_schema) for o in lists])
    for r in types:
        r["label"] = schema_label(r["key"])
    programs = matrix([dict(o.by_program) for o in lists])
    for r in programs:
        r["label"] = r["key"] if r["key"] is not None else NOT_GIVEN
    body = ctx.render(
        "lists/overview.html.j2",
        columns=columns,
        lists_table=ctx.table(),
        types_table=ctx.table(),
        types=types,
        programs_table=ctx.table(),
        programs=programs,
        held=any(o.held_wallets for o in lists),
        multi=any(sum(o.by_program.values()) > o.parties for o in lists),
    )
    return Section("sanctions-lists", "Sanctions lists", body)


def listing_years_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Parties by the year they were first listed: a chart of the lists that give dates,
    and a table of every list (those without dates count under "not given")."""
    lists = overview_of(ws, ctx)
    if not lists:
        return None
    fn = ctx.footnotes
    dated = [o for o in lists if any(y is not None for y in o.by_year)]
    figure = ctx.figure() if dated else None
    figure_refs = fn.refs([current_note(ctx, o) for o in dated])
    columns = [
        {"o": o, "name": list_name(o.snapshot.dataset), "refs": fn.refs([current_note(ctx, o)])}
        for o in lists
    ]
    years = matrix([dict(o.by_year) for o in lists], ordered=True)
    for r in years:
        r["label"] = str(r["key"]) if r["key"] is not None else NOT_GIVEN
    body = ctx.render(
        "lists/by_year.html.j2",
        figure=figure,
        figure_refs=figure_refs,
        svg=Markup(listing_years_svg(dated)) if dated else Markup(""),
        table=ctx.table(),
        columns=columns,
        years=years,
    )
    return Section("sanctions-by-listing-year", "Sanctions lists by year of listing", body)


def changes_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """For each list with an earlier snapshot loaded: designations added, removed and
    amended since, and every one of them with its references and what changed."""
    fn = ctx.footnotes
    blocks = []
    for o in overview_of(ws, ctx):
        d = diff_of(ws, ctx, o)
        if d is None:
            continue
        old = snapshot_note(ctx, d.old, o.previous_sha256)
        new = current_note(ctx, o)
        refs = fn.refs([old, new])
        blocks.append(
            {
                "name": list_name(o.snapshot.dataset),
                "d": d,
                "refs": refs,
                "old_refs": fn.refs([old]),
                "new_refs": fn.refs([new]),
                "entries": [
                    *(entry(x, "added", refs) for x in d.added),
                    *(entry(x, "removed", refs) for x in d.removed),
                    *(entry(x, "amended", refs) for x in d.amended),
                ],
            }
        )
    if not blocks:
        return None
    body = ctx.render(
        "lists/changes.html.j2",
        counts_table=ctx.table(),
        blocks=blocks,
        entries_tables=[ctx.table() for b in blocks if b["entries"]],
    )
    return Section(
        "sanctions-changes", "Sanctions lists: changes since the previous snapshot", body
    )


def entry(des: Designation, status: str, refs: Markup) -> dict[str, Any]:
    return {
        "des": des,
        "status": status,
        "type": schema_label(des.schema) if des.schema else "",
        "changes": [change_text(c) for c in des.changes],
        "refs": refs,
    }


def change_text(c: Change) -> dict[str, str]:
    """A changed property as the reader sees it: its name, and the values before and after
    (joined by "; ", shortened when long; "none" for no value)."""
    return {"property": c.property, "old": _values(c.old), "new": _values(c.new)}


def _values(values: list[str]) -> str:
    text = "; ".join(values) if values else "none"
    return text if len(text) <= VALUES_SHOWN else text[: VALUES_SHOWN - 1].rstrip() + "\u2026"


BUILDERS: Final[tuple[SectionBuilder, ...]] = (
    lists_section,
    listing_years_section,
    changes_section,
)
"""The sanctions lists' sections, in report order."""
