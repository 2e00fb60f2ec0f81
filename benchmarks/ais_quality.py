"""AIS detector quality: recall and precision per detector on planted events.

Generates seeded synthetic AIS (``sanctrace.synthetic.ais``: the real Ever Given traffic
copied ``--copies`` times, with encounters, loitering, gaps, draught changes, identity
anomalies and near-misses planted in the open eastern Mediterranean), runs every detector
(``maritime.detect.detect_frames``, GFW's default parameters) and scores the detections
against the truth (``synthetic.ais.score``): a detection matches a planted event of its kind
with the same vessels and overlapping times. What the detectors find in the background alone
(real traffic, nothing planted) is counted apart and left out of precision; planted
near-misses that are reported count as false positives. The issue's floor is 0.95 for each.

    .venv/bin/python benchmarks/ais_quality.py [--copies 5] [--seed 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sanctrace.maritime.detect import detect_frames
from sanctrace.synthetic.ais import Config, background_positions, generate, score

FLOOR = 0.95


def run(copies: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    generated = generate(Config(seed=seed, copies=copies))
    generated_s = time.perf_counter() - started
    started = time.perf_counter()
    found = detect_frames(generated.positions, generated.static)
    detect_s = time.perf_counter() - started
    real = detect_frames(background_positions(copies)).as_json()
    scores = score(found.as_json(), generated.truth, real)
    near = sum(1 for e in generated.truth["events"] if e["kind"].startswith("near-miss:"))
    return {
        "seed": seed,
        "copies": copies,
        "positions": len(generated.positions),
        "planted_events": len(generated.truth["events"]) - near,
        "near_misses": near,
        "generate_s": round(generated_s, 1),
        "detect_s": round(detect_s, 1),
        "detectors": scores,
        "floor": FLOOR,
        "pass": all(s["recall"] >= FLOOR and s["precision"] >= FLOOR for s in scores.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--copies", type=int, default=5, help="copies of the background")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    result = run(args.copies, args.seed)
    print(
        f"seed {result['seed']}, {result['copies']} copies: {result['positions']:,} positions, "
        f"{result['planted_events']} planted events, {result['near_misses']} near-misses; "
        f"detection {result['detect_s']} s"
    )
    print(
        "| detector | planted | found | matched | false positives | background "
        "| recall | precision |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in result["detectors"].items():
        print(
            f"| {name} | {s['planted']} | {s['found']} | {s['matched']} | {s['false_positives']} "
            f"| {s['background']} | {s['recall']:.3f} | {s['precision']:.3f} |"
        )
    print(f"floor {FLOOR} on recall and precision: {'met' if result['pass'] else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
