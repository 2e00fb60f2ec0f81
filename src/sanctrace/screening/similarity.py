"""Name similarity: align the tokens of two prepared names and score the alignment.

The score answers "could these be the same name, written differently?":

- tokens pair up one to one, best pairs first, in any order ("Putin, Vladimir" = "Vladimir
  Putin"); a pair needs a token similarity of at least ``MIN_PAIR`` (edit distance on the
  phonetic skeleton, so "Basharr"/"Bashar" pair and "Ortiz"/"Ortega" do not);
- a token that pairs with nothing can still pair glued: "AlisherUsmanov" with "Alisher
  Usmanov", "Jongun" with "Jong"+"Un";
- tokens that pair with nothing cost little when only one side has them (a middle name, a
  patronymic, an initial: ``SURPLUS_COST``) and a lot when both sides have them, because then
  the names disagree ("KIM Sok Jin" / "KIM Sok Chol": ``CONFLICT_COST``);
- each token weighs its length; generic tokens (legal forms, titles, particles) weigh
  ``GENERIC_WEIGHT`` of that.

Korean names (both sides readable as Korean, see ``korean.korean_keys``) compare syllables
by their folded form: two valid but different syllables never pair ("Jin"/"Chin" fold to
one syllable and pair; "Sik"/"Guk" do not), while a token that is no Korean syllable at all
is taken for a typo and compared by edit distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from sanctrace.screening import korean
from sanctrace.screening.names import NameTokens, skeleton

MIN_PAIR = 0.6
"""Least token similarity for two tokens to pair."""
GENERIC_WEIGHT = 0.2
"""Weight of a generic token relative to a distinctive one of the same length."""
SURPLUS_COST = 0.25
"""Cost of a token present on one side only, relative to its weight."""
CONFLICT_COST = 2.0
"""Cost of unpaired tokens when both sides have some, relative to their weight."""
CONFLICT_FACTOR = 0.85
"""And the score of names that disagree on a token is multiplied by this: in long Arabic
names one substituted token ("... AL-MOSULI" / "... AL-RAWI") is another person."""


@lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str, korean_mode: bool = False) -> float:
    """Similarity of two Latin tokens in [0, 1]. Cached: list tokens recur across entries
    and queries, and this is the matcher's innermost loop."""
    if a == b:
        return 1.0
    if korean_mode:
        folded_a, folded_b = korean.fold(a), korean.fold(b)
        if folded_a == folded_b:
            return 0.95
        if korean.surname_hangul(a) & korean.surname_hangul(b):
            return 0.95
        if korean.is_romanised_korean(a) and korean.is_romanised_korean(b):
            if korean.loose(folded_a) == korean.loose(folded_b):
                return 0.85  # ㅓ written o, eo or u: "Chol"/"Chul"
            # two different syllables (or runs of them, glued given names): a different
            # name, not a typo; a typo rarely leaves valid syllables behind
            return 0.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # numbers and codes: equal or not
    if len(a) == 1 or len(b) == 1:
        return 0.8 if a[0] == b[0] else 0.0  # an initial
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb:
        return 0.95
    longest = max(len(sa), len(sb))
    edits = OSA.distance(sa, sb)  # a transposition is one edit: "Donlad"/"Donald"
    if edits <= allowed_edits(longest) and (same_onset(sa, sb) or not korean_words(a, b)):
        return 1.0 - 0.5 * edits / longest
    if len(sa) >= 4 and sa[0] == sb[0] and consonants(sa) == consonants(sb):
        return 0.85  # vowels only: "Mohammed"/"Muhammad", "Osama"/"Usama" is no help here
    return 0.5 * max(0.0, 1.0 - edits / longest)


ONSETS: tuple[frozenset[str], ...] = (
    frozenset("kgcq"),
    frozenset("jcz"),
    frozenset("pbf"),
    frozenset("td"),
    frozenset("sz"),
    frozenset("rln"),
    frozenset("vw"),
)
"""First letters that transcriptions swap (Kim/Gim, Chosun/Joseon, Pak/Bak, Ryonbong/
Lyonbong): an edit there is a spelling, any other edit there a different word."""


def korean_words(a: str, b: str) -> bool:
    """Both tokens read as romanised Korean words of two or three syllables, where the
    first letter tells words apart (``same_onset``); elsewhere a first-letter edit is as
    likely a typo or a transliteration (Osama/Usama, Xi/Si) as another word."""
    return (
        len(a) >= 4
        and len(b) >= 4
        and korean.is_romanised_korean(a)
        and korean.is_romanised_korean(b)
        and not (korean.is_korean_syllable(a) or korean.is_korean_syllable(b))
    )


def same_onset(sa: str, sb: str) -> bool:
    """Whether two skeletons start alike: the same letter, letters transcriptions swap, or
    one with a leading r/l/n the other drops (Ryong/Yong). Typos rarely hit the first
    letter; different words often differ there ("Sonbong"/"Ryonbong", "Kusong"/"Yusong")."""
    if sa[0] == sb[0]:
        return True
    if any(sa[0] in group and sb[0] in group for group in ONSETS):
        return True
    return (sa[0] in "rln" and sa[1:2] == sb[:1]) or (sb[0] in "rln" and sb[1:2] == sa[:1])


def consonants(skeleton_text: str) -> str:
    """The consonants of a skeleton, first letter kept: vowels are what transliterations
    of Arabic and Persian names disagree on most."""
    return skeleton_text[0] + "".join(c for c in skeleton_text[1:] if c not in "aeiou")


def allowed_edits(length: int) -> int:
    """Typos tolerated in a token of this length: none up to 2 letters, one up to 7, two
    up to 11, three beyond. More edits than that make two different words."""
    if length <= 2:
        return 0
    if length <= 7:
        return 1
    return 2 if length <= 11 else 3


@dataclass(frozen=True, slots=True)
class Alignment:
    """The pairs (query text, candidate text, similarity) and the unpaired tokens."""

    pairs: tuple[tuple[str, str, float], ...]
    query_only: tuple[str, ...]
    candidate_only: tuple[str, ...]
    score: float


def _weight(token: str, generic: bool) -> float:
    return len(token) * (GENERIC_WEIGHT if generic else 1.0)


def _glue(
    singles: list[int],
    runs_side: list[str],
    free: list[bool],
    single_tokens: list[str],
    korean_mode: bool,
) -> list[tuple[int, list[int], float]]:
    """Pair unpaired tokens on one side with runs of 2-3 adjacent unpaired tokens on the
    other whose concatenation is similar."""
    found: list[tuple[int, list[int], float]] = []
    if not singles:
        return found
    runs = [
        (start, size)
        for size in (2, 3)
        for start in range(len(runs_side) - size + 1)
        if all(free[start : start + size])
    ]
    if not runs:
        return found
    glued = {run: "".join(runs_side[run[0] : run[0] + run[1]]) for run in runs}
    for i in singles:
        token = single_tokens[i]
        best: tuple[float, tuple[int, int]] | None = None
        for run in runs:
            start, size = run
            if not all(free[start : start + size]):
                continue  # taken by an earlier single
            sim = token_similarity(token, glued[run], korean_mode)
            if sim < 0.85 and len(token) == size:
                initials = "".join(t[0] for t in runs_side[start : start + size])
                if token == initials:
                    sim = 0.85  # "US" = "United States", "JC" = "Jean Claude"
            if sim >= 0.8 and (best is None or sim > best[0]):
                best = (sim, run)
        if best is not None:
            start, size = best[1]
            for j in range(start, start + size):
                free[j] = False
            found.append((i, list(range(start, start + size)), best[0]))
    return found


def align(
    query: NameTokens,
    candidate: NameTokens,
    korean_mode: bool = False,
    surplus_cost: float = SURPLUS_COST,
) -> Alignment:
    """Align two names' Latin tokens and score the alignment (see the module docstring)."""
    qt, ct = list(query.tokens), list(candidate.tokens)
    qw = [_weight(t, g) for t, g in zip(qt, query.generic, strict=True)]
    cw = [_weight(t, g) for t, g in zip(ct, candidate.generic, strict=True)]
    return _align(query, candidate, qt, ct, qw, cw, korean_mode, surplus_cost)


def align_script(query: NameTokens, candidate: NameTokens) -> Alignment:
    """Align two names written in the same non-Latin script as written: Hangul syllable by
    syllable, Chinese character by character, other scripts word by word. Transliteration
    can merge what the script keeps apart (종 and 정 are both "jong" in the lists' style)."""
    qt, ct = list(query.script), list(candidate.script)
    qw = [float(len(t)) for t in qt]
    cw = [float(len(t)) for t in ct]
    plain_q = NameTokens(query.original, query.script, (False,) * len(qt), query.script)
    plain_c = NameTokens(candidate.original, candidate.script, (False,) * len(ct), candidate.script)
    return _align(plain_q, plain_c, qt, ct, qw, cw, False, SURPLUS_COST)


def _align(
    query: NameTokens,
    candidate: NameTokens,
    qt: list[str],
    ct: list[str],
    qw: list[float],
    cw: list[float],
    korean_mode: bool,
    surplus_cost: float,
) -> Alignment:
    scored = []
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            sim = token_similarity(a, b, korean_mode)
            if sim >= MIN_PAIR:
                scored.append((sim, -abs(i - j), i, j))
    scored.sort(reverse=True)
    q_free, c_free = [True] * len(qt), [True] * len(ct)
    pairs: list[tuple[str, str, float, float]] = []  # texts, similarity, weight
    for sim, _, i, j in scored:
        if q_free[i] and c_free[j]:
            q_free[i] = c_free[j] = False
            pairs.append((qt[i], ct[j], sim, (qw[i] + cw[j]) / 2))
    q_singles = [i for i, f in enumerate(q_free) if f]
    for i, run, sim in _glue(q_singles, ct, c_free, qt, korean_mode):
        q_free[i] = False
        glued_w = sum(cw[j] for j in run)
        pairs.append((qt[i], " ".join(ct[j] for j in run), sim, (qw[i] + glued_w) / 2))
    c_singles = [j for j, f in enumerate(c_free) if f]
    for j, run, sim in _glue(c_singles, qt, q_free, ct, korean_mode):
        c_free[j] = False
        glued_w = sum(qw[i] for i in run)
        pairs.append((" ".join(qt[i] for i in run), ct[j], sim, (cw[j] + glued_w) / 2))

    paired = sum(p[3] for p in pairs)
    matched = sum(p[2] * p[3] for p in pairs)
    q_left = [(w, g) for w, g, f in zip(qw, query.generic, q_free, strict=True) if f]
    c_left = [(w, g) for w, g, f in zip(cw, candidate.generic, c_free, strict=True) if f]
    # only distinctive tokens can disagree; unpaired generic ones are surplus
    conflict = min(sum(w for w, g in q_left if not g), sum(w for w, g in c_left if not g))
    surplus = sum(w for w, _ in q_left) + sum(w for w, _ in c_left) - 2 * conflict
    denominator = paired + CONFLICT_COST * conflict + surplus_cost * surplus
    score = matched / denominator if denominator > 0 else 0.0
    if conflict > 0:
        score *= CONFLICT_FACTOR
    return Alignment(
        pairs=tuple((p[0], p[1], round(p[2], 3)) for p in pairs),
        query_only=tuple(t for t, f in zip(qt, q_free, strict=True) if f),
        candidate_only=tuple(t for t, f in zip(ct, c_free, strict=True) if f),
        score=min(1.0, score),
    )
