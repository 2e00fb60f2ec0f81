"""Matching features: small functions over a prepared query and candidate, each returning
a score in [0, 1] and a sentence that says why. ``matcher.FEATURES`` weighs them.

Evidence features say how strongly the two are the same party (names, Korean keys,
identifiers); qualifier features say how strongly they conflict (birth date, country,
gender, vessel numbers, type), and their negative weights lower the score.
"""

from __future__ import annotations

from typing import NamedTuple

from sanctrace.screening import korean
from sanctrace.screening.entity import (
    OBJECT_SCHEMATA,
    ORG_SCHEMATA,
    PERSON_SCHEMATA,
    Prepared,
    name_kind,
)
from sanctrace.screening.similarity import SURPLUS_COST, align, align_script

WEAK_ALIAS_FACTOR = 0.9
"""Name scores against a weak alias (a nickname, a short form) count this much."""
ORG_SURPLUS_COST = 0.6
"""Cost of a token on one side only for organisations: "Deutsche Bank Trust" is not
"Deutsche Bank", while a person's extra middle name is ordinary (``similarity.SURPLUS_COST``)."""


KOREAN_CONFLICT_FACTOR = 0.7
"""Name scores of two names that both read as Korean names (surname + given syllables) but
as different ones count this much: "KIM Chol Hak" is not "KIM Chol", "CHOE Chun Jong" is
not "CHOE Un Jong", however well their letters align."""


def korean_conflict(a: str, b: str) -> bool:
    """Both names read as Korean personal names and share no reading, even with u and o
    merged (see ``korean.loose``)."""
    keys_a, keys_b = korean.korean_keys(a), korean.korean_keys(b)
    if not keys_a or not keys_b:
        return False
    return not {korean.loose(k) for k in keys_a} & {korean.loose(k) for k in keys_b}


class FeatureResult(NamedTuple):
    """A feature's score in [0, 1] and its explanation."""

    score: float
    detail: str


NONE = FeatureResult(0.0, "")


def name_similarity(query: Prepared, candidate: Prepared) -> FeatureResult:
    """Best similarity between any query name and any candidate name: tokens aligned in any
    order, by phonetic edit distance, glued where one side splits a name, with legal forms,
    titles and particles counting little; tokens on both sides that pair with nothing make
    the names disagree."""
    best: tuple[float, str] = (0.0, "")
    # a name that reads as Korean is compared syllable by syllable, also with a name that
    # does not (a Chinese name, a given name alone): "Khang" is not "Hwang", nor "Sang" "Tsang"
    korean_mode = bool(query.korean_keys or candidate.korean_keys)
    is_org = name_kind(candidate.schema) == "org" or name_kind(query.schema) == "org"
    surplus_cost = ORG_SURPLUS_COST if is_org else SURPLUS_COST
    for qn in query.names:
        for cn, weak in zip(candidate.names, candidate.weak, strict=True):
            if qn.script and cn.script and qn.scripts == cn.scripts:
                result = align_script(qn, cn)
            else:
                result = align(qn, cn, korean_mode, surplus_cost)
            score = result.score * (WEAK_ALIAS_FACTOR if weak else 1.0)
            if korean_mode and korean_conflict(qn.original, cn.original):
                score *= KOREAN_CONFLICT_FACTOR
            if score > best[0]:
                paired = ", ".join(f"{a}={b}" for a, b, _ in result.pairs)
                detail = f"{qn.original!r} ~ {cn.original!r}: paired {paired or 'nothing'}"
                if result.query_only:
                    detail += f"; query only: {' '.join(result.query_only)}"
                if result.candidate_only:
                    detail += f"; candidate only: {' '.join(result.candidate_only)}"
                if weak:
                    detail += " (weak alias)"
                best = (score, detail)
    return FeatureResult(round(best[0], 4), best[1]) if best[1] else NONE


def korean_name_key(query: Prepared, candidate: Prepared) -> FeatureResult:
    """The two share a Korean phonetic key: the same surname (Kim/Gim, Lee/Ri/Yi, ...) and
    the same given name once romanisation differences (RR, McCune-Reischauer, North Korean
    style, Hangul), hyphens and spacing are folded away."""
    shared = query.korean_keys & candidate.korean_keys
    if not shared:
        return NONE
    return FeatureResult(1.0, f"same Korean name key {sorted(shared)[0]}")


def identifier_match(query: Prepared, candidate: Prepared) -> FeatureResult:
    """An identifier is on both: IMO, MMSI, crypto address, passport or document number,
    email or web domain, compared in canonical form (case, spacing and prefixes aside)."""
    from sanctrace.screening.identifiers import same

    for q in query.identifiers:
        for c in candidate.identifiers:
            if same(q, c):
                family = f" ({q.family})" if q.family else ""
                return FeatureResult(1.0, f"same {q.kind}{family}: {q.value}")
    return NONE


def vessel_number_conflict(query: Prepared, candidate: Prepared) -> FeatureResult:
    """Both have an IMO number (or both an MMSI) and none is shared: a vessel keeps its IMO
    number for life, so the names may agree but the ships differ."""
    for kind in ("imo", "mmsi"):
        qv = {i.value for i in query.identifiers if i.kind == kind}
        cv = {i.value for i in candidate.identifiers if i.kind == kind}
        if qv and cv and not qv & cv:
            return FeatureResult(
                1.0, f"different {kind.upper()}: {sorted(qv)[0]} vs {sorted(cv)[0]}"
            )
    return NONE


def _date_agreement(a: str, b: str) -> int:
    """2: compatible (one is a prefix of the other: "1984" and "1984-01-08"); 1: same year,
    different month or day; 0: different years."""
    shorter = min(len(a), len(b))
    if a[:shorter] == b[:shorter]:
        return 2
    return 1 if a[:4] == b[:4] else 0


def birth_date_conflict(query: Prepared, candidate: Prepared) -> FeatureResult:
    """Both have birth dates and none agree: different years score 1, the same year with a
    different month or day 0.5. Dates at different precision agree when one is a prefix of
    the other."""
    if not query.birth_dates or not candidate.birth_dates:
        return NONE
    best = max(_date_agreement(a, b) for a in query.birth_dates for b in candidate.birth_dates)
    if best == 2:
        return NONE
    pair = f"{query.birth_dates[0]} vs {', '.join(candidate.birth_dates[:3])}"
    if best == 1:
        return FeatureResult(0.5, f"same birth year, different date: {pair}")
    return FeatureResult(1.0, f"different birth dates: {pair}")


def country_conflict(query: Prepared, candidate: Prepared) -> FeatureResult:
    """Both name countries (nationality, citizenship, country, jurisdiction, flag) and none
    is shared."""
    if not query.countries or not candidate.countries:
        return NONE
    if query.countries & candidate.countries:
        return NONE
    return FeatureResult(
        1.0,
        f"different countries: {', '.join(sorted(query.countries))} vs "
        f"{', '.join(sorted(candidate.countries))}",
    )


def gender_conflict(query: Prepared, candidate: Prepared) -> FeatureResult:
    """Both give a gender and they differ: a strong sign of two people who share a name,
    common with Korean names."""
    if not query.genders or not candidate.genders or query.genders & candidate.genders:
        return NONE
    return FeatureResult(
        1.0,
        f"different gender: {'/'.join(sorted(query.genders))} vs "
        f"{'/'.join(sorted(candidate.genders))}",
    )


def _family(schema: str | None) -> str | None:
    if schema == "LegalEntity":
        return None  # a person or an organisation
    if schema in PERSON_SCHEMATA:
        return "person"
    if schema in ORG_SCHEMATA:
        return "org"
    if schema in OBJECT_SCHEMATA:
        return schema
    return None


def schema_conflict(query: Prepared, candidate: Prepared) -> FeatureResult:
    """The query says what it is and the candidate is something else: a person is not a
    company or a vessel. LegalEntity, Thing or no schema conflicts with nothing."""
    qf, cf = _family(query.schema), _family(candidate.schema)
    if qf is None or cf is None or qf == cf:
        return NONE
    return FeatureResult(1.0, f"different types: {query.schema} vs {candidate.schema}")
