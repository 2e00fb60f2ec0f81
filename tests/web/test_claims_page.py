"""``/claims``: each claim in its sentence with the claimed words marked, its state and how it
stands against the registry; filters by state and type."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sanctrace.api import create_app
from sanctrace.intake import review
from sanctrace.intake.store import stored_claims
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace

NEWS = Path(__file__).parents[1] / "fixtures" / "intake" / "review_news.txt"


def test_claims_page(ws_path: Path) -> None:
    with Workspace.open(ws_path) as ws:
        source = ingest(ws, "text", NEWS).source_id
        claims = {c.text: c for c in stored_claims(ws, source_ids=[source])}
        review.reject(ws, claims["$60 million"].claim_id, "alice", "conflates <two> incidents")
    with TestClient(create_app(ws_path)) as client:
        html = client.get("/claims").text
        money = claims["$48.5 million"].claim_id
        row = html.split(f'id="claim-{money}"', 1)[1].split("</tr>", 1)[0]
        assert "<mark>$48.5 million</mark> from Upbit." in row
        assert "corroborates amount" in row
        assert '/incidents/2019-11-27-upbit">2019-11-27-upbit</a>' in row
        assert "conflates &lt;two&gt; incidents" in html  # reasons are data, escaped
        rejected = client.get("/claims", params={"status": "rejected"}).text
        assert rejected.count('<tr id="claim-') == 1
        assert client.get("/claims", params={"type": "count"}).text.count('<tr id="claim-') == 2
        assert client.get("/claims", params={"status": "maybe"}).status_code == 400
        assert '/claims"' in client.get("/").text  # in the header
