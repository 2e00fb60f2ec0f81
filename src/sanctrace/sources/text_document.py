"""``text``: a report or news text (plain text, HTML or PDF) kept as a source document, with
the claims the intake rules find in it.

Reading and extraction are ``sanctrace.intake``'s; this adapter only turns their objects into
rows, so the document's text, its hash and every claim commit in one transaction with the
``source`` row. A file that cannot be read at all (empty, binary, broken PDF, over the size
limit) is an ``InputError`` naming the file and nothing is written.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from decimal import Decimal
from pathlib import Path

from sanctrace.intake import Claim, Document, extract, read_document
from sanctrace.intake.sentences import sentences
from sanctrace.sources.base import Parsed, Progress, Row


class TextDocument:
    name = "text"
    version = "1"
    description = "report or news text (.txt, .html, .pdf): the document and its claims"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return parse_document(read_document(path), progress)


def parse_document(document: Document, progress: Progress | None = None) -> Parsed:
    """Rows for ``document`` and ``claim``; ``rows_read`` counts claims."""
    out = Parsed()
    out.add(
        "document",
        {
            "name": Path(document.name).name,
            "kind": document.kind,
            "sha256": document.sha256,
            "size": document.size,
            "text": document.text,
        },
    )
    spans = sentences(document.text)
    starts = [s for s, _ in spans]
    for claim in extract(document):
        out.add("claim", claim_row(claim, _sentence(spans, starts, claim.span[0])))
        out.rows_read += 1
        if progress:
            progress(out.rows_read)
    return out


def claim_row(claim: Claim, sentence: tuple[int, int]) -> Row:
    """A ``Claim`` as a ``claim`` row: the value as exact text, and again as a number where
    it is one (never a float)."""
    value = claim.value
    number = Decimal(value) if isinstance(value, int | Decimal) else None
    return {
        "claim_id": claim.id,
        "type": claim.type,
        "text": claim.text,
        "span_start": claim.span[0],
        "span_end": claim.span[1],
        "sentence_start": sentence[0],
        "sentence_end": sentence[1],
        "value": str(value),
        "number": number,
        "unit": claim.unit,
        "subject": claim.subject,
        "confidence": claim.confidence,
        "rule": claim.rule,
        "attrs": json.dumps(claim.attrs, sort_keys=True, ensure_ascii=False),
    }


def _sentence(spans: list[tuple[int, int]], starts: list[int], at: int) -> tuple[int, int]:
    i = bisect_right(starts, at) - 1
    return spans[i] if i >= 0 else (at, at)
