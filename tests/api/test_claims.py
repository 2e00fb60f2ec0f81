"""``/api/claims``: the same review as ``sanctrace claims``, over HTTP."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import cli_json

NEWS = Path(__file__).parents[1] / "fixtures" / "intake" / "review_news.txt"


def test_list_accept_reject_log(client: TestClient, ws_path: Path) -> None:
    [doc] = cli_json(ws_path, "intake", str(NEWS))["documents"]
    ids = {c["text"]: c["id"] for c in doc["claims"]}
    listed = client.get("/api/claims", params={"type": "money"}).json()["claims"]
    assert {c["text"] for c in listed} == {"$48.5 million", "$60 million", "$12 million"}

    accept = {"analyst": "alice", "as": "incident"}
    r = client.post(f"/api/claims/{ids['$12 million']}/accept", json=accept)
    assert r.status_code == 200 and r.json()["incident_id"] == "2026-03-zentrix"
    reject = {"analyst": "bob", "reason": "wrong"}
    r = client.post(f"/api/claims/{ids['$60 million']}/reject", json=reject)
    assert r.json()["action"] == "reject"
    again = client.post(f"/api/claims/{ids['$60 million']}/reject", json=reject)
    assert again.status_code == 400 and "already rejected" in again.json()["error"]

    one = client.get(f"/api/claims/{ids['$12 million']}").json()
    assert (one["status"], one["review"]["analyst"]) == ("accepted", "alice")
    assert client.get("/api/claims/nope").status_code == 404
    assert client.get("/api/claims", params={"status": "maybe"}).status_code == 400
    assert [e["analyst"] for e in client.get("/api/claims/log").json()["events"]] == [
        "alice",
        "bob",
    ]
    assert client.get("/api/incidents/2026-03-zentrix").status_code == 200
