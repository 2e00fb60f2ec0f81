"""Countries named in text: names, official names, demonyms and codes ("Chile", "South
Korean", "Democratic People's Republic of Korea", "DPRK", "U.S."), looked up in rigour's
territory data (OpenSanctions' successor of countrynames, already installed through
followthemoney), plus "the North" for North Korea in a text that has already named it.

Runs of capitalised words are tried longest first, so "South Korea" is not also "Korea".
"""

from __future__ import annotations

import re
from typing import Final

from rigour.territories import lookup_territory

from sanctrace.intake.claims import Mention, Taken

# short upper-case tokens that are country codes in prose; any other two- or three-letter
# token is left alone ("IT workers" is not Italy, "IN" is not India)
_CODES: Final[dict[str, str]] = {
    "US": "us",
    "U.S.": "us",
    "U.S": "us",
    "USA": "us",
    "U.S.A.": "us",
    "UK": "gb",
    "U.K.": "gb",
    "UAE": "ae",
    "PRC": "cn",
    "ROK": "kr",
    "DPRK": "kp",
    "DRC": "cd",
}
# names too ambiguous to claim a country alone: "Korea" and "Korean" mean either Korea
_AMBIGUOUS: Final[set[str]] = {"korea", "korean", "koreans"}
_CONNECTORS: Final[set[str]] = {"of", "and", "the", "de", "del", "da", "du"}
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w]|['’](?=\w))*", re.UNICODE)
_MAX_WORDS = 6  # "Saint Vincent and the Grenadines"


def find_countries(text: str) -> list[Mention]:
    """Country mentions, longest name first at each position."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        if not word[0].isupper():
            i += 1
            continue
        hit = _longest(text, tokens, i)
        if hit is None:
            i += 1
            continue
        j, end, code, name = hit
        rule = "country.code" if j == i and code is not None and word in _CODES else "country.name"
        confidence = 0.9 if rule == "country.name" else 0.85
        out.append(
            Mention("country", start, end, name, code.upper(), rule, confidence, {})
        )  # fmt: skip
        i = j + 1
    if any(m.unit == "KP" for m in out):
        out.extend(_the_north(text, out))
        out.sort(key=lambda m: m.start)
    return out


def _longest(
    text: str, tokens: list[tuple[int, int, str]], i: int
) -> tuple[int, int, str, str] | None:
    """The longest run of tokens from ``i`` that names a country: (last index, end, code,
    name)."""
    start = tokens[i][0]
    last = min(len(tokens), i + _MAX_WORDS)
    for j in range(last - 1, i - 1, -1):
        if not _joined(text, tokens, i, j):
            continue
        word = tokens[j][2]
        if not word[0].isupper():
            continue
        end = tokens[j][1]
        for cut in _possessive(text, start, end):
            found = _lookup(text[start:cut])
            if found is not None:
                return j, cut, found[0], found[1]
    return None


def _joined(text: str, tokens: list[tuple[int, int, str]], i: int, j: int) -> bool:
    """Tokens i..j form one name: single spaces between them, inner words capitalised or
    connectors ("Republic of Korea", "Bosnia and Herzegovina")."""
    for k in range(i + 1, j + 1):
        gap = text[tokens[k - 1][1] : tokens[k][0]]
        if gap not in {" ", "-"}:
            return False
        word = tokens[k][2]
        if not word[0].isupper() and word.lower() not in _CONNECTORS:
            return False
    return True


def _possessive(text: str, start: int, end: int) -> list[int]:
    """Ends to try: the name as written, then without a possessive "'s" ("Korea's")."""
    name = text[start:end]
    if len(name) > 2 and name[-2] in "'’" and name[-1] == "s":
        return [end - 2]
    return [end]


def _lookup(name: str) -> tuple[str, str] | None:
    if name.lower() in _AMBIGUOUS:
        return None
    if len(name.replace(".", "")) <= 3 or (len(name) <= 6 and name.replace(".", "").isupper()):
        code = _CODES.get(name)
        if code is None:
            return None
        territory = lookup_territory(code)
    else:
        if name.lower().startswith("the "):
            return None
        territory = lookup_territory(name)
    if territory is None or not territory.is_country or territory.is_historical:
        return None
    return territory.code, territory.name


def _the_north(text: str, found: list[Mention]) -> list[Mention]:
    """Where the text has named North Korea, "the North" is North Korea too; elsewhere it
    is not a country at all."""
    out: list[Mention] = []
    taken = Taken()
    for f in found:
        taken.add(f.start, f.end)
    for m in re.finditer(r"\bthe (North)(?!\s+(?:of|[A-Z]))(?:['’]s)?\b", text):
        start, end = m.start(1), m.end(1)
        if taken.overlaps(start, end):
            continue
        out.append(Mention("country", start, end, "North Korea", "KP", "country.the_north",
                           0.7, {}))  # fmt: skip
    return out
