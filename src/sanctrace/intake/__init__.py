"""Evidence intake: claims (amounts, counts, countries, actors, victims, quantities, caps,
dates, periods) read from report and news text, each with its exact span, the rule that
found it and a confidence, for an analyst to review into the registry.

Pure: no workspace, no CLI. ``read_document`` turns a file into a ``Document``;
``extract`` turns a document into ``Claim`` objects. See docs/intake.md.
"""

from __future__ import annotations

from sanctrace.intake.claims import CLAIM_TYPES, Claim, Mention, claim_id
from sanctrace.intake.documents import (
    MAX_BYTES,
    Document,
    document_from_bytes,
    document_from_text,
    read_document,
)
from sanctrace.intake.extract import extract
from sanctrace.intake.gazetteer import Gazetteer, default_gazetteer

__all__ = [
    "CLAIM_TYPES",
    "MAX_BYTES",
    "Claim",
    "Document",
    "Gazetteer",
    "Mention",
    "claim_id",
    "default_gazetteer",
    "document_from_bytes",
    "document_from_text",
    "extract",
    "read_document",
]
