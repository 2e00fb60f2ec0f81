"""``itworkers``: DPRK IT-worker red flags over contractor, log-in, payout and client CSVs.

``scan`` loads the files (each one's kind told from its header, or ``--kind``) into the
workspace and ranks every worker there by the rules that fired; ``rules`` prints the rule
table with the advisory and paragraph each rule rests on.
"""

from __future__ import annotations

from pathlib import Path

import typer

from sanctrace.cli.output import console, err_console, print_json, progress, table
from sanctrace.itworkers import FLAG_SCORE, rules_table, scan
from sanctrace.itworkers.scan import ScanResult
from sanctrace.sources.ingest import IngestResult, ingest
from sanctrace.sources.itw_common import SIGNATURES, detect_kind

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")

itworkers_app = typer.Typer(
    no_args_is_help=True,
    help="DPRK IT-worker red flags: scan contractor records, list the rules.",
)


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False, soft_wrap=True)


@itworkers_app.command("scan")
def scan_cmd(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="Profile, log-in, payout and client CSVs."),
    kind: str = typer.Option(
        None,
        "--kind",
        help=f"The kind of every FILE ({', '.join(SIGNATURES)}); default: told from each header.",
    ),
    screen: bool = typer.Option(
        True,
        "--screen/--no-screen",
        help="Screen names, emails, domains, wallets (ITW-13, ITW-14).",
    ),
    top: int = typer.Option(20, "--top", help="Workers shown in the table (JSON: all)."),
    json: bool = JSON,
) -> None:
    """Load FILE... and rank the workspace's workers by the red flags that fired, with the
    evidence rows behind each."""
    if kind is not None and kind not in SIGNATURES:
        raise typer.BadParameter(f"use one of {', '.join(SIGNATURES)}", param_hint="--kind")
    kinds = [(kind or detect_kind(f), f) for f in files]
    loaded: list[IngestResult] = []
    with ctx.obj.open(create=True, backend="duckdb") as ws:
        for k, f in kinds:
            with progress(f"{k} {f.name}") as advance:
                loaded.append(ingest(ws, k, f, progress=advance))
        with progress("running the rules; screening names, emails, wallets") as advance:
            result = scan(ws, screen=screen, progress=advance)
    if json:
        print_json({"loaded": loaded, "scan": result})
        return
    for r in loaded:
        state = "already loaded" if r.unchanged else f"{r.rows_read:,} rows read"
        quarantined = f", {r.rows_quarantined} quarantined" if r.rows_quarantined else ""
        err_console.print(f"{r.kind} {r.uri}: {state}{quarantined}", highlight=False, markup=False)
    _show(result, top)


def _show(result: ScanResult, top: int) -> None:
    screened = "screened against the lists" if result.screened else "not screened (no lists)"
    table(
        f"{result.flagged} of {result.workers_total} workers flagged (score >= {FLAG_SCORE}); "
        f"{len(result.workers)} with a red flag; {screened}",
        ["#", "worker", "name", "score", "flagged", "rules"],
        [
            [
                w.rank,
                w.worker_id,
                w.name,
                f"{w.score:.2f}",
                "yes" if w.flagged else "",
                " ".join(r.rule_id for r in w.rules),
            ]
            for w in result.workers[:top]
        ],
        right=["#", "score"],
    )
    for w in result.workers[:top]:
        if not w.flagged:
            continue
        _say(f"\n{w.rank}. {w.worker_id} {w.name or ''} (score {w.score:.2f})")
        for r in w.rules:
            rows = ", ".join(
                f"{e['table']} line {e['line']}" for e in r.evidence[:4] if e.get("line")
            )
            more = f" +{r.evidence_total - 4} more" if r.evidence_total > 4 else ""
            _say(f"   {r.rule_id} {r.title}: {r.detail}\n      evidence: {rows}{more}")
    if result.clients:
        table(
            f"{len(result.clients)} clients with a red flag",
            ["client", "rule", "detail"],
            [[c.client_id, r.rule_id, _first(r.detail)] for c in result.clients for r in c.rules],
        )


def _first(detail: str) -> str:
    """The first of a firing's details, and how many more there are."""
    parts = detail.split(" | ")
    return parts[0] + (f" (and {len(parts) - 1} more)" if len(parts) > 1 else "")


@itworkers_app.command("rules")
def rules_cmd(json: bool = JSON) -> None:
    """The red-flag rules, each with the advisory and paragraph it rests on, its weight and
    its parameters."""
    rows = rules_table()
    if json:
        print_json({"flag_score": FLAG_SCORE, "rules": rows})
        return
    table(
        f"{len(rows)} rules; a worker is flagged at a score of {FLAG_SCORE}",
        ["id", "rule", "weight", "advisory", "section", "url"],
        [[r["id"], r["title"], r["weight"], r["advisory"], r["section"], r["url"]] for r in rows],
        right=["weight"],
    )


def register(app: typer.Typer) -> None:
    app.add_typer(itworkers_app, name="itworkers")
