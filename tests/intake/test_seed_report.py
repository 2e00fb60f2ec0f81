"""The project's seed report, read end to end: every figure, count, country, actor, victim and
commodity quantity it states comes out as a claim with the right value (issue 7).

The text is machine-paraphrased ("annual restrict", "monetary establishments", "25 different
worldwide locations" for 25 other countries), so this is also the paraphrase test.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sanctrace.intake import Claim, Document, extract, read_document

SEED = Path(__file__).parents[1] / "fixtures" / "intake" / "seed_report.txt"


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_document(SEED)


@pytest.fixture(scope="module")
def claims(doc: Document) -> list[Claim]:
    return extract(doc)


def one(claims: list[Claim], type_: str, text: str) -> Claim:
    """The single claim of ``type_`` whose text is ``text`` (fails if none or several)."""
    found = [c for c in claims if c.type == type_ and c.text == text]
    assert len(found) == 1, f"{type_} {text!r}: {[(c.type, c.text) for c in claims]}"
    return found[0]


def test_every_span_is_the_text_it_claims(doc: Document, claims: list[Claim]) -> None:
    assert claims
    for c in claims:
        assert doc.text[c.span[0] : c.span[1]] == c.text
        assert 0 < c.confidence <= 1


def test_money_two_billion_stated_twice(claims: list[Claim]) -> None:
    headline = one(claims, "money", "$2 bln")
    assert (headline.value, headline.unit, headline.subject) == (
        2_000_000_000,
        "USD",
        "North Korea",
    )
    quoted = one(claims, "money", "two billion USA dollars")
    assert (quoted.value, quoted.unit) == (2_000_000_000, "USD")
    assert quoted.attrs["bound"] == "at_most"  # "up to two billion"
    assert quoted.subject == "DPRK cyber actors"
    assert [c.text for c in claims if c.type == "money"] == ["$2 bln", "two billion USA dollars"]


def test_counts_cases_and_countries(claims: list[Claim]) -> None:
    cases = one(claims, "count", "35 cases of cyberattacks")
    assert (cases.value, cases.unit, cases.attrs["bound"]) == (35, "cases", "at_least")
    assert cases.attrs["of"] == "cyberattacks"
    countries = one(claims, "count", "17 countries")
    assert (countries.value, countries.unit) == (17, "countries")
    # "the US and 25 other countries", spun into "25 different worldwide locations"
    reporters = one(claims, "count", "25 different worldwide locations")
    assert (reporters.value, reporters.unit) == (25, "countries")
    assert sorted(c.value for c in claims if c.type == "count") == [17, 25, 35]


def test_countries_named_in_the_case_list(claims: list[Claim]) -> None:
    named = [c for c in claims if c.type == "country" and c.unit != "KP"]
    assert [(c.text, c.value, c.unit) for c in named] == [
        ("US", "United States", "US"),
        ("Chile", "Chile", "CL"),
        ("India", "India", "IN"),
        ("Malaysia", "Malaysia", "MY"),
        ("South Africa", "South Africa", "ZA"),
        ("South Korea", "South Korea", "KR"),
    ]


def test_north_korea_in_every_spelling(claims: list[Claim]) -> None:
    dprk = [c for c in claims if c.type == "country" and c.unit == "KP"]
    assert {c.value for c in dprk} == {"North Korea"}
    spellings = {c.text for c in dprk}
    assert spellings == {
        "North Korea",
        "North Korean",
        "North",  # "the North's weapons display"
        "Democratic People's Republic of Korea",
        "DPRK",
    }
    assert one(claims, "country", "North").rule == "country.the_north"
    assert len([c for c in dprk if c.text == "North Korea"]) == 12


def test_petroleum_cap(claims: list[Claim]) -> None:
    cap = one(claims, "cap", "500,000 barrels of refined petroleum merchandise")
    assert (cap.value, cap.unit) == (500_000, "barrel")
    assert cap.attrs == {"commodity": "refined petroleum products", "per": "year"}
    assert not [c for c in claims if c.type == "quantity"]


def test_periods(claims: list[Claim]) -> None:
    months = one(claims, "period", "the first 4 months of 2019")
    assert months.value == "2019-01/2019-04"
    interval = one(claims, "period", "six-month interval between February and August")
    assert interval.value == "XXXX-02/XXXX-08"
    assert interval.attrs == {"duration": "P6M", "year": "unknown"}
    assert not [c for c in claims if c.type == "date"]


def test_actors_under_the_reconnaissance_general_bureau(claims: list[Claim]) -> None:
    rgb = [c for c in claims if c.type == "actor" and c.rule == "actor.alias"]
    assert [c.value for c in rgb] == ["Reconnaissance General Bureau"] * 2
    apt = one(claims, "actor", "advanced persistent threat (APT) groups")
    assert apt.value == "DPRK APT groups"
    assert apt.attrs["under"] == "Reconnaissance General Bureau"
    cyber = one(claims, "actor", "cyber actors")
    assert (cyber.value, cyber.attrs["under"]) == (
        "DPRK cyber actors",
        "Reconnaissance General Bureau",
    )
    assert one(claims, "actor", "hackers").value == "DPRK hackers"
    # "an army of tech workers": the IT workers of the Panel's report
    assert one(claims, "actor", "tech workers").value == "DPRK IT workers"


def test_victims_upbit_and_the_kinds_targeted(claims: list[Claim]) -> None:
    upbit = one(claims, "victim", "UPbit")
    assert (upbit.value, upbit.rule, upbit.subject) == ("Upbit", "victim.registry", "DPRK hackers")
    assert upbit.attrs["victim_type"] == "exchange"
    banks = one(claims, "victim", "monetary establishments")
    assert banks.value == "financial institutions"
    assert one(claims, "victim", "cryptocurrency exchanges").value == "cryptocurrency exchanges"
    assert len([c for c in claims if c.type == "victim"]) == 3


def test_nothing_else_is_claimed(claims: list[Claim]) -> None:
    """No stray claims: "It" is not Italy, "In" is not India, "USA" in "USA dollars" is part of
    the money, "2019" is part of the period."""
    by_type: dict[str, int] = {}
    for c in claims:
        by_type[c.type] = by_type.get(c.type, 0) + 1
    assert by_type == {
        "country": 23,  # 17 for North Korea, 6 others
        "money": 2,
        "count": 3,
        "cap": 1,
        "period": 2,
        "actor": 6,
        "victim": 3,
    }
    assert all(not isinstance(c.value, float) for c in claims)
    assert all(isinstance(c.value, (int, Decimal, str)) for c in claims)
