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


def find_countries(text: str, *, names_dprk_actor: bool = False) -> list[Mention]:
    """Country mentions, longest name first at each position. ``names_dprk_actor`` says the
    text names a DPRK actor (Kimsuky, Lazarus), which makes "the North" North Korea too."""
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
    out.extend(_abbreviated_koreas(text, out))
    # "the North" is North Korea in a text about either Korea ("In South Korea, the North is
    # targeting exchanges") or a DPRK actor ("Kimsuky ... the North's phishing sites");
    # elsewhere it is a direction or a region
    if names_dprk_actor or any(m.unit in {"KP", "KR"} for m in out):
        out.extend(_the_north(text, out))
    out.sort(key=lambda m: m.start)
    return out


# the headline abbreviations "N Korea", "N. Korean", "S. Korea"
_ABBREVIATED = re.compile(r"(?<![\w.])([NS])\.?\s?Korea(?:n|ns)?(?!\w)")


def _abbreviated_koreas(text: str, found: list[Mention]) -> list[Mention]:
    taken = Taken()
    for f in found:
        taken.add(f.start, f.end)
    out: list[Mention] = []
    for m in _ABBREVIATED.finditer(text):
        if not taken.add(m.start(), m.end()):
            continue
        code, name = ("KP", "North Korea") if m.group(1) == "N" else ("KR", "South Korea")
        out.append(Mention("country", m.start(), m.end(), name, code, "country.abbreviation",
                           0.85, {}))  # fmt: skip
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
        if territory is None and name.endswith("ns"):
            # a demonym in the plural: "North Koreans", "Indonesians"
            territory = lookup_territory(name[:-1])
    if territory is None or not territory.is_country or territory.is_historical:
        return None
    return territory.code, territory.name


def _the_north(text: str, found: list[Mention]) -> list[Mention]:
    """Where the text has named North or South Korea, "the North" is North Korea."""
    out: list[Mention] = []
    taken = Taken()
    for f in found:
        taken.add(f.start, f.end)
    for m in re.finditer(r"\b[Tt]he (North)(?!\s+(?:of|[A-Z]))(?:['’]s)?\b", text):
        start, end = m.start(1), m.end(1)
        if taken.overlaps(start, end):
            continue
        out.append(Mention("country", start, end, "North Korea", "KP", "country.the_north",
                           0.7, {}))  # fmt: skip
    return out
