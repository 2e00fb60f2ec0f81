"""Rules that the quality corpus (tests/fixtures/intake/excerpts) showed were missing, one
example each. The sentences are in the style of the news the corpus quotes, not copies of
it, so each test checks the general rule and not one excerpt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sanctrace.intake import extract
from sanctrace.intake.numbers import find_numbers


def claims_of(text: str, type_: str) -> list[tuple[str, object, str | None]]:
    return [(c.text, c.value, c.unit) for c in extract(text) if c.type == type_]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Australian press writes the code after the symbol
        ("raids that raked in $US2 billion", [("$US2 billion", 2_000_000_000, "USD")]),
        # ISO codes before the figure
        ("losses of INR 940 million", [("INR 940 million", 940_000_000, "INR")]),
        ("a transfer of HKD 15 million", [("HKD 15 million", 15_000_000, "HKD")]),
        # the coin named by its network, and stablecoins by name
        ("some 401,000 Ethereum was moved", [("401,000 Ethereum", 401_000, "ETH")]),
        ("and 25.5 million USD Coin", [("25.5 million USD Coin", 25_500_000, "USDC")]),
        ("2 million Tether", [("2 million Tether", 2_000_000, "USDT")]),
        # tickers in capitals, with or without a cashtag
        ("1.2 trillion SHIB tokens", [("1.2 trillion SHIB", 1_200_000_000_000, "SHIB")]),
        ("30 billion $PEPE", [("30 billion $PEPE", 30_000_000_000, "PEPE")]),
        ("fined the bank NT$8 million", [("NT$8 million", 8_000_000, "TWD")]),
        ("40 million MATIC", [("40 million MATIC", 40_000_000, "MATIC")]),
    ],
)
def test_currencies(text: str, expected: list[tuple[str, object, str]]) -> None:
    assert claims_of(text, "money") == expected


def test_tickers_are_capitals_only() -> None:
    """ "gala" and "link" are words; only "GALA" and "LINK" after a figure are coins."""
    assert claims_of("a gala for 300 guests and 12 link roads", "money") == []
    assert claims_of("5 million GALA", "money") == [("5 million GALA", 5_000_000, "GALA")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("losses ranging from US$7 million to $31 million", (
            "US$7 million to $31 million", 7_000_000, "31000000")),
        ("between $630 million and $1 billion", ("$630 million and $1 billion", 630_000_000,
                                                "1000000000")),
        ("€5m-€8m", ("€5m-€8m", 5_000_000, "8000000")),
    ],
)  # fmt: skip
def test_money_ranges_with_a_scale_on_each_end(text: str, expected: tuple[str, int, str]) -> None:
    (claim,) = [c for c in extract(text) if c.type == "money"]
    assert (claim.text, claim.value, claim.attrs["high"]) == expected


def test_two_amounts_are_not_a_range() -> None:
    """Different currencies, a falling pair or a plain "and" stay two amounts."""
    assert len(claims_of("$88m (£70m)", "money")) == 2
    assert len(claims_of("from $31 million to $7 million", "money")) == 2
    assert len(claims_of("$5 million and $7 million", "money")) == 2


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one-point-65 billion U.S. dollars", 1_650_000_000),
        ("three-point-eight billion-dollars", 3_800_000_000),
        ("two-point-five million dollars", 2_500_000),
        ("3-point-23 billion dollars", 3_230_000_000),
    ],
)
def test_decimals_written_the_broadcasters_way(text: str, value: int) -> None:
    (claim,) = extract(text)
    assert (claim.text, claim.value, claim.unit) == (text, value, "USD")


def test_point_numbers_keep_their_span() -> None:
    (n,) = find_numbers("up one-point-six-five percent")
    assert n.value == Decimal("1.65")


def test_a_billion_dollar_heist_is_no_amount() -> None:
    assert claims_of("a daring billion-dollar heist", "money") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fourteen North Korean nationals were charged", [
            ("Fourteen North Korean nationals", 14, "nationals")]),
        ("at least 892 South Korean experts", [("892 South Korean experts", 892, "experts")]),
        ("130 North Korean IT workers", [("130 North Korean IT workers", 130, "workers")]),
        ("two North Korean-controlled companies", [
            ("two North Korean-controlled companies", 2, "companies")]),
        ("57 current or retired government officials", [
            ("57 current or retired government officials", 57, "officials")]),
        ("more than 60 million users", [("60 million users", 60_000_000, "users")]),
        # abstract nouns count nothing a register holds
        ("it stands out for three reasons", []),
        ("in two ways", []),
        # dotted abbreviations qualify the noun; an acronym in the plural is the noun
        ("more than 300 U.S. companies", [("300 U.S. companies", 300, "companies")]),
        ("infecting over 300,000 PCs", [("300,000 PCs", 300_000, "PCs")]),
        # a part of a whole counts the whole's things
        ("19 of their North Korean-flagged vessels", [
            ("19 of their North Korean-flagged vessels", 19, "vessels")]),
        ("87 of them in South Korea", []),
    ],
)  # fmt: skip
def test_counts_with_names_and_modifiers(
    text: str, expected: list[tuple[str, object, str]]
) -> None:
    assert claims_of(text, "count") == expected


def test_a_count_keeps_the_country_inside_it() -> None:
    claims = extract("Fourteen North Korean nationals were charged")
    assert [(c.type, c.text) for c in claims] == [
        ("count", "Fourteen North Korean nationals"),
        ("country", "North Korean"),
    ]
    # but money still outranks a count: "5.4 trillion SHIB tokens" is an amount only
    assert [c.type for c in extract("5.4 trillion SHIB tokens")] == ["money"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UN probes 58 cyberattacks by N Korea", [("N Korea", "North Korea")]),
        ("N. Korean hackers spoof S. Korean reporters", [
            ("N. Korean", "North Korea"), ("S. Korean", "South Korea")]),
        # "the North" is North Korea in a text about South Korea too
        ("In South Korea, the North is targeting exchanges", [
            ("South Korea", "South Korea"), ("North", "North Korea")]),
        # ... or about a DPRK actor
        ("Kimsuky ran the North's phishing sites", [("North", "North Korea")]),
        # at the start of a sentence too
        ("North Korea fired. The North denied it.", [
            ("North Korea", "North Korea"), ("North", "North Korea")]),
        ("the North of England", []),
        ("DNS Korea", []),
    ],
)  # fmt: skip
def test_korea_abbreviations_and_the_north(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t, v) for t, v, _ in claims_of(text, "country")] == expected


def test_two_figures_share_the_unit_after_the_second() -> None:
    assert claims_of("1,500 and then 2,000 tons were transferred", "quantity") == [
        ("1,500", 1_500, "tonne"),
        ("2,000 tons", 2_000, "tonne"),
    ]
    # a scale written once is not guessed onto the first figure
    assert claims_of("2 and 3 million barrels", "quantity") == [
        ("3 million barrels", 3_000_000, "barrel")
    ]


def test_a_unit_written_as_a_modifier() -> None:
    assert claims_of("the 17,061-ton Wise Honest", "quantity") == [("17,061-ton", 17_061, "tonne")]


def test_a_quantity_keeps_the_country_of_its_commodity() -> None:
    claims = extract("carrying 25,000 tonnes of North Korean coal")
    assert [(c.type, c.text) for c in claims] == [
        ("quantity", "25,000 tonnes of North Korean coal"),
        ("country", "North Korean"),
    ]


def test_plural_demonyms() -> None:
    assert claims_of("hiring North Koreans and Indonesians", "country") == [
        ("North Koreans", "North Korea", "KP"),
        ("Indonesians", "Indonesia", "ID"),
    ]


def test_million_barrels_abbreviated() -> None:
    assert claims_of("it would have imported 3.78 MMbbl of fuel", "quantity") == [
        ("3.78 MMbbl of fuel", 3_780_000, "barrel")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("may import a maximum aggregate amount of 500,000 barrels", 500_000),
        # eight words between the limit word and "at"
        ("the Council capped refined petroleum product exports to North Korea at 500,000 "
         "barrels a year", 500_000),
    ],
)  # fmt: skip
def test_caps(text: str, value: int) -> None:
    assert [(c.value, c.unit) for c in extract(text) if c.type == "cap"] == [(value, "barrel")]


def test_first_months_of_a_relative_year() -> None:
    (period,) = [c for c in extract("in the first five months of this year") if c.type == "period"]
    assert (period.text, period.value) == ("the first five months of this year", "XXXX-01/XXXX-05")
    assert period.attrs == {"year": "unknown", "relative": "this year"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name between the victim and the hack noun may be qualified by what it is
        ("Lazarus was behind the Harmony cross-chain bridge attack", ["Harmony"]),
        ("the Ronin network hack", ["Ronin"]),
        # an aside in parentheses or an attribution after a comma is not where the theft was
        ("The hack saw 173,600 ether (the native currency of the Ethereum blockchain) stolen", []),
        ("the theft of 342,000 Ether, according to reports from the National Police Agency", []),
        # a name inside a hyphenated compound is no victim
        ("an outbreak powered by a leaked-NSA exploit", []),
        # a day is when, not whom
        ("the biggest robbery ever recorded on Friday", []),
        # the firm that reports the theft is not its victim
        ("Blockchain security firm Cyvers Alert reported that the exchange WazirX was exploited",
         ["WazirX"]),
    ],
)  # fmt: skip
def test_guessed_victims(text: str, expected: list[str]) -> None:
    assert [v for _, v, _ in claims_of(text, "victim")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a kind of victim in apposition to a name describes it: the name is the claim
        ("Hackers attacked Upbit, a South Korean virtual asset exchange, in 2019.", ["Upbit"]),
        ("the theft of $1.5 billion from cryptocurrency exchange Bybit", ["Bybit"]),
        # unattached, the kind is a claim, singular or plural
        ("$12 million was stolen from a financial institution in New York", [
            "financial institutions"]),
        ("hackers attacked cryptocurrency exchanges in Japan", ["cryptocurrency exchanges"]),
        # every form of the theft verbs makes a sentence about theft
        ("DPRK actors attacking financial institutions and banks", [
            "financial institutions", "banks"]),
    ],
)  # fmt: skip
def test_kinds_of_victim_and_apposition(text: str, expected: list[str]) -> None:
    assert [v for _, v, _ in claims_of(text, "victim")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("North Korean hacker groups Lazarus and Andariel carried out the attack", [
            "Lazarus Group", "Andariel"]),
        ("emails sent by “Kimsuky,” a hacker group affiliated with North Korea’s RGB", [
            "Kimsuky", "Reconnaissance General Bureau"]),
        # no name beside it: the kind is the claim
        ("North Korean hacker groups stole $1 billion", ["DPRK hackers"]),
        ("In North Korea, the hackers work for the state", ["DPRK hackers"]),
    ],
)  # fmt: skip
def test_kinds_of_actor_in_apposition(text: str, expected: list[str]) -> None:
    assert [v for _, v, _ in claims_of(text, "actor")] == expected
