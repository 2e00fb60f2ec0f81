"""Conversion factors: named, cited, exact."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from sanctrace.caps.factors import default_factor, exact, factors, get_factor, parse_ratio


def test_bundled_factors_are_cited_and_exact() -> None:
    found = factors()
    assert set(found) == {"refined-1718", "crude-2397", "dwt-refined", "dwt-crude"}
    assert all(f.citation for f in found.values())
    assert found["refined-1718"].value == Fraction(833, 100)
    assert found["crude-2397"].value == Fraction(160, 21)  # 4,000,000 bbl / 525,000 t
    assert default_factor("crude", "dwt") == found["dwt-crude"]


def test_ratios() -> None:
    assert parse_ratio(" 4000000 / 525000 ") == Fraction(160, 21)
    for bad in ("", "x", "0", "-8.33", "1/0", "1/2/3", "nan"):
        with pytest.raises(ValueError):
            parse_ratio(bad)


def test_exact_rounds_half_to_even() -> None:
    assert exact(Fraction(1, 2000)) == Decimal("0.000")  # 0.0005 -> even
    assert exact(Fraction(3, 2000)) == Decimal("0.002")  # 0.0015 -> even
    assert exact(Fraction(241114) / Fraction(833, 100)) == Decimal("28945.258")


def test_a_factor_must_fit_the_row() -> None:
    with pytest.raises(ValueError, match="converts tonnes of refined, not dwt of refined"):
        get_factor("refined-1718", "refined", "dwt")
    with pytest.raises(ValueError, match="unknown; known factors: refined-1718"):
        get_factor("x", "refined", "tonnes")
