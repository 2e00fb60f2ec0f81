"""Dates and periods, to the precision the text gives: ``in 2018`` is the year 2018, ``May
2019`` a month, ``the first four months of 2019`` the interval 2019-01/2019-04, ``between
February and August`` the months February to August of a year the sentence does not say.

Values are ISO 8601 (``2018``, ``2019-05``, ``2019-05-12``, intervals ``start/end``); a month
with no known year is written ``XXXX-02`` as in the Library of Congress' EDTF, so that a
reviewer sees the gap instead of a guessed year.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from sanctrace.intake.claims import Mention, Taken
from sanctrace.intake.numbers import words_value

MONTHS: Final[dict[str, int]] = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_SMALL = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

_RULES: Final[list[tuple[str, re.Pattern[str]]]] = [
    (
        "period.first_months",
        re.compile(
            rf"\b(?:the\s+)?(?P<which>first|last|final)\s+(?P<n>{_SMALL})\s+months\s+of\s+"
            rf"(?:(?P<y>{_YEAR})|(?P<rel>this|last|that|the\s+same|the\s+previous)\s+year)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "period.half_quarter",
        re.compile(
            rf"\b(?:the\s+)?(?P<which>first|second|third|fourth|last)\s+"
            rf"(?P<part>half|quarter)\s+of\s+(?P<y>{_YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "period.between_months",
        re.compile(
            rf"(?:\b(?P<dur>{_SMALL})[- ]month\s+(?:interval|period|span|stretch)\s+)?"
            rf"\b(?:between|from)\s+(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?\s+(?:and|to|until|"
            rf"through)\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}))?\b"
        ),
    ),
    (
        "period.between_years",
        re.compile(
            rf"\b(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to|until|through)\s+(?P<y2>{_YEAR})\b"
        ),
    ),
    (
        "period.year_range",
        re.compile(rf"(?<![\w-])(?P<y1>{_YEAR})\s?[-–]\s?(?P<y2>{_YEAR}|\d\d)(?![\w-])"),
    ),
    (
        "date.iso",
        re.compile(rf"(?<![\w-])(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)(?![\w-])"),
    ),
    (
        "date.day_month_year",
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    ),
    (
        "date.month_day_year",
        re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b"),
    ),
    ("date.month_year", re.compile(rf"\b(?P<m>{_MONTH})(?:\s+of)?\s+(?P<y>{_YEAR})\b")),
    ("date.year", re.compile(rf"(?<![\w$.,-])(?P<y>{_YEAR})(?![\w%,.]\d|[\w-])")),
]


def find_dates(text: str) -> list[Mention]:
    """Periods first, then dates not inside a period, so "the first 4 months of 2019" is one
    period and not also the year 2019."""
    out: list[Mention] = []
    taken = Taken()
    for rule, regex in _RULES:
        for m in regex.finditer(text):
            if not taken.add(m.start(), m.end()):
                continue
            # an impossible date ("31 February 2019") is no date at all, not February 2019
            mention = _mention(rule, m)
            if mention is not None:
                out.append(mention)
    out.sort(key=lambda x: x.start)
    return out


def _mention(rule: str, m: re.Match[str]) -> Mention | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    attrs: dict[str, str] = {}
    if rule == "period.first_months":
        n = _small(g["n"])
        if n is None or not 1 <= n <= 12:
            return None
        first, last = (1, n) if g["which"].lower() == "first" else (13 - n, 12)
        # "this year", "last year": the year depends on when the text was written, which the
        # text does not say; left unknown (XXXX) rather than guessed from today
        year = g["y"] or "XXXX"
        if g["rel"]:
            attrs.update(
                {"year": "unknown", "relative": " ".join([*g["rel"].lower().split(), "year"])}
            )
        value = f"{year}-{first:02d}/{year}-{last:02d}"
        return Mention("period", start, end, value, None, rule, 0.9 if g["y"] else 0.7, attrs)
    if rule == "period.half_quarter":
        year, which, part = int(g["y"]), g["which"].lower(), g["part"].lower()
        index = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 0}[which]
        size = 6 if part == "half" else 3
        count = 12 // size
        if index == 0:
            index = count
        if index > count:
            return None
        first, last = (index - 1) * size + 1, index * size
        return Mention("period", start, end, f"{year}-{first:02d}/{year}-{last:02d}", None,
                       rule, 0.9, attrs)  # fmt: skip
    if rule == "period.between_months":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y1 = g["y1"] or g["y2"]
        y2 = g["y2"] or g["y1"]
        left = f"{y1 or 'XXXX'}-{m1:02d}"
        right = f"{y2 or 'XXXX'}-{m2:02d}"
        if g["dur"]:
            n = _small(g["dur"])
            if n is not None:
                attrs["duration"] = f"P{n}M"
        if y1 is None:
            attrs["year"] = "unknown"
        return Mention("period", start, end, f"{left}/{right}", None, rule,
                       0.85 if y1 else 0.7, attrs)  # fmt: skip
    if rule in {"period.between_years", "period.year_range"}:
        y1 = int(g["y1"])
        y2_text = g["y2"]
        y2 = int(y2_text) if len(y2_text) == 4 else (y1 // 100) * 100 + int(y2_text)
        if y2 <= y1:
            return None
        return Mention("period", start, end, f"{y1}/{y2}", None, rule, 0.85, attrs)
    if rule == "date.year":
        return Mention("date", start, end, g["y"], None, rule, 0.7, attrs)
    year, month = int(g["y"]), _month(g["m"])
    if rule == "date.month_year":
        return Mention("date", start, end, f"{year}-{month:02d}", None, rule, 0.85, attrs)
    try:
        day = date(year, month, int(g["d"]))
    except ValueError:
        return None
    return Mention("date", start, end, day.isoformat(), None, rule, 0.9, attrs)


def _month(text: str) -> int:
    """1-12 for a month name or abbreviation; the number itself for digits (may be invalid,
    which ``date`` then refuses)."""
    return int(text) if text.isdigit() else MONTHS[text.rstrip(".").lower()]


def _small(text: str) -> int | None:
    return int(text) if text.isdigit() else words_value(text)
