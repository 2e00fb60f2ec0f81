"""Charts: inline SVG rendered offline from engine results, plotting their figures as is."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sanctrace.incidents import Summary, summarize
from sanctrace.report.charts import (
    UNKNOWN_BAR,
    UNSET_KEYS,
    cases_bar_spec,
    cases_bar_svg,
    proceeds_by_year_spec,
    proceeds_by_year_svg,
)
from sanctrace.workspace import Workspace


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a spec plots (Altair moves inline data to the top-level ``datasets``)."""
    datasets = spec.get("datasets") or {}
    if datasets:
        (rows,) = datasets.values()
        return list(rows)
    return list(spec["data"]["values"])


def _self_contained(svg: str) -> None:
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "<script" not in svg
    assert not re.search(r"(?:href|src)=\"(?!#)", svg), "an SVG must not point outside itself"


def test_proceeds_by_year_plots_the_engine_ranges(ws: Workspace) -> None:
    s = summarize(ws, "year")
    spec = proceeds_by_year_spec(s)
    assert [(v["year"], v["low"], v["central"], v["high"]) for v in _values(spec)] == [
        (str(g.key), g.stolen_usd.low, g.stolen_usd.central, g.stolen_usd.high) for g in s.groups
    ]
    svg = proceeds_by_year_svg(s)
    _self_contained(svg)
    for g in s.groups:
        assert f">{g.key}</text>" in svg
    assert "Proceeds by year" in svg
    assert "1,600 M" in svg  # the axis is in millions: 2022's high is 1,650,000,000


def test_proceeds_by_year_needs_a_summary_by_year(ws: Workspace) -> None:
    with pytest.raises(ValueError, match="by year"):
        proceeds_by_year_svg(summarize(ws, "country"))


@pytest.mark.parametrize(
    ("by", "labels"),
    [
        ("country", ["South Korea", "Singapore", "unknown"]),
        ("vector", ["SWIFT fraud", "Private-key compromise"]),
        ("actor", ["Lazarus Group"]),
        ("victim-type", ["Exchange", "Bank"]),
    ],
)
def test_cases_bar_labels_every_group(ws: Workspace, by: str, labels: list[str]) -> None:
    s = summarize(ws, by)
    spec = cases_bar_spec(s, f"Cases by {by}")
    assert [v["cases"] for v in _values(spec)] == [g.cases for g in s.groups]
    svg = cases_bar_svg(s, f"Cases by {by}")
    _self_contained(svg)
    assert f"Cases by {by}" in svg
    for label in labels:
        assert f">{label}</text>" in svg
    # cases without the attribute are a bar of their own, set apart in grey
    has_unset = any(g.key in UNSET_KEYS for g in s.groups)
    assert (f'fill="{UNKNOWN_BAR}"' in svg) == has_unset


def test_charts_of_an_empty_registry_still_render(empty_ws: Workspace) -> None:
    for svg in (
        proceeds_by_year_svg(summarize(empty_ws, "year")),
        cases_bar_svg(summarize(empty_ws, "country"), "Cases by country"),
    ):
        _self_contained(svg)


def test_charts_take_a_summary_built_by_hand() -> None:
    """The dashboard may pass any Summary; nothing but its fields is read."""
    from sanctrace.incidents import Group, Range

    def group(key: str | int, cases: int, low: int, central: int, high: int) -> Group:
        return Group(key, cases, 1, Range(low, central, high), "m", [], central, 0)

    s = Summary("year", None, None, [group(2030, 2, 5, 10, 20)], group("total", 2, 5, 10, 20))
    assert ">2030</text>" in proceeds_by_year_svg(s)
    s = Summary("vector", None, None, [group("phishing", 4, 0, 0, 0)], group("total", 4, 0, 0, 0))
    assert ">Phishing</text>" in cases_bar_svg(s, "Vectors")
