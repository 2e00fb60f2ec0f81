"""AIS detector speed: every detector over N positions, from the workspace.

Generates seeded synthetic AIS (``sanctrace.synthetic.ais``: the real Ever Given traffic,
copied and shifted in time until there are ``--positions`` positions, with the planted
events of each copy), writes it into a new DuckDB workspace (``ais_position`` and
``ais_static`` as the AIS adapters leave them; the adapters' own speed is
benchmarks/ais_speed.py) and times ``sanctrace ais detect``'s work step by step:
reading positions and static reports out of the workspace (the time filter and box are
pushed into the query; here there is none), building tracks, encounters (resampling, the
candidate join in Ibis on DuckDB, runs), loitering, gaps, draught changes, identity
anomalies: ``maritime.detect.detect`` itself, each step timed by its progress callback.
The issue's floor: all detectors over 10 M positions within 10 minutes on this 2-core
machine.

    .venv/bin/python benchmarks/ais_detect_speed.py [--positions 1000000] [--seed 1]
        [--json out.json] [--keep DIR]

``--keep DIR`` keeps the workspace in DIR/ais.duckdb and reuses it when it is there.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sanctrace.maritime import detect as detect_engine
from sanctrace.schema import table_schema
from sanctrace.synthetic.ais import Config, background, generate
from sanctrace.workspace import Workspace

PER_COPY = 33_800
"""About how many positions one copy of the background brings with its planted events."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def _arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    schema = table_schema(table).to_pyarrow()
    n = len(frame)
    columns: dict[str, pa.Array] = {}
    for field in schema:
        if field.name == "ts":
            ts = pd.to_datetime(frame["ts"], utc=True).dt.tz_localize(None)
            columns["ts"] = pa.array(ts.to_numpy(dtype="datetime64[us]"), type=field.type)
        elif field.name == "mmsi":
            columns["mmsi"] = pa.array(frame["mmsi"].astype(str).to_numpy(), type=field.type)
        elif field.name == "source_id":
            columns["source_id"] = pa.array(np.full(n, "bench:ais"), type=field.type)
        elif field.name == "line":
            columns["line"] = pa.array(np.arange(n, dtype=np.int64), type=field.type)
        elif field.name in frame:
            columns[field.name] = pa.array(frame[field.name], type=field.type, from_pandas=True)
        else:
            columns[field.name] = pa.nulls(n, type=field.type)
    return pa.table(columns, schema=schema)


def build_workspace(path: Path, positions: int, seed: int) -> dict[str, Any]:
    copies = max(1, math.ceil(positions / PER_COPY))
    log(f"generating {copies} copies of the background ({len(background()):,} positions each)")
    gen_s, generated = timed(lambda: generate(Config(seed=seed, copies=copies)))
    log(f"generated {len(generated.positions):,} positions in {gen_s:.0f} s; writing the workspace")
    with Workspace.open(path, create=True) as ws, ws.writing() as w:
        w.insert(
            "source",
            [
                {
                    "source_id": "bench:ais",
                    "uri": "benchmarks/ais_detect_speed.py",
                    "sha256": "0" * 64,
                    "adapter": "benchmark",
                    "adapter_version": "1",
                    "loaded_at": datetime.now(),
                    "rows_read": len(generated.positions),
                    "rows_quarantined": 0,
                }
            ],
        )
        step = 2_000_000
        for start in range(0, len(generated.positions), step):
            w.insert_arrow(
                "ais_position",
                _arrow("ais_position", generated.positions.iloc[start : start + step]),
            )
        w.insert_arrow("ais_static", _arrow("ais_static", generated.static))
    return {"copies": copies, "generate_s": round(gen_s, 1)}


def measure(path: Path) -> dict[str, Any]:
    """``maritime.detect.detect`` as ``sanctrace ais detect`` runs it, each step timed by
    its progress callback; the encounter join runs in the workspace's DuckDB."""
    marks: list[tuple[str, float]] = []

    def step(name: str) -> None:
        marks.append((name, time.perf_counter()))
        log(name)

    with Workspace.open(path) as ws:
        started = time.perf_counter()
        found = detect_engine.detect(ws, steps=step)
        finished = time.perf_counter()
    ends = [t for _, t in marks[1:]] + [finished]
    steps = {name: end - begun for (name, begun), end in zip(marks, ends, strict=True)}
    total = finished - started
    log(f"total {total:.0f} s")
    return {
        "positions": found.positions,
        "vessels": found.vessels,
        "jumps": found.jumps,
        "found": {
            "encounters": len(found.encounters),
            "loitering": len(found.loitering),
            "gaps": len(found.gaps),
            "draught": len(found.draught),
            "identity": len(found.identity),
        },
        "steps_s": {k: round(v, 1) for k, v in steps.items()},
        "total_s": round(total, 1),
        "positions_per_s": round(found.positions / total),
        "cpu_s": round(resource.getrusage(resource.RUSAGE_SELF).ru_utime, 1),
        "peak_mb": peak_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--positions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the workspace here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ais-detect-speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ais.duckdb"
    made: dict[str, Any] = {"reused": True}
    if not path.exists():
        made = build_workspace(path, args.positions, args.seed)
    result = {"requested_positions": args.positions, "seed": args.seed, **made, **measure(path)}
    print(
        f"{result['positions']:,} positions of {result['vessels']:,} vessels "
        f"({result['jumps']:,} impossible jumps set aside); found {result['found']}"
    )
    print("| step | seconds |")
    print("|---|---:|")
    for step, seconds in result["steps_s"].items():
        print(f"| {step} | {seconds:,.1f} |")
    print(f"| **all detectors** | **{result['total_s']:,.1f}** |")
    print(
        f"{result['positions_per_s']:,} positions/s; process CPU time {result['cpu_s']:,} s "
        f"(generation included when it ran); peak memory {result['peak_mb']:,} MB"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
