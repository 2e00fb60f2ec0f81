"""Physical quantities of a commodity (``1,367,628 barrels``, ``500,000 barrels of refined
petroleum products``) and caps on them. A quantity with a limit word just before it ("the
annual limit of", spun as "annual restrict of") is a cap: the sanctions figure that reported
deliveries are compared against."""

from __future__ import annotations

import re
from typing import Final

from sanctrace.intake import vocabulary
from sanctrace.intake.claims import Mention
from sanctrace.intake.money import bound_before
from sanctrace.intake.numbers import Number, as_value

# written unit (lower case) -> the unit a claim records
UNITS: Final[dict[str, str]] = {
    "barrels": "barrel",
    "barrel": "barrel",
    "bbl": "barrel",
    "mmbbl": "barrel",  # the oil trade's million barrels: "3.78 MMbbl"
    "metric tons": "tonne",
    "metric tonnes": "tonne",
    "tonnes": "tonne",
    "tonne": "tonne",
    "tons": "tonne",
    "ton": "tonne",
    "kilograms": "kilogram",
    "kilogrammes": "kilogram",
    "kg": "kilogram",
    "litres": "litre",
    "liters": "litre",
    "gallons": "gallon",
    "cubic metres": "cubic metre",
    "cubic meters": "cubic metre",
}
# between two figures that share the unit written after the second
_SHARED_RE = re.compile(r"\s+(?:and|or)\s+(?:then\s+)?")
# units that carry a scale of their own
_UNIT_SCALE: Final[dict[str, int]] = {"mmbbl": 1_000_000}
# "500,000 barrels", "3.78 MMbbl", and as a modifier "a 17,061-ton ship"
_UNIT_RE = re.compile(
    r"^(?:\s*|-)(" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# words that end a commodity phrase ("barrels of refined petroleum [within] the first ...")
_STOP = (
    r"in|into|within|to|from|by|for|at|on|over|during|through|and|or|that|which|were|was|is|"
    r"are|had|has|have|per|a|an|the|this|each|since|until|between|last|this|its|their"
)
_COMMODITY_RE = re.compile(
    rf"^\s+of\s+((?:(?!(?:{_STOP})\b)[a-z][a-z-]*\s*){{1,4}})", re.IGNORECASE
)
# a limit word, then up to eight words ("caps refined petroleum product imports"), then "at",
# "to" or "of" just before the number
_CAP_RE = re.compile(
    rf"\b(?:{vocabulary.pattern('cap')}|capped|limited|restricted)\b"
    r"(?:\s+[\w-]+){0,8}?\s+(?:of|at|to|on|is|was)\s+(?:about\s+|some\s+)?$",
    re.IGNORECASE,
)
# "... at 500,000 barrels per year and crude oil at 4 million barrels": the second figure
# continues the first cap
_CONTINUED_RE = re.compile(r"^[^.;]{0,40}\b(?:and|while|with)\b[^.;]{0,40}\b(?:at|to)\s+$")
_ANNUAL_RE = re.compile(rf"\b(?:{vocabulary.ANNUAL}|annually)\b", re.IGNORECASE)
_RATE_RE = re.compile(
    r"^\s*(?:a|per|each|every)\s+(day|month|year|annum)\b|^\s*(daily|monthly|annually|yearly)\b",
    re.IGNORECASE,
)
_PER = {
    "day": "day", "daily": "day", "month": "month", "monthly": "month", "year": "year",
    "annum": "year", "annually": "year", "yearly": "year",
}  # fmt: skip
_COMMODITIES = ("refined petroleum products", "crude oil", "coal", "iron ore")


def commodity(text: str) -> str:
    """The canonical commodity for a phrase ("refined petroleum merchandise" is refined
    petroleum products); other phrases stay as written, in lower case."""
    phrase = " ".join(text.split()).lower()
    return vocabulary.canonical(phrase, _COMMODITIES) or phrase


def _named_before(before: str) -> str | None:
    """The last known commodity named in the clause before a figure ("caps refined petroleum
    product imports at 500,000 barrels")."""
    best: tuple[int, str] | None = None
    for term in _COMMODITIES:
        for m in re.finditer(vocabulary.pattern(term), before, re.IGNORECASE):
            if best is None or m.start() > best[0]:
                best = (m.start(), term)
    return best[1] if best else None


def find_quantities(text: str, numbers: list[Number]) -> list[Mention]:
    """Numbers with a physical unit after them; caps where a limit word comes before."""
    out: list[Mention] = []
    for i, n in enumerate(numbers):
        unit_m = _UNIT_RE.match(text[n.end : n.end + 20])
        end = n.end + unit_m.end() if unit_m else n.end
        if unit_m is None:
            # "1,500 and then 2,000 tons": the first figure shares the unit written after the
            # second; its claim is the figure alone, with the unit of the one that follows
            nxt = numbers[i + 1] if i + 1 < len(numbers) else None
            if nxt is None or not _SHARED_RE.fullmatch(text[n.end : nxt.start]):
                continue
            if nxt.scaled and not n.scaled:
                continue  # "2 and 3 million barrels": does "million" apply to 2? not said
            unit_m = _UNIT_RE.match(text[nxt.end : nxt.end + 20])
            if unit_m is None:
                continue
        scale = _UNIT_SCALE.get(unit_m.group(1).lower(), 1)
        attrs: dict[str, str] = {}
        of = _COMMODITY_RE.match(text[end : end + 80])
        before = _clause_before(text, n.start)
        if of:
            phrase = of.group(1).strip()
            attrs["commodity"] = commodity(phrase)
            end += of.start(1) + len(phrase)
        else:
            named = _named_before(before)
            if named:
                attrs["commodity"] = named
        bound = bound_before(text, n.start)
        if bound:
            attrs["bound"] = bound
        if n.high is not None:
            attrs["high"] = str(as_value(n.high * scale))
        rate = _RATE_RE.match(text[end : end + 20])
        if rate:
            attrs["per"] = _PER[(rate.group(1) or rate.group(2)).lower()]
        unit = UNITS[unit_m.group(1).lower()]
        value = as_value(n.value * scale)
        previous = out[-1] if out else None
        rule = None
        if _CAP_RE.search(before):
            rule = "cap.limit_word"
        elif (
            previous is not None
            and previous.type == "cap"
            and previous.unit == unit
            and _CONTINUED_RE.match(text[previous.end : n.start])
        ):
            rule = "cap.continued"
        if rule is None:
            out.append(Mention("quantity", n.start, end, value, unit, "quantity.unit", 0.9, attrs))
            continue
        if "per" not in attrs and _ANNUAL_RE.search(before):
            attrs["per"] = "year"
        confidence = 0.9 if rule == "cap.limit_word" else 0.75
        out.append(Mention("cap", n.start, end, value, unit, rule, confidence, attrs))
    return out


def _clause_before(text: str, start: int) -> str:
    """Up to 90 characters before ``start``, not reaching back past a sentence end."""
    window = text[max(0, start - 90) : start]
    cut = max(window.rfind(". "), window.rfind("\n"), window.rfind(";"))
    return window[cut + 1 :] if cut >= 0 else window
