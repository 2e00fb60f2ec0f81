"""Crypto tracing over HTTP: ``/api/trace`` (``sanctrace trace --json``) and
``/api/exposure/{address}`` (``sanctrace exposure --json``), the same engines and the same
JSON as the CLI (``chain.tracing.to_json``, ``chain.exposure.to_json``). Amounts are integer
strings in the chain's native units (satoshi)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sanctrace.api.deps import Access
from sanctrace.chain import tracing
from sanctrace.chain.taint import Direction, Model

router = APIRouter(tags=["chain"])


@router.get("/trace", summary="Trace funds from seeds to their exits", name="api.trace")
def trace(
    access: Access,
    seed: Annotated[
        list[str],
        Query(
            description="A transaction hash, TXHASH:N output, address, or incident id with "
            "theft addresses; repeat for several seeds."
        ),
    ],
    chain: Annotated[str, Query(description="The chain (btc, bch, ltc, ...).")] = "btc",
    model: Annotated[Model, Query(description="The taint model.")] = "fifo",
    direction: Annotated[
        Direction, Query(description="forward: where the coins went; backward: where from.")
    ] = "forward",
    max_hops: Annotated[
        int | None, Query(description="Stop after this many transactions.", ge=1)
    ] = None,
    min_amount: Annotated[
        int, Query(description="Do not follow taint below this (native units).", ge=0)
    ] = 0,
) -> dict[str, Any]:
    """Exits (services where the traced coins left the attacker's hands, with amount and
    share of the seed amount), what is still unspent, fees, and the heaviest paths to each
    exit (``sanctrace trace SEED... --json``). An unknown seed or chain is a 400."""
    with access.reading() as ws:
        return tracing.trace_json(
            ws,
            seed,
            chain=chain,
            model=model,
            direction=direction,
            max_hops=max_hops,
            min_amount=min_amount,
        )


@router.get(
    "/exposure/{address}", summary="Exposure of an address by category", name="api.exposure"
)
def exposure(
    access: Access,
    address: str,
    chain: Annotated[str, Query(description="The chain (btc, bch, ltc, ...).")] = "btc",
    hops: Annotated[int, Query(description="How far indirect exposure reaches.", ge=1)] = 5,
    asset: Annotated[
        str | None,
        Query(description="Account chains: a token's contract (default: the chain's coin)."),
    ] = None,
    cluster: Annotated[
        bool, Query(description="Score the address's whole cluster (UTXO chains).")
    ] = False,
) -> dict[str, Any]:
    """Inbound (where the address's coins came from) and outbound (where they went)
    exposure to each service category, direct (one hop) and indirect, weighted by tag
    confidence, with the path behind each counterparty (haircut model; ``sanctrace exposure
    ADDRESS --json``; on an account chain, per asset). An address no output (account chain:
    no transfer of the asset) pays is a 400."""
    with access.reading() as ws:
        return tracing.exposure_json(
            ws, address, chain=chain, hops=hops, asset=asset, whole_cluster=cluster
        )
