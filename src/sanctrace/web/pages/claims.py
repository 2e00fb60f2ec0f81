"""``/claims``: claims read from reports and news, each in its sentence with the claimed
words marked, its review state and how it stands against the registry.

Read-only: decisions are made with ``sanctrace claims accept|reject`` or the API, which name
the analyst; the page shows the command for each pending claim.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.intake.claims import CLAIM_TYPES
from sanctrace.intake.corroborate import with_links
from sanctrace.intake.store import STATUSES, StoredClaim, stored_claims
from sanctrace.web.templating import render

router = APIRouter()


def marked(claim: StoredClaim) -> Markup:
    """The claim's sentence with the claimed words in ``<mark>``, everything escaped."""
    start = claim.span[0] - claim.sentence_span[0]
    end = claim.span[1] - claim.sentence_span[0]
    s = claim.sentence
    return (
        escape(s[:start])
        + Markup("<mark>")
        + escape(s[start:end])
        + Markup("</mark>")
        + escape(s[end:])
    )


@router.get("/claims", name="web.claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    access: Access,
    status: Annotated[str | None, Query()] = None,
    type: Annotated[str | None, Query()] = None,
) -> Response:
    status = status or None
    type = type or None
    with access.reading() as ws:
        claims = with_links(ws, stored_claims(ws, status=status, type=type))
    rows = [{"c": c, "sentence": marked(c)} for c in claims]
    return render(
        request,
        "claims.html",
        {
            "rows": rows,
            "statuses": STATUSES,
            "types": CLAIM_TYPES,
            "status": status or "",
            "type": type or "",
            "section": "web.claims",
        },
    )
