"""Name normalisation and tokenisation for matching.

A name goes through the same steps on both sides of a comparison, query and list entry:

1. ``normalize``: NFKC, control characters out, case folded, accents stripped from Latin,
   Greek and Cyrillic letters. Other scripts are kept as they are ("accents, not scripts").
2. ``tokenize``: split on punctuation and spaces; apostrophes glue ("O'Neil" -> "oneil");
   dotted initials glue ("A.B.C." -> "abc"); hyphens split ("Jong-un" -> "jong", "un";
   matching glues tokens back where the other side has them glued).
3. ``latinize``: every non-Latin token transliterated: Hangul in the North Korean style the
   lists use ("김정은" -> "kim jong un"), Cyrillic, Greek and others through rigour, Chinese
   characters through normality's pinyin.
4. ``name_tokens``: the tokens with their role: legal forms ("Co., Ltd." -> "llc",
   "Corporation" -> "corp", "GRP" -> "grp"), titles (Mr, Dr, General) and particles (al, bin,
   de) are kept but marked *generic*, so they count little when matched and cost little
   when missing; number words become digits ("First" -> "1", "Fourty-four" -> "44").

The output (``NameTokens``) is what the matcher compares and what an index can be built
from: ``NameTokens.tokens`` for a token index, ``skeleton`` of each token for a phonetic
index, and ``korean.korean_keys`` for Korean names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from sanctrace.errors import InputError
from sanctrace.screening import korean

MAX_QUERY_CHARS = 1000
"""A query longer than this is refused: no sanctioned name is that long."""

MAX_NAME_CHARS = 400
"""List names are cut to this many characters before tokenising (a few are paragraphs)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202f\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"['’‘`ʼ´ʻ]")
_DOTTED_INITIALS = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.){2,})")
_SPLIT = re.compile(r"[\W_]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def check_query(text: object) -> str:
    """Validate a query string: raise ``InputError`` saying what is wrong, else return it."""
    if not isinstance(text, str):
        raise InputError("query", f"expected text, got {type(text).__name__}")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError("query", f"{len(text)} characters; a query is at most {MAX_QUERY_CHARS}")
    cleaned = normalize(text)
    if not cleaned:
        raise InputError("query", "empty after removing spaces and control characters")
    if not _HAS_LETTER.search(cleaned) and not any(c.isdigit() for c in cleaned):
        raise InputError("query", f"no letters or digits in {text!r}")
    return text


def _strip_accents(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        # drop a combining mark only after a Latin, Greek or Cyrillic base letter
        if unicodedata.combining(char) and out and ord(out[-1]) < 0x530:
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Case-folded, accent-free, single-spaced text; scripts kept."""
    text = unicodedata.normalize("NFKC", text[: MAX_NAME_CHARS * 2])
    text = _CONTROL.sub(" ", text).casefold()
    text = _strip_accents(text)
    return _SPACES.sub(" ", text).strip()


def tokenize(text: str) -> list[str]:
    """Split normalised text into tokens (see the module docstring)."""
    text = _APOSTROPHES.sub("", text)
    text = _DOTTED_INITIALS.sub(lambda m: m.group(1).replace(".", "") + " ", text)
    return [t for t in _SPLIT.split(text) if t]


@lru_cache(maxsize=65536)
def _latinize_token(token: str) -> tuple[str, ...]:
    if token.isascii():
        return (token,)
    if korean.HANGUL_SYLLABLE.search(token):
        return tuple(tokenize(normalize(korean.romanize(token, "nk"))))
    from rigour.text.translit import ascii_text

    return tuple(tokenize(normalize(ascii_text(token))))


def latinize(tokens: list[str]) -> list[str]:
    """Transliterate tokens to Latin (ASCII); ASCII tokens pass through."""
    out: list[str] = []
    for token in tokens:
        out.extend(_latinize_token(token))
    return out


# ---------------------------------------------------------------------------------------
# generic tokens: legal forms, titles, particles

# Multi-word legal forms first (matched on the token sequence), then single tokens.
LEGAL_FORM_PHRASES: dict[tuple[str, ...], str] = {
    ("public", "joint", "stock", "company"): "pjsc",
    ("open", "joint", "stock", "company"): "ojsc",
    ("closed", "joint", "stock", "company"): "cjsc",
    ("joint", "stock", "company"): "jsc",
    ("joint", "stock", "co"): "jsc",
    ("limited", "liability", "company"): "llc",
    ("limited", "liability", "partnership"): "llp",
    ("public", "limited", "company"): "plc",
    ("limited", "partnership"): "lp",
    ("co", "ltd"): "llc",
    ("company", "limited"): "llc",
    ("l", "l", "c"): "llc",
    ("l", "p"): "lp",
    ("s", "a"): "sa",
    ("b", "v"): "bv",
    ("n", "v"): "nv",
    ("sp", "z", "o", "o"): "spzoo",
    ("pte", "ltd"): "ltd",
    ("pvt", "ltd"): "ltd",
    ("private", "limited"): "ltd",
    ("trading", "corporation"): "corp",
    ("trading", "company"): "co",
    ("gesellschaft", "mit", "beschrankter", "haftung"): "gmbh",
}
LEGAL_FORMS: dict[str, str] = {
    "company": "co",
    "comp": "co",
    "compan": "co",
    "co": "co",
    "corporation": "corp",
    "corp": "corp",
    "incorporated": "inc",
    "inc": "inc",
    "limited": "ltd",
    "ltd": "ltd",
    "llc": "llc",
    "llp": "llp",
    "lp": "lp",
    "plc": "plc",
    "jsc": "jsc",
    "ojsc": "ojsc",
    "cjsc": "cjsc",
    "pjsc": "pjsc",
    "group": "grp",
    "grp": "grp",
    "gmbh": "gmbh",
    "ag": "ag",
    "aktiengesellschaft": "ag",
    "sa": "sa",
    "sarl": "sarl",
    "srl": "srl",
    "spa": "spa",
    "bv": "bv",
    "nv": "nv",
    "ab": "ab",
    "as": "as",
    "oy": "oy",
    "kg": "kg",
    "pte": "pte",
    "pty": "pty",
    "pvt": "pvt",
    "ooo": "llc",
    "zao": "cjsc",
    "oao": "ojsc",
    "pao": "pjsc",
    "ao": "jsc",
    "tov": "llc",
    "holding": "holding",
    "holdings": "holding",
    "enterprise": "enterprise",
    "enterprises": "enterprise",
    "trading": "trading",
    "international": "intl",
    "intl": "intl",
}
_TITLE_WORDS = (
    "mr mrs ms miss mx dr doctor prof professor sir dame lord lady hon rev reverend "
    "general gen col colonel lt lieutenant capt captain major maj admiral adm marshal "
    "commander cmdr sgt sergeant president minister director chairman vice senior jr sr "
    "sheikh shaikh sheik haji hajji alhaji mullah maulavi mawlawi maulana qari mufti "
    "imam ayatollah hojatoleslam"
)
TITLES = frozenset(_TITLE_WORDS.split())
_PARTICLE_WORDS = (
    "al el bin ben ibn bint abu abou ould de da do dos das di du del della der den van von "
    "la le y e and of the und et"
)
PARTICLES = frozenset(_PARTICLE_WORDS.split())
_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def _numbers(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        match = _ORDINAL_DIGITS.match(token)
        if match:
            token = match.group(1)
        value = _NUMBERS.get(token)
        if value is None and token.isdigit() and len(token) == 1:
            value = int(token)
        if value is None:
            out.append(token)
            continue
        # "forty four" -> 44
        if value < 10 and out and out[-1].isdigit() and out[-1].endswith("0"):
            prev = int(out[-1])
            if 20 <= prev <= 90:
                out[-1] = str(prev + value)
                continue
        out.append(str(value))
    return out


_FORM_WORDS: tuple[str, ...] = tuple(
    sorted(
        {w for w in LEGAL_FORMS if len(w) >= 6}
        | {w for phrase in LEGAL_FORM_PHRASES for w in phrase if len(w) >= 6}
    )
)
"""The long words of legal forms, which a typo should not turn into a distinctive token."""


@lru_cache(maxsize=65536)
def _form_word(token: str) -> str:
    """A long legal-form word with one typo ("corporatino", "crompany") read as that word:
    left as it is, it would count as a distinctive word that the other name lacks."""
    if len(token) < 6 or token in LEGAL_FORMS or not token.isalpha():
        return token
    for word in _FORM_WORDS:
        if abs(len(word) - len(token)) <= 1 and OSA.distance(word, token) <= 1:
            return word
    return token


def _legal_forms(tokens: list[str]) -> list[str]:
    out: list[str] = []
    tokens = [_form_word(t) for t in tokens]
    i = 0
    while i < len(tokens):
        for phrase, form in LEGAL_FORM_PHRASES.items():
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                out.append(form)
                i += len(phrase)
                break
        else:
            out.append(LEGAL_FORMS.get(tokens[i], tokens[i]))
            i += 1
    return out


GENERIC_FORMS = frozenset(LEGAL_FORMS.values()) | frozenset(LEGAL_FORM_PHRASES.values())


@dataclass(frozen=True, slots=True)
class NameTokens:
    """A name prepared for comparison.

    ``tokens`` are Latin (ASCII) tokens; ``generic`` marks the ones that say little about
    identity (legal forms, titles, particles); ``script`` holds the normalised tokens in the
    original script when it is not Latin, for same-script comparison.
    """

    original: str
    tokens: tuple[str, ...]
    generic: tuple[bool, ...]
    script: tuple[str, ...]
    scripts: frozenset[str] = frozenset()

    @property
    def distinctive(self) -> tuple[str, ...]:
        """The tokens that are not generic."""
        return tuple(t for t, g in zip(self.tokens, self.generic, strict=True) if not g)


@lru_cache(maxsize=65536)
def name_tokens(name: str, kind: str = "any") -> NameTokens:
    """Prepare one name. ``kind`` is "person", "org", "object" or "any" (from the schema):
    legal forms are generic for organisations, titles for people; particles for both."""
    norm = normalize(name[:MAX_NAME_CHARS])
    raw = [_unleet(t) for t in tokenize(norm)]
    scripts = _scripts(norm)
    script: tuple[str, ...] = ()
    if scripts - {"LATIN"}:
        # Hangul and Chinese names are compared syllable by syllable, character by character
        script = tuple(
            part for token in raw for part in (token if _scripts(token) & _SYLLABIC else [token])
        )
    tokens = _numbers(latinize(raw))
    if kind in ("org", "any"):
        tokens = _legal_forms(tokens)
    generic: list[bool] = []
    for token in tokens:
        is_generic = token in PARTICLES
        if kind in ("org", "any") and token in GENERIC_FORMS:
            is_generic = True
        if kind in ("person", "any") and token in TITLES:
            is_generic = True
        generic.append(is_generic)
    if generic and all(generic):
        generic = [False] * len(generic)  # "The Group" is still a name
    return NameTokens(name, tuple(tokens), tuple(generic), script, scripts)


_SYLLABIC = frozenset({"HANGUL", "CJK"})
_LEET = str.maketrans("0134579", "oieastg")


def _unleet(token: str) -> str:
    """ "ig0r" -> "igor", "sech1n" -> "sechin": digits inside a word that is mostly letters
    are taken for the letters they look like."""
    letters = sum(c.isalpha() for c in token)
    if _ORDINAL_DIGITS.match(token):
        return token
    if letters and letters < len(token) and letters >= 2 * (len(token) - letters):
        return token.translate(_LEET)
    return token


@lru_cache(maxsize=4096)
def _char_script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return ""


def _scripts(text: str) -> frozenset[str]:
    """The scripts of the letters in a text ("LATIN", "HANGUL", "CJK", "CYRILLIC", ...)."""
    return frozenset(_char_script(c) for c in text if c.isalpha())


# ---------------------------------------------------------------------------------------
# phonetic skeleton of a Latin token

_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "sh"),
    ("ph", "f"),
    ("ck", "k"),
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ey", "i"),
    ("ei", "i"),
    ("y", "i"),
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A coarse phonetic form of a Latin token, so that spellings that differ in
    transcription only meet: "Nooristani"/"Nuristani", "Sergey"/"Sergei", "Hassan"/"Hasan",
    "Barack"/"Barak". It folds consonant digraphs (ph, ck, kh, th), doubled letters, soft c,
    y/i, w/v, z/s and ou/oo/ee; other vowels stay, so "Ortiz"/"Ortega" stay apart."""
    if not token.isalpha():
        return token
    out = _SOFT_C.sub("s", token).replace("ch", "C")
    for old, new in _SKELETON_RULES:
        out = out.replace(old, new)
    out = out.replace("c", "k").replace("C", "ch")
    return _DOUBLED.sub(r"\1", out)
