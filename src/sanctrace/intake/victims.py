"""Victims: exchanges and banks the incident registry knows (Upbit, Bithumb, Bangladesh
Bank), organisations the text names as a theft's target ("stole $600 million from Ronin",
"the Bybit hack", "the UPbit exchange"), and the kinds of victim a report counts ("financial
institutions", spun as "monetary establishments"; "cryptocurrency exchanges").

Registry names are exact and trusted; the other rules guess from a capitalised name near a
theft word, and say so with a lower confidence.
"""

from __future__ import annotations

import re
from functools import cache

from rigour.territories import lookup_territory

from sanctrace.intake.claims import Mention, Taken
from sanctrace.intake.gazetteer import Gazetteer
from sanctrace.intake.sentences import describes_a_name
from sanctrace.intake.vocabulary import THEFT_VERBS, canonical, pattern

# one to five capitalised words, "of"/"de" allowed inside ("Banco de Chile")
_CAP_WORD = r"[A-Z][\w.&-]*"
_NAME = rf"{_CAP_WORD}(?:[ ](?:{_CAP_WORD}|of|de)){{1,4}}|{_CAP_WORD}"
_EXCHANGE = re.compile(
    rf"\b(?P<name>{_NAME})(?:['’]s)?\s+(?:crypto(?:currency)?\s+)?exchange\b(?!\s+rate)"
)
# "from cryptocurrency exchange Bybit", "the DeFi platform Harmony"
# ... but not a firm that reports on the theft: "blockchain security firm Cyvers Alert",
# "analytics firm Elliptic", "research company ..."
_KIND_THEN_NAME = re.compile(
    r"\b(?<!security )(?<!analytics )(?<!analysis )(?<!research )(?<!intelligence )"
    r"(?<!forensics )(?<!consulting )(?<!law )"
    rf"(?:exchange|platform|protocol|bridge|bank|firm|company|wallet provider)\s+"
    rf"(?P<name>{_NAME})"
)
# from the theft word to the name: no parenthesis or comma, which open an aside ("the hack
# saw 173,600 ether (the native currency of the Ethereum blockchain)") or an attribution
# ("the theft of 342,000 Ether, according to reports from the National Office ...")
_AFTER_VERB = re.compile(
    rf"\b(?:{THEFT_VERBS})\b[^.;:!?(),]{{0,60}}?\b(?:from|of|on|at|against)\s+(?:the\s+)?"
    rf"(?P<name>{_NAME})(?:['’]s)?",
)
# "the WazirX hack"; "the Harmony cross-chain bridge attack" (what kind of thing was hit may
# stand between the name and the noun); not a part of a compound ("a leaked-NSA exploit")
_DESCRIPTORS = (
    r"cross-chain|bridge|exchange|crypto(?:currency)?|wallet|network|protocol|platform|DeFi|"
    r"blockchain|hot|cold|multisig|smart contract|bank|SWIFT"
)
_BEFORE_NOUN = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME})(?:['’]s)?(?:\s+(?:{_DESCRIPTORS})){{0,3}}\s+"
    r"(?:hack|heist|exploit|breach|theft|attack)\b"
)
_CLASSES = [
    (pattern("financial institutions"), "financial institutions"),
    (pattern("cryptocurrency exchanges"), "cryptocurrency exchanges"),
    (pattern("banks"), "banks"),
]
_THEFT = re.compile(rf"\b(?:{THEFT_VERBS})\b", re.IGNORECASE)
# capitalised words that open a sentence or a phrase and are not a name
_NOT_NAMES = {
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "In", "On", "At", "Of",
    "For", "From", "By", "With", "As", "North", "South", "United", "UN", "US", "He", "She",
    "They", "We", "According", "Most", "Another", "Experts", "Report", "Panel", "Their", "His",
    "Her", "Our", "Your", "My", "Some", "Many", "Several", "All", "Other", "Such", "After",
    "Before", "During", "While", "When", "Since", "However", "Also", "Then", "There", "Both",
    "Each", "Every", "Any", "No", "One", "Two", "Last", "Next", "First", "New", "Recent",
}  # fmt: skip
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
           "Thursday", "Friday", "Saturday", "Sunday"}  # fmt: skip


@cache
def _registry_regex(gazetteer: Gazetteer) -> re.Pattern[str]:
    names = sorted(gazetteer.victims, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def find_victims(
    text: str, gazetteer: Gazetteer, sentences: list[tuple[int, int]]
) -> list[Mention]:
    """Victims by the registry, by phrase and by kind; one mention per span."""
    out = _registry(text, gazetteer)
    taken = Taken()
    for m in out:
        taken.add(m.start, m.end)
    for rule, regex, confidence in (
        ("victim.exchange_phrase", _EXCHANGE, 0.75),
        ("victim.kind_then_name", _KIND_THEN_NAME, 0.7),
        ("victim.near_theft_word", _AFTER_VERB, 0.6),
        ("victim.near_theft_word", _BEFORE_NOUN, 0.6),
    ):
        for found in regex.finditer(text):
            cleaned = _clean(found.group("name"))
            if cleaned is None:
                continue
            offset, name = cleaned
            start = found.start("name") + offset
            end = start + len(name)
            if not taken.add(start, end):
                continue
            out.append(Mention("victim", start, end, name, None, rule, confidence, {}))
    out += _kinds(text, sentences)
    out.sort(key=lambda m: m.start)
    return out


def _registry(text: str, gazetteer: Gazetteer) -> list[Mention]:
    out: list[Mention] = []
    if not gazetteer.victims:
        return out
    for m in _registry_regex(gazetteer).finditer(text):
        if m.group(0)[0].islower():
            continue
        name, vtype = gazetteer.victims[m.group(0).casefold()]
        attrs = {"victim_type": vtype}
        out.append(Mention("victim", m.start(), m.end(), name, None, "victim.registry", 0.9, attrs))
    return out


def _kinds(text: str, sentences: list[tuple[int, int]]) -> list[Mention]:
    """Kinds of victim, in sentences about theft or attack only."""
    out: list[Mention] = []
    for s, e in sentences:
        sentence = text[s:e]
        if not _THEFT.search(sentence):
            continue
        for regex, kind in _CLASSES:
            for m in re.finditer(rf"\b(?:{regex})\b", sentence, re.IGNORECASE):
                if describes_a_name(sentence, m.start(), m.end()):
                    continue
                attrs = {} if m.group(0).lower() == kind else {"as_written": m.group(0)}
                out.append(Mention("victim", s + m.start(), s + m.end(), kind, None,
                                   "victim.kind", 0.7, attrs))  # fmt: skip
    return out


def _clean(name: str) -> tuple[int, str] | None:
    """The name without the non-name words around it, and where it starts; ``None`` if
    nothing name-like is left or if it is a country."""
    words = list(re.finditer(r"\S+", name.rstrip(".")))
    # (months and weekdays: "the heist on Friday" is when, not whom)
    while words and (words[0].group(0) in _NOT_NAMES or words[0].group(0) in _MONTHS):
        words = words[1:]
    while words and words[-1].group(0) in {"of", "de"}:
        words = words[:-1]
    if not words:
        return None
    cleaned = name[words[0].start() : words[-1].end()]
    # a country or a UN body is where a theft is reported, not who lost the money
    if lookup_territory(cleaned) is not None or canonical(cleaned, ("Security Council",)):
        return None
    return words[0].start(), cleaned
