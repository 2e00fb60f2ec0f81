"""Threat actors: named groups from the registry's aliases (Lazarus, APT38, BlueNoroff,
Kimsuky, the Reconnaissance General Bureau), and the unnamed kinds of actor that reports
attribute to the DPRK ("APT groups", "cyber actors", "hackers", "IT workers") when their
sentence names North Korea.

Named aliases match as written, in upper case, or (for aliases not written in capitals) in
title case, never in lower case: "ZINC" the group is not "zinc" the export commodity.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from sanctrace.intake.claims import Mention
from sanctrace.intake.gazetteer import Gazetteer
from sanctrace.intake.sentences import describes_a_name
from sanctrace.intake.vocabulary import pattern
from sanctrace.sources.values import alias_key

# kinds of actor -> the canonical kind; a claim's value is "DPRK <kind>"
_CLASSES: list[tuple[str, str]] = [
    (r"advanced persistent threat\s*\(APT\)\s+groups?|APT groups?", "APT groups"),
    (r"cyber[- ]?actors?", "cyber actors"),
    (r"hackers|hacking (?:groups?|units?)|hacker groups?", "hackers"),
    (pattern("IT workers"), "IT workers"),
]
# Microsoft's old names for DPRK groups are chemical elements; zinc and copper are also what
# the DPRK may not export, so these aliases count only in capitals ("ZINC", not "Zinc")
_ELEMENTS = {"zinc", "plutonium", "thallium", "copernicium", "cerium", "osmium", "lawrencium"}
_UNDER = re.compile(
    r"\bunder the (?:guidance|direction|control|command|auspices|supervision|orders) of\b",
    re.IGNORECASE,
)


@cache
def _alias_regex(gazetteer: Gazetteer) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation over every alias variant, longest first, and variant -> actor."""
    variants: dict[str, str] = {}
    for alias, actor in gazetteer.actors.items():
        key = alias_key(alias)
        # short non-curated aliases ("GOP") are common words or acronyms of something else
        if len(key) < 4 and key not in gazetteer.curated:
            continue
        if alias.lower() in _ELEMENTS:
            variants.setdefault(alias.upper(), actor)
            continue
        # alias keys ignore a trailing "Group"/"Team", so "Lazarus" is "Lazarus Group"; only
        # for an actor's own name, as "WHOis Team" shortened would be "WHOIS" the protocol
        short_form = alias
        if alias == actor:
            short_form = re.sub(r"\s+(?:group|team)$", "", alias, flags=re.IGNORECASE)
        forms = {alias, alias.upper(), short_form, short_form.upper()}
        if not alias.isupper():
            forms |= {alias.title(), short_form.title()}
        for form in forms:
            variants.setdefault(form, actor)
    alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), variants


def find_actors(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Named actors, by alias, with the canonical name as value."""
    regex, variants = _alias_regex(gazetteer)
    out: list[Mention] = []
    for m in regex.finditer(text):
        actor = variants[m.group(0)]
        short = len(alias_key(m.group(0))) < 4
        attrs = {} if m.group(0) == actor else {"alias": m.group(0)}
        out.append(
            Mention("actor", m.start(), m.end(), actor, None, "actor.alias",
                    0.75 if short else 0.95, attrs)
        )  # fmt: skip
    return out


def find_actor_classes(
    text: str, sentences: list[tuple[int, int]], dprk_spans: list[tuple[int, int]]
) -> list[Mention]:
    """Unnamed DPRK actors: a kind of actor in a sentence that names North Korea, unless it
    only describes a name beside it."""
    out: list[Mention] = []
    starts = sorted(a for a, _ in dprk_spans)
    for s, e in sentences:
        i = bisect_left(starts, s)
        if i == len(starts) or starts[i] >= e:
            continue
        for regex, kind in _CLASSES:
            for m in re.finditer(rf"\b(?:{regex})\b", text[s:e], re.IGNORECASE):
                # "hacker groups Lazarus and Andariel", "Kimsuky, a hacker group": the name
                # is the claim, the kind only describes it
                if describes_a_name(text[s:e], m.start(), m.end()):
                    continue
                out.append(
                    Mention("actor", s + m.start(), s + m.end(), f"DPRK {kind}", None,
                            "actor.dprk_kind", 0.6, {})
                )  # fmt: skip
    return out


def link_parents(
    text: str, actors: list[Mention], sentences: list[tuple[int, int]]
) -> list[Mention]:
    """For "X operate under the guidance of Y", X's claim records Y as the actor it answers
    to (``attrs["under"]``). ``actors`` must be in text order."""
    sentence_starts = [s for s, _ in sentences]
    actor_starts = [a.start for a in actors]
    phrases = [(m.start(), m.end()) for m in _UNDER.finditer(text)] if actors else []
    phrase_starts = [s for s, _ in phrases]
    out: list[Mention] = []
    for a in actors:
        i = bisect_right(sentence_starts, a.start) - 1
        end = sentences[i][1] if i >= 0 else len(text)
        k = bisect_left(phrase_starts, a.end)
        parent = None
        if k < len(phrases) and phrases[k][1] <= end:
            under_end = phrases[k][1]
            j = bisect_left(actor_starts, under_end)
            if j < len(actors) and actors[j].start < min(end, under_end + 60):
                parent = str(actors[j].value)
        if parent is not None and parent != a.value:
            a = Mention(a.type, a.start, a.end, a.value, a.unit, a.rule, a.confidence,
                        {**a.attrs, "under": parent})  # fmt: skip
        out.append(a)
    return out
