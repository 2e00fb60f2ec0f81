"""``lists``: the sanctions-list snapshots loaded, and what changed between two of them."""

from __future__ import annotations

import typer

from sanctrace.cli.output import console, err_console, print_json, table
from sanctrace.errors import NotFoundError
from sanctrace.screening.lists import (
    Change,
    ListDiff,
    changed_properties,
    datasets_with_history,
    diff,
    snapshots,
    summary,
)

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")

lists_app = typer.Typer(no_args_is_help=True, help="Sanctions lists: snapshots and changes.")


@lists_app.command("show")
def show_cmd(ctx: typer.Context, json: bool = JSON) -> None:
    """Every list snapshot loaded: dataset, publication date, entities, source."""
    with ctx.obj.open() as ws:
        rows = snapshots(ws)
    if json:
        print_json({"snapshots": rows})
        return
    table(
        f"{len(rows)} list snapshots",
        ["dataset", "published", "entities", "source_id", "uri"],
        [[s.dataset, s.published or "", s.entities, s.source_id, s.uri] for s in rows],
        right=["entities"],
    )


@lists_app.command("diff")
def diff_cmd(
    ctx: typer.Context,
    dataset: str = typer.Option(None, "--dataset", help="The list (e.g. un_sc_sanctions)."),
    old: str = typer.Option(None, "--from", help="source_id of the older snapshot."),
    new: str = typer.Option(None, "--to", help="source_id of the newer snapshot."),
    common_programmes: bool = typer.Option(
        False,
        "--common-programmes",
        help="Compare only designations under programmes both snapshots cover (a DPRK-only "
        "subset against a full list).",
    ),
    json: bool = JSON,
) -> None:
    """Designations added, removed and amended between two snapshots of a list (by default
    the two newest; without --dataset, every list that has two)."""
    with ctx.obj.open() as ws:
        if dataset or old or new:
            diffs = [diff(ws, dataset, old, new, common_programmes)]
        else:
            names = datasets_with_history(ws)
            if not names:
                raise NotFoundError(
                    "no list has two snapshots loaded; load another snapshot with "
                    "`sanctrace ingest un-list FILE.xml` (or ofac-sdn ...)"
                )
            diffs = [diff(ws, name, common_programmes=common_programmes) for name in names]
    if json:
        print_json({"diffs": [{**_plain(d), "summary": summary(d)} for d in diffs]})
        return
    for d in diffs:
        _render(d)


def _plain(d: ListDiff) -> dict[str, object]:
    return {
        "dataset": d.dataset,
        "old": d.old,
        "new": d.new,
        "added": d.added,
        "removed": d.removed,
        "amended": d.amended,
        "programmes_old": d.programmes_old,
        "programmes_new": d.programmes_new,
        "out_of_scope": d.out_of_scope,
    }


def _render(d: ListDiff) -> None:
    s = summary(d)
    if d.programmes_old != d.programmes_new and not d.out_of_scope:
        err_console.print(
            f"note: the snapshots cover different programmes ({len(d.programmes_old)} and "
            f"{len(d.programmes_new)}); added and removed include designations the other file "
            "does not cover; --common-programmes compares only the programmes both cover",
            highlight=False,
            markup=False,
        )
    console.print(
        f"{d.dataset}: {d.old.published or d.old.source_id} -> "
        f"{d.new.published or d.new.source_id}: {s['added']} added, {s['removed']} removed, "
        f"{s['amended']} amended"
        + (
            f"; {d.out_of_scope} under programmes only one snapshot covers, not compared"
            if d.out_of_scope
            else ""
        ),
        highlight=False,
        markup=False,
    )
    for title, rows in (("added", d.added), ("removed", d.removed)):
        if rows:
            table(
                f"{title} ({len(rows)})",
                ["ref", "schema", "caption", "entity_id"],
                [[", ".join(r.refs), r.schema, r.caption, r.entity_id] for r in rows],
            )
    if d.amended:
        table(
            f"amended ({len(d.amended)})",
            ["ref", "caption", "property", "old", "new"],
            [
                [", ".join(r.refs), r.caption, c.property, _values(c, "old"), _values(c, "new")]
                for r in d.amended
                for c in r.changes
            ],
        )
        counts = ", ".join(f"{p} {n}" for p, n in changed_properties(d).items())
        console.print(f"properties changed: {counts}", highlight=False, markup=False)


def _values(c: Change, side: str) -> str:
    values = c.old if side == "old" else c.new
    return "; ".join(v if len(v) <= 120 else v[:117] + "..." for v in values)


def register(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")
