"""Extraction quality: claims scored against hand labels, precision and recall per claim type.

A label is what a reader sees in a text (type, surface string, normalised value, unit),
written without looking at the extractor's output. A claim matches a label when it has the
same type and the same normalised value (and, for money, quantities and caps, the same
unit: 5 million USD is not 5 million USDT), and either its text equals the label's text or
its span overlaps a place where the label's text stands. Each label takes at most one
claim and each claim at most one label; exact-text pairs are made first, so that a "North
Korea" claim does not take the label of "the North" beside it.

Labels carry no offsets on purpose: they stay readable and survive a re-quoted excerpt. The
label format and the labelling guideline are in docs/intake.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sanctrace.errors import InputError
from sanctrace.intake.claims import CLAIM_TYPES, Claim
from sanctrace.intake.documents import read_document
from sanctrace.intake.extract import extract
from sanctrace.intake.gazetteer import Gazetteer, default_gazetteer

# types whose unit is part of the value (a currency, a physical unit)
_UNIT_MATTERS = {"money", "quantity", "cap"}


@dataclass(frozen=True)
class Label:
    """One expected claim: ``text`` as it stands in the file, ``value`` normalised."""

    file: str
    type: str
    text: str
    value: int | str
    unit: str | None


@dataclass
class Score:
    """Counts for one claim type (or all): true positives, false positives, misses."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class FileResult:
    """One file's matching: pairs made, claims no label wanted, labels no claim gave."""

    file: str
    matched: list[tuple[Label, Claim]] = field(default_factory=list)
    false_positives: list[Claim] = field(default_factory=list)
    misses: list[Label] = field(default_factory=list)


def load_labels(path: Path) -> list[Label]:
    """Labels from a JSON-lines file: one object per line with ``file``, ``type``,
    ``text``, ``value`` and ``unit``. Bad lines raise ``InputError`` naming the line."""
    labels: list[Label] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(where, f"not JSON: {exc.msg}") from exc
            if not isinstance(row, dict):
                raise InputError(where, "a label is a JSON object")
            missing = {"file", "type", "text", "value"} - set(row)
            if missing:
                raise InputError(where, f"missing {', '.join(sorted(missing))}")
            if row["type"] not in CLAIM_TYPES:
                raise InputError(where, f"unknown type {row['type']!r}")
            if not isinstance(row["value"], int | str) or isinstance(row["value"], bool):
                raise InputError(where, "value is an integer or a string (no floats)")
            labels.append(
                Label(row["file"], row["type"], row["text"], row["value"], row.get("unit"))
            )
    return labels


def same_value(claim: Claim, label: Label) -> bool:
    """Equal normalised values: numbers compared exactly, whatever their JSON spelling."""
    if label.type in _UNIT_MATTERS and claim.unit != label.unit:
        return False
    left, right = _number(claim.value), _number(label.value)
    if left is not None and right is not None:
        return left == right
    return str(claim.value) == str(label.value)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        return None
    try:
        return Decimal(value) if not isinstance(value, str) else Decimal(value.strip())
    except InvalidOperation:
        return None


def _places(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` stands in ``text`` as a whole word sequence."""
    pattern = rf"(?<!\w){re.escape(needle)}(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def match_file(file: str, text: str, claims: list[Claim], labels: list[Label]) -> FileResult:
    """Pair one file's claims with its labels (see the module docstring for the rule)."""
    for label in labels:
        if not _places(text, label.text):
            raise InputError(file, f"label text {label.text!r} is not in the file")
    result = FileResult(file)
    free = list(claims)
    open_labels: list[Label] = []
    for label in labels:  # first pass: equal text
        hit = next(
            (
                c
                for c in free
                if c.type == label.type and c.text == label.text and same_value(c, label)
            ),
            None,
        )
        if hit is None:
            open_labels.append(label)
            continue
        free.remove(hit)
        result.matched.append((label, hit))
    for label in open_labels:  # second pass: overlapping span
        places = _places(text, label.text)
        hit = next(
            (
                c
                for c in free
                if c.type == label.type
                and same_value(c, label)
                and any(c.span[0] < e and s < c.span[1] for s, e in places)
            ),
            None,
        )
        if hit is None:
            result.misses.append(label)
            continue
        free.remove(hit)
        result.matched.append((label, hit))
    result.false_positives = free
    return result


def scores(results: Iterable[FileResult]) -> dict[str, Score]:
    """Per claim type, plus ``"all"``; every type appears, even with no claims or labels."""
    table = {t: Score() for t in CLAIM_TYPES}
    for r in results:
        for label, _ in r.matched:
            table[label.type].tp += 1
        for claim in r.false_positives:
            table[claim.type].fp += 1
        for label in r.misses:
            table[label.type].fn += 1
    total = Score()
    for s in table.values():
        total.add(s)
    table["all"] = total
    return table


def evaluate(labels_path: Path, gazetteer: Gazetteer | None = None) -> list[FileResult]:
    """Read every file the labels name (paths relative to the labels file), extract its
    claims and match them: the whole benchmark, one ``FileResult`` per file."""
    labels = load_labels(labels_path)
    by_file: dict[str, list[Label]] = {}
    for label in labels:
        by_file.setdefault(label.file, []).append(label)
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    results = []
    for file, wanted in by_file.items():
        document = read_document(labels_path.parent / file)
        claims = extract(document, gazetteer=gaz)
        results.append(match_file(file, document.text, claims, wanted))
    return results
