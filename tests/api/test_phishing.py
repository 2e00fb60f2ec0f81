"""``/api/phish``: analyse an uploaded message; campaigns; errors in the API's one shape."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import cli_json

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"


def test_analyze_upload(client: TestClient) -> None:
    data = (EMAILS / "forwarded_report.eml").read_bytes()
    r = client.post(
        "/api/phish/analyze",
        params={"name": "report.eml"},
        content=data,
        headers={"Content-Type": "message/rfc822"},
    )
    assert r.status_code == 200
    assert [(m["file"], m["verdict"]) for m in r.json()["messages"]] == [
        ("report.eml", "clean"),
        ("report.eml#2", "phishing"),
    ]


def test_analyze_msg_upload(client: TestClient) -> None:
    data = (EMAILS / "upbit_outlook.msg").read_bytes()
    r = client.post("/api/phish/analyze", params={"name": "x.msg"}, content=data)
    assert r.status_code == 200 and r.json()["messages"][0]["verdict"] == "phishing"


def test_not_an_email_is_a_400_naming_it(client: TestClient) -> None:
    r = client.post("/api/phish/analyze", params={"name": "junk.bin"}, content=b"\x00\x01")
    assert r.status_code == 400
    assert "junk.bin" in r.text and "not an email" in r.text


def test_campaigns_match_the_cli(client: TestClient, ws_path: Path) -> None:
    files = [str(p) for p in sorted(EMAILS.glob("*.eml"))]
    cli_json(ws_path, "phish", "analyze", *files)
    r = client.get("/api/phish/campaigns")
    assert r.status_code == 200
    expected = cli_json(ws_path, "phish", "campaigns")
    assert [c["campaign_id"] for c in r.json()["campaigns"]] == [
        c["campaign_id"] for c in expected["campaigns"]
    ]
    assert len(expected["campaigns"]) == 2
