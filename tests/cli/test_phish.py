"""``sanctrace phish``: analyze (JSON shape, storing, bad files), campaigns (attribution),
export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2

from tests.cli.invoke import run

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"


def test_analyze_json_shape_and_store(ws_path: Path) -> None:
    files = [str(EMAILS / "upbit_impersonation.eml"), str(EMAILS / "forwarded_report.eml")]
    result = run(ws_path, "phish", "analyze", *files, "--json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert list(body) == ["messages"]
    assert [(m["file"], m["verdict"]) for m in body["messages"]] == [
        ("upbit_impersonation.eml", "phishing"),
        ("forwarded_report.eml", "clean"),
        ("forwarded_report.eml#2", "phishing"),
    ]
    first = body["messages"][0]
    assert list(first) == [
        "file",
        "verdict",
        "score",
        "features",
        "urls",
        "domains",
        "attachments",
        "lookalikes",
    ]
    assert first["features"][0]["name"] == "display_name_impersonation"
    # stored: campaigns and exports see the messages
    text = run(ws_path, "phish", "campaigns").stdout
    assert "0 campaigns" in text


def test_analyze_no_store_and_table(ws_path: Path, tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = run(missing, "phish", "analyze", str(EMAILS / "macro_invoice.eml"), "--no-store")
    assert result.exit_code == 0 and not missing.exists()
    out = result.stdout
    assert "macro_invoice.eml: phishing" in out
    assert "macro_attachment" in out and "Invoice_INV-2024-0311.docm" in out


def test_analyze_bad_file_is_named_and_others_go_on(ws_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.eml"
    junk.write_bytes(b"\x00\x01\x02 not mail")
    result = run(
        ws_path, "phish", "analyze", str(junk), str(EMAILS / "legit_upbit_notice.eml"), "--json"
    )
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert [m["verdict"] for m in body["messages"]] == ["clean"]
    assert body["errors"][0]["file"] == str(junk) and "not an email" in body["errors"][0]["reason"]


def test_campaigns_attribute_and_export(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "alice")
    files = sorted(str(p) for p in EMAILS.glob("*.eml"))
    assert run(ws_path, "phish", "analyze", *files, "--json").exit_code == 0
    campaigns = json.loads(run(ws_path, "phish", "campaigns", "--json").stdout)["campaigns"]
    assert len(campaigns) == 2
    upbit = next(c for c in campaigns if "template" in c["evidence"])
    result = run(
        ws_path, "phish", "campaigns", "--attribute", upbit["campaign_id"], "APT38", "--note", "n"
    )
    assert result.stdout.strip() == f"{upbit['campaign_id']}: attributed to APT38 by alice"
    table = run(ws_path, "phish", "campaigns").stdout
    assert "APT38" in table and "2 campaigns" in table
    bad = run(ws_path, "phish", "campaigns", "--attribute", "camp-x", "APT38")
    assert bad.exit_code == 2 and "camp-x: no such campaign" in bad.output

    bundle = run(ws_path, "phish", "export", "--format", "stix").stdout
    assert stix2.parse(bundle, allow_custom=False).type == "bundle"
    event = json.loads(run(ws_path, "phish", "export", "--format", "misp").stdout)
    assert event["Event"]["Attribute"]
    wrong = run(ws_path, "phish", "export", "--format", "csv")
    assert wrong.exit_code == 2 and "use stix or misp" in wrong.output


def test_own_brand_list(ws_path: Path, tmp_path: Path) -> None:
    brands = tmp_path / "brands.csv"
    brands.write_text("brand,domain,aliases\nThreatDesk,threatdesk.io,\n", encoding="utf-8")
    body = json.loads(
        run(
            ws_path,
            "phish",
            "analyze",
            str(EMAILS / "defanged_iocs.eml"),
            "--brands",
            str(brands),
            "--no-store",
            "--json",
        ).stdout
    )
    [message] = body["messages"]
    evidence = {f["name"]: f["evidence"] for f in message["features"]}
    # the display name "ThreatDesk Intel" now names a protected brand the sender is not
    assert evidence["display_name_impersonation"].startswith("From 'ThreatDesk Intel' names")
    bad = tmp_path / "bad.csv"
    bad.write_text("brand,domain\n,nodomain\n", encoding="utf-8")
    result = run(
        ws_path, "phish", "analyze", str(EMAILS / "defanged_iocs.eml"), "--brands", str(bad)
    )
    assert result.exit_code == 2 and "bad.csv:2" in result.output
