"""Phishing over HTTP: ``POST /api/phish/analyze`` (one uploaded message, the JSON of
``sanctrace phish analyze --json --no-store``) and ``GET /api/phish/campaigns`` (``sanctrace
phish campaigns --json``).

The upload is the raw file as the request body (``Content-Type: message/rfc822`` for .eml,
``application/vnd.ms-outlook`` for .msg, or ``application/octet-stream``), with its name in
``?name=``: a multipart form would need python-multipart, and one message per request needs
no form. The bytes are analysed in memory and never written; a body over the adapter's size
limit is refused before it is read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sanctrace.api.deps import Access
from sanctrace.errors import InputError
from sanctrace.phishing.analysis import analyse_all
from sanctrace.phishing.brands import load_brands
from sanctrace.phishing.campaigns import find_campaigns
from sanctrace.sources.email_message import LIMITS, read_bytes

router = APIRouter(prefix="/phish", tags=["phishing"])


@router.post("/analyze", summary="Analyse one email message", name="api.phish.analyze")
async def analyze(
    request: Request,
    name: Annotated[str, Query(description="The file's name (.eml or .msg), for messages.")] = (
        "upload.eml"
    ),
) -> dict[str, Any]:
    """The verdict (phishing | suspicious | clean), score and features of the uploaded message
    and of every message forwarded inside it, with URLs, domains, attachments and lookalike
    domains. Not stored. Not an email, or too big: a 400 naming the file."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > LIMITS.max_bytes:
        raise InputError(
            name, f"{int(declared):,} bytes is over the {LIMITS.max_bytes:,}-byte limit"
        )
    data = await request.body()
    mail = read_bytes(data, name)
    return {"messages": [a.to_dict() for a in analyse_all(mail, load_brands())]}


@router.get("/campaigns", summary="Phishing campaigns", name="api.phish.campaigns")
def campaigns(
    access: Access,
    all: Annotated[
        bool, Query(description="Messages analysed as clean (and never analysed) too.")
    ] = False,
) -> dict[str, Any]:
    """Messages grouped by shared sending IPs, link domains, attachment hashes and body
    templates, with the evidence and any attribution (``sanctrace phish campaigns --json``)."""
    with access.reading() as ws:
        return {"campaigns": [c.to_dict() for c in find_campaigns(ws, include_clean=all)]}
