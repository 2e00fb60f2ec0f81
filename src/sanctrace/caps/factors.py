"""Named conversion factors between tonnes (or a tanker's deadweight) and barrels.

Caps are in barrels (refined; crude also in tonnes) while suppliers report barrels, tonnes or
both, and tankers are listed by deadweight. A factor is used only where one figure is
missing, and every converted figure keeps the factor's name, so a reader can see which
figures were measured and which were computed. The factors are data
(``data/petroleum/factors.csv``, each with its citation); values are exact fractions
(``8.33``, ``4000000/525000``), so no float ever touches a volume.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Final, Literal

Applies = Literal["tonnes", "dwt"]

FACTORS_FILE: Final = "petroleum/factors.csv"
PLACES: Final = 3
"""Converted volumes keep three decimals (thousandths of a barrel or tonne), rounded half to
even; nothing is rounded further until a figure is shown."""


@dataclass(frozen=True)
class Factor:
    """Barrels per tonne of ``commodity`` (per deadweight tonne when ``applies_to`` is dwt)."""

    name: str
    commodity: str
    applies_to: Applies
    text: str  # as written in the data: "8.33", "4000000/525000"
    citation: str
    note: str

    @property
    def value(self) -> Fraction:
        return parse_ratio(self.text)


def parse_ratio(text: str) -> Fraction:
    """``8.33`` or ``4000000/525000`` as an exact positive fraction; ``ValueError`` otherwise."""
    text = text.strip()
    try:
        if "/" in text:
            num, _, den = text.partition("/")
            value = Fraction(Decimal(num.strip())) / Fraction(Decimal(den.strip()))
        else:
            value = Fraction(Decimal(text))
    except (ArithmeticError, ValueError):
        raise ValueError(f"factor {text!r} is not a number or a ratio such as 160/21") from None
    if value <= 0:
        raise ValueError(f"factor {text!r} must be positive")
    return value


def exact(value: Fraction, places: int = PLACES) -> Decimal:
    """``value`` as a decimal of ``places`` decimals, rounded half to even (exact arithmetic:
    the fraction is scaled and rounded as an integer, never through a float)."""
    scaled = round(value * 10**places)  # Fraction.__round__: half to even
    return Decimal(scaled).scaleb(-places)


@cache
def factors() -> dict[str, Factor]:
    """The bundled factors by name."""
    from sanctrace.data import bundled

    out: dict[str, Factor] = {}
    with bundled(FACTORS_FILE).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            applies: Applies
            if row["applies_to"] == "tonnes":
                applies = "tonnes"
            elif row["applies_to"] == "dwt":
                applies = "dwt"
            else:
                raise ValueError(f"{FACTORS_FILE}: applies_to {row['applies_to']!r} is unknown")
            factor = Factor(
                row["factor"], row["commodity"], applies, row["barrels_per_tonne"],
                row["citation"], row["note"],
            )  # fmt: skip
            factor.value  # noqa: B018  # a bad bundled value fails here, not mid-ingest
            out[factor.name] = factor
    return out


def default_factor(commodity: str, applies_to: Applies) -> Factor | None:
    """The bundled factor for a commodity: tonnes <-> barrels, or deadweight -> barrels."""
    for f in factors().values():
        if f.commodity == commodity and f.applies_to == applies_to:
            return f
    return None


def get_factor(name: str, commodity: str, applies_to: Applies) -> Factor:
    """A named factor, checked to fit the row it converts; ``ValueError`` names the choices."""
    f = factors().get(name)
    if f is None:
        raise ValueError(f"factor {name!r} is unknown; known factors: {', '.join(factors())}")
    if (f.commodity, f.applies_to) != (commodity, applies_to):
        raise ValueError(
            f"factor {name!r} converts {f.applies_to} of {f.commodity}, "
            f"not {applies_to} of {commodity}"
        )
    return f
