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
