"""Campaigns: shared infrastructure and templates group messages; attribution follows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctrace.errors import NotFoundError
from sanctrace.phishing.campaigns import TEMPLATE_DISTANCE, attribute, find_campaigns, simhash
from sanctrace.phishing.store import analyse_files
from sanctrace.workspace import Workspace

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"


def load(ws: Workspace) -> None:
    files = sorted([*EMAILS.glob("*.eml"), *EMAILS.glob("*.msg")])
    batch = analyse_files(files, ws, lookalike=lambda _d: [])
    assert batch.errors == []


def test_campaigns_by_ip_and_by_template(ws: Workspace) -> None:
    load(ws)
    campaigns = find_campaigns(ws)
    by_files = {tuple(sorted(m.file for m in c.members)): c for c in campaigns}
    assert set(by_files) == {
        ("korean_euckr.eml", "seed_phrase_request.eml"),  # one sending IP
        ("upbit_impersonation.eml", "upbit_impersonation_2.eml", "upbit_outlook.msg"),
    }
    ip = by_files[("korean_euckr.eml", "seed_phrase_request.eml")]
    assert ip.evidence == {"ip": ["45.137.21.9"]}
    upbit = by_files[("upbit_impersonation.eml", "upbit_impersonation_2.eml", "upbit_outlook.msg")]
    assert upbit.evidence["ip"] == ["185.212.47.19"]  # the .msg came from the same host
    assert len(upbit.evidence["template"]) == 2  # the two .eml share their body template
    assert str(upbit.first_seen) == "2024-03-11 00:14:05"
    # clean messages stay out unless asked for
    assert all(m.verdict in ("phishing", "suspicious") for c in campaigns for m in c.members)


def test_attribution_follows_the_campaign(ws: Workspace) -> None:
    load(ws)
    [camp] = [c for c in find_campaigns(ws) if "ip" in c.evidence and len(c.members) == 2]
    made = attribute(ws, camp.campaign_id, "lazarus", "alice", "same VPS as 2024 reports")
    assert made.actor_name == "Lazarus Group" and made.attributions[0]["analyst"] == "alice"
    again = {c.campaign_id: c for c in find_campaigns(ws)}[camp.campaign_id]
    assert again.actor_id == made.actor_id
    with pytest.raises(NotFoundError, match="no such actor"):
        attribute(ws, camp.campaign_id, "Nobody Group", "alice")
    with pytest.raises(NotFoundError, match="camp-nope: no such campaign"):
        attribute(ws, "camp-nope", "lazarus", "alice")


MOSCOW = (
    "Your account shows unusual sign in activity from Moscow please verify within 24 hours"
    " at http://a.example/x or it will be locked"
)
BEIJING = (
    MOSCOW.replace("Moscow", "Beijing").replace("24", "48").replace("a.example/x", "b.example/y")
)
STATEMENT = (
    "Quarterly statement attached for your records thank you for trading with us we"
    " appreciate your business and look forward to next year"
)


def test_simhash_is_near_for_one_template_and_far_otherwise() -> None:
    a, b, c = simhash(MOSCOW), simhash(BEIJING), simhash(STATEMENT)
    assert a is not None and b is not None and c is not None
    assert bin(a ^ b).count("1") <= TEMPLATE_DISTANCE < bin(a ^ c).count("1")
    assert simhash("see attached") is None
