"""What a detector returns: a rule that fired for a worker (or a client), why, and the rows
behind it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from sanctrace.itworkers.records import Evidence

MAX_EVIDENCE: Final = 25
"""Rows kept per firing (a shared office IP has thousands of log-ins); ``evidence_total``
says how many there were."""


@dataclass
class Firing:
    rule_id: str
    subject: str  # a worker_id, or a client_id for client rules
    detail: str
    evidence: list[Evidence] = field(default_factory=list)
    evidence_total: int = 0
    subject_kind: str = "worker"  # worker | client

    def __post_init__(self) -> None:
        self.evidence_total = max(self.evidence_total, len(self.evidence))
        del self.evidence[MAX_EVIDENCE:]


def fold(text: str) -> str:
    """Text compared as a person would: accents, case, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[^\W_]+", stripped))


_ABBREVIATIONS: Final = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "apartment": "apt",
    "suite": "ste",
    "unit": "apt",
    "number": "no",
}


def address_key(address: str) -> str:
    """A shipping address as a key: folded, with common street words abbreviated, so that
    "12 Oak Street, Apt 3" and "12 oak st. apt 3" meet."""
    return " ".join(_ABBREVIATIONS.get(w, w) for w in fold(address).split())


_CASE_FREE = re.compile(r"^(0x[0-9a-fA-F]+|bc1[0-9a-zA-Z]+|[A-Za-z]{2}\d{2}[A-Za-z0-9]+|.*@.*)$")


def destination_key(destination: str) -> str:
    """A payout destination as a key: spaces and hyphens dropped; case folded where it does
    not matter (IBANs, EVM and bech32 addresses, emails), kept where it does (base58)."""
    compact = re.sub(r"[\s\-]", "", destination)
    return compact.casefold() if _CASE_FREE.match(compact) else compact
