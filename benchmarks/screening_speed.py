"""Screening speed with the full UN list and the full OFAC SDN list loaded, on one core.

Loads the full UN Consolidated List (2024-09-26) and the full OFAC SDN list (2024-05-03, with
its alt/add companions) into a fresh workspace, then measures, pinned to one CPU core:

- index build: the first screening after a load prepares every party and writes the index
  file beside the workspace;
- cold start: wall time of a new ``sanctrace screen NAME --json`` process (index file present),
  the median and worst of five; and once without the file (first query after a load);
- latency: each query of the set screened one at a time in a process that has just opened
  the index file (so lazy reads count), p50 / p95 / p99 / max;
- batch: the same queries again through ``screen_many`` on the warm index (queries per second);
- side by side: nomenklatura's logic-v2 scoring the very candidate sets sanctrace retrieves
  for a sample of queries (pairs per second, and what that costs per query). logic-v2 has no
  retrieval of its own (yente uses Elasticsearch), so this compares the scoring stage only.

Queries: OpenSanctions' yente candidate-generation fixtures (UN names untreated and with
typos, and generated negatives), see benchmarks/data/SOURCES.md.

    .venv/bin/python benchmarks/screening_speed.py [--negatives 1000] [--json out.json]

logic-v2 needs ``pip install -e '.[bench]'``; without it that row says so.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from uuid import uuid4

from sanctrace.screening import index as index_mod
from sanctrace.screening import index_store
from sanctrace.screening.entity import QueryEntity, prepare
from sanctrace.screening.index import Index, get_index
from sanctrace.screening.matcher import DEFAULT_THRESHOLD
from sanctrace.screening.screen import query_entity, screen_entity, screen_many
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace

DATA = Path(__file__).parent / "data"
QUERIES = DATA / "yente_candidates"
LISTS = (
    ("un-list", "un_consolidated_2024-09-26.xml.gz", "un.xml"),
    ("ofac-sdn", "sdn.csv.gz", "sdn.csv"),
)
COMPANIONS = (("alt.csv.gz", "alt.csv"), ("add.csv.gz", "add.csv"))
"""Unpacked beside sdn.csv, where the ofac-sdn adapter looks for them."""


def pin_one_core() -> str:
    """Run on one CPU core (and say which), as the goals are per core."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity here)"


def unpack(tmp: Path) -> list[tuple[str, Path]]:
    for packed, name in COMPANIONS:
        with gzip.open(DATA / packed, "rb") as src, (tmp / name).open("wb") as dst:
            shutil.copyfileobj(src, dst)
    out = []
    for kind, packed, name in LISTS:
        with gzip.open(DATA / packed, "rb") as src, (tmp / name).open("wb") as dst:
            shutil.copyfileobj(src, dst)
        out.append((kind, tmp / name))
    return out


def load_queries(negatives: int) -> list[tuple[str, str]]:
    """(set name, query text) for every query."""
    out: list[tuple[str, str]] = []
    for label, name, limit in (
        ("UN untreated", "positives_un_untreated.csv", None),
        ("UN with typos", "positives_un_treated.csv", None),
        ("negatives", "negatives_global_2000.csv", negatives),
    ):
        with (QUERIES / name).open(encoding="utf-8", newline="") as fh:
            rows = [r["full_name"].strip() for r in csv.DictReader(fh) if r["full_name"].strip()]
        out.extend((label, q) for q in rows[:limit])
    return out


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def cold_start(ws_path: Path, runs: int = 5) -> list[float]:
    """Wall seconds of a new `sanctrace screen` process, pinned to one core."""
    exe = Path(sys.executable).with_name("sanctrace")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(exe), "--workspace", str(ws_path), "screen", "KIM Jong Un", "--json"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return times


def logic_v2(index: Index, queries: Sequence[QueryEntity]) -> dict[str, Any] | None:
    """logic-v2 scoring the candidate sets sanctrace retrieves for ``queries``."""
    try:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        return None
    config = algorithm.default_config()

    def entity(data: dict[str, Any]) -> Any:
        schema = model.get(data.get("schema") or "Thing") or model.get("Thing")
        assert schema is not None
        proxy = ValueEntity(schema, {"id": uuid4().hex})
        for prop, values in (data.get("properties") or {}).items():
            if prop in schema.properties:
                for value in values:
                    proxy.add(prop, value, quiet=True)
        return proxy

    pairs: list[tuple[Any, Any]] = []
    for query in queries:
        prepared = prepare(query.to_entity())
        q = entity(query.to_entity())
        pairs.extend((q, entity(dict(c.entry.prepared.entity))) for c in index.retrieve(prepared))
    seconds, _ = timed(lambda: [algorithm.compare(q, c, config) for q, c in pairs])
    return {"queries": len(queries), "pairs": len(pairs), "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--negatives", type=int, default=1000)
    parser.add_argument("--logic-v2-sample", type=int, default=100)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    pinned = pin_one_core()
    figures: dict[str, Any] = {"pinning": pinned, "threshold": DEFAULT_THRESHOLD}
    with tempfile.TemporaryDirectory(prefix="sanctrace-speed-") as tmp_name:
        tmp = Path(tmp_name)
        ws_path = tmp / "ws.duckdb"
        files = unpack(tmp)
        with Workspace.open(ws_path, create=True) as ws:
            for kind, path in files:
                seconds, _ = timed(partial(ingest, ws, kind, path))
                figures[f"ingest {kind} s"] = round(seconds, 1)
            build_s, index = timed(lambda: get_index(ws))
            figures["parties"] = len(index)
            figures["index build s"] = round(build_s, 2)
            fingerprint = index_mod.fingerprint(ws)
            index_file = index_mod.cache_path(ws)
        figures["index file MB"] = round(index_file.stat().st_size / 1e6, 1)
        cold = cold_start(ws_path)
        figures["cold start s (median of 5)"] = round(statistics.median(cold), 2)
        figures["cold start s (worst of 5)"] = round(max(cold), 2)

        queries = load_queries(args.negatives)
        # the fixtures are people (yente's PersonRecord): queried as Person, as a yente client does
        entities = [query_entity(q, "Person") for _, q in queries]
        store = index_store.load(index_file, fingerprint)
        if store is None:
            raise SystemExit("the index file was not written")
        lazy = Index(store)
        latencies: list[float] = []
        matched: dict[str, list[bool]] = {}
        for (label, _), entity in zip(queries, entities, strict=True):
            seconds, result = timed(partial(screen_entity, lazy, entity))
            latencies.append(seconds)
            matched.setdefault(label, []).append(bool(result.matches))
        figures["queries"] = len(queries)
        for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            figures[f"latency {name} ms"] = round(1000 * percentile(latencies, share), 1)
        slowest = max(range(len(latencies)), key=latencies.__getitem__)
        figures["latency max ms"] = round(1000 * latencies[slowest], 1)
        figures["slowest query"] = f"{queries[slowest][1]!r} (#{slowest + 1})"
        batch_s, _ = timed(lambda: screen_many(lazy, entities))
        figures["batch queries/s"] = round(len(entities) / batch_s, 1)
        for label, hits in matched.items():
            figures[f"{label}: share with a match"] = round(sum(hits) / len(hits), 3)

        sample = entities[:: max(1, len(entities) // args.logic_v2_sample)][: args.logic_v2_sample]
        ours_s, _ = timed(lambda: [screen_entity(lazy, e) for e in sample])
        theirs = logic_v2(lazy, sample)
        figures["sample queries"] = len(sample)
        figures["sanctrace ms/query on the sample"] = round(1000 * ours_s / len(sample), 1)
        if theirs is None:
            figures["logic-v2"] = "not installed (pip install -e '.[bench]')"
        else:
            figures["logic-v2 pairs"] = theirs["pairs"]
            figures["logic-v2 pairs/s"] = round(theirs["pairs"] / theirs["seconds"], 0)
            figures["logic-v2 ms/query on the same candidates"] = round(
                1000 * theirs["seconds"] / len(sample), 1
            )
    print("| measure | value |")
    print("|---|---:|")
    for key, value in figures.items():
        print(f"| {key} | {value} |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
