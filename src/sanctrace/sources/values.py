"""Cleaning of the values that several adapters read: dates with precision, USD amounts as
reported, citations, countries and vocabulary fields. Each function raises ``ValueError`` with
a reason a user can act on; adapters turn that into a quarantined row or a flag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2}|[A-Za-z]{3})(?:-(?P<d>\d{1,2}))?)?$")


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to a precision: ``value`` is the first day of the year or month."""

    value: date
    precision: str  # day | month | year
    text: str

    def iso(self) -> str:
        return iso_date(self.value, self.precision)


def iso_date(value: date, precision: str) -> str:
    """ISO 8601 to the known precision: ``2017``, ``2017-05`` or ``2017-05-12``."""
    return value.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]]


def parse_date(text: str) -> FuzzyDate:
    """``2017``, ``2017-05``, ``2017-05-12`` or ``2017-May-12``."""
    text = text.strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"date {text!r} is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Mon-DD")
    year = int(m["y"])
    month_text, day_text = m["m"], m["d"]
    if month_text is None:
        month, precision = 1, "year"
    elif month_text.isdigit():
        month, precision = int(month_text), "month"
    else:
        month = _MONTHS.get(month_text.lower(), 0)
        precision = "month"
        if not month:
            raise ValueError(f"date {text!r}: unknown month {month_text!r}")
    day = 1
    if day_text is not None:
        day, precision = int(day_text), "day"
    try:
        value = date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"date {text!r}: {exc}") from None
    if not 1900 <= year <= 2100:
        raise ValueError(f"date {text!r}: year out of range")
    return FuzzyDate(value, precision, text)


@dataclass(frozen=True)
class ReportedUsd:
    """A USD amount as a source reports it. ``value`` is None unless ``status`` is reported."""

    value: int | None
    status: str  # reported | unknown | malformed
    text: str


_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
USD_MAX = 2**63 - 1  # the int64 column's limit: a larger figure is a typo, not a value


def parse_usd(text: str) -> ReportedUsd:
    """``$5,300,000``, ``81000000``, ``$Unknown`` or empty. Digit grouping must be well
    formed: ``$1,620,00`` is flagged malformed, never read as 162,000 or 1,620,000."""
    raw = text
    text = text.strip().replace(" ", "")
    body = text[1:] if text.startswith("$") else text
    if body.upper().endswith("USD"):
        body = body[:-3]
    if not body or body.lower() in {"unknown", "n/a", "na", "?", "-"}:
        return ReportedUsd(None, "unknown", raw)
    value: int | None = None
    if _GROUPED.match(body):
        value = int(body.replace(",", ""))
    elif _PLAIN.match(body):
        exact = Decimal(body)
        # whole dollars only: the sources report none finer; keep the text, flag it
        if exact == exact.to_integral_value():
            value = int(exact)
    if value is None or value > USD_MAX:
        return ReportedUsd(None, "malformed", raw)
    return ReportedUsd(value, "reported", raw)


COUNT_MAX = 2**31 - 1  # the int32 count columns' limit
_WHOLE = re.compile(r"[0-9]+")


def parse_whole(text: str, field: str, maximum: int = COUNT_MAX) -> int:
    """A count such as ``35``: ASCII digits only (``²``, ``-2`` and ``3.0`` are refused)."""
    if not _WHOLE.fullmatch(text):
        raise ValueError(f"{field} {text!r} is not a whole number")
    value = int(text)
    if value > maximum:
        raise ValueError(f"{field} {text!r} is too large")
    return value


def parse_native(text: str) -> Decimal | None:
    """A native-asset amount as an exact decimal (``1.5``, ``990.1``, ``342,000``). Digit
    grouping must be well formed: ``1,5`` and ``1,620,00`` are refused, never read as 15 or
    162,000."""
    text = text.strip()
    if not text:
        return None
    whole, _, fraction = text.partition(".")
    if "," in fraction or ("," in whole and not _GROUPED.match(whole)):
        raise ValueError(f"amount {text!r} has malformed digit grouping")
    text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"amount {text!r} is not a number") from None
    if not value.is_finite() or value < 0 or value >= Decimal(10) ** 20:
        raise ValueError(f"amount {text!r} is out of range")
    if value.as_tuple().exponent < -18:  # type: ignore[operator]
        raise ValueError(f"amount {text!r} has more than 18 decimals")
    return value


@dataclass(frozen=True)
class Citation:
    document: str
    locator: str | None


def parse_citations(text: str) -> list[Citation]:
    """``URL @ locator ; other-doc @ p. 3`` -> citations."""
    out = []
    for part in text.split(" ; "):
        part = part.strip()
        if not part:
            continue
        doc, _, loc = part.partition(" @ ")
        out.append(Citation(doc.strip(), loc.strip() or None))
    return out


def country_caption(code: str) -> str | None:
    """FtM's English name of an ISO 3166 code (``KR`` -> ``South Korea``); None if unknown."""
    from followthemoney.types import registry  # 1 s to import: only when a name is wanted

    caption = registry.country.caption(code.lower())
    return str(caption) if caption and caption.lower() != code.lower() else None


def parse_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 (upper case) from a code or an English name; None when empty."""
    text = text.strip()
    if not text:
        return None
    from followthemoney.types import registry  # 1 s to import: only when a country is read

    code = registry.country.clean(text)
    if code is None or len(code) != 2:
        raise ValueError(f"country {text!r} is not an ISO 3166 code or a known country name")
    return code.upper()


def parse_choice(text: str, field: str, allowed: frozenset[str], default: str) -> str:
    """A vocabulary value: case, spaces and hyphens are normalised (``Hot-wallet compromise``
    -> ``hot_wallet_compromise``); empty gives ``default``."""
    value = re.sub(r"[\s\-/]+", "_", text.strip().lower())
    if not value:
        return default
    if value not in allowed:
        raise ValueError(f"{field} {text!r} is not one of {', '.join(sorted(allowed))}")
    return value


def alias_key(name: str) -> str:
    """The key that actor names and aliases are matched on: case, accents, punctuation and a
    trailing 'group'/'team' ignored, so 'Lazarus', 'LAZARUS GROUP' and 'lazarus-group' meet.
    Letters of every script are kept: '정찰총국' (the RGB in Korean) is a key of its own."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", stripped).casefold()  # Hangul recomposed
    words = re.findall(r"[^\W_]+", folded)
    if len(words) > 1 and words[-1] in {"group", "team"}:
        words = words[:-1]
    return "".join(words)


def slug(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"
