"""``trace``: follow stolen coins from seeds to the services where they left the attacker's
hands (see ``chain.tracing``)."""

from __future__ import annotations

from typing import Any

import typer

from sanctrace.chain import exposure as kyt
from sanctrace.chain.taint import MODELS
from sanctrace.chain.tracing import FundsTrace, is_account_chain, trace_funds, trace_json
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
    with ctx.obj.open() as ws, err_console.status(f"tracing on {chain} ({model})"):
        if json or is_account_chain(ws, chain):
            body = trace_json(
                ws,
                list(seeds),
                chain=chain,
                model=model,
                direction=direction,
                max_hops=max_hops,
                min_amount=min_amount,
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
        console.print(
            f"forward {body['model']} trace of {int(asset['seed_amount']):,} units of "
            f"{asset['asset']} on {body['chain']}: {len(asset['exits'])} exits, "
            f"{len(asset['unspent'])} unspent, fees {int(asset['fees']):,}"
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
    json: bool = JSON,
) -> None:
    """Where ADDRESS's coins came from (inbound) and went to (outbound), by service category,
    directly (one hop) and indirectly, weighted by tag confidence (haircut model)."""
    with ctx.obj.open() as ws, err_console.status(f"scoring {address} on {chain}"):
        found = kyt.exposure(ws, address, chain=chain, hops=hops)
    body = kyt.to_json(found)
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
        table(
            f"{side} exposure of {address} (received {int(part['received']):,})",
            ["reach", "category", "amount", "share", "weighted", "counterparties"],
            rows,
            right=["amount", "share", "weighted"],
        )


def register(app: typer.Typer) -> None:
    app.command("trace")(trace_cmd)
    app.command("exposure")(exposure_cmd)
