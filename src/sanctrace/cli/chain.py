"""``trace``: follow stolen coins from seeds to the services where they left the attacker's
hands (see ``chain.tracing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from sanctrace.chain.taint import MODELS

if TYPE_CHECKING:  # the tracing engine (numpy, scipy) is imported by the commands that run it
    from sanctrace.chain.tracing import FundsTrace
from sanctrace.cli.output import console, err_console, print_json, table

JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")


def trace_cmd(
    ctx: typer.Context,
    seeds: list[str] = typer.Argument(
        ...,
        help="Transaction hashes, TXHASH:N outputs, addresses, or incident ids with theft "
        "addresses.",
    ),
    chain: str = typer.Option("btc", "--chain", help="The chain (btc, bch, ltc, ...)."),
    model: str = typer.Option("fifo", "--model", help=f"Taint model: {', '.join(MODELS)}."),
    direction: str = typer.Option("forward", "--direction", help="forward or backward."),
    max_hops: int = typer.Option(None, "--max-hops", help="Stop after this many transactions."),
    min_amount: int = typer.Option(
        0, "--min-amount", help="Do not follow taint below this (native units)."
    ),
    json: bool = JSON,
) -> None:
    """Trace SEED... forward (where the coins went) or backward (where they came from); exits
    are addresses of services (tagged, in a tagged cluster, or exchange deposits swept into
    one). Amounts are exact, in native units (satoshi)."""
    from sanctrace.chain.tracing import is_account_chain, trace_funds, trace_json

    doing = f"tracing on {chain} ({model})"
    with ctx.obj.open() as ws, err_console.status(doing) as status:

        def steps(step: str) -> None:
            status.update(f"{doing}: {step} (once after each load)")

        if json or is_account_chain(ws, chain):
            body = trace_json(
                ws,
                list(seeds),
                chain=chain,
                model=model,
                direction=direction,
                max_hops=max_hops,
                min_amount=min_amount,
                steps=steps,
            )
            if json:
                print_json(body)
            else:
                _render_accounts(body)
            return
        found = trace_funds(
            ws,
            list(seeds),
            chain=chain,
            model=model,  # type: ignore[arg-type]  # checked by trace_funds
            direction=direction,  # type: ignore[arg-type]
            max_hops=max_hops,
            min_amount=min_amount,
            steps=steps,
        )
    _render(found)


def _render(t: FundsTrace) -> None:
    r = t.taint
    console.print(
        f"{r.direction} {r.model} trace of {r.seed_amount:,} units from {len(t.seeds)} "
        f"outputs on {t.chain}: {len(t.exits)} exits, {len(r.unspent)} unspent, fees "
        f"{r.fees:,}, dust {r.dust:,} ({t.clusters:,} clusters, {t.coinjoins} CoinJoins)"
    )
    table(
        "exits",
        ["amount", "share", "address", "service", "category", "evidence", "last seen"],
        [
            [
                f"{e.amount:,}",
                f"{float(e.share):.2%}",
                e.address,
                e.label,
                e.category,
                e.evidence,
                e.last_seen.isoformat() if e.last_seen else "",
            ]
            for e in t.exits
        ],
        right=["amount", "share"],
    )
    if r.unspent:
        table(
            "unspent (still on the attacker's side)",
            ["amount", "address"],
            [[f"{h.amount:,}", h.address or ""] for h in r.unspent],
            right=["amount"],
        )


def _render_accounts(body: dict[str, Any]) -> None:
    for asset in body["assets"]:
        left = (
            f"{len(asset['unspent'])} unspent, fees {int(asset['fees']):,}"
            if body["direction"] == "forward"
            else f"{len(asset['sources'])} sources from before the data"
        )
        console.print(
            f"{body['direction']} {body['model']} trace of {int(asset['seed_amount']):,} units "
            f"of {asset['asset']} on {body['chain']}: {len(asset['exits'])} exits, {left}"
        )
        table(
            f"exits ({asset['asset']})",
            ["amount", "share", "address", "service", "category", "evidence"],
            [
                [
                    f"{int(e['amount']):,}",
                    f"{e['share']:.2%}",
                    e["address"],
                    e["label"],
                    e["category"],
                    e["evidence"],
                ]
                for e in asset["exits"]
            ],
            right=["amount", "share"],
        )


def exposure_cmd(
    ctx: typer.Context,
    address: str = typer.Argument(..., help="The address to score."),
    chain: str = typer.Option("btc", "--chain", help="The chain (btc, bch, ltc, ...)."),
    hops: int = typer.Option(5, "--hops", help="How far indirect exposure reaches."),
    asset: str = typer.Option(
        None, "--asset", help="Account chains: a token's contract (default: the chain's coin)."
    ),
    cluster: bool = typer.Option(
        False, "--cluster", help="Score ADDRESS's whole cluster (what it received from others)."
    ),
    json: bool = JSON,
) -> None:
    """Where ADDRESS's coins came from (inbound) and went to (outbound), by service category,
    directly (one hop) and indirectly, weighted by tag confidence (haircut model)."""
    from sanctrace.chain.tracing import exposure_json

    doing = f"scoring {address} on {chain}"
    with ctx.obj.open() as ws, err_console.status(doing) as status:
        body = exposure_json(
            ws,
            address,
            chain=chain,
            hops=hops,
            asset=asset,
            whole_cluster=cluster,
            steps=lambda step: status.update(f"{doing}: {step} (once after each load)"),
        )
    if json:
        print_json(body)
        return
    for side in ("inbound", "outbound"):
        part = body[side]
        rows = [
            [reach, category, f"{int(r['amount']):,}", f"{r['share']:.2%}",
             f"{int(r['weighted']):,}", ", ".join(r["counterparties"])]
            for reach in ("direct", "indirect")
            for category, r in part[reach].items()
        ]  # fmt: skip
        unit = f" {body['asset']}" if "asset" in body else ""
        whose = f"the cluster of {address}" if body.get("scope") == "cluster" else address
        table(
            f"{side} exposure of {whose} (received {int(part['received']):,}{unit})",
            ["reach", "category", "amount", "share", "weighted", "counterparties"],
            rows,
            right=["amount", "share", "weighted"],
        )


def register(app: typer.Typer) -> None:
    app.command("trace")(trace_cmd)
    app.command("exposure")(exposure_cmd)
