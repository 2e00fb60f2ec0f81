"""Cleaning of dates, amounts, citations, countries and names: each value is kept as reported
and either read exactly or refused with a reason; nothing is guessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.sources.values import (
    Citation,
    alias_key,
    iso_date,
    parse_choice,
    parse_citations,
    parse_country,
    parse_date,
    parse_native,
    parse_usd,
    slug,
)
from tests.sources.strategies import FUZZ, TROUBLE

INT64_MAX = 2**63 - 1


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2017", date(2017, 1, 1), "year"),
        ("2017-05", date(2017, 5, 1), "month"),
        ("2017-5", date(2017, 5, 1), "month"),
        ("2017-Dec", date(2017, 12, 1), "month"),
        ("2017-05-12", date(2017, 5, 12), "day"),
        ("2017-May-12", date(2017, 5, 12), "day"),
        ("2017-Dec-31", date(2017, 12, 31), "day"),
        ("2023-Dec-31", date(2023, 12, 31), "day"),
        ("2023-dec-31", date(2023, 12, 31), "day"),
        ("2024-Feb-29", date(2024, 2, 29), "day"),
        (" 2019-Nov-27 ", date(2019, 11, 27), "day"),
    ],
)
def test_parse_date_keeps_precision(text: str, value: date, precision: str) -> None:
    parsed = parse_date(text)
    assert (parsed.value, parsed.precision, parsed.text) == (value, precision, text.strip())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2017-13-01", "month must be in 1..12"),
        ("2017-Feb-30", "day is out of range"),
        ("2023-Feb-29", "day is out of range"),
        ("2017-Foo-01", "unknown month 'Foo'"),
        ("yesterday", "is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Mon-DD"),
        ("", "is not YYYY"),
        ("17", "is not YYYY"),
        ("2017/05/12", "is not YYYY"),
        ("12-05-2017", "is not YYYY"),
        ("1899", "year out of range"),
        ("0000", "year 0"),
    ],
)
def test_parse_date_refuses_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match="date") as info:
        parse_date(text)
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("value", "precision", "iso"),
    [
        (date(2017, 1, 1), "year", "2017"),
        (date(2017, 5, 1), "month", "2017-05"),
        (date(2017, 5, 12), "day", "2017-05-12"),
    ],
)
def test_iso_date_to_precision(value: date, precision: str, iso: str) -> None:
    assert iso_date(value, precision) == iso


@pytest.mark.parametrize(
    ("text", "value", "status"),
    [
        ("$5,300,000", 5_300_000, "reported"),
        ("81000000", 81_000_000, "reported"),
        ("$0", 0, "reported"),
        ("$550", 550, "reported"),
        ("$38,032", 38_032, "reported"),
        ("1,620", 1_620, "reported"),
        ("5.0", 5, "reported"),
        ("$ 1,000 USD", 1_000, "reported"),
        (str(INT64_MAX), INT64_MAX, "reported"),
        ("$Unknown", None, "unknown"),
        ("unknown", None, "unknown"),
        ("n/a", None, "unknown"),
        ("?", None, "unknown"),
        ("", None, "unknown"),
        ("   ", None, "unknown"),
        ("$1,620,00", None, "malformed"),  # C8 in the tayvano table: never 162,000
        ("$1,62,000", None, "malformed"),
        ("$5.50", None, "malformed"),  # whole dollars only
        ("-5", None, "malformed"),
        ("1e6", None, "malformed"),
        ("five", None, "malformed"),
        ("$$5", None, "malformed"),
        (str(INT64_MAX + 1), None, "malformed"),  # too big to store is not a value
        ("$99,999,999,999,999,999,999", None, "malformed"),
    ],
)
def test_parse_usd(text: str, value: int | None, status: str) -> None:
    usd = parse_usd(text)
    assert (usd.value, usd.status, usd.text) == (value, status, text)


@given(st.one_of(st.sampled_from(TROUBLE), st.text()))
@FUZZ
def test_parse_usd_never_invents(text: str) -> None:
    usd = parse_usd(text)
    assert usd.text == text
    assert usd.status in {"reported", "unknown", "malformed"}
    assert (usd.value is None) == (usd.status != "reported")
    assert usd.value is None or 0 <= usd.value <= INT64_MAX


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("990.1", Decimal("990.1")),
        ("1,000.5", Decimal("1000.5")),
        ("342,000", Decimal("342000")),
        ("0.000000000000000001", Decimal("1e-18")),
        ("99999999999999999999", Decimal("99999999999999999999")),
    ],
)
def test_parse_native_is_exact(text: str, value: Decimal | None) -> None:
    assert parse_native(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "is not a number"),
        ("1,5", "malformed digit grouping"),  # a decimal comma is not a thousands separator
        ("1,620,00", "malformed digit grouping"),
        ("1.5,0", "malformed digit grouping"),
        ("-1", "out of range"),
        ("NaN", "out of range"),
        ("Infinity", "out of range"),
        ("100000000000000000000", "out of range"),
        ("0.0000000000000000001", "more than 18 decimals"),
    ],
)
def test_parse_native_refuses(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_native(text)


@pytest.mark.parametrize(
    ("text", "citations"),
    [
        ("", []),
        ("https://undocs.org/S/2019/691", [Citation("https://undocs.org/S/2019/691", None)]),
        (
            "https://undocs.org/S/2019/691 @ annex 21 ; tayvano README @ Breakdown",
            [
                Citation("https://undocs.org/S/2019/691", "annex 21"),
                Citation("tayvano README", "Breakdown"),
            ],
        ),
        ("a ;  ; b ", [Citation("a", None), Citation("b", None)]),
    ],
)
def test_parse_citations(text: str, citations: list[Citation]) -> None:
    assert parse_citations(text) == citations


@pytest.mark.parametrize(
    ("text", "code"),
    [("KR", "KR"), ("kr", "KR"), ("South Korea", "KR"), ("Vietnam", "VN"), ("", None)],
)
def test_parse_country(text: str, code: str | None) -> None:
    assert parse_country(text) == code


@pytest.mark.parametrize("text", ["Atlantis", "XX", "North and South"])
def test_parse_country_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO 3166 code or a known country name"):
        parse_country(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hot-wallet compromise", "hot_wallet_compromise"),
        ("  SWIFT fraud ", "swift_fraud"),
        ("", "unknown"),
    ],
)
def test_parse_choice_normalises(text: str, value: str) -> None:
    allowed = frozenset({"hot_wallet_compromise", "swift_fraud", "unknown"})
    assert parse_choice(text, "vector", allowed, "unknown") == value


def test_parse_choice_names_field_and_choices() -> None:
    with pytest.raises(ValueError, match="vector 'teleport' is not one of a, b"):
        parse_choice("teleport", "vector", frozenset({"a", "b"}), "a")


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Lazarus", "LAZARUS GROUP", "lazarus-group", "Lazarus Team", "  lazarus "], "lazarus"),
        (["BlueNoroff", "Bluenoroff", "Blue Noroff"], "bluenoroff"),
        (["APT38", "apt-38", "APT 38"], "apt38"),
        (["Group"], "group"),  # a lone 'group' is a name, not a suffix
        (["Cozy Café"], "cozycafe"),
        (["정찰총국", " 정찰 총국 "], "정찰총국"),  # Hangul is kept, spacing ignored
        (["Ким Чен Ын"], "кимченын"),
        (["---", "", "_"], ""),  # nothing to match on: callers refuse these
    ],
)
def test_alias_key_meets_spellings(names: list[str], key: str) -> None:
    assert {alias_key(n) for n in names} == {key}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Lazarus Group", "lazarus-group"),
        ("Reconnaissance General Bureau", "reconnaissance-general-bureau"),
        ("Alphapo + Coinspaid", "alphapo-coinspaid"),
        ("!!!", "x"),
    ],
)
def test_slug(text: str, value: str) -> None:
    assert slug(text) == value
