"""Screening quality on the DPRK parties: seeded variants of every listed name and identifier,
and hard negatives (see ``sanctrace.synthetic.name_variants``).

Builds the bundled workspace in a temporary directory (what ``sanctrace init`` loads: the DPRK
entries of the UN list, the OFAC SDN list and OFAC's crypto addresses), generates the queries
from a fixed seed and screens each one with sanctrace at the threshold (default 0.7). A
positive counts as found when its party is among the matches; a negative counts as a false
positive when anything matches. Side by side: nomenklatura's logic-v2 scores each query of a
stratified seeded sample against every party of the same schema family (brute force, no
index: how it scores after retrieval in yente), with the same threshold.

    .venv/bin/python benchmarks/screening_dprk.py [--seed 20261124] [--sample 150]
        [--errors 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanctrace.data import DEFAULTS, bundled
from sanctrace.screening.entity import QueryEntity
from sanctrace.screening.index import Index, get_index
from sanctrace.screening.matcher import DEFAULT_THRESHOLD
from sanctrace.screening.screen import screen, screen_entity
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic import name_variants as nv
from sanctrace.synthetic.parties import listed_parties
from sanctrace.workspace import Workspace

SEED = 20261124
KINDS = (*nv.POSITIVE_KINDS, *nv.NEGATIVE_KINDS)

TOP = 10
"""Scores kept per query for the error listing (the expected party's is always kept)."""


@dataclass(frozen=True)
class Outcome:
    """What a matcher scored for one query: entity id -> score (the best ``TOP`` and the
    expected party's), and the captions of those."""

    scores: dict[str, float]
    captions: dict[str, str]

    def matched(self, threshold: float) -> frozenset[str]:
        return frozenset(k for k, v in self.scores.items() if v >= threshold)


Screener = Callable[[nv.Query], Outcome]


def _outcome(query: nv.Query, scored: list[tuple[str, float, str]]) -> Outcome:
    scored.sort(key=lambda s: -s[1])
    kept = scored[:TOP] + [s for s in scored[TOP:] if s[0] == query.expected]
    return Outcome({k: v for k, v, _ in kept}, {k: c for k, _, c in kept})


def sanctrace_screener(index: Index) -> Screener:
    """sanctrace's screening as a user calls it; threshold 0 so that every scored candidate
    comes back (the threshold is applied in ``evaluate``)."""

    def run(query: nv.Query) -> Outcome:
        if query.field == "query":
            result = screen(index, query.text, query.schema, threshold=0.0, limit=len(index))
        else:
            entity = QueryEntity(schema=query.schema, identifiers={query.field: [query.text]})
            result = screen_entity(index, entity, 0.0, limit=len(index))
        return _outcome(query, [(m.entity_id, m.score, m.caption) for m in result.matches])

    return run


_FAMILY = {"Company": "Organization", "LegalEntity": "Organization"}
_PROPERTY = {"imo": "imoNumber", "crypto": "publicKey"}


def logic_v2_screener(parties: Sequence[nv.Party]) -> Screener | None:
    """Brute force: the query against every party of its schema family with logic-v2."""
    try:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return None
    matcher = get_algorithm("logic-v2")
    if matcher is None:
        return None
    config = matcher.default_config()
    schema_of = {p.entity_id: p.schema for p in parties}
    families: dict[str, list[Any]] = defaultdict(list)
    for party in parties:
        party_schema = model.get(party.schema)
        if party_schema is None:
            continue
        candidate = ValueEntity(party_schema, {"id": party.entity_id})
        candidate.add("name", list(party.names))
        for prop, value in party.identifiers:
            candidate.add(prop, value)
        families[_FAMILY.get(party.schema, party.schema)].append(candidate)
    counter = iter(range(10**9))

    def run(query: nv.Query) -> Outcome:
        # the family of the expected party where the query states no schema (IMO, wallet)
        schema = query.schema or schema_of.get(query.expected or "", "Thing")
        schema_obj = model.get(schema)
        prop = _PROPERTY.get(query.kind, query.field if query.field != "query" else "name")
        if schema_obj is None or schema_obj.get(prop) is None:
            return Outcome({}, {})
        entity = ValueEntity(schema_obj, {"id": f"q{next(counter)}"})
        entity.add(prop, query.text)
        family = families[_FAMILY.get(schema, schema)]
        return _outcome(
            query,
            [(c.id, float(matcher.compare(entity, c, config).score), c.caption) for c in family],
        )

    return run


@dataclass
class Tally:
    """Per kind: queries, hits (positives found / negatives matched) and the errors."""

    queries: int = 0
    hits: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.hits / self.queries if self.queries else 0.0


def evaluate(
    screener: Screener, queries: Sequence[nv.Query], threshold: float
) -> tuple[dict[str, Tally], list[tuple[nv.Query, Outcome]]]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    errors: list[tuple[nv.Query, Outcome]] = []
    for query in queries:
        started = time.perf_counter()
        outcome = screener(query)
        tally = tallies[query.kind]
        tally.seconds += time.perf_counter() - started
        tally.queries += 1
        ids = outcome.matched(threshold)
        hit = query.expected in ids if query.expected else bool(ids)
        tally.hits += hit
        if hit != bool(query.expected):
            errors.append((query, outcome))
    return tallies, errors


def figures(tallies: dict[str, Tally]) -> dict[str, Any]:
    def total(kinds: Sequence[str]) -> dict[str, float]:
        q = sum(tallies[k].queries for k in kinds if k in tallies)
        h = sum(tallies[k].hits for k in kinds if k in tallies)
        return {"queries": q, "hits": h, "rate": h / q if q else 0.0}

    return {
        "kinds": {
            k: {"queries": t.queries, "hits": t.hits, "rate": t.rate, "seconds": t.seconds}
            for k, t in tallies.items()
        },
        "recall": total(nv.POSITIVE_KINDS),
        "fpr": total(nv.NEGATIVE_KINDS),
        "hangul_recall": total(["hangul"]),
        "exact_recall": total(["exact"]),
        "identifier_recall": total(nv.IDENTIFIER_KINDS),
        "seconds": sum(t.seconds for t in tallies.values()),
    }


def stratified_sample(queries: Sequence[nv.Query], per_kind: int, seed: int) -> list[nv.Query]:
    by_kind: dict[str, list[nv.Query]] = defaultdict(list)
    for query in queries:
        by_kind[query.kind].append(query)
    rng = random.Random(seed)
    sample: list[nv.Query] = []
    for kind in KINDS:
        pool = by_kind.get(kind, [])
        sample += pool if len(pool) <= per_kind else rng.sample(pool, per_kind)
    return sample


def _cell(t: dict[str, Any] | None) -> str:
    if not t or not t["queries"]:
        return "-"
    return f"{t['rate']:.3f} ({t['hits']}/{t['queries']})"


def print_table(columns: list[tuple[str, dict[str, Any]]]) -> None:
    print("| kind | " + " | ".join(label for label, _ in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for kind in KINDS:
        cells = [_cell(f["kinds"].get(kind)) for _, f in columns]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    for key, label in (
        ("recall", "**recall, all positives**"),
        ("hangul_recall", "**Hangul recall**"),
        ("exact_recall", "**exact names recall**"),
        ("identifier_recall", "**identifier recall**"),
        ("fpr", "**false-positive rate**"),
    ):
        print(f"| {label} | " + " | ".join(_cell(f[key]) for _, f in columns) + " |")
    print("| seconds | " + " | ".join(f"{f['seconds']:.0f}" for _, f in columns) + " |")


def print_errors(
    label: str, errors: list[tuple[nv.Query, Outcome]], per_kind: int, threshold: float
) -> None:
    shown: dict[str, int] = defaultdict(int)
    for query, outcome in errors:
        what = "FP" if query.expected is None else "miss"
        key = f"{query.kind}:{what}"
        if shown[key] >= per_kind:
            continue
        shown[key] += 1
        others = [(v, k) for k, v in outcome.scores.items() if k != query.expected]
        best = max(others, default=(0.0, ""))
        found = f"best other {best[0]:.2f} {outcome.captions.get(best[1], '')!r}"
        if query.expected:
            found = f"expected scored {outcome.scores.get(query.expected, 0.0):.2f}; {found}"
        print(f"{label} {what} [{query.kind}] {query.text!r} <- {query.source!r}: {found}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--negatives", type=int, default=1500)
    parser.add_argument(
        "--sample", type=int, default=150, help="queries per kind for logic-v2 (0: skip it)"
    )
    parser.add_argument("--errors", type=int, default=0, help="misses and FPs shown per kind")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Workspace.open(Path(tmp) / "sanctrace.duckdb", create=True) as ws,
    ):
        for kind, rel in DEFAULTS:
            ingest(ws, kind, bundled(rel), uri=f"sanctrace:data/{rel}")
        parties = listed_parties(ws)
        index = get_index(ws)
    generated = nv.generate(parties, seed=args.seed, negative_count=args.negatives)
    queries = generated.queries
    print(
        f"DPRK screening benchmark: seed {args.seed}, threshold {args.threshold}, "
        f"{len(parties)} parties, {len(queries)} queries "
        f"({sum(q.expected is not None for q in queries)} positives); names not rendered: "
        f"{dict(generated.skipped)}; set up in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    ours = sanctrace_screener(index)
    tallies, errors = evaluate(ours, queries, args.threshold)
    ours_all = figures(tallies)
    columns: list[tuple[str, dict[str, Any]]] = [("sanctrace, all queries", ours_all)]
    theirs_errors: list[tuple[nv.Query, Outcome]] = []
    report: dict[str, Any] = {
        "seed": args.seed,
        "threshold": args.threshold,
        "parties": len(parties),
        "skipped": dict(generated.skipped),
        "sanctrace": ours_all,
    }
    logic_v2 = logic_v2_screener(parties) if args.sample else None
    if args.sample and logic_v2 is None:
        print("logic-v2: not installed (pip install -e '.[bench]')", file=sys.stderr)
    if logic_v2 is not None:
        sample = stratified_sample(queries, args.sample, args.seed)
        sample_ids = {id(q) for q in sample}
        ours_sample = figures(
            evaluate(ours, [q for q in queries if id(q) in sample_ids], args.threshold)[0]
        )
        print(f"logic-v2: {len(sample)} sampled queries, brute force ...", file=sys.stderr)
        logic_v2(nv.Query("Kim Jong Un", "Person", None, "warm-up", ""))  # model loading
        theirs_tallies, theirs_errors = evaluate(logic_v2, sample, args.threshold)
        theirs = figures(theirs_tallies)
        columns += [("sanctrace, sample", ours_sample), ("logic-v2, sample", theirs)]
        report |= {"sample_per_kind": args.sample, "sanctrace_sample": ours_sample}
        report["logic_v2_sample"] = theirs
    print_table(columns)
    if args.errors:
        print_errors("sanctrace", errors, args.errors, args.threshold)
        print_errors("logic-v2", theirs_errors, args.errors, args.threshold)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
