"""What a message asks the reader to do: urgency, credential harvesting, seed-phrase requests,
lures, and the wallet addresses it names.

The phrases are data (``data/phishing/phrases.csv``: category, lang, phrase; English and
Korean), matched case-insensitively on NFKC-normalised text. A seed-phrase term counts as a
*request* only when a request verb ("enter", "입력") stands near it and no negation ("never",
"절대") just before it: every real exchange mail warns "we will never ask for your recovery
phrase", and that warning must not score as phishing. Wallet addresses are candidate tokens
validated by the screening engine's ``clean_crypto`` (checksums included), not by a regex.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sanctrace.data import bundled
from sanctrace.screening.identifiers import clean_crypto

CATEGORIES = ("urgency", "credential", "seed", "request", "negation", "lure")
REQUEST_WINDOW = 80  # characters either side of a seed-phrase term
NEGATION_WINDOW = 60  # characters before it

# tokens shaped like an address of some chain; clean_crypto decides which are real
_WALLET_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?:0x[0-9a-fA-F]{40}|(?:bc1|tb1|ltc1)[02-9ac-hj-np-z]{6,87}"
    r"|(?:bitcoincash:)?[qp][02-9ac-hj-np-z]{41}|[13LMDXTt][1-9A-HJ-NP-Za-km-z]{25,40}"
    r"|r[1-9A-HJ-NP-Za-km-z]{24,34}|[48][1-9A-HJ-NP-Za-km-z]{94,105})(?![0-9A-Za-z])"
)


@dataclass(frozen=True)
class Phrase:
    category: str
    lang: str
    phrase: str


@cache
def load_phrases(path: Path | None = None) -> tuple[Phrase, ...]:
    source = path or bundled("phishing/phrases.csv")
    with source.open(encoding="utf-8", newline="") as fh:
        rows = [
            Phrase(r["category"].strip(), r["lang"].strip(), r["phrase"].strip())
            for r in csv.DictReader(fh)
            if r.get("phrase", "").strip()
        ]
    unknown = {p.category for p in rows} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{source}: unknown categories {sorted(unknown)}")
    return tuple(rows)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _pattern(phrase: str) -> re.Pattern[str]:
    escaped = re.escape(normalise(phrase))
    if phrase.isascii():  # English: whole words; Korean attaches particles, so substrings
        return re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
    return re.compile(escaped)


@cache
def _compiled(path: Path | None = None) -> tuple[tuple[Phrase, re.Pattern[str]], ...]:
    return tuple((p, _pattern(p.phrase)) for p in load_phrases(path))


@cache
def _category_pattern(category: str) -> re.Pattern[str]:
    """One alternation per category (longest first), so a text is scanned once per
    category rather than once per phrase."""
    phrases = sorted({normalise(p.phrase) for p in load_phrases() if p.category == category})
    words = [re.escape(p) for p in sorted(phrases, key=len, reverse=True) if p.isascii()]
    hangul = [re.escape(p) for p in sorted(phrases, key=len, reverse=True) if not p.isascii()]
    parts = []
    if words:
        parts.append(rf"(?<![a-z0-9])(?:{'|'.join(words)})(?![a-z0-9])")
    if hangul:
        parts.append(f"(?:{'|'.join(hangul)})")
    return re.compile("|".join(parts) or r"(?!x)x")


def find_phrases(text: str, category: str) -> list[str]:
    """The phrases of ``category`` found in ``text``, each once, in the data file's order."""
    norm = normalise(text)
    hits = set(_category_pattern(category).findall(norm))
    # the alternation tries longer phrases first, so where two overlap ("otp code", "otp")
    # the longer one is the evidence
    out: list[str] = []
    for p in load_phrases():
        if p.category == category and normalise(p.phrase) in hits and p.phrase not in out:
            out.append(p.phrase)
    return out


@dataclass(frozen=True)
class SeedMention:
    term: str
    request: str | None  # the request verb near it, when it is a request
    negated: str | None  # the negation before it, when it is a warning
    context: str


def seed_mentions(text: str) -> list[SeedMention]:
    """Each seed-phrase term in ``text`` with whether it is asked for or warned about."""
    norm = normalise(text)
    compiled = _compiled()
    requests = [rx for p, rx in compiled if p.category == "request"]
    negations = [(p.phrase, rx) for p, rx in compiled if p.category == "negation"]
    out = []
    for p, rx in compiled:
        if p.category != "seed":
            continue
        for m in rx.finditer(norm):
            before = norm[max(0, m.start() - NEGATION_WINDOW) : m.start()]
            around = norm[max(0, m.start() - REQUEST_WINDOW) : m.end() + REQUEST_WINDOW]
            negated = next((ph for ph, nrx in negations if nrx.search(before)), None)
            request = next((r.pattern for r in requests if r.search(around)), None)
            out.append(
                SeedMention(
                    term=p.phrase,
                    request=_unescape(request) if request else None,
                    negated=negated,
                    context=around.strip()[:200],
                )
            )
    return out


def _unescape(pattern: str) -> str:
    core = re.sub(r"^\(\?<!\[a-z0-9\]\)|\(\?!\[a-z0-9\]\)$", "", pattern)
    return core.replace("\\", "")


def wallet_addresses(text: str) -> list[dict[str, str]]:
    """Valid crypto addresses in ``text`` (checksums verified), each once, with their family."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for m in _WALLET_CANDIDATE.finditer(text):
        ident = clean_crypto(m.group(0))
        if ident is None or ident.family in ("hex64",) or ident.key in seen:
            continue
        seen.add(ident.key)
        out.append({"address": ident.value, "family": ident.family or ""})
    return out
