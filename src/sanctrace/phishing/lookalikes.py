"""Does an observed domain impersonate a protected brand? Scored and explained.

An observed domain (from an email, a list, a certificate-transparency log) is compared with
each protected brand domain by small features, strongest first; each brand gets its best:

- ``permutation:<kind>``: the domain is one of the brand's generated lookalikes
  (``permutations.permutations``: dnstwist's fuzzers and IDN homographs), exactly;
- ``tld-swap``: the brand's own name under another suffix (``binance.com.tw``);
- ``homoglyph``: the registered name looks the same as the brand's once each character is
  reduced to its skeleton (Unicode confusables: Cyrillic a U+0430, dotless i U+0131, a with
  a dot below U+1EA1; and the ASCII look-alikes ``0``/``o``, ``1``/``l``/``i``, ``rn``/``m``,
  ``vv``/``w``);
- ``alias``: the name spells one of the brand's other names (``업비트.com``);
- ``combo``: the brand's name with extra words (``upbit-login-kr.com``, ``secureupbit.net``),
  ``combo-typo`` when the brand's name in it is itself misspelt by one edit;
- ``brand-in-subdomain``: the brand's name in front of somebody else's domain
  (``coinbase.com.eslogin.co``, ``okx-airdrop.pages.dev``);
- ``typo``: the registered name is within a small Damerau-Levenshtein distance of the
  brand's (rapidfuzz), on skeletons, with the same first letter: one edit for names of five
  to seven letters, two from eight; none for names of four letters or fewer, where one edit
  turns any short name into another.

Punycode (``xn--``) is decoded before comparing. A brand's legitimate domains and their
subdomains are never flagged. Registered domains come from the public suffix list shipped in
tldextract (``phishing.domains``), offline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from sanctrace.phishing.domains import registered_domain
from sanctrace.phishing.permutations import (
    DICTIONARY,
    KINDS,
    permutation_kinds,
    to_ascii,
    to_unicode,
)
from sanctrace.sources.brands_csv import Brand, read_brands

# a domain scoring at least this is reported as a lookalike
MIN_SCORE = 0.7

# how much each exact permutation kind says: homographs are made to deceive the eye; a
# bitsquat or an appended letter is as often an unrelated name that happens to be one bit off
PERMUTATION_SCORES: dict[str, float] = {
    "homoglyph": 0.98,
    "cyrillic": 0.98,
    "idn-homograph": 0.98,
    "transposition": 0.92,
    "omission": 0.9,
    "repetition": 0.9,
    "insertion": 0.9,
    "replacement": 0.88,
    "hyphenation": 0.9,
    "subdomain": 0.9,
    "dictionary": 0.9,
    "tld-swap": 0.9,
    "various": 0.88,
    "vowel-swap": 0.85,
    "plural": 0.85,
    "addition": 0.82,
    "bitsquatting": 0.78,
}
SCORES: dict[str, float] = {
    "homoglyph": 0.95,
    "alias": 0.92,
    "tld-swap": 0.9,
    "combo": 0.85,
    "brand-in-subdomain": 0.85,
    "typo": 0.8,
    "combo-typo": 0.75,
}

# words that lures glue to a brand name (``okxhelp``, ``upbitevent``): dnstwist's dictionary
# in ``permutations.DICTIONARY`` and words common in exchange phishing (many of them also in
# the synthetic generator's vocabulary, which makes its glued-combo recall optimistic)
LURE_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            *DICTIONARY,
            *("accounts", "alert", "center", "coin", "confirm", "deposit", "events", "gift"),
            *("info", "invest", "korea", "kyc", "mobile", "nft", "official", "online"),
            *("portal", "promo", "rewards", "staking", "team", "token", "trade", "trading"),
            *("unlock", "us", "verification", "withdraw", "airdrops", "giveaway", "stake"),
        },
        key=lambda w: (-len(w), w),
    )
)

_LURE_WORD = re.compile("|".join(LURE_WORDS))
_LURE_RUN = re.compile(rf"(?:{_LURE_WORD.pattern}|[0-9-])+")

# the kinds of match besides exact permutations (``permutation:<kind>``)
MATCH_KINDS: tuple[str, ...] = tuple(SCORES)

# ASCII characters and pairs that read as another in most fonts
_ASCII_LOOKS = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})
_ASCII_PAIRS = (("rn", "m"), ("vv", "w"))
_TOKEN = re.compile(r"[^\w]+|_")


@lru_cache(maxsize=4096)
def _char_skeleton(char: str) -> str:
    """One character as the ASCII letter it is read as: its base letter without marks when
    it has one (U+1EA1 a with a dot below -> ``a``), else the ASCII letter the confusables
    table pairs it with (Cyrillic a U+0430 -> ``a``, dotless i U+0131 -> ``l``), else itself."""
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFKD", char)[:1].lower()
    if base.isascii() and base.isalnum():
        return base
    from confusables import confusable_characters

    letters = sorted(
        {
            g.lower()
            for g in confusable_characters(char) or ()
            if len(g) == 1 and g.isascii() and g.isalnum()
        }
    )
    return letters[0] if letters else char


def skeleton(text: str) -> str:
    """What a reader sees: every character reduced to the ASCII letter it looks like, then
    the ASCII look-alikes merged (``0`` and ``o``, ``1``, ``i`` and ``l``, ``rn`` and ``m``)."""
    out = "".join(_char_skeleton(c) for c in text).translate(_ASCII_LOOKS)
    for pair, single in _ASCII_PAIRS:
        out = out.replace(pair, single)
    return out


def _key(text: str) -> str:
    """A name as a domain label would spell it: lower case, no spaces or punctuation."""
    return "".join(c for c in text.casefold() if c.isalnum())


@dataclass(frozen=True)
class Lookalike:
    """One observed domain that looks like one protected brand domain, and why."""

    domain: str
    unicode: str
    brand: str
    brand_domain: str
    kind: str
    score: float
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "brand": self.brand,
            "brand_domain": self.brand_domain,
            "kind": self.kind,
            "score": self.score,
            "explanation": self.explanation,
        }


@dataclass
class _Target:
    """A brand domain prepared for comparison."""

    brand: Brand
    label: str
    suffix: str
    skel: str
    alias_keys: frozenset[str]
    permutations: dict[str, str] | None = field(default=None, repr=False)

    def generated(self) -> dict[str, str]:
        """ASCII domain -> permutation kind; generated on first need (0.1 to 0.5 s a brand)."""
        if self.permutations is None:
            self.permutations = permutation_kinds(self.brand.domain)
        return self.permutations


@dataclass(frozen=True)
class _Observed:
    host: str
    unicode: str
    registered: str
    label: str
    suffix: str
    subdomain: tuple[str, ...]
    skel: str
    flat: str
    tokens: tuple[str, ...]
    token_skels: tuple[str, ...]
    sub_skels: frozenset[str]
    keys: frozenset[str]
    plain: str

    def in_subdomain(self) -> _Observed | None:
        """The same domain read as if the subdomain label next to the registered domain
        were the name (``binance-event.com.ru``, ``okx-airdrop.pages.dev``), or None."""
        if not self.subdomain:
            return None
        return _view(self.host, self.unicode, self.registered, self.subdomain[-1], "", ())


def _split(ascii_domain: str) -> tuple[str, str, str] | None:
    """(registered domain, registered label, suffix) in ASCII, or None."""
    registered = registered_domain(ascii_domain)
    if registered is None:
        return None
    label, _, suffix = registered.partition(".")
    return registered, label, suffix


class Matcher:
    """Compares observed domains with a fixed set of protected brands."""

    def __init__(self, brands: Sequence[Brand]) -> None:
        self.targets: list[_Target] = []
        self.legitimate: set[str] = set()
        for brand in brands:
            parts = _split(brand.domain)
            if parts is None:
                continue
            registered, label, suffix = parts
            self.legitimate.update({brand.domain, registered})
            keys = {_key(a) for a in (brand.name, *brand.aliases)}
            ulabel = to_unicode(label)
            # the brand's own name is the label itself: that is combo or typo, not an alias
            keys = {k for k in keys | {skeleton(k) for k in keys} if len(k) >= 3}
            keys -= {ulabel, skeleton(ulabel)}
            self.targets.append(_Target(brand, ulabel, suffix, skeleton(ulabel), frozenset(keys)))
        # a brand's other domain (UPbit's dunamu.com lists "Upbit") is matched through that
        # domain itself, not as an alias
        labels = {k for t in self.targets for k in (t.label, t.skel)}
        for t in self.targets:
            t.alias_keys = t.alias_keys - labels
        self._skels = [t.skel for t in self.targets]

    def is_legitimate(self, domain: str) -> bool:
        """A protected domain itself, or a name under one."""
        host = to_ascii(domain.strip().strip(".").lower())
        if host is None:
            return False
        parts = _split(host)
        return host in self.legitimate or (parts is not None and parts[0] in self.legitimate)

    def match(self, domain: str, min_score: float = MIN_SCORE) -> list[Lookalike]:
        """The brands ``domain`` looks like, best first (one entry per brand domain)."""
        observed = _observe(domain)
        if observed is None or self._legitimate(observed):
            return []
        found: list[Lookalike] = []
        for target in self._candidates(observed):
            best = _compare(observed, target)
            if best is not None and best.score >= min_score:
                found.append(best)
        return sorted(found, key=lambda m: (-m.score, m.brand_domain))

    def _candidates(self, o: _Observed) -> list[_Target]:
        """The targets worth comparing in full: a cheap gate (one rapidfuzz call over all
        brand skeletons, substring and set look-ups), since almost every observed domain
        is unrelated to every brand."""
        near = {
            i
            for _, _, i in extract(
                o.skel,
                self._skels,
                scorer=DamerauLevenshtein.distance,
                score_cutoff=3,
                limit=None,
            )
        }
        probes = [tok for tok in o.token_skels if len(o.tokens) > 1 and len(tok) >= 5]
        sub = o.in_subdomain()
        if sub is not None:
            probes += [sub.skel, *(tok for tok in sub.token_skels if len(tok) >= 5)]
        for probe in probes:
            near.update(
                i
                for _, _, i in extract(
                    probe,
                    self._skels,
                    scorer=DamerauLevenshtein.distance,
                    score_cutoff=2,
                    limit=None,
                )
            )
        return [
            t
            for i, t in enumerate(self.targets)
            if i in near
            or t.skel in o.flat
            or t.skel in o.sub_skels
            or (sub is not None and (t.skel in sub.flat or t.label in sub.plain))
            or o.label == t.label
            or bool(o.keys & t.alias_keys)
            or (
                len(t.skel) >= 5
                and len(o.flat) > len(t.skel) + 1
                and (o.flat[:1] == t.skel[:1] or t.skel[:1] in o.flat[-len(t.skel) - 1 :])
            )
        ]

    def _legitimate(self, observed: _Observed) -> bool:
        return observed.host in self.legitimate or observed.registered in self.legitimate


def _observe(domain: str) -> _Observed | None:
    text = domain.strip().strip(".").lower()
    if text.startswith("*."):
        text = text[2:]
    host = to_ascii(text)
    if host is None:
        return None
    parts = _split(host)
    if parts is None:
        return None
    registered, label, suffix = parts
    sub = host[: -len(registered)].rstrip(".")
    usub = tuple(to_unicode(s) for s in sub.split(".")) if sub else ()
    return _view(host, to_unicode(host), registered, to_unicode(label), suffix, usub)


def _view(
    host: str, uhost: str, registered: str, ulabel: str, suffix: str, usub: tuple[str, ...]
) -> _Observed:
    tokens = tuple(t for t in _TOKEN.split(ulabel) if t)
    return _Observed(
        host,
        uhost,
        registered,
        ulabel,
        suffix,
        usub,
        skeleton(ulabel),
        "".join(skeleton(t) for t in tokens),
        tokens,
        tuple(skeleton(t) for t in tokens),
        frozenset(skeleton(t) for s in usub for t in _TOKEN.split(s) if t),
        frozenset({_key(ulabel), *(_key(t) for t in tokens)}),
        "".join(tokens),
    )


def _allowed_edits(length: int) -> int:
    """Edits a misspelling of a brand name of this length may have and still be read as it."""
    if length <= 4:
        return 0
    return 1 if length <= 7 else 2


def _compare(o: _Observed, t: _Target) -> Lookalike | None:
    """The strongest feature that ties ``o`` to ``t``, or None."""

    def hit(kind: str, score: float, why: str) -> Lookalike:
        return Lookalike(
            o.host, o.unicode, t.brand.name, t.brand.domain, kind, round(score, 2), why
        )

    near = (
        o.skel == t.skel
        or t.skel in o.flat
        or DamerauLevenshtein.distance(o.skel, t.skel, score_cutoff=3) <= 3
    )
    if near or t.skel in o.sub_skels:
        generated = t.generated()
        for candidate in (o.host, o.registered):
            kind = generated.get(candidate)
            if kind is not None:
                return hit(
                    f"permutation:{kind}",
                    PERMUTATION_SCORES.get(kind, 0.85),
                    f"{to_unicode(candidate)} is one of the {kind} lookalikes of {t.brand.domain}",
                )
    if o.label == t.label:
        return hit(
            "tld-swap",
            SCORES["tld-swap"],
            f"the name {t.label!r} under .{o.suffix} instead of .{t.suffix}",
        )
    if o.skel == t.skel:
        return hit("homoglyph", SCORES["homoglyph"], _homoglyph_why(o.label, t.label))
    if o.keys & t.alias_keys:
        return hit(
            "alias",
            SCORES["alias"],
            f"{o.label!r} spells a name of {t.brand.name} ({', '.join(t.brand.aliases)})",
        )
    token_skels = o.token_skels
    if len(o.tokens) > 1 and t.skel in token_skels:
        extra = [tok for tok, s in zip(o.tokens, token_skels, strict=True) if s != t.skel]
        return hit(
            "combo",
            SCORES["combo"],
            f"the brand name {t.label!r} with the extra word(s) {', '.join(extra)}",
        )
    if len(t.skel) >= 5 and t.skel in o.flat:
        return hit(
            "combo",
            SCORES["combo"] - 0.05,
            f"the brand name {t.label!r} inside {o.label!r}",
        )
    words = _glued_lures(o.plain, t.label)
    if words:
        return hit(
            "combo",
            SCORES["combo"] - 0.05,
            f"the brand name {t.label!r} glued to the lure word(s) {', '.join(words)}",
        )
    if t.skel in o.sub_skels:
        return hit(
            "brand-in-subdomain",
            SCORES["brand-in-subdomain"],
            f"the brand name {t.label!r} in front of the unrelated domain {o.registered}",
        )
    # a misspelling that people read as the brand keeps its first letter (readers anchor on
    # it): ``finance`` and ``github`` are not ``binance`` and ``bithumb``; first-letter typos
    # are still caught as exact permutations (replacement, bitsquatting, omission)
    allowed = _allowed_edits(len(t.skel))
    distance = _typo_distance(o.skel, t.skel, allowed) if allowed else None
    if distance is not None:
        return hit(
            "typo",
            SCORES["typo"] - 0.05 * (distance - 1),
            f"{o.label!r} is {distance} edit(s) from {t.label!r}",
        )
    for tok, s in zip(o.tokens, o.token_skels, strict=True):
        if len(o.tokens) > 1 and _typo_distance(s, t.skel, 1) is not None:
            return hit(
                "combo-typo",
                SCORES["combo-typo"],
                f"{tok!r} (one edit from {t.label!r}) with extra words in {o.label!r}",
            )
    glued = _glued_typo(o.plain, t.label)
    if glued is not None:
        return hit(
            "combo-typo",
            SCORES["combo-typo"],
            f"{glued!r} (one edit from {t.label!r}) glued to other words in {o.label!r}",
        )
    sub = o.in_subdomain()
    if sub is not None:
        inner = _compare(sub, t)
        if inner is not None and inner.kind in ("homoglyph", "combo", "combo-typo", "typo"):
            return hit(
                "brand-in-subdomain",
                min(inner.score, SCORES["brand-in-subdomain"]),
                f"{o.subdomain[-1]!r} in front of the unrelated domain {o.registered}:"
                f" {inner.explanation}",
            )
    return None


def _typo_distance(text: str, brand: str, allowed: int) -> int | None:
    """The edits from ``text`` to ``brand`` when a reader would take one for the other: at
    most ``allowed``, and the first letter kept."""
    if len(brand) < 5 or text[:1] != brand[:1]:
        return None
    distance = DamerauLevenshtein.distance(text, brand, score_cutoff=allowed)
    return distance if distance <= allowed else None


def _glued_lures(flat: str, brand: str) -> list[str] | None:
    """The lure words glued to the brand name (``okxhelp``: help), when what is left of the
    name once the brand is taken off its start or end is nothing but lure words."""
    for rest in (
        flat[len(brand) :] if flat.startswith(brand) else None,
        flat[: -len(brand)] if flat.endswith(brand) else None,
    ):
        if rest:
            words = _segment(rest)
            if words:
                return words
    return None


def _segment(text: str) -> list[str] | None:
    """``text`` as a run of lure words (digits and hyphens allowed between them), or None;
    ``[]`` for the empty string."""
    if not _LURE_RUN.fullmatch(text):
        return None if text else []
    return _LURE_WORD.findall(text)


def _glued_typo(plain: str, brand: str) -> str | None:
    """A misspelt brand name glued to lure words (``coinasehelp``, ``eventbinancce``): the
    start or end of ``plain``, of the brand's length give or take one, one edit from it
    with the first letter kept, the rest nothing but lure words."""
    n = len(brand)
    if n < 5 or len(plain) <= n + 1:
        return None
    for size in (n - 1, n, n + 1):
        for piece, rest in ((plain[:size], plain[size:]), (plain[-size:], plain[:-size])):
            if _segment(rest) and _typo_distance(skeleton(piece), skeleton(brand), 1) is not None:
                return piece
    return None


def _homoglyph_why(observed: str, brand: str) -> str:
    """Which characters stand in for which (``'\u0131' (U+0131) for 'i'``)."""
    swaps = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, observed, brand, autojunk=False).get_opcodes():
        if op != "equal":
            shown = observed[i1:i2]
            codes = " ".join(f"U+{ord(c):04X}" for c in shown if not c.isascii())
            swaps.append(f"{shown!r}{f' ({codes})' if codes else ''} for {brand[j1:j2]!r}")
    return f"{observed!r} reads as {brand!r}: {', '.join(swaps)}"


@lru_cache(maxsize=8)
def _matcher(brands: tuple[Brand, ...]) -> Matcher:
    return Matcher(brands)


def default_brands() -> tuple[Brand, ...]:
    """The bundled protected brands (``sanctrace/data/phishing/brands.csv``)."""
    return _bundled_brands()


@lru_cache(maxsize=1)
def _bundled_brands() -> tuple[Brand, ...]:
    brands, _ = read_brands()
    return tuple(brands)


def brand_for(domain: str) -> Brand:
    """The protected brand of one domain given by a user: the bundled brand when the domain
    is one of its domains (with its aliases), else a brand named after the domain."""
    from sanctrace.phishing.permutations import protected_domain

    ascii_domain = protected_domain(domain)
    for brand in default_brands():
        if brand.domain == ascii_domain:
            return brand
    return Brand(ascii_domain.split(".", 1)[0], ascii_domain)


def matcher(brands: Iterable[Brand] | None = None) -> Matcher:
    """A matcher for ``brands`` (default: the bundled ones), reused across calls."""
    return _matcher(tuple(brands) if brands is not None else default_brands())


def match_domain(
    domain: str, brands: Iterable[Brand] | None = None, min_score: float = MIN_SCORE
) -> list[dict[str, Any]]:
    """The protected brands ``domain`` impersonates, best first: ``brand``,
    ``brand_domain``, ``kind``, ``score`` (0-1) and ``explanation`` each. Empty for an
    unrelated domain, for a brand's own domains and their subdomains, and for text that is
    not a domain. Offline."""
    return [m.as_dict() for m in matcher(brands).match(domain, min_score)]


@dataclass
class Scored:
    """The lookalikes among many observed domains."""

    matches: list[Lookalike]
    domains: int
    legitimate: int


def score_domains(
    domains: Iterable[str],
    brands: Iterable[Brand] | None = None,
    min_score: float = MIN_SCORE,
    progress: Any = None,
) -> Scored:
    """Every observed domain that looks like a protected brand (each domain once, its best
    brand first), with how many domains were read and how many were the brands' own."""
    m = matcher(brands)
    seen: set[str] = set()
    matches: list[Lookalike] = []
    legitimate = 0
    for n, domain in enumerate(domains, 1):
        if progress is not None:
            progress(n)
        key = domain.strip().lower()
        if key in seen:
            continue
        seen.add(key)
        if m.is_legitimate(key):
            legitimate += 1
            continue
        matches.extend(m.match(key, min_score))
    matches.sort(key=lambda x: (-x.score, x.domain, x.brand_domain))
    return Scored(matches, len(seen), legitimate)


__all__ = [
    "KINDS",
    "MATCH_KINDS",
    "MIN_SCORE",
    "Lookalike",
    "Matcher",
    "Scored",
    "brand_for",
    "default_brands",
    "match_domain",
    "matcher",
    "score_domains",
    "skeleton",
]
