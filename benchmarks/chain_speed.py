"""Chain tracing speed and clustering quality on a generated bitcoin chain.

Generates a seeded synthetic bitcoin chain (``sanctrace.synthetic.chain``, bitcoin only),
loads it through the real adapters and measures, each step timed:

- generate: the bitcoin-etl files, the TagPacks and the ground truth;
- ingest: ``bitcoin-etl`` (transactions and blocks) and ``tagpack``, transactions/s and rows/s;
- load: ``graph.load`` (the workspace's rows into the engines' transactions);
- clustering: sanctrace's ``cluster()`` whole (CoinJoin detection, change guesses, edges,
  components), and on one multi-input edge list (the edges ``cluster()`` builds, CoinJoins
  left out) the component step alone three ways: sanctrace's ``connected_labels``,
  ``scipy.sparse.csgraph.connected_components`` and networkx ``connected_components``, each
  graph built from the same arrays (build and components timed apart);
- clustering quality: pairwise precision and recall of the clusters against the generator's
  ownership truth, over the addresses that appear in transactions, from the cluster x owner
  contingency counts (a pair in one cluster is a true positive when one owner holds both);
- trace: a full forward haircut and FIFO trace from the theft transaction (``trace_funds``,
  no hop limit), end to end (it loads and clusters the chain itself) and the taint step
  alone; beside it networkx's reachability (``descendants`` of the theft transaction in the
  transaction DAG built from the same rows), the nearest networkx does to "the same task";
- exposure: ``exposure(ws, address)`` over a seeded sample of output addresses, p50/p95. As
  shipped it reloads and reclusters the chain on every call, so the calls stop after
  ``--exposure-budget`` seconds; then the same function again with the loaded chain, the
  clustering and the attribution computed once (patched in here, not a product feature), which
  is what "after precomputation" means.

    .venv/bin/python benchmarks/chain_speed.py [--transactions 100000] [--seed 7]
        [--json out.json] [--keep DIR]

The issue's sizes are ``--transactions 1000000`` and ``--transactions 10000000`` (the 10M
chain takes about 17 GB of bitcoin-etl JSON and hours here). ``--keep DIR`` keeps the
generated files in DIR/chain and the workspace in DIR/ws.duckdb and reuses what is there (a
reused step is reported as such, not timed). networkx is skipped above 1M transactions
(``--networkx-max``): its graphs of Python dicts take minutes and gigabytes there. A trace
that runs past ``--step-limit`` seconds (default 600; ``trace_funds`` gets twice the load and
clustering time on top) is stopped and reported as stopped; the exposure loops stop after
``--exposure-budget`` and ``--exposure-budget-precomputed`` seconds and report how many calls
they made.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from sanctrace.chain import exposure as exposure_mod
from sanctrace.chain import taint
from sanctrace.chain.attribution import attribute
from sanctrace.chain.clustering import ClusterConfig, Clustering, cluster, connected_labels
from sanctrace.chain.coinjoin import Tx as ClusterTx
from sanctrace.chain.graph import Chain, load
from sanctrace.chain.tracing import resolve_seeds, trace_funds
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.chain import Config, generate
from sanctrace.workspace import Workspace

DUST = 10_000
"""A haircut variant stops following taint below this many satoshi (0.0001 BTC)."""


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class OverLimit(Exception):
    """A step ran past ``--step-limit`` seconds."""


def limited(func: Callable[[], Any], limit: float) -> tuple[float, Any]:
    """``timed(func)``, stopped after ``limit`` seconds (SIGALRM; the loops are pure Python,
    so the signal lands between two bytecodes): (seconds, None) when stopped."""

    def stop(*_: Any) -> None:
        raise OverLimit

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        value = func()
        return time.perf_counter() - started, value
    except OverLimit:
        return time.perf_counter() - started, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def edge_list(txs: Sequence[ClusterTx], found: Clustering) -> tuple[int, np.ndarray, np.ndarray]:
    """The multi-input edges ``cluster()`` builds (a star from each transaction's smallest
    input address; CoinJoins left out), over address ids in sorted order."""
    addresses = sorted(found.cluster_of)
    ids = {a: i for i, a in enumerate(addresses)}
    left: list[int] = []
    right: list[int] = []
    for tx in txs:
        if tx.tx_hash in found.coinjoins:
            continue
        spent = sorted({ids[i.address] for i in tx.inputs if i.address is not None})
        left.extend([spent[0]] * (len(spent) - 1) if spent else [])
        right.extend(spent[1:])
    return len(addresses), np.asarray(left, np.int64), np.asarray(right, np.int64)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two labellings of the same vertices group them the same way."""
    pairs = np.unique(np.stack([a, b]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))


def pair_count(counts: Any) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def quality(cluster_of: dict[str, str], ownership: dict[str, str]) -> dict[str, Any]:
    """Pairwise precision and recall from contingency counts (no pairs enumerated)."""
    known = [a for a in cluster_of if a in ownership]
    cells = Counter((cluster_of[a], ownership[a]) for a in known)
    clusters = Counter(cluster_of[a] for a in known)
    owners = Counter(ownership[a] for a in known)
    tp = pair_count(cells.values())
    predicted, actual = pair_count(clusters.values()), pair_count(owners.values())
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    wrong: Counter[str] = Counter()  # cluster -> pairs of two owners in it
    for (c, _), v in cells.items():
        wrong[c] -= v * (v - 1) // 2
    for c, size in clusters.items():
        wrong[c] += size * (size - 1) // 2
    worst = wrong.most_common(1)[0][0] if wrong else None
    mix = Counter(ownership[a] for a in known if cluster_of[a] == worst)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "addresses": len(known),
        "addresses without an owner in the truth": len(cluster_of) - len(known),
        "clusters": len(clusters),
        "owners": len(owners),
        "pairs in one cluster": predicted,
        "pairs of one owner": actual,
        "true positive pairs": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "F1": round(f1, 4),
        "worst cluster: addresses, wrong pairs": f"{clusters.get(worst, 0):,}, {wrong[worst]:,}"
        if worst
        else "",
        "worst cluster: owners (addresses)": ", ".join(f"{o} ({v})" for o, v in mix.most_common(4)),
    }


@contextmanager
def precomputed(chain: Chain, found: Clustering, services: Any) -> Iterator[None]:
    """``exposure()`` with its load, clustering and attribution done once, beforehand."""
    saved = (exposure_mod.load, exposure_mod.cluster, exposure_mod.attribute)
    exposure_mod.load = lambda *_a, **_k: chain  # type: ignore[assignment]
    exposure_mod.cluster = lambda *_a, **_k: found  # type: ignore[assignment]
    exposure_mod.attribute = lambda *_a, **_k: services  # type: ignore[assignment]
    try:
        yield
    finally:
        exposure_mod.load, exposure_mod.cluster, exposure_mod.attribute = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) files and workspace here")
    parser.add_argument("--exposure-sample", type=int, default=50)
    parser.add_argument(
        "--exposure-budget", type=float, default=300.0, help="seconds for as-shipped calls"
    )
    parser.add_argument(
        "--exposure-budget-precomputed",
        type=float,
        default=300.0,
        help="seconds for calls after precomputation",
    )
    parser.add_argument("--networkx-max", type=int, default=1_000_000)
    parser.add_argument(
        "--step-limit", type=float, default=600.0, help="stop a trace after this many seconds"
    )
    args = parser.parse_args()
    n = args.transactions
    figures: dict[str, Any] = {
        "transactions requested": n,
        "seed": args.seed,
        "cores": os.cpu_count(),
        "step limit s": args.step_limit,
        "load average at start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    base = args.keep or Path(tempfile.mkdtemp(prefix="sanctrace-chain-"))
    base.mkdir(parents=True, exist_ok=True)
    out, ws_path = base / "chain", base / "ws.duckdb"
    try:
        run(args, figures, out, ws_path)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print("| measure | value |")
    print("|---|---:|")
    for key, value in figures.items():
        shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        print(f"| {key} | {shown} |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def run(args: argparse.Namespace, figures: dict[str, Any], out: Path, ws_path: Path) -> None:
    n, use_nx = args.transactions, args.transactions <= args.networkx_max
    truth_file = out / "truth.json"
    if truth_file.exists():
        figures["generate s"] = "reused"
    else:
        log("generate")
        seconds, _ = timed(lambda: generate(Config(args.seed, n, "btc"), out))
        figures["generate s"] = round(seconds, 1)
        figures["generate tx/s"] = round(n / seconds)
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    btc = truth["btc"]
    figures["transactions written"] = btc["transactions"]

    fresh = not ws_path.exists()
    with Workspace.open(ws_path, create=True) as ws:
        if fresh:
            log("ingest")
            rows = 0
            total = 0.0
            for kind, path in (
                ("bitcoin-etl", out / "btc" / "transactions.json"),
                ("bitcoin-etl", out / "btc" / "blocks.json"),
                *(("tagpack", p) for p in sorted((out / "tagpacks").glob("*.yaml"))),
            ):
                seconds, result = timed(lambda k=kind, p=path: ingest(ws, k, p))
                total += seconds
                rows += sum(result.tables.values())
                if path.name == "transactions.json":
                    figures["ingest transactions.json s"] = round(seconds, 1)
                    figures["ingest tx/s"] = round(btc["transactions"] / seconds)
                    figures["ingest rows (tx, inputs, outputs)"] = sum(result.tables.values())
                    figures["ingest rows/s"] = round(sum(result.tables.values()) / seconds)
                    figures["ingest quarantined"] = result.rows_quarantined
            figures["ingest all files s (blocks, tagpacks too)"] = round(total, 1)
        else:
            figures["ingest s"] = "reused workspace"

        log("load")
        seconds, chain = timed(lambda: load(ws, "btc"))
        figures["load (graph.load) s"] = round(seconds, 1)
        seconds, txs = timed(chain.for_clustering)
        figures["for_clustering s"] = round(seconds, 1)

        log("cluster")
        seconds, found = timed(lambda: cluster(txs, ClusterConfig()))
        figures["cluster() whole s"] = round(seconds, 2)
        figures["addresses"] = len(found.cluster_of)
        figures["clusters"] = len(found.sizes)
        figures["coinjoins left out"] = len(found.coinjoins)
        figures["coinjoins in the truth"] = len(btc["coinjoins"])
        vertices, left, right = edge_list(txs, found)
        figures["multi-input edges"] = len(left)
        seconds, ours = timed(lambda: connected_labels(vertices, left, right))
        figures["components: sanctrace connected_labels s"] = round(seconds, 3)
        compare_scipy(figures, vertices, left, right, ours)
        if use_nx:
            compare_networkx(figures, vertices, left, right, ours)
        else:
            figures["components: networkx"] = f"skipped above {args.networkx_max:,} transactions"

        log("quality")
        ownership = btc["ownership"]
        for key, value in quality(found.cluster_of, ownership).items():
            figures[f"quality (multi-input): {key}"] = value
        _, with_change = timed(lambda: cluster(txs, ClusterConfig(change_threshold=0.6)))
        for key in ("clusters", "precision", "recall", "F1"):
            value = quality(with_change.cluster_of, ownership)[key]
            figures[f"quality (+ change >= 0.6): {key}"] = value

        trace(figures, ws, chain, found, btc, use_nx)
        exposures(args, figures, ws, chain, found)


def compare_scipy(
    figures: dict[str, Any], n: int, left: np.ndarray, right: np.ndarray, ours: np.ndarray
) -> None:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ones = np.ones(len(left), dtype=np.int8)
    seconds, matrix = timed(lambda: coo_matrix((ones, (left, right)), shape=(n, n)).tocsr())
    figures["components: scipy build (csr) s"] = round(seconds, 3)
    seconds, (_count, labels) = timed(lambda: connected_components(matrix, directed=False))
    figures["components: scipy connected_components s"] = round(seconds, 3)
    figures["components: same partition as scipy"] = same_partition(ours, labels)
    figures["components: sanctrace / scipy (components step)"] = round(
        figures["components: sanctrace connected_labels s"] / max(seconds, 1e-9), 2
    )


def compare_networkx(
    figures: dict[str, Any], n: int, left: np.ndarray, right: np.ndarray, ours: np.ndarray
) -> None:
    import networkx as nx

    def build() -> Any:
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
        return graph

    seconds, graph = timed(build)
    figures["components: networkx build s"] = round(seconds, 2)
    seconds, parts = timed(lambda: list(nx.connected_components(graph)))
    figures["components: networkx connected_components s"] = round(seconds, 2)
    labels = np.empty(n, dtype=np.int64)
    for i, part in enumerate(parts):
        labels[list(part)] = i
    figures["components: same partition as networkx"] = same_partition(ours, labels)


def trace(
    figures: dict[str, Any],
    ws: Workspace,
    chain: Chain,
    found: Clustering,
    btc: dict[str, Any],
    use_nx: bool,
) -> None:
    theft = btc["theft"]["transactions"][0]
    truth_exits = sum(e["amount"] for e in btc["assets"]["BTC"]["exits"])
    figures["theft: stolen sat"] = btc["assets"]["BTC"]["stolen"]
    figures["theft: truth exits sat"] = truth_exits
    services = attribute(chain, found, ws)
    outpoints = resolve_seeds(ws, chain, [theft])
    limit = figures["step limit s"]
    # trace_funds loads and clusters first: the limit is on top of that
    overhead = 2 * sum(
        figures[k] for k in ("load (graph.load) s", "for_clustering s", "cluster() whole s")
    )
    for model, dust in (("fifo", 0), ("haircut", 0), ("haircut", DUST)):
        name = model if not dust else f"{model} min_amount {dust:,} sat"
        log(f"trace {name}")
        seconds, result = limited(
            lambda m=model, d=dust: taint.trace(
                chain.graph, outpoints, m, min_amount=d, is_exit=services.label
            ),
            limit,
        )
        if result is None:
            figures[f"trace {name}: taint step alone s"] = f"stopped at {seconds:.0f} (limit)"
            figures[f"trace {name}: trace_funds end to end s"] = "not run (taint step over limit)"
            continue
        figures[f"trace {name}: taint step alone s"] = round(seconds, 2)
        figures[f"trace {name}: exits"] = len(result.exits)
        figures[f"trace {name}: sat reaching exits"] = sum(e.amount for e in result.exits)
        seconds, done = limited(
            lambda m=model, d=dust: trace_funds(ws, [theft], model=m, min_amount=d),
            limit + overhead,
        )
        figures[f"trace {name}: trace_funds end to end s"] = (
            round(seconds, 1) if done is not None else f"stopped at {seconds:.0f} (limit)"
        )
    if not use_nx:
        figures["reachability: networkx"] = "skipped (size)"
        return
    import networkx as nx

    log("networkx reachability")

    def build() -> Any:
        dag = nx.DiGraph()
        dag.add_nodes_from(tx.tx_hash for tx in chain.txs)
        dag.add_edges_from(
            (i.spent_tx_hash, tx.tx_hash) for tx in chain.txs for i in tx.inputs if i.spent_tx_hash
        )
        return dag

    seconds, dag = timed(build)
    figures["reachability: networkx DAG build s"] = round(seconds, 1)
    seconds, reached = timed(lambda: nx.descendants(dag, theft))
    figures["reachability: networkx descendants s"] = round(seconds, 2)
    figures["reachability: transactions downstream of the theft"] = len(reached)


def exposures(
    args: argparse.Namespace,
    figures: dict[str, Any],
    ws: Workspace,
    chain: Chain,
    found: Clustering,
) -> None:
    paid = sorted({o.address for tx in chain.txs for o in tx.outputs if o.address is not None})
    sample = random.Random(args.seed).sample(paid, min(args.exposure_sample, len(paid)))
    shipped: list[float] = []
    spent = 0.0
    log("exposure as shipped")
    for address in sample:
        if spent > args.exposure_budget:
            break
        seconds, _ = timed(lambda a=address: exposure_mod.exposure(ws, a))
        shipped.append(seconds)
        spent += seconds
    figures["exposure as shipped: calls"] = len(shipped)
    figures["exposure as shipped: p50 ms"] = round(1000 * statistics.median(shipped))
    figures["exposure as shipped: p95 ms"] = round(1000 * percentile(shipped, 0.95))
    log("exposure precomputed")
    seconds, services = timed(lambda: attribute(chain, found, ws))
    figures["exposure precomputation (attribute; load and cluster above) s"] = round(seconds, 2)
    warm: list[float] = []
    with precomputed(chain, found, services):
        for address in sample:
            if sum(warm) > args.exposure_budget_precomputed:
                break
            seconds, _ = timed(lambda a=address: exposure_mod.exposure(ws, a))
            warm.append(seconds)
    figures["exposure precomputed: calls"] = len(warm)
    figures["exposure precomputed: p50 ms"] = round(1000 * statistics.median(warm), 1)
    figures["exposure precomputed: p95 ms"] = round(1000 * percentile(warm, 0.95), 1)
    figures["exposure precomputed: max ms"] = round(1000 * max(warm), 1)


if __name__ == "__main__":
    main()
