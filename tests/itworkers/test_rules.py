"""The rules as data: each cites an advisory, a place in it and a URL, and has a detector."""

from __future__ import annotations

import pytest

from sanctrace.itworkers import RULES, rules_table
from sanctrace.itworkers.rules import FLAG_SCORE, parameters
from sanctrace.itworkers.scan import DETECTORS


def test_every_rule_cites_its_advisory_and_has_a_detector() -> None:
    assert [r.id for r in RULES] == [f"ITW-{i:02d}" for i in range(1, 15)]
    for r in RULES:
        assert r.advisory and r.section and r.url.startswith("https://")
        assert r.id in DETECTORS or r.id in ("ITW-13", "ITW-14")
    advisories = {r.url for r in RULES}
    assert "https://www.ic3.gov/PSA/2023/PSA231018" in advisories
    assert "https://www.ic3.gov/PSA/2024/PSA240516" in advisories


def test_no_behavioural_rule_or_name_flags_alone_but_a_listed_identifier_does() -> None:
    weights = {r.id: r.weight for r in RULES}
    assert all(w < FLAG_SCORE for rule, w in weights.items() if rule != "ITW-13")
    assert weights["ITW-14"] < FLAG_SCORE  # a name like a listed person's is not enough
    assert weights["ITW-13"] >= FLAG_SCORE


def test_parameters_can_be_overridden_by_name_only() -> None:
    assert parameters({"ITW-02": {"min_accounts": 5}})["ITW-02"]["min_accounts"] == 5
    with pytest.raises(KeyError, match="no parameter"):
        parameters({"ITW-02": {"min_acounts": 5}})
    with pytest.raises(KeyError, match="no rule"):
        parameters({"ITW-99": {}})


def test_rules_table_rows() -> None:
    row = rules_table()[0]
    assert row["id"] == "ITW-01" and row["parameters"] == {"window_hours": 6, "min_countries": 2}
    assert "bullet 1" in row["section"]
