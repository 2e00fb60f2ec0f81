"""Sentence boundaries, as spans. A claim's subject and its cue words (a cap, a theft verb)
are looked for in its own sentence only, so that one sentence's actor is not credited with
the next sentence's money."""

from __future__ import annotations

import re

# a full stop after one of these does not end a sentence
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "vs", "inc", "ltd", "co", "corp", "jr"}
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z\"“])")


def sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence, leading and trailing blanks excluded."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        before = text[start : m.start()]
        word = re.search(r"(\w+)$", before)
        if m.group(0).startswith(".") and word is not None:
            w = word.group(1)
            # "U.S." and "Mr." do not end a sentence; a single capital is an initial
            if w.lower() in _ABBREVIATIONS or (len(w) == 1 and w.isupper()):
                continue
        _append(text, start, m.end(), out)
        start = m.end()
    _append(text, start, len(text), out)
    return out


def _append(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    out.append((start + lead, start + lead + len(stripped)))


def sentence_of(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The sentence that holds ``position`` (or the nearest one before it)."""
    best = (0, 0)
    for s, e in spans:
        if s <= position:
            best = (s, e)
        else:
            break
    return best


# "the exchange Bithumb", "cryptocurrency exchange Bybit": a kind just before a name
_NAME_FOLLOWS = re.compile(r"[ \t]+(?:called[ \t]+|named[ \t]+|known as[ \t]+)?[\"“]?[A-Z]")
# "Upbit, a cryptocurrency exchange based in ...", "Kimsuky,” a hacker group": a name, a comma,
# "a" or "an" and up to three modifiers just before a kind ("In South Korea, the hackers ..."
# is no apposition, hence no "the")
_APPOSITION = re.compile(
    r"[A-Z][\w.&-]*[\"”’']?[ \t]*,[\"”’']?[ \t]+(?:which is[ \t]+)?an?[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}$"
)


def describes_a_name(text: str, start: int, end: int) -> bool:
    """Whether the phrase at ``text[start:end]`` (a kind of victim or actor) describes a name
    written next to it, in which case the name is the claim and the phrase is not one."""
    if start > 0 and text[start - 1 : start].isalpha():
        return False
    return bool(
        _NAME_FOLLOWS.match(text, end) or _APPOSITION.search(text[max(0, start - 80) : start])
    )
