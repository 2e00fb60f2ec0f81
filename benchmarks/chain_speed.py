"""Chain tracing speed and clustering quality on a generated bitcoin chain.

Generates a seeded synthetic bitcoin chain (``sanctrace.synthetic.chain``, bitcoin only),
loads it through the real adapters and measures, each step timed:

- generate: the bitcoin-etl files, the TagPacks and the ground truth;
- ingest: ``bitcoin-etl`` (transactions and blocks) and ``tagpack``, transactions/s;
- store: ``store.build`` (the chain as columns, with its multi-input clusters), once after a
  load, and opening it again in a new process (what every later CLI call pays);
- clustering: on the multi-input edge list the store's clustering builds (CoinJoins left
  out), the component step three ways: sanctrace's ``connected_labels``,
  ``scipy.sparse.csgraph.connected_components`` and networkx ``connected_components``, each
  from the same arrays; and the store's whole clustering (CoinJoin candidates and detection,
  edges, components) against scipy's build plus components;
- clustering quality: pairwise precision and recall against the generator's ownership truth,
  from the cluster x owner contingency counts;
- trace: full forward FIFO, haircut and poison traces from the theft transaction
  (``trace_funds``, no hop limit), in a process that has the store open; beside it networkx's
  reachability (``descendants`` of the theft in the transaction DAG built from the same
  arrays), the nearest networkx does to the same task (it has no taint model);
- exposure: ``exposure_index`` built once (the precomputation), then ``exposure(ws,
  address)`` over a seeded sample of addresses, p50 and p95.

    .venv/bin/python benchmarks/chain_speed.py [--transactions 100000] [--seed 7]
        [--json out.json] [--keep DIR]

The issue's sizes are ``--transactions 1000000`` and ``--transactions 10000000``. ``--keep
DIR`` keeps the generated files in DIR/chain and the workspace in DIR/ws.duckdb and reuses
what is there (a reused step is reported as such). The bitcoin-etl transactions may be one
``transactions.json`` or several ``transactions-part-*.json`` (a 10M chain is 17 GB of JSON:
split it with ``split -l 1000000``; each part is ingested as its own file, as exports by block
range are). networkx is skipped above ``--networkx-max`` transactions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sanctrace.chain import exposure, exposure_index, parties, store, views
from sanctrace.chain.clustering import connected_labels
from sanctrace.chain.tracing import trace_funds
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.chain import Config, generate
from sanctrace.workspace import Workspace


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "addresses": len(known),
        "clusters": len(clusters),
        "owners": len(owners),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "F1": round(f1, 4),
    }


def edge_list(s: store.Store) -> tuple[int, np.ndarray, np.ndarray]:
    """The multi-input edges of ``store.cluster_arrays`` (each transaction's first input
    address to its others; the store's CoinJoins left out), over address ids."""
    n_in = np.diff(s.tx_in)
    in_tx = np.repeat(np.arange(s.n_tx), n_in)
    left_out = np.zeros(s.n_tx, bool)
    for tx_hash in s.coinjoins:
        idx = s.tx_id(tx_hash)
        if idx is not None:
            left_out[idx] = True
    usable = (s.in_addr >= 0) & ~left_out[in_tx]
    tx_of, addr_of = in_tx[usable], s.in_addr[usable]
    first = np.full(s.n_tx, -1, np.int64)
    rev = np.arange(len(tx_of) - 1, -1, -1)
    first[tx_of[rev]] = addr_of[rev]
    left, right = first[tx_of], addr_of
    keep = left != right
    return s.n_addresses, left[keep], right[keep]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) files and workspace here")
    parser.add_argument("--exposure-sample", type=int, default=200)
    parser.add_argument("--networkx-max", type=int, default=1_000_000)
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "transactions requested": args.transactions,
        "seed": args.seed,
        "cores": os.cpu_count(),
        "load average at start": round(os.getloadavg()[0], 2),
    }
    base = args.keep or Path(tempfile.mkdtemp(prefix="sanctrace-chain-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        run(args, figures, base / "chain", base / "ws.duckdb")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    figures["load average at end"] = round(os.getloadavg()[0], 2)
    print("| measure | value |")
    print("|---|---:|")
    for key, value in figures.items():
        shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        print(f"| {key} | {shown} |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def run(args: argparse.Namespace, figures: dict[str, Any], out: Path, ws_path: Path) -> None:
    n = args.transactions
    truth_file = out / "truth.json"
    if truth_file.exists():
        figures["generate s"] = "reused"
    else:
        log("generate")
        seconds, _ = timed(lambda: generate(Config(args.seed, n, "btc"), out))
        figures["generate s"] = round(seconds, 1)
    btc = json.loads(truth_file.read_text(encoding="utf-8"))["btc"]
    figures["transactions written"] = btc["transactions"]
    if not ws_path.exists():
        ingest_all(figures, out, ws_path, btc["transactions"])
    else:
        figures["ingest"] = "reused workspace"
    with Workspace.open(ws_path) as ws:
        built = build_store(figures, ws)
        clustering(figures, built, btc, n <= args.networkx_max)
        traces(figures, ws, built, btc, n <= args.networkx_max)
        exposures(args, figures, ws)
    cold_process(figures, ws_path, btc)


def ingest_all(figures: dict[str, Any], out: Path, ws_path: Path, n_tx: int) -> None:
    log("ingest")
    parts = sorted((out / "btc").glob("transactions-part-*.json")) or [
        out / "btc" / "transactions.json"
    ]
    total = 0.0
    with Workspace.open(ws_path, create=True) as ws:
        for path in parts:
            seconds, _ = timed(lambda p=path: ingest(ws, "bitcoin-etl", p))
            total += seconds
        figures["ingest transactions s"] = round(total, 1)
        figures["ingest files"] = len(parts)
        figures["ingest tx/s"] = round(n_tx / total)
        for path in [out / "btc" / "blocks.json", *sorted((out / "tagpacks").glob("*.yaml"))]:
            ingest(ws, "tagpack" if path.suffix == ".yaml" else "bitcoin-etl", path)


def build_store(figures: dict[str, Any], ws: Workspace) -> store.Store:
    log("store")
    shutil.rmtree(store.store_path(ws, "btc"), ignore_errors=True)
    store._CACHE.clear()
    before = peak_mb()
    seconds, built = timed(lambda: store.get_store(ws, "btc"))
    figures["store build s (once after a load)"] = round(seconds, 1)
    figures["store build: process peak memory MB"] = max(before, peak_mb())
    folder = store.store_path(ws, "btc")
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    figures["store on disk MB"] = size >> 20
    figures["addresses"] = built.n_addresses
    figures["clusters"] = built.clusters
    figures["coinjoins left out"] = len(built.coinjoins)
    return built


def clustering(
    figures: dict[str, Any], built: store.Store, btc: dict[str, Any], nx_ok: bool
) -> None:
    log("clustering")
    n_in = np.diff(built.tx_in)
    in_tx = np.repeat(np.arange(built.n_tx), n_in)
    arrays = dict(built.arrays)
    seconds, (labels, _) = timed(lambda: store.cluster_arrays(arrays, in_tx))
    figures["clustering whole (store.cluster_arrays) s"] = round(seconds, 2)
    vertices, left, right = edge_list(built)
    figures["multi-input edges"] = len(left)
    seconds, ours = timed(lambda: connected_labels(vertices, left, right))
    figures["components: sanctrace connected_labels s"] = round(seconds, 3)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ones = np.ones(len(left), dtype=np.int8)
    build_s, matrix = timed(
        lambda: coo_matrix((ones, (left, right)), shape=(vertices, vertices)).tocsr()
    )
    comp_s, (_, theirs) = timed(lambda: connected_components(matrix, directed=False))
    figures["components: scipy build (csr) s"] = round(build_s, 3)
    figures["components: scipy connected_components s"] = round(comp_s, 3)
    figures["components: same partition as scipy"] = same_partition(ours, theirs)
    # connected_labels builds its graph from the edge arrays itself: compare it with
    # scipy's build plus components, the same work
    figures["components step: sanctrace / scipy (build + components)"] = round(
        figures["components: sanctrace connected_labels s"] / max(build_s + comp_s, 1e-9), 2
    )
    figures["clustering whole / scipy (build + components)"] = round(
        figures["clustering whole (store.cluster_arrays) s"] / max(build_s + comp_s, 1e-9), 2
    )
    figures["same clusters as the store"] = bool((labels == built.addr_cluster).all())
    if nx_ok:
        import networkx as nx

        def nx_build() -> Any:
            graph = nx.Graph()
            graph.add_nodes_from(range(vertices))
            graph.add_edges_from(zip(left.tolist(), right.tolist(), strict=True))
            return graph

        seconds, graph = timed(nx_build)
        figures["components: networkx build s"] = round(seconds, 2)
        seconds, _ = timed(lambda: list(nx.connected_components(graph)))
        figures["components: networkx connected_components s"] = round(seconds, 2)
    log("quality")
    cluster_of = dict(store.ClusterMap(built))
    for key, value in quality(cluster_of, btc["ownership"]).items():
        figures[f"quality (multi-input): {key}"] = value


def traces(
    figures: dict[str, Any], ws: Workspace, built: store.Store, btc: dict[str, Any], nx_ok: bool
) -> None:
    theft = str(btc["theft"]["transactions"][0])
    figures["theft: stolen sat"] = btc["assets"]["BTC"]["stolen"]
    figures["theft: truth exits sat"] = sum(e["amount"] for e in btc["assets"]["BTC"]["exits"])
    log("services")
    view = views.utxo(ws, "btc")
    seconds, _ = timed(lambda: parties.get_parties(view.store, view.services))
    figures["services of every address (parties, once after a load) s"] = round(seconds, 1)
    for model in ("fifo", "haircut", "poison"):
        log(f"trace {model}")
        seconds, found = timed(lambda m=model: trace_funds(ws, [theft], model=m))
        figures[f"trace {model}: trace_funds s"] = round(seconds, 2)
        figures[f"trace {model}: exits"] = len(found.exits)
        figures[f"trace {model}: sat reaching exits"] = sum(e.amount for e in found.exits)
    if not nx_ok:
        figures["reachability: networkx"] = "skipped (size)"
        return
    import networkx as nx

    log("networkx reachability")
    linked = built.in_spent >= 0
    in_tx = np.repeat(np.arange(built.n_tx), np.diff(built.tx_in))

    def dag_build() -> Any:
        dag = nx.DiGraph()
        dag.add_nodes_from(range(built.n_tx))
        dag.add_edges_from(
            zip(built.out_tx[built.in_spent[linked]].tolist(), in_tx[linked].tolist(), strict=True)
        )
        return dag

    seconds, dag = timed(dag_build)
    figures["reachability: networkx DAG build s"] = round(seconds, 1)
    start = built.tx_id(theft)
    seconds, reached = timed(lambda: nx.descendants(dag, start))
    figures["reachability: networkx descendants s"] = round(seconds, 2)
    figures["reachability: transactions downstream of the theft"] = len(reached)


def exposures(args: argparse.Namespace, figures: dict[str, Any], ws: Workspace) -> None:
    log("exposure index")
    view = views.utxo(ws, "btc")
    seconds, _ = timed(lambda: exposure_index.get_index(view.store, view.services))
    figures["exposure precomputation (exposure_index, once after a load) s"] = round(seconds, 1)
    rng = random.Random(args.seed)
    sample: list[str] = []
    while len(sample) < min(args.exposure_sample, view.store.n_addresses):
        address = view.store.address(rng.randrange(view.store.n_addresses))
        if address is not None:
            sample.append(address)
    log("exposure look-ups")
    times = [timed(lambda a=a: exposure.exposure(ws, a))[0] for a in sample]
    figures["exposure look-ups"] = len(times)
    figures["exposure p50 ms"] = round(1000 * statistics.median(times), 1)
    figures["exposure p95 ms"] = round(1000 * percentile(times, 0.95), 1)
    figures["exposure max ms"] = round(1000 * max(times), 1)


def cold_process(figures: dict[str, Any], ws_path: Path, btc: dict[str, Any]) -> None:
    """A new process: open the workspace, the saved store, and run a FIFO trace (what a
    ``sanctrace trace`` call costs after the first)."""
    log("cold process")
    theft = str(btc["theft"]["transactions"][0])
    code = (
        "import time; t = time.perf_counter()\n"
        "from sanctrace.workspace import Workspace\n"
        "from sanctrace.chain.tracing import trace_funds\n"
        f"ws = Workspace.open({str(ws_path)!r})\n"
        f"trace_funds(ws, [{theft!r}], model='fifo')\n"
        "print(time.perf_counter() - t)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    figures["new process: open the store and trace (FIFO) s"] = round(float(result.stdout), 1)


if __name__ == "__main__":
    main()
