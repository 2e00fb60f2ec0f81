"""``phish``: analyse email messages, group campaigns, export indicators.

``phish lookalikes`` comes from ``cli/phish_lookalikes.py`` (the lookalike engine's own
commands), added to this group.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sanctrace.cli.output import console, err_console, print_json, progress, table
from sanctrace.errors import InputError

if TYPE_CHECKING:  # the engines are imported by the commands that run them (fast start-up)
    from sanctrace.phishing.campaigns import Campaign

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
ALL = typer.Option(False, "--all", help="Messages analysed as clean (and never analysed) too.")

phish_app = typer.Typer(
    no_args_is_help=True,
    help="Phishing emails: analyse messages, group campaigns, export indicators.",
)


@phish_app.command("analyze")
def analyze_cmd(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help=".eml or Outlook .msg files."),
    json: bool = JSON,
    no_store: bool = typer.Option(
        False, "--no-store", help="Analyse only: do not ingest into the workspace."
    ),
    brands: Path = typer.Option(
        None, "--brands", help="CSV of protected brands (brand,domain,aliases); default bundled."
    ),
) -> None:
    """Analyse each message feature by feature: verdict phishing | suspicious | clean, the
    score and the features behind it, URLs, domains, attachments, lookalike domains. The files
    are ingested into the workspace (messages, URLs, hops, hashes, verdicts) unless
    --no-store."""
    from sanctrace.phishing.brands import load_brands
    from sanctrace.phishing.store import analyse_files

    brand_list = load_brands(brands)
    with progress("analysing", total=len(files)) as advance:
        if no_store:
            batch = analyse_files(files, None, brand_list, progress=advance)
        else:
            with ctx.obj.open(backend="duckdb") as ws:
                batch = analyse_files(files, ws, brand_list, progress=advance)
    if json:
        print_json(batch.to_dict())
    else:
        for m in batch.messages:
            console.print(
                f"{m.label}: {m.verdict} (score {m.score:g})", highlight=False, markup=False
            )
            table(
                None,
                ["feature", "weight", "evidence"],
                [[f.name, f"{f.weight:g}", f.evidence] for f in m.features],
                right=["weight"],
            )
            if m.urls:
                table(
                    None,
                    ["url", "domain", "where", "shows"],
                    [
                        [
                            u.url,
                            u.domain,
                            u.origin + (" defanged" if u.defanged else ""),
                            u.anchor_text,
                        ]
                        for u in m.urls
                    ],
                )
            if m.attachments:
                table(
                    None,
                    ["attachment", "type", "bytes", "sha256", "macros"],
                    [
                        [a.filename, a.content_type, a.size, a.sha256, "yes" if a.macros else ""]
                        for a in m.attachments
                    ],
                    right=["bytes"],
                )
    for e in batch.errors:
        err_console.print(f"error: {e['file']}: {e['reason']}", highlight=False, markup=False)
    if batch.errors:
        raise typer.Exit(2)


@phish_app.command("campaigns")
def campaigns_cmd(
    ctx: typer.Context,
    attribute_to: tuple[str, str] | None = typer.Option(
        None,
        "--attribute",
        metavar="CAMPAIGN ACTOR",
        help="Attribute CAMPAIGN to ACTOR (any alias in the incident registry).",
    ),
    analyst: str = typer.Option(None, "--analyst", help="Who attributes (default: $USER)."),
    note: str = typer.Option(None, "--note", help="Why (kept with the attribution)."),
    all_: bool = ALL,
    json: bool = JSON,
) -> None:
    """Messages that share sending IPs, link domains, attachment hashes or body templates,
    grouped into campaigns with the shared keys as evidence."""
    from sanctrace.phishing import campaigns as campaigns_engine

    campaign, actor = attribute_to or (None, None)
    with ctx.obj.open(backend="duckdb" if campaign else None) as ws:
        if campaign and actor:
            who = analyst or os.environ.get("USER") or "unknown"
            made = campaigns_engine.attribute(ws, campaign, actor, who, note, include_clean=all_)
            if json:
                print_json(made.to_dict())
            else:
                console.print(
                    f"{made.campaign_id}: attributed to {made.actor_name} by {who}",
                    highlight=False,
                    markup=False,
                )
            return
        found = campaigns_engine.find_campaigns(ws, include_clean=all_)
    if json:
        print_json({"campaigns": [c.to_dict() for c in found]})
        return
    table(
        f"{len(found)} campaigns",
        ["campaign", "messages", "first seen", "last seen", "shared", "actor"],
        [_row(c) for c in found],
        right=["messages"],
    )


def _row(c: Campaign) -> list[object]:
    shared = "; ".join(f"{k}: {', '.join(v[:3])}" for k, v in c.evidence.items())
    return [
        c.campaign_id,
        len(c.members),
        f"{c.first_seen:%Y-%m-%d %H:%M}" if c.first_seen else "",
        f"{c.last_seen:%Y-%m-%d %H:%M}" if c.last_seen else "",
        shared,
        c.actor_name or "",
    ]


@phish_app.command("export")
def export_cmd(
    ctx: typer.Context,
    format_: str = typer.Option(..., "--format", help="stix (STIX 2.1 bundle) or misp (event)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    all_: bool = ALL,
    json: bool = typer.Option(True, "--json", help="JSON (the only output; for symmetry)."),
) -> None:
    """The indicators of the messages analysed as phishing or suspicious: senders, URLs,
    domains, sending IPs, attachment hashes, campaigns (STIX)."""
    from sanctrace.exports import dumps
    from sanctrace.exports.phishing import misp_event, stix_bundle

    if format_ not in ("stix", "misp"):
        raise InputError("--format", f"{format_!r}: use stix or misp")
    with ctx.obj.open() as ws:
        doc = stix_bundle(ws, all_) if format_ == "stix" else misp_event(ws, all_)
    text = dumps(doc)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    err_console.print(f"wrote {output}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    from sanctrace.cli.phish_lookalikes import add_commands

    add_commands(phish_app)
    app.add_typer(phish_app, name="phish")
