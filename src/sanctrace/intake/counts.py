"""Counts: a number followed by the plural thing it counts ("at least 35 cases", "17
countries", "25 different worldwide locations" that a spinner made of "25 other countries").
The counted thing becomes the claim's unit, in its canonical wording."""

from __future__ import annotations

import re

from sanctrace.intake.claims import Mention
from sanctrace.intake.money import bound_before
from sanctrace.intake.numbers import Number, as_value
from sanctrace.intake.vocabulary import COUNTED_SYNONYMS

# words between the number and the noun that keep it a count ("35 separate cases")
_FUNCTION = {
    "of", "the", "in", "to", "and", "or", "were", "was", "is", "are", "have", "has", "had",
    "by", "for", "with", "from", "on", "at", "as", "that", "which", "a", "an", "per", "than",
    "its", "their", "his", "her", "this", "these", "those", "it", "they", "we", "he", "she",
}  # fmt: skip
_NOT_PLURAL = {
    "its", "this", "thus", "us", "was", "has", "is", "his", "as", "yes", "less", "plus",
    "across", "various", "numerous", "previous", "serious", "famous",
}  # fmt: skip
_IRREGULAR = {"people", "children", "men", "women", "staff", "personnel", "crew", "police"}
# plural nouns that a scale, unit or period rule already reads
_EXCLUDED = {"months", "years", "days", "weeks", "hours", "dollars", "euros", "barrels",
             "tonnes", "tons", "millions", "billions", "thousands", "hundreds", "times",
             "percent", "kilograms", "litres", "liters", "gallons", "bitcoins"}  # fmt: skip
_WORD = re.compile(r"\s+(?:([a-z][a-z-]*)|(?=\W))")
_OF = re.compile(r"^\s+of\s+([a-z][a-z-]+)(?:\s+([a-z][a-z-]+))?")
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")


def find_counts(text: str, numbers: list[Number]) -> list[Mention]:
    """Numbers that count something (two or more of it)."""
    out: list[Mention] = []
    for n in numbers:
        if n.value < 2 or not n.is_integer or (n.scaled and n.value > 10_000_000):
            continue
        if _YEAR.match(text[n.start : n.end]) or text[n.end : n.end + 1] in {"-", "%"}:
            continue
        found = _counted(text, n.end)
        if found is None:
            continue
        noun, noun_end, between = found
        unit = noun
        attrs: dict[str, str] = {}
        # "25 different worldwide locations" is "25 other countries" spun: try "different
        # worldwide locations", then "worldwide locations", then "locations"
        for k in range(len(between) + 1):
            phrase = " ".join([*between[k:], noun])
            if phrase in COUNTED_SYNONYMS:
                unit = COUNTED_SYNONYMS[phrase]
                attrs["as_written"] = " ".join([*between, noun])
                break
        end = noun_end
        of = _OF.match(text[noun_end : noun_end + 60])
        if of and unit in {"cases", "incidents", "instances", "attacks"}:
            # "cases of money laundering", but not "cases of cyberattacks [in]"
            two = of.group(2) and of.group(2) not in _FUNCTION
            attrs["of"] = f"{of.group(1)} {of.group(2)}" if two else of.group(1)
            end = noun_end + (of.end() if two else of.end(1))
        bound = bound_before(text, n.start)
        if bound:
            attrs["bound"] = bound
        confidence = 0.85 if not between else 0.7
        out.append(
            Mention("count", n.start, end, as_value(n.value), unit, "count.number_noun",
                    confidence, attrs)
        )  # fmt: skip
    return out


def _counted(text: str, pos: int) -> tuple[str, int, list[str]] | None:
    """The plural noun within two words after ``pos``, its end, and the words before it."""
    between: list[str] = []
    for _ in range(3):
        m = _WORD.match(text, pos)
        if m is None or m.group(1) is None:
            return None
        word = m.group(1)
        pos = m.end()
        if word in _EXCLUDED or word in _FUNCTION:
            return None
        if word in _IRREGULAR or (
            word.endswith("s") and not word.endswith("ss") and word not in _NOT_PLURAL
        ):
            return word, pos, between
        between.append(word)
    return None
