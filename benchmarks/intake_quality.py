"""Evidence intake quality: precision and recall per claim type on hand-labelled real excerpts.

Runs ``sanctrace.intake.extract`` on every file that tests/fixtures/intake/excerpts/labels.jsonl
names (65 public news and report excerpts on DPRK cyber theft, sanctions and shipping, plus
the seed report) and matches the claims to the labels (``sanctrace.intake.quality``: same
type, same normalised value, equal text or overlapping span). The floor of issue 7 is
precision and recall >= 0.90 for every claim type.

    .venv/bin/python benchmarks/intake_quality.py [--json] [--errors] [--labels FILE]

``--errors`` lists every miss (FN) and every claim no label wanted (FP), by file. The
excerpts' sources are in tests/fixtures/intake/excerpts/manifest.csv; the labelling guideline
is in docs/intake.md.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sanctrace.intake import default_gazetteer, extract
from sanctrace.intake.claims import CLAIM_TYPES
from sanctrace.intake.quality import FileResult, Score, evaluate, scores

LABELS = Path(__file__).parents[1] / "tests" / "fixtures" / "intake" / "excerpts" / "labels.jsonl"
FLOOR = 0.90


def table(
    results: list[FileResult], table_scores: dict[str, Score], setup: float, seconds: float
) -> str:
    labels = sum(len(r.matched) + len(r.misses) for r in results)
    lines = [
        f"{len(results)} files, {labels} labels; setup (gazetteer, country names) {setup:.2f} s, "
        f"reading, extraction and matching {seconds:.2f} s",
        "| type | labels | claims | TP | FP | FN | precision | recall | floor 0.90 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in [*CLAIM_TYPES, "all"]:
        s = table_scores[name]
        ok = "ok" if min(s.precision, s.recall) >= FLOOR else "BELOW"
        lines.append(
            f"| {name} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {s.fp} | {s.fn} "
            f"| {s.precision:.3f} | {s.recall:.3f} | {ok if name != 'all' else ''} |"
        )
    return "\n".join(lines)


def errors(results: list[FileResult]) -> str:
    lines = []
    for r in results:
        for label in r.misses:
            lines.append(f"FN {r.file}: {label.type} {label.text!r} = {label.value!r} {label.unit}")
        for c in r.false_positives:
            lines.append(
                f"FP {r.file}: {c.type} {c.text!r} = {c.value!r} {c.unit} ({c.rule}) {c.span}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list every miss and false claim")
    args = parser.parse_args()
    started = time.perf_counter()
    gazetteer = default_gazetteer()
    extract("North Korea", gazetteer=gazetteer)  # loads rigour's country names once
    setup = time.perf_counter() - started
    started = time.perf_counter()
    results = evaluate(args.labels, gazetteer)
    seconds = time.perf_counter() - started
    table_scores = scores(results)
    if args.json:
        figures = {
            "files": len(results),
            "labels": sum(len(r.matched) + len(r.misses) for r in results),
            "setup_seconds": round(setup, 3),
            "seconds": round(seconds, 3),
            "floor": FLOOR,
            "types": {
                name: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                }
                for name, s in table_scores.items()
            },
        }
        print(json.dumps(figures, indent=2))
    else:
        print(table(results, table_scores, setup, seconds))
    if args.errors:
        print(errors(results))


if __name__ == "__main__":
    main()
