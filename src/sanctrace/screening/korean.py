"""Korean-aware name keys: the same person written in Hangul, Revised Romanization (South
Korea), McCune-Reischauer or the North Korean official style must meet in one index.

Three romanisations of 김정은 are "Gim Jeong-eun" (RR), "Kim Chŏng-ŭn" (MR) and "Kim Jong Un"
(the style of the UN and OFAC lists); people also write "Kim Jong-un", "Kim Jongun" and "Jong
Un Kim". Rather than generate every spelling, both sides are folded to one *phonetic key*:

- the surname becomes its Hangul syllable through a table of customary spellings (Lee, Yi,
  Ri, Rhee and I are all 이/리; Park, Pak and Bak are 박), so spellings that no rule links
  still meet;
- the given name is glued (hyphens and spaces dropped, so "Jong Un", "Jong-un" and "Jongun"
  agree) and folded with rules that undo what the systems do differently: eo/o, eu/u, ae/ai,
  oo/u, ee/i; ch/j, k/g, p/b, t/d (aspiration marks and voicing are dropped); the initial r
  or n that North Korea keeps and South Korea drops (Ryong/Yong, Ri/I).

``korean_keys(name)`` returns the set of keys of a name, ``"김:congun"`` for all of the
spellings above. It is a set because a Latin spelling can be ambiguous (is "Han Song" surname
first or last? "Chong" is 정 or 종?). The folding loses information on purpose: a key is
for retrieval and for a feature that says "these are the same Korean name", never for display.
``romanize(hangul, system)`` gives the readable romanisations (ko-pron for RR and MR, one
syllable at a time so that sound changes across syllables do not leak into names, which are
romanised syllable by syllable on the lists).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Literal

System = Literal["rr", "mr", "nk"]

HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")

# Surname (Hangul) -> customary Latin spellings, in South and North Korean use. The first
# spelling is the one shown. Surnames that differ only in the North (리/이, 림/임, 류/유, 로/노)
# share one entry: the lists write the North Korean form, users often the South Korean one.
SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim", "kimm"),
    "이": ("lee", "yi", "ri", "rhee", "i", "li", "rhie", "rie", "yee", "lie", "ree", "ly"),
    "박": ("park", "pak", "bak", "bark", "pack", "parck"),
    "최": ("choi", "choe", "chwe", "choy", "chey", "che"),
    "정": ("jung", "jeong", "chung", "chong", "jong", "cheong", "joung", "jeung"),
    "강": ("kang", "gang", "khang", "kahng"),
    "조": ("cho", "jo", "joe", "choh", "zo"),
    "윤": ("yun", "yoon", "youn", "youn"),
    "장": ("jang", "chang", "zang"),
    "임": ("rim", "lim", "im", "yim", "leem", "lym", "rhim"),
    "한": ("han", "hahn"),
    "오": ("oh", "o", "oe"),
    "서": ("seo", "so", "suh", "sur", "soh"),
    "신": ("shin", "sin", "sheen", "shinn"),
    "권": ("kwon", "gwon", "kwun", "kweon", "kwan"),
    "황": ("hwang", "whang"),
    "안": ("ahn", "an", "arn"),
    "송": ("song", "soung"),
    "유": ("ryu", "yu", "yoo", "you", "rhyu", "lyu", "ryoo", "yiu"),
    "홍": ("hong", "houng"),
    "전": ("jeon", "jon", "chon", "jun", "chun", "cheon", "jeun", "chen"),
    "고": ("ko", "go", "koh"),
    "문": ("mun", "moon", "muhn"),
    "양": ("yang", "ryang", "lyang"),
    "손": ("son", "sohn"),
    "배": ("bae", "pae", "bai", "pai", "bay"),
    "백": ("paek", "baek", "paik", "baik", "back", "pack", "beak"),
    "허": ("heo", "ho", "hur", "huh", "her"),
    "남": ("nam",),
    "노": ("noh", "roh", "no", "ro", "rho", "nho"),
    "하": ("ha", "hah"),
    "곽": ("kwak", "gwak", "kwag"),
    "성": ("sung", "seong", "song"),
    "차": ("cha",),
    "주": ("ju", "chu", "joo", "choo", "jou"),
    "우": ("woo", "u", "wu", "oo"),
    "구": ("koo", "ku", "gu", "goo"),
    "민": ("min",),
    "방": ("pang", "bang"),
    "현": ("hyon", "hyun", "hyeon", "hyoun"),
    "함": ("ham", "hahm"),
    "변": ("pyon", "byun", "byeon", "pyun", "byon"),
    "염": ("yom", "yeom", "yum", "ryom"),
    "여": ("yo", "yeo", "yeu", "ryo"),
    "추": ("chu", "choo"),
    "도": ("to", "do", "doh"),
    "석": ("sok", "seok", "suk"),
    "태": ("thae", "tae", "tai"),
    "계": ("kye", "gye", "kyeh"),
    "길": ("kil", "gil"),
    "편": ("phyon", "pyeon", "pyon", "pyun"),
    "탁": ("thak", "tak", "tark"),
    "채": ("chae", "chai", "che"),
    "봉": ("pong", "bong"),
    "승": ("sung", "seung"),
    "용": ("yong", "ryong", "yeong"),
    "엄": ("om", "eom", "um", "uhm", "aum"),
    "원": ("won", "weon"),
    "천": ("chon", "cheon", "chun"),
    "인": ("in",),
    "진": ("jin", "chin"),
    "지": ("ji", "chi", "jee"),
    "마": ("ma",),
    "공": ("kong", "gong"),
    "심": ("sim", "shim", "sheem"),
    "설": ("sol", "seol", "sul"),
    "왕": ("wang",),
    "명": ("myong", "myeong", "myung"),
    "표": ("pyo", "phyo"),
    "위": ("wi", "wee"),
    "나": ("na", "ra", "rha"),
    "라": ("ra", "la"),
    "모": ("mo",),
    "국": ("kuk", "guk", "kook"),
    "어": ("o", "eo"),
    "육": ("yuk", "ryuk", "yook"),
    "선우": ("sonu", "seonu", "sunwoo"),
    "남궁": ("namgung", "namkung", "namkoong"),
    "황보": ("hwangbo", "hwangpo"),
    "제갈": ("jegal", "chegal"),
    "독고": ("dokgo", "tokko"),
    "사공": ("sagong", "sakong"),
}


# North Korea keeps an initial ㄹ (and ㄴ before i/y) that South Korea drops: one surname.
HANGUL_SURNAME_ALIASES: dict[str, str] = {
    "리": "이",
    "니": "이",
    "림": "임",
    "류": "유",
    "로": "노",
    "량": "양",
    "려": "여",
    "렴": "염",
    "륙": "육",
}


def canonical_surname(hangul: str) -> str:
    """The table form of a Hangul surname: 리 -> 이, 림 -> 임, 류 -> 유."""
    return HANGUL_SURNAME_ALIASES.get(hangul, hangul)


@cache
def _surname_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for hangul, spellings in SURNAMES.items():
        for spelling in spellings:
            index.setdefault(spelling, set()).add(hangul)
    return {k: frozenset(v) for k, v in index.items()}


def surname_hangul(token: str) -> frozenset[str]:
    """The Hangul surnames a Latin spelling can stand for ("ri" -> {"이"}), or none."""
    return _surname_index().get(token.lower(), frozenset())


# ---------------------------------------------------------------------------------------
# romanisation


@lru_cache(maxsize=16384)
def _syllable(syllable: str, system: System) -> str:
    import ko_pron  # imported here: ~20 ms, and only Hangul input needs it

    if system == "rr":
        return str(ko_pron.romanise(syllable, "rr"))
    mr = str(ko_pron.romanise(syllable, "mr"))
    if system == "mr":
        return mr
    # North Korean official style as the lists write it: MR without diacritics, ㅈ written j,
    # aspirates written kh/th/ph/ch (MR's k'/t'/p'/ch').
    out = mr.replace("ch'", "CH").replace("ch", "j").replace("CH", "ch")
    out = out.replace("k'", "kh").replace("t'", "th").replace("p'", "ph")
    return _strip_marks(out)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_hangul_name(name: str) -> tuple[str, str]:
    """Split a Hangul name into (surname, given name): two-syllable surnames from the table
    first, else the first syllable. A space in the name is taken as the split."""
    name = name.strip()
    if " " in name:
        surname, _, given = name.partition(" ")
        return surname, given.replace(" ", "")
    if len(name) >= 3 and name[:2] in SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def romanize(name: str, system: System = "nk") -> str:
    """Romanise the Hangul in ``name`` syllable by syllable, leaving other text as it is.

    A Hangul name is written "Surname Given-name" in RR ("Gim Jeong-eun"), "Surname Given"
    with MR ("Kim Chŏngŭn") and with syllables spaced in the North Korean style ("Kim Jong
    Un"), which is how the UN list writes DPRK names.
    """

    stripped = name.strip()
    if _HANGUL_RUN.fullmatch(stripped) and len(stripped) >= 2:
        surname, given = split_hangul_name(stripped)
        return f"{_romanize_run(surname, system)} {_romanize_run(given, system)}"
    return " ".join(
        _HANGUL_RUN.sub(lambda m: _romanize_run(m.group(0), system), w) for w in name.split()
    )


def _romanize_run(run: str, system: System) -> str:
    syllables = [_syllable(s, system) for s in run]
    if system == "nk":
        return " ".join(s.capitalize() for s in syllables)
    joiner = "-" if system == "rr" else ""
    return joiner.join(syllables).capitalize()


# ---------------------------------------------------------------------------------------
# romanised syllables and the folding rules

_INITIALS = "tch|kk|gg|kh|pp|bb|ph|tt|dd|th|ss|sh|jj|ch|g|k|n|d|t|r|l|m|b|p|s|j|c|h|f|z"
_VOWELS = "yae|yeo|wae|weo|eui|ae|ai|ya|eo|ye|yo|wa|oe|oi|oo|wo|we|wi|yu|eu|ui|ee|ou|a|o|e|u|i|w"
_FINALS = "ng|k|g|n|t|d|l|r|m|p|b|s"
_SYLLABLE = f"(?:{_INITIALS})?(?:{_VOWELS})(?:{_FINALS})?"
_ROMANISED_WORD = re.compile(f"(?:{_SYLLABLE}){{1,3}}")


def is_romanised_korean(token: str) -> bool:
    """Whether a Latin token can be read as one to three romanised Korean syllables."""
    return len(token) <= 12 and _ROMANISED_WORD.fullmatch(token.lower()) is not None


def is_korean_syllable(token: str) -> bool:
    """Whether a Latin token can be read as exactly one romanised Korean syllable."""
    return len(token) <= 6 and re.fullmatch(_SYLLABLE, token.lower()) is not None


_FOLDS: tuple[tuple[str, str], ...] = (
    ("tch", "c"),
    ("jj", "c"),
    ("ch", "c"),
    ("j", "c"),
    ("z", "c"),
    ("kh", "k"),
    ("kk", "k"),
    ("gg", "k"),
    ("g", "k"),
    ("ph", "p"),
    ("pp", "p"),
    ("bb", "p"),
    ("b", "p"),
    ("f", "p"),
    ("th", "t"),
    ("tt", "t"),
    ("dd", "t"),
    ("d", "t"),
    ("sh", "s"),
    ("ss", "s"),
    ("l", "r"),
    ("eo", "o"),
    ("eu", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ou", "o"),
    ("ai", "ae"),
    ("oi", "oe"),
)
_DOUBLE = re.compile(r"(.)\1+")
_NON_ALPHA = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold a romanised Korean word to its phonetic key: "Jeong-eun", "chŏngŭn", "Jong Un"
    all fold to "congun". Word-initial r/l/n before i or y is dropped (Ri/I, Ryong/Yong)."""
    words = [_NON_ALPHA.sub("", w) for w in _strip_marks(text.lower()).split()]
    words = [re.sub(r"^[rln](?=[iy])", "", w) for w in re.split(r"[\s-]+", " ".join(words)) if w]
    out = "".join(words)
    for old, new in _FOLDS:
        out = out.replace(old, new)
    return _DOUBLE.sub(r"\1", out)


# ---------------------------------------------------------------------------------------
# keys


def _latin_tokens(name: str) -> list[str]:
    text = _strip_marks(name.lower()).replace("'", "").replace("’", "")
    return [t for t in re.split(r"[^a-z]+", text) if t]


def _given_key(parts: Iterable[str]) -> str:
    return fold(" ".join(parts))


@lru_cache(maxsize=65536)
def korean_keys(name: str) -> frozenset[str]:
    """The phonetic keys of a name that may be Korean; empty when it cannot be.

    Hangul input: the surname syllable and the folded romanisation of the given name.
    Latin input: a surname from the table at the start or the end (both are tried) and every
    other token readable as romanised Korean syllables. The key is ``surname:given`` with the
    surname in Hangul, e.g. "김:congun" for "Kim Jong Un", "김정은", "Jong-un KIM".
    """
    text = name.strip()
    if not text or len(text) > 200:
        return frozenset()
    hangul = "".join(HANGUL_SYLLABLE.findall(text))
    if hangul:
        if not 2 <= len(hangul) <= 5:
            return frozenset()
        surname, given = split_hangul_name(" ".join(_HANGUL_RUN.findall(text)))
        if not given:
            return frozenset()
        given_latin = " ".join(_syllable(s, "mr") for s in given)
        return frozenset({f"{canonical_surname(surname)}:{_given_key([given_latin])}"})
    tokens = _latin_tokens(text)
    if not 2 <= len(tokens) <= 5:
        return frozenset()
    keys: set[str] = set()
    for family, rest in ((tokens[0], tokens[1:]), (tokens[-1], tokens[:-1])):
        hanguls = surname_hangul(family)
        if not hanguls or not all(is_romanised_korean(t) for t in rest):
            continue
        given_key = _given_key(rest)
        keys.update(f"{h}:{given_key}" for h in hanguls)
    return frozenset(keys)


def loose(key: str) -> str:
    """A key or fold with u and o merged: ㅓ is written o (Chol), eo (Cheol) and u (Chul), so
    ``fold`` keeps them apart only where the spellings agree."""
    return key.replace("u", "o")


def looks_korean(name: str) -> bool:
    """Whether a name reads as a Korean personal name (see ``korean_keys``)."""
    return bool(korean_keys(name))
