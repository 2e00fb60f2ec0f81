"""Which transactions a trace can reach: the relational stage before the taint arithmetic.

A trace from a theft only ever touches the transactions downstream of it (forward) or
upstream (backward), within the hop limit. Finding them is a join per hop between the
frontier and ``chain_input`` (forward: inputs that spend the frontier's outputs; backward:
the transactions the frontier's inputs spend), written in Ibis so that it runs on DuckDB and,
for chains that outgrow one machine, on Spark (``Workspace.open(..., backend="spark")``).
It is the relational half of the split DESIGN.md describes (a relational stage selects, a
compact kernel computes); ``trace`` does not use it yet, because clustering needs the whole
chain until clusters are precomputed (docs/design.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import ibis

from sanctrace.workspace import Workspace

Direction = Literal["forward", "backward"]


def reachable(
    ws: Workspace,
    chain: str,
    seeds: Iterable[str],
    *,
    direction: Direction = "forward",
    max_hops: int | None = None,
) -> set[str]:
    """The seed transactions and every transaction reachable from them in ``direction``
    within ``max_hops`` (None: until nothing new is found)."""
    inputs = ws.table("chain_input")
    inputs = inputs.filter((inputs.chain == chain) & inputs.spent_tx_hash.notnull())
    found = set(seeds)
    frontier = set(found)
    hops = 0
    while frontier and (max_hops is None or hops < max_hops):
        hops += 1
        edge = ibis.memtable({"hash": sorted(frontier)})
        if direction == "forward":
            step = inputs.join(edge, inputs.spent_tx_hash == edge.hash).select(tx=inputs.tx_hash)
        else:
            step = inputs.join(edge, inputs.tx_hash == edge.hash).select(tx=inputs.spent_tx_hash)
        column = step.distinct().to_pyarrow().column("tx").to_pylist()
        frontier = {h for h in column if h is not None} - found
        found |= frontier
    return found
