"""The extractor: every rule over one text, overlaps settled by a fixed precedence, each
mention tied to its sentence's subject and given a stable id.

Precedence, highest first: money, caps and quantities, periods and dates, named actors,
registry victims, countries, unnamed actors, kinds of victim, counts, guessed victims. A
mention that overlaps one already kept is dropped, so "USA" inside "two billion USA dollars"
is part of the money and not a country, and "2019" inside "the first 4 months of 2019" is
part of the period. The one exception: a count keeps the countries and actors inside it
("14 North Korean nationals" is a count and a country), and a quantity or cap the country
of its commodity ("25,000 tonnes of North Korean coal").
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from typing import Final

from sanctrace.intake.actors import find_actor_classes, find_actors, link_parents
from sanctrace.intake.claims import Claim, Mention, Taken, claim_id
from sanctrace.intake.countries import find_countries
from sanctrace.intake.counts import find_counts
from sanctrace.intake.dates import find_dates
from sanctrace.intake.documents import Document
from sanctrace.intake.gazetteer import Gazetteer, default_gazetteer
from sanctrace.intake.money import find_money
from sanctrace.intake.numbers import find_numbers
from sanctrace.intake.quantities import find_quantities
from sanctrace.intake.sentences import sentences
from sanctrace.intake.victims import find_victims

PRECEDENCE: Final[tuple[str, ...]] = (
    "money.",
    "cap.",
    "quantity.",
    "period.",
    "date.",
    "actor.alias",
    "victim.registry",
    "country.",
    "actor.dprk_kind",
    "victim.kind",
    "count.",
    "victim.",
)


def extract(
    document: Document | str, *, gazetteer: Gazetteer | None = None, source: str | None = None
) -> list[Claim]:
    """The claims in a document (or a bare text), in text order.

    ``source`` names the source in claim ids; a ``Document``'s SHA-256 by default, so the same
    bytes give the same ids wherever they are read.
    """
    if isinstance(document, Document):
        text, source = document.text, source or document.sha256
    else:
        text = document
        source = source or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    spans = sentences(text)
    mentions = settle(find_mentions(text, gaz, spans))
    actors = link_parents(text, [m for m in mentions if m.type == "actor"], spans)
    by_span = {(a.start, a.end): a for a in actors}
    mentions = [by_span.get((m.start, m.end), m) if m.type == "actor" else m for m in mentions]
    subjects = _subjects(mentions, spans)
    return [
        Claim(
            id=claim_id(source, m.start, m.end, m.rule),
            type=m.type,
            text=text[m.start : m.end],
            span=(m.start, m.end),
            value=m.value,
            unit=m.unit,
            subject=subject,
            confidence=m.confidence,
            rule=m.rule,
            attrs=m.attrs,
        )
        for m, subject in zip(mentions, subjects, strict=True)
    ]


# what a count, a quantity or a cap may hold inside its span
_NESTED: Final[dict[str, frozenset[str]]] = {
    "count": frozenset({"country", "actor"}),
    "quantity": frozenset({"country"}),
    "cap": frozenset({"country"}),
}


def find_mentions(
    text: str, gazetteer: Gazetteer, spans: list[tuple[int, int]] | None = None
) -> list[Mention]:
    """Every rule's mentions, overlaps and all (``settle`` resolves them)."""
    spans = sentences(text) if spans is None else spans
    numbers = find_numbers(text)
    named = find_actors(text, gazetteer)
    countries = find_countries(text, names_dprk_actor=bool(named))
    dprk = [(m.start, m.end) for m in countries if m.unit == "KP"]
    dprk += [(m.start, m.end) for m in named]
    return [
        *find_money(text, numbers),
        *find_quantities(text, numbers),
        *find_dates(text),
        *named,
        *countries,
        *find_actor_classes(text, spans, dprk),
        *find_victims(text, gazetteer, spans),
        *find_counts(text, numbers),
    ]


def _rank(m: Mention) -> int:
    for i, prefix in enumerate(PRECEDENCE):
        if m.rule.startswith(prefix):
            return i
    return len(PRECEDENCE)


def settle(mentions: list[Mention]) -> list[Mention]:
    """Keep the higher-precedence mention where two overlap (longer first within a rank).

    One nesting is allowed: a count may hold the country or actor that qualifies what it
    counts ("14 North Korean nationals", "130 North Korean IT workers"), and a quantity or
    cap the country of its commodity ("25,000 tonnes of North Korean coal"), so both are
    kept. Nothing else overlaps."""
    outer = Taken()  # spans of kept counts, quantities and caps
    inner = Taken()  # spans of every other kept mention
    by_span: dict[tuple[int, int], Mention] = {}
    for m in sorted(mentions, key=lambda m: (_rank(m), m.start - m.end, m.start)):
        span = (m.start, m.end)
        if m.type in _NESTED:
            if outer.overlaps(*span) or any(
                by_span[s].type not in _NESTED[m.type] or not by_span[s].inside(m)
                for s in inner.overlapping(*span)
            ):
                continue
            outer.add(*span)
        else:
            if inner.overlaps(*span) or any(
                m.type not in _NESTED[by_span[s].type] or not m.inside(by_span[s])
                for s in outer.overlapping(*span)
            ):
                continue
            inner.add(*span)
        by_span[span] = m
    return sorted(by_span.values(), key=lambda m: (m.start, m.end))


def _subjects(mentions: list[Mention], spans: list[tuple[int, int]]) -> list[str | None]:
    """Who each mention's sentence is about: its first actor, else North Korea where the
    sentence names it, else nobody. Actor claims get none: how one actor relates to another
    is in their ``attrs`` (``under``)."""
    starts = [s for s, _ in spans]
    actor: dict[int, str] = {}
    dprk: dict[int, list[Mention]] = {}
    index = [bisect_right(starts, m.start) - 1 for m in mentions]
    for m, i in zip(mentions, index, strict=True):
        if m.type == "actor":
            actor.setdefault(i, str(m.value))
        elif m.type == "country" and m.unit == "KP" and len(dprk.setdefault(i, [])) < 2:
            dprk[i].append(m)
    out: list[str | None] = []
    for m, i in zip(mentions, index, strict=True):
        other = [d for d in dprk.get(i, []) if d is not m]
        if m.type == "actor":
            out.append(None)
        elif i in actor:
            out.append(actor[i])
        elif other:
            out.append(str(other[0].value))
        else:
            out.append(None)
    return out
