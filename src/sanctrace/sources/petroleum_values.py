"""Values that the petroleum adapters (``caps``, ``deliveries``) read: commodities, periods,
volumes, shares (load scenarios, thresholds). Each parser raises ``ValueError`` with a reason
a user can act on; the adapters quarantine the row with it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from sanctrace.sources.values import parse_date, parse_native

COMMODITIES: Final = ("refined", "crude")
UNITS: Final = ("barrels", "tonnes")
VOLUME_MAX: Final = Decimal(10) ** 15  # the decimal(18, 3) columns' limit
VOLUME_PLACES: Final = 3
SHARE_PLACES: Final = 4  # decimal(5, 4): 0.3333 at most


@dataclass(frozen=True)
class Period:
    """A closed range of days: ``2018`` is 2018-01-01..2018-12-31."""

    start: date
    end: date
    text: str


def parse_commodity(text: str) -> str:
    value = text.strip().lower()
    if value not in COMMODITIES:
        raise ValueError(f"commodity {text!r} is not one of {', '.join(COMMODITIES)}")
    return value


def _bounds(text: str) -> tuple[date, date]:
    d = parse_date(text)
    if d.precision == "year":
        return d.value, date(d.value.year, 12, 31)
    if d.precision == "month":
        last = calendar.monthrange(d.value.year, d.value.month)[1]
        return d.value, date(d.value.year, d.value.month, last)
    return d.value, d.value


def parse_period(text: str) -> Period:
    """``2018``, ``2018-03``, ``2018-03-14`` or an interval ``START/END`` of those (ISO 8601's
    solidus), each end taken at its precision: ``2018-01/2018-05`` ends on 31 May."""
    text = text.strip()
    if not text:
        raise ValueError("period is empty: a delivery must be placed in time")
    if text.count("/") > 1:
        raise ValueError(f"period {text!r} has more than one '/'")
    first, _, last = text.partition("/")
    start, end = _bounds(first)
    if last:
        end = _bounds(last)[1]
    if end < start:
        raise ValueError(f"period {text!r} ends before it starts")
    return Period(start, end, text)


def parse_volume(text: str, field: str) -> Decimal | None:
    """Barrels or tonnes as an exact decimal (``1,519,587``, ``1410.5``); None when empty."""
    try:
        value = parse_native(text)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None
    if value is None:
        return None
    if value >= VOLUME_MAX:
        raise ValueError(f"{field} {text!r} is too large")
    if value.as_tuple().exponent < -VOLUME_PLACES:  # type: ignore[operator]
        raise ValueError(f"{field} {text!r} has more than {VOLUME_PLACES} decimals")
    return value


def parse_share(text: str, field: str) -> Decimal:
    """A share of a whole in (0, 1]: ``0.5``, ``0.50`` or ``50%``; four decimals at most."""
    raw = text.strip()
    body = raw[:-1].strip() if raw.endswith("%") else raw
    try:
        value = parse_native(body)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"{field} {text!r} is not a share such as 0.5 or 50%")
    if raw.endswith("%"):
        value = value / 100
    if not 0 < value <= 1:
        raise ValueError(f"{field} {text!r} is not above 0 and at most 1 (100%)")
    if value.normalize().as_tuple().exponent < -SHARE_PLACES:  # type: ignore[operator]
        raise ValueError(f"{field} {text!r} has more than {SHARE_PLACES} decimals")
    return value


def parse_thresholds(text: str) -> list[Decimal]:
    """``0.75;0.90;0.95`` (or percentages) -> ascending distinct shares; empty for none."""
    values = {parse_share(part, "threshold") for part in text.split(";") if part.strip()}
    return sorted(values)
