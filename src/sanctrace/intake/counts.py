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
# plural nouns that a scale, unit or period rule already reads, and abstract nouns that
# count nothing a register holds ("three reasons", "two ways")
_EXCLUDED = {"months", "years", "days", "weeks", "hours", "dollars", "euros", "barrels",
             "tonnes", "tons", "millions", "billions", "thousands", "hundreds", "times",
             "percent", "kilograms", "litres", "liters", "gallons", "bitcoins", "reasons",
             "ways", "things", "steps", "factors", "aspects", "points", "occasions", "decades",
             "minutes", "seconds", "lessons", "questions", "options"}  # fmt: skip
# a word after the number: lower case (a modifier or the noun), or capitalised (a name
# qualifying the noun: "14 North Korean nationals", "130 North Korean IT workers")
_WORD = re.compile(r"[ \t]+((?:[A-Z]\.){2,}|[A-Za-z][A-Za-z-]*)")
# an acronym in the plural is a noun: "300,000 PCs", "ATMs", "NGOs"
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
_MAX_MODIFIERS = 4  # lower-case words before the noun: "57 current or retired government officials"
# a part of a whole: "19 of their vessels", "35 of the cases"
_PARTITIVE = re.compile(r"[ \t]+of[ \t]+(?:the|their|its|these|those)(?=[ \t])")
_MAX_NAMES = 3
_OF = re.compile(r"^\s+of\s+([a-z][a-z-]+)(?:\s+([a-z][a-z-]+))?")
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")


def find_counts(text: str, numbers: list[Number]) -> list[Mention]:
    """Numbers that count something (two or more of it)."""
    out: list[Mention] = []
    for n in numbers:
        if n.value < 2 or not n.is_integer:
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
    """The plural noun after ``pos``, its end, and the words before it. The noun may be the
    whole a part is taken from ("19 of their vessels"). Between the number and the noun may
    stand up to four lower-case modifiers (two joined by "and"/"or": "current
    or retired government officials") and up to three capitalised words of a name ("North
    Korean-controlled"); a function word or a comma ends the search."""
    between: list[str] = []
    modifiers = names = 0
    joined = False
    partitive = _PARTITIVE.match(text, pos)
    if partitive:
        pos = partitive.end()
    while True:
        m = _WORD.match(text, pos)
        if m is None:
            return None
        word = m.group(1)
        pos = m.end()
        if _PLURAL_ACRONYM.fullmatch(word):
            return word, pos, between
        if word[0].isupper():
            names += 1
            if names > _MAX_NAMES:
                return None
            between.append(word)
            continue
        if word in {"and", "or"} and modifiers and not joined:
            joined = True
            between.append(word)
            continue
        if word in _EXCLUDED or word in _FUNCTION:
            return None
        if word in _IRREGULAR or (
            word.endswith("s") and not word.endswith("ss") and word not in _NOT_PLURAL
        ):
            if between and between[-1] in {"and", "or"}:
                return None  # "35 of the attackers and victims": the noun joined, not a modifier
            return word, pos, between
        modifiers += 1
        if modifiers > _MAX_MODIFIERS:
            return None
        between.append(word)
