"""Phishing indicators as STIX 2.1 (validated by the stix2 library) and as a MISP event."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import stix2

from sanctrace.exports.phishing import misp_event, stix_bundle
from sanctrace.exports.stix import stix_id
from sanctrace.phishing.campaigns import attribute, find_campaigns
from sanctrace.phishing.store import analyse_files
from sanctrace.workspace import Workspace

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"


def test_stix_bundle_parses_and_is_deterministic(ws: Workspace) -> None:
    analyse_files(sorted(EMAILS.glob("*.eml")), ws, lookalike=lambda _d: [])
    camp = next(c for c in find_campaigns(ws) if "ip" in c.evidence)
    made = attribute(ws, camp.campaign_id, "Lazarus Group", "alice")
    bundle = stix_bundle(ws)
    parsed = stix2.parse(json.dumps(bundle), allow_custom=False)
    assert len(parsed.objects) == len(bundle["objects"])
    kinds = Counter(o["type"] for o in bundle["objects"])
    assert kinds["observed-data"] == 7 and kinds["campaign"] == 2 and kinds["indicator"] > 20
    patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert "[url:value = 'https://upbit-login.co.kr/auth?session=8f3a2c91']" in patterns
    assert "[ipv4-addr:value = '185.212.47.19']" in patterns
    assert any(p.startswith("[file:hashes.'SHA-256' = 'f1d95c84") for p in patterns)
    rel = [o for o in bundle["objects"] if o.get("relationship_type") == "attributed-to"]
    assert [r["target_ref"] for r in rel] == [stix_id("intrusion-set", made.actor_id or "")]
    assert stix_bundle(ws) == bundle  # no clock in it


def test_misp_event_attributes(ws: Workspace) -> None:
    analyse_files([EMAILS / "macro_invoice.eml", EMAILS / "legit_upbit_notice.eml"], ws)
    event = misp_event(ws)["Event"]
    values = {(a["type"], a["value"]) for a in event["Attribute"]}
    assert ("email-src", "billing@coinone-partners.com") in values
    assert ("ip-src", "103.145.13.77") in values
    assert any(t == "filename|sha256" and v.startswith("statement.zip|4ae0304a") for t, v in values)
    assert not any("upbit.com" in v for _, v in values)  # the clean notice is not exported
    subject = next(a for a in event["Attribute"] if a["type"] == "email-subject")
    assert subject["to_ids"] is False and subject["comment"] == "seen in macro_invoice.eml"


def test_brand_domains_are_never_indicators(ws: Workspace) -> None:
    analyse_files([EMAILS / "forwarded_report.eml", EMAILS / "upbit_impersonation.eml"], ws)
    values = json.dumps(stix_bundle(ws)) + json.dumps(misp_event(ws))
    assert "korbit-security.net" in values and "upbit-login.co.kr" in values
    assert "korbit.co.kr'" not in values and "https://upbit.com/login" not in values
    assert '"value": "upbit.com"' not in values
