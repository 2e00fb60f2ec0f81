"""Claims: what a sentence of a source states, with the exact span it was read from.

A rule finds a ``Mention`` (a typed value at a span); ``extract`` turns mentions into
``Claim`` objects once it knows the document (for the stable id) and the sentence (for the
subject). Keeping the two apart lets every rule stay a pure function of the text.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, Literal

ClaimType = Literal[
    "money", "count", "country", "actor", "victim", "quantity", "cap", "date", "period"
]
CLAIM_TYPES: Final[tuple[str, ...]] = (
    "money",
    "count",
    "country",
    "actor",
    "victim",
    "quantity",
    "cap",
    "date",
    "period",
)

Value = int | Decimal | str


@dataclass(frozen=True)
class Mention:
    """One rule's reading of ``text[start:end]``, before it is tied to a document."""

    type: ClaimType
    start: int
    end: int
    value: Value
    unit: str | None
    rule: str
    confidence: float
    attrs: dict[str, str] = field(default_factory=dict)

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end

    def inside(self, other: Mention) -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class Claim:
    """A sourced statement an analyst reviews. ``span`` is ``[start, end)`` into the
    document's text, so ``document.text[start:end] == text`` always holds; ``attrs`` carries
    what a rule learnt beside the value (a bound such as ``at_most``, a commodity, an ISO
    code) so that the fixed fields keep the same meaning for every type."""

    id: str
    type: ClaimType
    text: str
    span: tuple[int, int]
    value: Value
    unit: str | None
    subject: str | None
    confidence: float
    rule: str
    attrs: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of issue 7. Exact numbers stay exact: integers as JSON integers,
        fractional decimals as strings (never floats)."""
        value: Any = self.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else str(value)
        return {
            "id": self.id,
            "type": self.type,
            "text": self.text,
            "span": [self.span[0], self.span[1]],
            "value": value,
            "unit": self.unit,
            "subject": self.subject,
            "confidence": self.confidence,
            "rule": self.rule,
            "attrs": dict(self.attrs),
        }


class Taken:
    """Spans already claimed, none overlapping another: ``add`` refuses a span that overlaps
    one already there. Kept sorted, so each check is one binary search, not a scan."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans held that overlap ``[start, end)``, in order."""
        i = bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            i -= 1
        out: list[tuple[int, int]] = []
        while i < len(self._starts) and self._starts[i] < end:
            if self._ends[i] > start:
                out.append((self._starts[i], self._ends[i]))
            i += 1
        return out

    def add(self, start: int, end: int) -> bool:
        """Record ``[start, end)`` and say so, or say no if it overlaps."""
        if end <= start or self.overlaps(start, end):
            return False
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def claim_id(source: str, start: int, end: int, rule: str) -> str:
    """Stable across runs and machines: the same file read by the same rule gives the same id,
    so an accepted or rejected claim keeps its decision when the file is ingested again."""
    digest = hashlib.sha256(f"{source}\x1f{start}\x1f{end}\x1f{rule}".encode()).hexdigest()
    return digest[:16]
