"""Scoring observed domains against the protected brands: each match names the brand, the
kind of resemblance, a score and why."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.phishing.lookalikes import (
    MIN_SCORE,
    default_brands,
    match_domain,
    matcher,
    score_domains,
    skeleton,
)
from sanctrace.sources.brands_csv import Brand

FIXTURES = Path(__file__).parent.parent / "fixtures" / "phishing"


def best(domain: str) -> dict[str, object]:
    found = match_domain(domain)
    assert found, f"{domain} not flagged"
    return found[0]


@pytest.mark.parametrize(
    ("domain", "brand_domain", "kind"),
    [
        # the examples
        ("upbit-login-kr.com", "upbit.com", "combo"),
        ("upbit-login.com", "upbit.com", "permutation:dictionary"),
        ("secure-upbit.net", "upbit.com", "combo"),
        ("upbit-login-kr-event.com", "upbit.com", "combo"),
        # punycode decoded before comparing: the 2018 Binance homograph
        ("xn--bnnce-k11b2l.com", "binance.com", "permutation:homoglyph"),
        ("b\u1ecbn\u1ea1nce.com", "binance.com", "permutation:homoglyph"),
        # a homograph dnstwist does not make: dotless i and a with dot below together
        ("b\u0131n\u1ea1nc\u1eb9.io", "binance.com", "homoglyph"),
        ("upb1t.io", "upbit.com", "homoglyph"),
        ("binance.com.tw", "binance.com", "tld-swap"),
        ("korbit.com", "korbit.co.kr", "permutation:tld-swap"),
        ("\uc5c5\ube44\ud2b8-event.com", "upbit.com", "alias"),  # Hangul "UPbit"
        ("coinbase.com.eslogin.co", "coinbase.com", "brand-in-subdomain"),
        ("okx-airdrop.pages.dev", "okx.com", "brand-in-subdomain"),
        ("bitsumb.com", "bithumb.com", "typo"),
        ("at-bianance.com.cn", "binance.com", "combo-typo"),
        ("coinasehelp.online", "coinbase.com", "combo-typo"),
        ("okxhelp.cc", "okx.com", "combo"),
    ],
)
def test_lookalikes_are_named_with_their_kind(domain: str, brand_domain: str, kind: str) -> None:
    hits = match_domain(domain)
    assert (brand_domain, kind) in {(h["brand_domain"], h["kind"]) for h in hits}
    assert hits[0]["brand"] == next(h["brand"] for h in hits if h["brand_domain"] == brand_domain)
    assert all(MIN_SCORE <= h["score"] <= 1 and h["explanation"] for h in hits)


def test_a_match_is_explained() -> None:
    hit = best("b\u0131n\u1ea1nc\u1eb9.io")
    assert hit == {
        "brand": "Binance",
        "brand_domain": "binance.com",
        "kind": "homoglyph",
        "score": 0.95,
        "explanation": "'b\u0131n\u1ea1nc\u1eb9' reads as 'binance': "
        "'\u0131' (U+0131) for 'i', '\u1ea1' (U+1EA1) for 'a', '\u1eb9' (U+1EB9) for 'e'",
    }
    assert best("secure-upbit.net")["explanation"] == (
        "the brand name 'upbit' with the extra word(s) secure"
    )


@pytest.mark.parametrize(
    "domain",
    [
        "upbit.com",
        "www.upbit.com",
        "sg.upbit.com",
        "UPBIT.COM.",
        "dunamu.com",
        "korbit.co.kr",
        "api.binance.us",
        "accounts.coinbase.com",
    ],
)
def test_the_brands_own_domains_are_never_flagged(domain: str) -> None:
    assert match_domain(domain) == []
    assert matcher().is_legitimate(domain)


@pytest.mark.parametrize(
    "domain",
    [
        "example.com",
        "github.com",  # two edits from "bithumb", and another first letter
        "balance.technology",
        "ok.ru",
        "",
        "not a domain",
        "192.0.2.1",
        "xn--.com",
    ],
)
def test_unrelated_names_and_garbage_are_not_flagged(domain: str) -> None:
    assert match_domain(domain) == []


def test_a_bitsquat_of_a_word_is_flagged_weakly() -> None:
    """dnstwist's bitsquats are exact permutations: finance.com is binance.com with one bit
    flipped (b 0x62, f 0x66). It is reported, at the lowest permutation score, because a
    compliance team watching binance.com wants to know about it."""
    [hit] = match_domain("finance.com")
    assert (hit["kind"], hit["score"]) == ("permutation:bitsquatting", 0.78)


def test_custom_brands() -> None:
    mine = [Brand("Example Bank", "examplebank.kr", ("이그잼플",))]
    assert match_domain("examplebank-login.kr", mine)[0]["brand"] == "Example Bank"
    assert match_domain("upbit-login.com", mine) == []
    assert match_domain("examplebank.kr", mine) == []


def test_skeleton_reads_lookalike_characters() -> None:
    assert skeleton("b\u0131n\u0430nce") == skeleton("binance")  # dotless i, Cyrillic a
    assert skeleton("upb1t") == skeleton("upbit") == "upblt"
    assert skeleton("rnetamask") == skeleton("metamask")
    assert skeleton("c0inone") == skeleton("coinone")
    assert skeleton("kucoin") != skeleton("kuccin")


def test_real_lookalikes_from_public_reports() -> None:
    """Most of the 113 published phishing domains in the fixture are found (the benchmark
    measures the rate; docs/benchmarks.md); each row names its source."""
    with (FIXTURES / "real_lookalikes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 113 and all(r["source_url"].startswith("https://") for r in rows)
    m = matcher()
    found = [
        r for r in rows if any(h.brand_domain == r["brand_domain"] for h in m.match(r["domain"]))
    ]
    assert len(found) / len(rows) >= 0.95


def test_real_unrelated_domains_are_rarely_flagged() -> None:
    lines = (FIXTURES / "unrelated_domains.txt").read_text(encoding="utf-8").splitlines()
    hosts = [h for h in lines if h and not h.startswith("#")]
    scored = score_domains(hosts)
    assert scored.domains == 5000
    assert len(scored.matches) / (scored.domains - scored.legitimate) <= 0.01


def test_score_domains_counts_each_domain_once() -> None:
    scored = score_domains(["upbit-login.com", "UPBIT-LOGIN.com", "upbit.com", "example.org"])
    assert (scored.domains, scored.legitimate) == (3, 1)
    assert [m.domain for m in scored.matches] == ["upbit-login.com"]
    assert scored.matches[0].unicode == "upbit-login.com"


def test_default_brands_are_the_bundled_list() -> None:
    domains = {b.domain for b in default_brands()}
    assert {"upbit.com", "bithumb.com", "korbit.co.kr", "coinone.co.kr", "binance.com"} <= domains
    assert {"coinbase.com", "okx.com", "bybit.com", "kraken.com"} <= domains


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda a, b: f"{a}.{b}",
            st.text(min_size=1, max_size=20),
            st.sampled_from(["com", "co.kr", "xn--p1ai", "pages.dev", "", "."]),
        ),
    )
)
def test_any_text_is_scored_without_error(text: str) -> None:
    for hit in match_domain(text):
        assert MIN_SCORE <= hit["score"] <= 1 and hit["brand_domain"] and hit["explanation"]
