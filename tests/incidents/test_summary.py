"""Summaries: cases, countries and proceeds as ranges per year, country, actor, vector or victim
type, each figure traceable to the incidents behind it and checked against the sources' own
totals."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date

import pytest

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.incidents import GROUP_KEYS, Group, Range, Summary, list_incidents, summarize
from sanctrace.workspace import Workspace
from tests.incidents.conftest import MakeWorkspace
from tests.sources.factory import incident_row

WINDOWS = [
    pytest.param(None, None, id="all"),
    pytest.param(date(2018, 1, 1), date(2020, 12, 31), id="2018-2020"),
    pytest.param(date(2023, 6, 1), None, id="from-2023-06"),
]


def group(summary: Summary, key: str | int) -> Group:
    [found] = [g for g in summary.groups if g.key == key]
    return found


def tayvano(summary: Summary, year: int) -> int:
    [value] = [e.value_usd for e in group(summary, year).estimates if e.estimator == "tayvano_repo"]
    return value


def registry_csv() -> list[dict[str, str]]:
    with bundled("incidents/registry.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def plain_usd(text: str) -> int | None:
    """The oracle's own reading of the bundled amounts: well-formed figures only."""
    if re.fullmatch(r"\$?(\d{1,3}(,\d{3})*|\d+)", text):
        return int(text.lstrip("$").replace(",", ""))
    return None


@pytest.fixture(scope="module")
def by_year(bundled_ws: Workspace) -> Summary:
    return summarize(bundled_ws, "year")


@pytest.fixture(scope="module")
def by_country(bundled_ws: Workspace) -> Summary:
    return summarize(bundled_ws, "country")


def test_2019_range(by_year: Summary) -> None:
    g = group(by_year, 2019)
    assert g.stolen_usd == Range(191_794_000, 191_794_000, 271_000_000)
    assert (g.cases, g.registry_usd, g.unknown_amount_cases) == (9, 191_794_000, 0)
    assert {e.estimator: e.value_usd for e in g.estimates} == {
        "chainalysis": 271_000_000,
        "tayvano_repo": 191_794_000,
        "trm": 200_000_000,
    }
    assert "chainalysis, tayvano_repo, trm" in g.method


def crypto_sums(bundled_ws: Workspace) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for i in list_incidents(bundled_ws):
        if i.asset_class == "crypto":
            out[int(i.date[:4])] += i.stolen_usd or 0
    return out


@pytest.mark.parametrize("year", [2017, 2018, 2019, 2021, 2022])
def test_crypto_registry_equals_the_sources_yearly_total(
    bundled_ws: Workspace, by_year: Summary, year: int
) -> None:
    assert crypto_sums(bundled_ws)[year] == tayvano(by_year, year)


@pytest.mark.parametrize(
    ("year", "gap"),
    [
        # The tayvano README's 2020 TOTAL row ($307,726,000) is $793,000 more than the eight
        # 2020 rows it lists add up to ($306,933,000): the source's own arithmetic, not ours.
        (2020, 793_000),
        # Its 2023 total counts C8's "$1,620,00" as $162,000; the registry keeps that text
        # flagged as malformed and sums nothing for it.
        (2023, 162_000),
    ],
)
def test_where_the_sources_total_differs_and_why(
    bundled_ws: Workspace, by_year: Summary, year: int, gap: int
) -> None:
    assert tayvano(by_year, year) - crypto_sums(bundled_ws)[year] == gap


def test_2023_leaves_unusable_amounts_out(by_year: Summary, bundled_ws: Workspace) -> None:
    g = group(by_year, 2023)
    flagged = {
        i.victim: i.amount_flag
        for i in list_incidents(bundled_ws)
        if i.incident_id in g.incident_ids and i.amount_flag
    }
    assert flagged == {"C8": "malformed", "We Are Cult DAO": "unknown"}
    assert g.unknown_amount_cases == 2
    assert g.registry_usd == 649_889_146 - 162_000


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Bangladesh Bank's $81M (fiat) on both ends; Chainalysis' $1.5M of crypto on top
        (2016, Range(81_000_000, 81_000_000, 82_500_000)),
        # Chainalysis' $29M is below the registry's $109.49M; the bank theft's amount is unknown
        (2017, Range(29_000_000, 109_490_000, 109_490_000)),
        (2022, Range(767_638_000, 767_638_000, 1_650_000_000)),
        (2024, Range(1_920_000, 1_920_000, 1_920_000)),  # no independent estimate
        (2025, Range(1_500_000_000, 1_500_000_000, 1_500_000_000)),  # Bybit alone, the same
    ],
)
def test_by_year_ranges_take_in_the_estimates(by_year: Summary, year: int, expected: Range) -> None:
    assert group(by_year, year).stolen_usd == expected


def test_by_year_total(by_year: Summary) -> None:
    assert [g.key for g in by_year.groups] == list(range(2016, 2026))
    total = by_year.total
    assert (total.key, total.cases, total.unknown_amount_cases) == ("total", 91, 11)
    assert total.stolen_usd.low == sum(g.stolen_usd.low for g in by_year.groups)
    assert total.stolen_usd.high == sum(g.stolen_usd.high for g in by_year.groups)
    assert total.registry_usd == sum(g.registry_usd for g in by_year.groups)


def test_registry_central_is_the_sum_of_well_formed_amounts(by_year: Summary) -> None:
    rows = registry_csv()
    amounts = [plain_usd(r["amount_stolen_usd"]) for r in rows]
    assert (
        by_year.total.registry_usd
        == by_year.total.stolen_usd.central
        == sum(a or 0 for a in amounts)
    )
    assert by_year.total.unknown_amount_cases == sum(a is None for a in amounts)


@pytest.mark.parametrize(("by", "column"), [("vector", "vector"), ("victim-type", "victim_type")])
def test_groups_match_a_plain_recount_of_the_file(
    bundled_ws: Workspace, by: str, column: str
) -> None:
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in registry_csv():
        counts = expected[r[column] or "unknown"]
        counts[0] += 1
        counts[1] += plain_usd(r["amount_stolen_usd"]) or 0
    summary = summarize(bundled_ws, by)
    assert {g.key: [g.cases, g.registry_usd] for g in summary.groups} == expected
    centrals = [g.stolen_usd.central for g in summary.groups]
    assert centrals == sorted(centrals, reverse=True)  # largest first


@pytest.mark.parametrize("by", GROUP_KEYS)
@pytest.mark.parametrize(("date_from", "date_to"), WINDOWS)
def test_every_range_is_ordered_and_every_incident_counted(
    bundled_ws: Workspace, by: str, date_from: date | None, date_to: date | None
) -> None:
    summary = summarize(bundled_ws, by, date_from, date_to)
    listed = {i.incident_id for i in list_incidents(bundled_ws, date_from, date_to)}
    for g in [*summary.groups, summary.total]:
        assert g.stolen_usd.low <= g.stolen_usd.central <= g.stolen_usd.high, g.key
        assert g.cases == len(g.incident_ids) == len(set(g.incident_ids))
        assert g.registry_usd == g.stolen_usd.central
    assert set(summary.total.incident_ids) == listed
    assert summary.total.cases == len(listed)
    grouped = [i for g in summary.groups for i in g.incident_ids]
    assert sorted(grouped) == sorted(listed)  # each incident in exactly one group
    assert (summary.by, summary.date_from, summary.date_to) == (
        by,
        date_from and date_from.isoformat(),
        date_to and date_to.isoformat(),
    )


def test_by_year_with_a_window(bundled_ws: Workspace) -> None:
    summary = summarize(bundled_ws, "year", date(2019, 1, 1), date(2019, 12, 31))
    assert [g.key for g in summary.groups] == [2019]
    assert group(summary, 2019).stolen_usd == Range(191_794_000, 191_794_000, 271_000_000)


def test_year_with_estimates_but_no_incident(bundled_ws: Workspace) -> None:
    # Bangladesh Bank (February 2016) falls outside: 2016 keeps only its estimates
    summary = summarize(bundled_ws, "year", date(2016, 6, 1), date(2016, 12, 31))
    [g] = summary.groups
    assert (g.key, g.cases, g.incident_ids) == (2016, 0, [])
    assert g.stolen_usd == Range(0, 0, 1_500_000)


def test_countries_carry_the_panels_case_tallies(by_country: Summary) -> None:
    kr = group(by_country, "KR")
    assert kr.cases == 5
    assert [(t["report"], t["cases"]) for t in kr.reported_cases] == [("S/2019/691", 10)]
    tallied = {
        g.key: sum(t["cases"] for t in g.reported_cases)
        for g in by_country.groups
        if g.reported_cases
    }
    assert len(tallied) == 17 and sum(tallied.values()) == 30
    # countries the Panel counts but the registry holds no incident for still show
    vn = group(by_country, "VN")
    assert (vn.cases, vn.stolen_usd, vn.reported_cases[0]["cases"]) == (0, Range(0, 0, 0), 1)


def test_total_carries_the_reports_own_totals(by_country: Summary) -> None:
    [total] = by_country.total.reported_cases
    assert (total["report"], total["cases"], total["countries"]) == ("S/2019/691", 35, 17)
    assert total["citation"].startswith("https://undocs.org/S/2019/691")
    assert by_country.total.cases == 91


def test_by_country(by_country: Summary) -> None:
    unknown = group(by_country, "unknown")
    assert unknown.cases == sum(1 for r in registry_csv() if not r["country"])
    assert unknown.countries == 0
    assert by_country.total.countries == len({r["country"] for r in registry_csv() if r["country"]})
    assert group(by_country, "BD").stolen_usd == Range(81_000_000, 81_000_000, 81_000_000)


def test_by_actor_uses_canonical_names(make_ws: MakeWorkspace) -> None:
    ws = make_ws(
        [
            incident_row(victim="A", actor="BlueNoroff", amount_stolen_usd="100"),
            incident_row(victim="B", actor="APT38", amount_stolen_usd="20"),
            incident_row(victim="C", actor="Lazarus", amount_stolen_usd="$Unknown"),
            incident_row(victim="D", actor="Cobalt Spider", amount_stolen_usd="5"),
            incident_row(victim="E", actor="", amount_stolen_usd="1"),
        ]
    )
    summary = summarize(ws, "actor")
    assert [(g.key, g.cases, g.registry_usd, g.unknown_amount_cases) for g in summary.groups] == [
        ("APT38", 2, 120, 0),
        ("Cobalt Spider", 1, 5, 0),
        ("unattributed", 1, 1, 0),
        ("Lazarus Group", 1, 0, 1),
    ]
    assert (summary.total.cases, summary.total.registry_usd) == (5, 126)


def test_bundled_actors(bundled_ws: Workspace) -> None:
    summary = summarize(bundled_ws, "actor")
    assert [(g.key, g.cases) for g in summary.groups] == [
        ("Lazarus Group", 90),
        ("TraderTraitor", 1),
    ]


@pytest.mark.parametrize("by", ["month", "", "Year"])
def test_unknown_grouping(bundled_ws: Workspace, by: str) -> None:
    with pytest.raises(
        InputError, match="is not one of year, country, actor, vector, victim-type"
    ) as info:
        summarize(bundled_ws, by)
    assert info.value.location == "--by"


def test_empty_workspace(empty_ws: Workspace) -> None:
    summary = summarize(empty_ws, "year")
    assert summary.groups == []
    assert (summary.total.cases, summary.total.stolen_usd) == (0, Range(0, 0, 0))
