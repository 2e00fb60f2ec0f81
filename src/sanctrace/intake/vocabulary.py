"""The words the rules look for, with the paraphrases that machine-rewritten news uses.

Sites that republish news through a synonym spinner turn "Security Council" into "Safety
Council", "financial institutions" into "monetary establishments" and "limit" into
"restrict" (the project's seed report is one). The rules match the canonical words and these
paraphrases alike, and a claim records the canonical term, so that two sources that say the
same thing in different words yield the same value.
"""

from __future__ import annotations

import re
from typing import Final

# canonical term -> phrasings seen in original and spun text (lower case, regex fragments)
PARAPHRASES: Final[dict[str, tuple[str, ...]]] = {
    "Security Council": (r"security council", r"safety council", r"safety committee"),
    "financial institutions": (
        r"financial institutions?",
        r"monetary establishments?",
        r"monetary institutions?",
        r"financial establishments?",
    ),
    "cryptocurrency exchanges": (
        r"cryptocurrency exchanges?",
        r"crypto(?:-currency)? exchanges?",
        r"digital (?:currency|asset) exchanges?",
        r"virtual (?:currency|asset) exchanges?",
    ),
    "banks": (r"banks",),
    "cap": (
        r"caps?",
        r"limits?",
        r"restricts?",
        r"restrictions?",
        r"ceilings?",
        r"quotas?",
        r"thresholds?",
        r"allowances?",
        r"maximum",  # "a maximum aggregate amount of 500,000 barrels"
    ),
    "countries": (
        r"countries",
        r"nations",
        r"states",
        r"member states",
        r"(?:worldwide|international|overseas) locations",
        r"(?:worldwide|international) areas",
    ),
    "IT workers": (
        r"IT workers",
        r"information technology workers",
        r"tech(?:nology)? workers",
        r"IT employees",
    ),
    "refined petroleum products": (
        r"refined petroleum (?:products|merchandise|items|goods)",
        r"refined (?:oil|petroleum)",
    ),
    "crude oil": (r"crude oil", r"crude"),
    "coal": (r"coal",),
    "iron ore": (r"iron ore",),
}

THEFT_VERBS: Final[str] = (
    r"st(?:ole|olen|eal|eals|ealing)|theft|thefts|heists?|hack(?:s|ed|ing)?|"
    r"breach(?:es|ed|ing)?|exploit(?:s|ed|ing)?|drain(?:s|ed|ing)?|loot(?:s|ed|ing)?|"
    r"rob(?:s|bed|bing|bery|beries)|siphon(?:s|ed|ing)?|took|taken|attack(?:s|ed|ing)?|"
    r"target(?:s|ed|ing)?|compromis(?:e|es|ed|ing)|raid(?:s|ed|ing)?"
)
ANNUAL: Final[str] = r"annual|yearly|per year|a year|each year|per annum"

# counted things that are the same thing in other words
COUNTED_SYNONYMS: Final[dict[str, str]] = {
    "nations": "countries",
    "states": "countries",
    "member states": "countries",
    "worldwide locations": "countries",
    "international locations": "countries",
    "overseas locations": "countries",
    "worldwide areas": "countries",
    "international areas": "countries",
    "incidents": "cases",
    "instances": "cases",
}


def pattern(term: str) -> str:
    """A regex alternation for ``term`` and its paraphrases (non-capturing)."""
    return "(?:" + "|".join(PARAPHRASES[term]) + ")"


def canonical(phrase: str, terms: tuple[str, ...] | None = None) -> str | None:
    """The canonical term that ``phrase`` is a wording of, or ``None``."""
    for term in terms or tuple(PARAPHRASES):
        if re.fullmatch(pattern(term), phrase.strip(), re.IGNORECASE):
            return term
    return None
