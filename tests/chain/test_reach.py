"""The relational reachability stage, against a breadth-first search over the loaded graph,
and on Spark against DuckDB."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain.graph import load
from sanctrace.chain.reach import Direction, reachable
from sanctrace.workspace import Workspace

Generated = tuple[Path, dict[str, Any]]


@pytest.fixture(scope="module")
def ws(generated_chain: Generated) -> Iterator[Workspace]:
    with Workspace.open(generated_chain[0]) as opened:
        yield opened


def bfs(ws: Workspace, seed: str, direction: Direction, max_hops: int | None) -> set[str]:
    graph = load(ws, "btc").graph
    found, frontier, hops = {seed}, {seed}, 0
    while frontier and (max_hops is None or hops < max_hops):
        hops += 1
        step: set[str] = set()
        for tx_hash in frontier:
            tx = graph.tx(tx_hash)
            assert tx is not None
            if direction == "forward":
                step |= {s for o in tx.outputs if (s := graph.spender((tx_hash, o.n)))}
            else:
                step |= {i.spent_tx_hash for i in tx.inputs if i.spent_tx_hash}
        frontier = step - found
        found |= frontier
    return found


@pytest.mark.parametrize("direction", ["forward", "backward"])
@pytest.mark.parametrize("max_hops", [1, 3, None])
def test_equals_a_search_over_the_graph(
    ws: Workspace, generated_chain: Generated, direction: Direction, max_hops: int | None
) -> None:
    theft = generated_chain[1]["btc"]["theft"]["transactions"][0]
    assert reachable(ws, "btc", [theft], direction=direction, max_hops=max_hops) == bfs(
        ws, theft, direction, max_hops
    )


def test_more_hops_reach_more(ws: Workspace, generated_chain: Generated) -> None:
    theft = generated_chain[1]["btc"]["theft"]["transactions"][0]
    one = reachable(ws, "btc", [theft], max_hops=1)
    three = reachable(ws, "btc", [theft], max_hops=3)
    assert {theft} < one < three


@pytest.mark.spark
def test_spark_reaches_what_duckdb_reaches(generated_chain: Generated, tmp_path: Path) -> None:
    path = tmp_path / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    theft = generated_chain[1]["btc"]["theft"]["transactions"][0]
    spark = Workspace.open(path, backend="spark")
    with Workspace.open(path) as duck:
        for direction in ("forward", "backward"):
            for hops in (2, 6):
                assert reachable(
                    spark, "btc", [theft], direction=direction, max_hops=hops
                ) == reachable(duck, "btc", [theft], direction=direction, max_hops=hops)
