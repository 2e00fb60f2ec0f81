"""The seeded generator of labelled lookalike domains that the lookalike benchmark uses."""

from __future__ import annotations

import random
from collections import Counter

import idna

from sanctrace.sources.brands_csv import Brand
from sanctrace.synthetic.lookalike_domains import TECHNIQUES, generate, typo

BRANDS = [Brand("UPbit", "upbit.com"), Brand("Korbit", "korbit.co.kr"), Brand("OKX", "okx.com")]


def test_same_seed_same_domains() -> None:
    assert generate(BRANDS, 30, seed=3) == generate(BRANDS, 30, seed=3)
    assert generate(BRANDS, 30, seed=3) != generate(BRANDS, 30, seed=4)


def test_every_technique_for_every_brand() -> None:
    made = generate(BRANDS, 40, seed=1)
    assert Counter(m.brand_domain for m in made) == {b.domain: 40 for b in BRANDS}
    assert {m.technique for m in made if m.brand_domain == "upbit.com"} == set(TECHNIQUES)
    # a misspelt combo needs a name long enough to be read through one edit
    assert "combo-typo" not in {m.technique for m in made if m.brand_domain == "okx.com"}


def test_domains_are_ascii_valid_and_not_the_brands_own() -> None:
    made = generate(BRANDS, 60, seed=2)
    assert len({m.domain for m in made}) == len(made)
    for m in made:
        assert m.domain.isascii() and m.domain not in {b.domain for b in BRANDS}
        idna.decode(m.domain)  # punycode that decodes
    homographs = [m for m in made if m.technique == "homoglyph"]
    assert homographs and all("xn--" in m.domain for m in homographs)


def test_typos_keep_the_first_letter() -> None:
    rng = random.Random(5)
    for _ in range(200):
        slip = typo(rng, "bithumb")
        assert slip[0] == "b" and slip != "bithumb"
