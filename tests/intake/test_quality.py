"""Extraction quality on the hand-labelled corpus (issue 7): precision and recall of every
claim type at least 0.90, so that a rule change that loses claims or invents them fails here.
The figures themselves are measured by benchmarks/intake_quality.py (docs/benchmarks.md).

Also the scoring itself, on small examples: what counts as a match."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sanctrace.errors import InputError
from sanctrace.intake import CLAIM_TYPES, extract
from sanctrace.intake.quality import (
    FileResult,
    Label,
    evaluate,
    load_labels,
    match_file,
    scores,
)

EXCERPTS = Path(__file__).parents[1] / "fixtures" / "intake" / "excerpts"
LABELS = EXCERPTS / "labels.jsonl"
FLOOR = 0.90


@pytest.fixture(scope="module")
def results() -> list[FileResult]:
    return evaluate(LABELS)


def test_the_corpus_is_what_the_manifest_lists() -> None:
    """At least 20 real excerpts (the issue's minimum), each with its source URL, each
    labelled, each short enough to be a quotation."""
    with (EXCERPTS / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    files = {r["file"] for r in rows}
    assert len(files) == len(rows) >= 20
    assert files == {p.name for p in EXCERPTS.glob("*.txt")}
    assert all(r["url"].startswith(("http://", "https://")) and r["publisher"] for r in rows)
    assert all(len((EXCERPTS / f).read_text(encoding="utf-8")) <= 800 for f in files)
    labelled = {label.file for label in load_labels(LABELS)}
    assert files <= labelled
    assert "../seed_report.txt" in labelled


@pytest.mark.parametrize("claim_type", [*CLAIM_TYPES, "all"])
def test_precision_and_recall_floors(results: list[FileResult], claim_type: str) -> None:
    s = scores(results)[claim_type]
    misses = [(r.file, lb.text) for r in results for lb in r.misses if lb.type == claim_type]
    extra = [(r.file, c.text) for r in results for c in r.false_positives if c.type == claim_type]
    assert s.tp + s.fn > 0 or claim_type == "cap"
    assert s.recall >= FLOOR, misses
    assert s.precision >= FLOOR, extra


def test_every_type_is_labelled_in_the_corpus() -> None:
    types = {label.type for label in load_labels(LABELS)}
    assert types == set(CLAIM_TYPES)


def test_the_seed_report_gives_every_labelled_claim(results: list[FileResult]) -> None:
    """Issue 7: every figure, count, country, actor and quantity of the seed report."""
    (seed,) = [r for r in results if r.file == "../seed_report.txt"]
    assert seed.misses == []
    assert seed.false_positives == []


TEXT = "North Korea stole $2 bln. The North denied it; North Korea's envoy spoke."


def test_a_match_needs_type_value_and_place() -> None:
    claims = extract(TEXT)
    labels = [
        Label("t", "money", "$2 bln", 2_000_000_000, "USD"),
        Label("t", "country", "North", "North Korea", "KP"),
        Label("t", "country", "North Korea", "North Korea", "KP"),
        Label("t", "country", "North Korea", "North Korea", "KP"),
    ]
    r = match_file("t", TEXT, claims, labels)
    assert (len(r.matched), r.misses, r.false_positives) == (4, [], [])
    # equal text is paired first: the label "North" takes the claim "North", not a
    # "North Korea" claim that overlaps it
    assert [c.text for lb, c in r.matched if lb.text == "North"] == ["North"]


def test_a_wrong_value_or_unit_is_a_miss_and_a_false_claim() -> None:
    claims = [c for c in extract(TEXT) if c.type == "money"]
    for label in (
        Label("t", "money", "$2 bln", 2_000_000, "USD"),
        Label("t", "money", "$2 bln", 2_000_000_000, "USDT"),
        Label("t", "count", "$2 bln", 2_000_000_000, None),
    ):
        r = match_file("t", TEXT, claims, [label])
        assert (r.matched, r.misses, len(r.false_positives)) == ([], [label], 1)


def test_numbers_compare_exactly_whatever_their_spelling() -> None:
    (claim,) = [c for c in extract("a loss of 1.25 bitcoin") if c.type == "money"]
    label = Label("t", "money", "1.25 bitcoin", "1.250", "BTC")
    assert match_file("t", "a loss of 1.25 bitcoin", [claim], [label]).misses == []


def test_scores_per_type() -> None:
    claims = extract(TEXT)
    r = match_file("t", TEXT, claims, [Label("t", "money", "$2 bln", 2_000_000_000, "USD")])
    table = scores([r])
    assert (table["money"].tp, table["money"].fp, table["money"].fn) == (1, 0, 0)
    assert table["country"].fp == 3 and table["country"].precision == 0.0
    assert table["period"].precision == table["period"].recall == 1.0  # nothing either way
    assert table["all"].tp == 1 and table["all"].fp == 3


def test_a_label_not_in_its_file_is_an_error() -> None:
    with pytest.raises(InputError, match="not in the file"):
        match_file("t", TEXT, [], [Label("t", "money", "$3 bln", 3, "USD")])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not JSON"),
        ("[1]", "a label is a JSON object"),
        ('{"file": "a", "type": "money", "text": "x"}', "missing value"),
        ('{"file": "a", "type": "amount", "text": "x", "value": 1}', "unknown type"),
        ('{"file": "a", "type": "money", "text": "x", "value": 1.5}', "no floats"),
    ],
)
def test_bad_label_lines_name_the_line(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"file": "a", "type": "money", "text": "x", "value": 1, "unit": "USD"})
    path = tmp_path / "labels.jsonl"
    path.write_text(f"{good}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=reason) as err:
        load_labels(path)
    assert err.value.location == f"{path}:3"
