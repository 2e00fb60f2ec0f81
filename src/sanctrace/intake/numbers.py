"""Numbers as news text writes them: ``1,367,628``, ``2.5``, ``$2 bln``, ``two billion``,
``twenty-five``, ``571 million``. Values are exact (``Decimal``); the spans are kept so that
money, quantity and count rules can look at the words around each number.

Written here rather than taken from a number-words library because the rules need the span of
every number inside running text, which converters that rewrite a whole string do not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from sanctrace.intake.claims import Taken

UNITS: Final[dict[str, int]] = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
TENS: Final[dict[str, int]] = {
    w: 10 * i
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2
    )
}
SCALES: Final[dict[str, int]] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# abbreviations that follow a numeral ("$2 bln", "$5.3m", "81mn"); bare "m", "b" and "k" only
# right after the digits, where they cannot be a word of their own
SCALE_ABBREVIATIONS: Final[dict[str, int]] = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "mil": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trillion": 1_000_000_000_000,
}

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
# a run of number words: "two billion", "twenty-five", "two hundred and fifty thousand";
# "a"/"an" may open a run only before a scale ("a billion dollars")
_WORDS_RE = re.compile(
    rf"\b(?:(?:a|an)\s+(?=(?:hundred|thousand|million|billion|trillion)\b))?"
    rf"(?:{_WORD})(?:(?:\s+and\s+|\s+|-)(?:{_WORD}))*\b",
    re.IGNORECASE,
)
_NUMERAL_RE = re.compile(
    r"(?:(?<=\$US)|(?<![\w.,]))(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)"
    r"(?:(?P<short>k|m|b)\b"
    r"|\s?(?P<abbr>mn|mln|mil|bn|bln|tn)\b\.?"
    r"|\s+(?P<scale>thousand|millions?|billions?|trillion)\b)?",
    re.IGNORECASE,
)


# "one-point-65 billion", "three-point-eight": how broadcasters (KBS, Yonhap radio) write a
# decimal in words; the whole part is a word or digits, the fraction digits or digit words
_DIGIT_WORDS = "zero|one|two|three|four|five|six|seven|eight|nine"
_POINT_RE = re.compile(
    rf"\b(?P<whole>\d+|{_WORD})-point-(?P<frac>\d+|(?:{_DIGIT_WORDS})(?:-(?:{_DIGIT_WORDS}))*)\b"
    r"(?:[ -](?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """A number found in text: ``value`` already multiplied by any scale word."""

    start: int
    end: int
    value: Decimal
    words: bool  # written in words ("two billion") rather than digits
    scaled: bool  # a scale word or abbreviation was applied
    scale: int = 1  # the factor applied ("billion": 10**9)
    high: Decimal | None = None  # the upper end of a range ("$1-2 billion"); value is the lower

    @property
    def is_integer(self) -> bool:
        return self.value == self.value.to_integral_value()


def words_value(text: str) -> int | None:
    """``"two hundred and fifty thousand"`` -> 250000; ``None`` if the words are not one
    well-formed number (``"two three"``)."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower()) if t and t != "and"]
    if not tokens:
        return None
    if tokens[0] in {"a", "an"}:
        tokens[0] = "one"
    total, group, last = 0, 0, ""
    for tok in tokens:
        if tok in UNITS:
            # "twenty-five" is one number; "five three" and "twenty twelve" are not
            if last in UNITS or (last in TENS and not 1 <= UNITS[tok] <= 9):
                return None
            group += UNITS[tok]
        elif tok in TENS:
            if last in UNITS or last in TENS:
                return None
            group += TENS[tok]
        elif tok == "hundred":
            if group == 0 or group >= 100:
                return None
            group *= 100
        elif tok in SCALES:
            if group == 0:
                return None
            total += group * SCALES[tok]
            group = 0
        else:
            return None
        last = tok
    return total + group


def parse_numeral(text: str) -> Decimal | None:
    """``"1,367,628"`` -> 1367628; ``None`` for malformed digit groups."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text``, in order, digits and words alike, scales applied."""
    found: list[Number] = []
    for m in _NUMERAL_RE.finditer(text):
        head = m.group(0)
        digits = re.match(r"[\d,]+(?:\.\d+)?", head)
        if digits is None:
            continue
        value = parse_numeral(digits.group(0))
        if value is None:
            continue
        scale_word = m.group("short") or m.group("abbr") or m.group("scale")
        end = m.end()
        if scale_word:
            value *= SCALE_ABBREVIATIONS[scale_word.lower()]
        factor = SCALE_ABBREVIATIONS[scale_word.lower()] if scale_word else 1
        found.append(Number(m.start(), end, value, False, bool(scale_word), factor))
    found = _ranges(text, found)
    taken = Taken()
    spoken = _point_numbers(text)
    for n in spoken:
        taken.add(n.start, n.end)
    found = [n for n in found if not taken.overlaps(n.start, n.end)] + spoken
    for n in found:
        taken.add(n.start, n.end)
    for m in _WORDS_RE.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        value_int = words_value(m.group(0))
        if value_int is None:
            continue
        scaled = any(w in m.group(0).lower() for w in ("thousand", "million", "billion"))
        found.append(Number(m.start(), m.end(), Decimal(value_int), words=True, scaled=scaled))
    # "2.5 million" written as digits + a scale word is handled above; "two million" here
    found.sort(key=lambda n: n.start)
    return found


def _point_numbers(text: str) -> list[Number]:
    """ "one-point-65 billion" is 1.65 billion; "three-point-eight" is 3.8."""
    out: list[Number] = []
    for m in _POINT_RE.finditer(text):
        whole = m.group("whole")
        whole_value = int(whole) if whole.isdigit() else words_value(whole)
        if whole_value is None:
            continue
        frac = m.group("frac")
        if not frac.isdigit():
            frac = "".join(str(UNITS[w]) for w in frac.lower().split("-"))
        value = Decimal(f"{whole_value}.{frac}")
        scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1
        out.append(Number(m.start(), m.end(), value * scale, True, scale > 1, scale))
    return out


# "1-2", "1 to 2", "$1.5 to $2": the currency may be repeated on the upper end
_RANGE_JOIN = re.compile(r"(?:\s?[-–]\s?|\s+to\s+)(?:US\$|\$|€|£|¥|₩)?")


def _ranges(text: str, found: list[Number]) -> list[Number]:
    """ "1-2 billion" and "1.5 to 2 million": the scale written once applies to both ends, so
    the pair is one number from 1 billion to 2 billion, not "1" and "2 billion"."""
    out: list[Number] = []
    for n in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.scaled
            and prev.high is None
            and n.scaled
            and _RANGE_JOIN.fullmatch(text[prev.end : n.start])
        ):
            low = prev.value * n.scale
            if low < n.value:
                out[-1] = Number(prev.start, n.end, low, False, True, n.scale, n.value)
                continue
        out.append(n)
    return out


def as_value(value: Decimal) -> int | Decimal:
    """Integers as ``int`` (the JSON integer a reviewer expects), fractions as ``Decimal``."""
    return int(value) if value == value.to_integral_value() else value.normalize()
