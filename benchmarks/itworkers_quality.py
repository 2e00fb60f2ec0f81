"""IT-worker red flags: precision and recall on a generated contractor population.

Generates a seeded population (``sanctrace.synthetic.itworkers``: ordinary freelancers,
DPRK-like workers planted in teams, innocent look-alikes), loads its four CSVs and photos
through the real adapters, runs ``itworkers.scan`` (no sanctions lists are loaded: ITW-13 and
ITW-14 are not measured here) and compares with the ground truth:

- overall: a worker is predicted DPRK-like when flagged (score >= FLAG_SCORE); precision,
  recall and F1 against the planted workers;
- per rule: recall is the share of workers the indicator was planted on that the rule fired
  for; precision is the share of workers the rule fired for that are DPRK-like (a look-alike
  firing is a false positive of that rule, by design of the population); ``lookalike fp``
  counts firings on look-alikes, ``other fp`` on ordinary workers.

    .venv/bin/python benchmarks/itworkers_quality.py [--workers 2000] [--seed 7] [--json]

The issue's floor: recall >= 0.90 at precision >= 0.90 overall.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sanctrace.itworkers import RULES, scan
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.itworkers import Config, generate
from sanctrace.workspace import Workspace

FILES = {
    "itw-profiles": "profiles.csv",
    "itw-logins": "logins.csv",
    "itw-payouts": "payouts.csv",
    "itw-clients": "clients.csv",
}


def measure(workers: int, seed: int, root: Path) -> dict[str, Any]:
    timings: dict[str, float] = {}
    t = time.perf_counter()
    truth = generate(Config(seed=seed, workers=workers), root / "pop")
    timings["generate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    with Workspace.open(root / "ws.duckdb", create=True) as ws:
        for kind, name in FILES.items():
            ingest(ws, kind, root / "pop" / name)
        timings["ingest_s"] = time.perf_counter() - t
        t = time.perf_counter()
        result = scan(ws, screen=False)
        timings["scan_s"] = time.perf_counter() - t
    people = truth["workers"]
    dprk = {w for w, v in people.items() if v["dprk"]}
    flagged = {w.worker_id for w in result.workers if w.flagged}
    tp = len(flagged & dprk)
    overall = _scores(tp, len(flagged), len(dprk))
    fired: dict[str, set[str]] = {r.id: set() for r in RULES}
    for w in result.workers:
        for r in w.rules:
            fired[r.rule_id].add(w.worker_id)
    per_rule = []
    for rule in RULES:
        planted = {w for w, v in people.items() if rule.id in v["planted"]}
        hits = fired[rule.id]
        look = {w for w in hits - dprk if people.get(w, {}).get("lookalike")}
        row = {
            "rule": rule.id,
            "title": rule.title,
            "planted": len(planted),
            "fired": len(hits),
            "recall": len(hits & planted) / len(planted) if planted else None,
            "precision": len(hits & dprk) / len(hits) if hits else None,
            "lookalike_fp": len(look),
            "other_fp": len(hits - dprk - look),
        }
        per_rule.append(row)
    return {
        "workers": len(people),
        "dprk": len(dprk),
        "lookalikes": sum(bool(v["lookalike"]) for v in people.values()),
        "flagged": len(flagged),
        "overall": overall,
        "per_rule": per_rule,
        "seed": seed,
        **{k: round(v, 2) for k, v in timings.items()},
    }


def _scores(tp: int, predicted: int, actual: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp}


def _f(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itw-bench-") as tmp:
        out = measure(args.workers, args.seed, Path(tmp))
    if args.json:
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    o = out["overall"]
    print(
        f"{out['workers']} workers ({out['dprk']} DPRK-like, {out['lookalikes']} look-alikes), "
        f"seed {out['seed']}: flagged {out['flagged']}; precision {o['precision']:.3f}, "
        f"recall {o['recall']:.3f}, F1 {o['f1']:.3f}"
    )
    print(f"generate {out['generate_s']} s, ingest {out['ingest_s']} s, scan {out['scan_s']} s\n")
    print("| rule | title | planted | fired | recall | precision | look-alike fp | other fp |")
    print("|---|---|--:|--:|--:|--:|--:|--:|")
    for r in out["per_rule"]:
        print(
            f"| {r['rule']} | {r['title']} | {r['planted']} | {r['fired']} | {_f(r['recall'])} "
            f"| {_f(r['precision'])} | {r['lookalike_fp']} | {r['other_fp']} |"
        )


if __name__ == "__main__":
    main()
