"""Screening quality on the public name benchmark: nomenklatura's name_bench cases.

Each case is a pair of names with a schema and a label (match or not). Every matcher scores
every pair from the names alone; a pair is predicted a match at score >= the threshold
(0.7, the default of sanctrace's matcher and of name_bench's own harness). Prints precision,
recall and F1 for sanctrace's matcher and, side by side in the same run, nomenklatura's
logic-v2 and ofac algorithms when nomenklatura is installed (``pip install -e '.[bench]'``).

    .venv/bin/python benchmarks/screening_quality.py [--threshold 0.7] [--errors 20]

Data: benchmarks/data/nomenklatura_name_bench_cases.csv (see benchmarks/data/SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from uuid import uuid4

from sanctrace.screening.matcher import DEFAULT_THRESHOLD, match

CASES = Path(__file__).parent / "data" / "nomenklatura_name_bench_cases.csv"

Scorer = Callable[[str, str, str], float]


class Case(NamedTuple):
    group: str
    schema: str
    name1: str
    name2: str
    is_match: bool
    quality: str


def load_cases(path: Path = CASES) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Case(
                r["case_group"],
                r["schema"],
                r["name1"],
                r["name2"],
                r["is_match"].strip().lower() == "true",
                (r.get("quality") or "MEDIUM").strip().upper(),
            )
            for r in csv.DictReader(fh)
        ]


def sanctrace_scorer(name1: str, name2: str, schema: str) -> float:
    query = {"schema": schema, "properties": {"name": [name1]}}
    candidate = {"schema": schema, "properties": {"name": [name2]}}
    return match(query, candidate).score


def nomenklatura_scorer(algorithm: str) -> Scorer | None:
    try:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return None
    matcher = get_algorithm(algorithm)
    if matcher is None:
        return None
    config = matcher.default_config()

    def score(name1: str, name2: str, schema: str) -> float:
        schema_obj = model.get(schema)
        # fresh ids for every pair: nomenklatura caches per entity id
        query = ValueEntity(schema_obj, {"id": uuid4().hex})
        query.add("name", name1)
        candidate = ValueEntity(schema_obj, {"id": uuid4().hex})
        candidate.add("name", name2)
        return float(matcher.compare(query, candidate, config).score)

    return score


class Metrics(NamedTuple):
    tp: int
    fp: int
    tn: int
    fn: int
    seconds: float

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(
    scorer: Scorer, cases: list[Case], threshold: float
) -> tuple[Metrics, list[tuple[Case, float]]]:
    started = time.perf_counter()
    scored = [(case, scorer(case.name1, case.name2, case.schema)) for case in cases]
    seconds = time.perf_counter() - started
    tp = sum(1 for c, s in scored if c.is_match and s >= threshold)
    fp = sum(1 for c, s in scored if not c.is_match and s >= threshold)
    tn = sum(1 for c, s in scored if not c.is_match and s < threshold)
    fn = sum(1 for c, s in scored if c.is_match and s < threshold)
    errors = [(c, s) for c, s in scored if c.is_match != (s >= threshold)]
    return Metrics(tp, fp, tn, fn, seconds), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of ours")
    args = parser.parse_args()
    cases = load_cases()
    matchers: list[tuple[str, Scorer | None]] = [
        ("sanctrace", sanctrace_scorer),
        ("nomenklatura logic-v2", nomenklatura_scorer("logic-v2")),
        ("nomenklatura ofac", nomenklatura_scorer("ofac")),
    ]
    print(
        f"name_bench: {len(cases)} pairs ({sum(c.is_match for c in cases)} matches), "
        f"threshold {args.threshold}"
    )
    print("| matcher | precision | recall | F1 | TP | FP | TN | FN | pairs/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ours: list[tuple[Case, float]] = []
    for label, scorer in matchers:
        if scorer is None:
            print(f"| {label} | not installed (pip install -e '.[bench]') | | | | | | | |")
            continue
        metrics, errors = evaluate(scorer, cases, args.threshold)
        if label == "sanctrace":
            ours = errors
        rate = len(cases) / metrics.seconds if metrics.seconds else 0.0
        print(
            f"| {label} | {metrics.precision:.3f} | {metrics.recall:.3f} | {metrics.f1:.3f} "
            f"| {metrics.tp} | {metrics.fp} | {metrics.tn} | {metrics.fn} | {rate:,.0f} |"
        )
    for case, score in sorted(ours, key=lambda e: e[0].is_match)[: args.errors]:
        kind = "FN" if case.is_match else "FP"
        print(f"{kind} {score:.3f} {case.quality} {case.schema}: {case.name1!r} / {case.name2!r}")


if __name__ == "__main__":
    main()
