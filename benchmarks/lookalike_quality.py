"""Lookalike-domain detection quality: recall on generated and real lookalikes of the protected
exchange brands, false-positive rate on real unrelated domains.

- **generated**: ``sanctrace.synthetic.lookalike_domains`` makes ``--per-brand`` lookalikes of
  each bundled brand domain (homoglyph, ASCII homoglyph, typo, combo, combo-typo, tld-swap,
  brand-in-subdomain), by code independent of dnstwist; recall per technique.
- **real**: ``tests/fixtures/phishing/real_lookalikes.csv``: 113 phishing domains that public
  blocklists and reports name as impersonating an exchange (each row has its source URL);
  recall per brand.
- **unrelated**: ``benchmarks/data/hsts_preload_hosts.txt.gz``, the 161,019 host names of the
  Chromium HSTS preload list (hstspreload 2025.1.1); real sites, almost all unrelated to the
  exchanges. A host that a brand owns (coinbase.com, kraken.com) is never flagged and is
  counted apart; every other host flagged is a false positive, the brands' other sites too
  (krakenfutures.com), since the list of protected domains does not name them.

A domain is detected when ``lookalikes.match_domain`` reports the labelled brand domain at
the default threshold (``lookalikes.MIN_SCORE``). Offline. Prints a table; ``--json FILE``
writes the figures.

    .venv/bin/python benchmarks/lookalike_quality.py [--per-brand 60] [--seed 7]
        [--limit N] [--json out.json] [--errors 10]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sanctrace.phishing import lookalikes
from sanctrace.synthetic.lookalike_domains import generate

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "phishing" / "real_lookalikes.csv"
UNRELATED = ROOT / "benchmarks" / "data" / "hsts_preload_hosts.txt.gz"


def detected(m: lookalikes.Matcher, domain: str, brand_domain: str) -> bool:
    return any(hit.brand_domain == brand_domain for hit in m.match(domain))


def recall(
    m: lookalikes.Matcher, labelled: list[tuple[str, str, str]]
) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str, str]]]:
    """(found, total) per group, and the misses; ``labelled`` is (domain, brand, group)."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for domain, brand_domain, group in labelled:
        total[group] += 1
        if detected(m, domain, brand_domain):
            found[group] += 1
        else:
            misses.append((domain, brand_domain, group))
    return {g: (found[g], total[g]) for g in sorted(total)}, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-brand", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None, help="first N unrelated hosts")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--errors", type=int, default=10, help="misses and FPs to list")
    args = parser.parse_args(argv)

    brands = lookalikes.default_brands()
    m = lookalikes.matcher(brands)
    t0 = time.perf_counter()
    for target in m.targets:  # generate every brand's permutations up front, timed apart
        target.generated()
    index_s = time.perf_counter() - t0

    made = generate(brands, args.per_brand, args.seed)
    gen_groups, gen_misses = recall(m, [(g.domain, g.brand_domain, g.technique) for g in made])
    with REAL.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    brand_of = {b.domain: b.name for b in brands}
    real_groups, real_misses = recall(
        m, [(r["domain"], r["brand_domain"], brand_of[r["brand_domain"]]) for r in rows]
    )

    with gzip.open(UNRELATED, "rt", encoding="utf-8") as f:
        hosts = [line.strip() for line in f if line.strip()]
    hosts = hosts[: args.limit] if args.limit else hosts
    t0 = time.perf_counter()
    flagged: list[lookalikes.Lookalike] = []
    owned = 0
    for n, host in enumerate(hosts, 1):
        if m.is_legitimate(host):
            owned += 1
        else:
            hits = m.match(host)
            if hits:
                flagged.append(hits[0])
        if n % 20000 == 0:
            print(f"  unrelated: {n:,} of {len(hosts):,}", file=sys.stderr)
    scan_s = time.perf_counter() - t0
    negatives = len(hosts) - owned

    def total(groups: dict[str, tuple[int, int]]) -> tuple[int, int]:
        return sum(f for f, _ in groups.values()), sum(t for _, t in groups.values())

    gen_found, gen_total = total(gen_groups)
    real_found, real_total = total(real_groups)
    figures: dict[str, Any] = {
        "threshold": lookalikes.MIN_SCORE,
        "brands": len(brands),
        "generated": {
            "recall": gen_found / gen_total,
            "found": gen_found,
            "total": gen_total,
            "by_technique": gen_groups,
            "seed": args.seed,
            "per_brand": args.per_brand,
        },
        "real": {
            "recall": real_found / real_total,
            "found": real_found,
            "total": real_total,
            "by_brand": real_groups,
            "misses": real_misses,
        },
        "unrelated": {
            "hosts": len(hosts),
            "owned_by_brands": owned,
            "negatives": negatives,
            "false_positives": len(flagged),
            "fp_rate": len(flagged) / negatives if negatives else 0.0,
            "by_kind": dict(Counter(h.kind for h in flagged)),
            "flagged": [(h.domain, h.brand_domain, h.kind, h.score) for h in flagged],
            "hosts_per_s": len(hosts) / scan_s if scan_s else 0.0,
        },
        "permutation_index_s": index_s,
    }

    print(f"lookalike detection at score >= {lookalikes.MIN_SCORE}, {len(brands)} brand domains")
    print()
    print(f"{'set':<34} {'found':>7} {'of':>7} {'recall':>8}")
    for name, (found, tot) in gen_groups.items():
        print(f"{'generated: ' + name:<34} {found:>7,} {tot:>7,} {found / tot:>8.3f}")
    print(f"{'generated, all':<34} {gen_found:>7,} {gen_total:>7,} {gen_found / gen_total:>8.3f}")
    for name, (found, tot) in real_groups.items():
        print(f"{'real: ' + name:<34} {found:>7,} {tot:>7,} {found / tot:>8.3f}")
    real_recall = real_found / real_total
    print(f"{'real, all':<34} {real_found:>7,} {real_total:>7,} {real_recall:>8.3f}")
    print()
    rate = len(flagged) / negatives if negatives else 0.0
    print(
        f"unrelated (HSTS preload list): {len(hosts):,} hosts, {owned:,} owned by the brands, "
        f"{len(flagged):,} of {negatives:,} flagged: false-positive rate {rate:.5f} "
        f"({rate * 100:.3f}%)"
    )
    print(f"  flagged by kind: {dict(Counter(h.kind for h in flagged))}")
    print(
        f"speed: permutation index {index_s:.1f} s once; "
        f"{len(hosts) / scan_s:,.0f} unrelated hosts/s"
    )
    if args.errors:
        print()
        print("real lookalikes missed:", ", ".join(d for d, _, _ in real_misses) or "none")
        print("generated missed (first):", ", ".join(d for d, _, _ in gen_misses[: args.errors]))
        print("unrelated flagged (first):")
        for h in flagged[: args.errors]:
            print(f"  {h.domain} -> {h.brand_domain} {h.kind} {h.score:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
