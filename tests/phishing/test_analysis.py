"""Analysis of whole messages: each fixture's verdict and the features that explain it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanctrace.phishing.analysis import MessageAnalysis, analyse_all
from sanctrace.phishing.brands import load_brands
from sanctrace.phishing.score import PHISHING_AT, SUSPICIOUS_AT, WEIGHTS, feature_docs, verdict
from sanctrace.sources.email_message import read_mail

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"


def no_lookalikes(_domain: str) -> list[dict[str, Any]]:
    return []


def analysed(name: str, lookalike: Any = no_lookalikes) -> list[MessageAnalysis]:
    return analyse_all(read_mail(EMAILS / name), load_brands(), lookalike)


def names(a: MessageAnalysis) -> set[str]:
    return {f.name for f in a.features}


def test_upbit_impersonation_is_explained_feature_by_feature() -> None:
    [a] = analysed("upbit_impersonation.eml")
    assert a.verdict == "phishing"
    evidence = {f.name: f.evidence for f in a.features}
    assert evidence["display_name_impersonation"] == (
        "From 'UPbit 고객센터' names UPbit (UPbit) but the address is security@upbit-kr-support.com"
    )
    assert evidence["link_text_mismatch"] == (
        "shows 'https://upbit.com/login', goes to https://upbit-login.co.kr/auth?session=8f3a2c91"
    )
    assert evidence["reply_to_mismatch"].endswith("Reply-To help@upbit-verify.co.kr")
    assert evidence["dmarc_fail"] == "dmarc=fail (upbit-kr-support.com)"
    assert evidence["spf_softfail"] == "spf=softfail (mailer.hostingx-cloud.ru)"
    assert "'24시간 이내'" in evidence["urgency_language"]
    assert a.score == sum(f.weight for f in a.features)
    assert a.sender["first_external_ip"] == "185.212.47.19"
    assert evidence["received_chain"] == (
        "3 hops; first external IP 185.212.47.19 (hop 1, from mail.upbit-kr-support.com)"
        " at 2024-03-11 00:14:10 UTC; 7 s in transit"
    )
    assert evidence["authentication_results"].startswith("spf=softfail, dkim=none, dmarc=fail")
    assert a.domains == ["upbit-kr-support.com", "upbit-login.co.kr", "upbit.com"]


def test_legitimate_mail_from_the_brand_is_clean() -> None:
    [notice] = analysed("legit_upbit_notice.eml")
    assert notice.verdict == "clean"
    assert "seed_phrase_warning" in names(notice) and "seed_phrase_request" not in names(notice)
    [statement] = analysed("nested_multipart.eml")
    assert statement.verdict == "clean" and statement.score == 0


def test_seed_phrase_request_with_wallets() -> None:
    [a] = analysed("seed_phrase_request.eml")
    assert a.verdict == "phishing"
    assert {"seed_phrase_request", "wallet_address", "display_name_impersonation"} <= names(a)


def test_macro_and_archive_attachments() -> None:
    [a] = analysed("macro_invoice.eml")
    assert {"macro_attachment", "macro_autoexec", "archive_with_executable"} <= names(a)
    docm = next(r for r in a.attachments if r.filename == "Invoice_INV-2024-0311.docm")
    assert docm.macros and "AutoExec: AutoOpen" in docm.macro_keywords


def test_forwarded_phish_is_judged_apart_from_the_report() -> None:
    outer, inner = analysed("forwarded_report.eml")
    assert (outer.label, outer.verdict) == ("forwarded_report.eml", "clean")
    assert (inner.label, inner.verdict) == ("forwarded_report.eml#2", "phishing")
    assert "display_name_impersonation" in names(inner)  # "코빗 보안팀" is Korbit in Hangul


def test_defanged_indicators_are_listed_but_do_not_score() -> None:
    calls: list[str] = []

    def lookalike(domain: str) -> list[dict[str, Any]]:
        calls.append(domain)
        return [{"brand": "UPbit", "kind": "combo", "score": 0.9}] if "upbit" in domain else []

    [a] = analysed("defanged_iocs.eml", lookalike)
    assert a.verdict == "clean"
    assert "upbit-airdrop.com" in calls
    assert [x["domain"] for x in a.lookalikes] == ["upbit-airdrop.com"]
    assert "lookalike_domain" not in names(a) and "defanged_url" in names(a)


def test_lookalike_results_score_for_live_links() -> None:
    [a] = analysed(
        "korean_euckr.eml",
        lambda d: [{"brand": "Bithumb", "kind": "combo", "score": 0.85}] if "bithumb" in d else [],
    )
    assert a.lookalikes == [
        {"domain": "bithumb-event.kr", "brand": "Bithumb", "kind": "combo", "score": 0.85}
    ]
    assert "lookalike_domain" in names(a)


def test_outlook_msg_is_analysed_like_eml() -> None:
    [a] = analysed("upbit_outlook.msg")
    assert a.verdict == "phishing"
    assert {"display_name_impersonation", "double_extension", "link_text_mismatch"} <= names(a)


def test_json_shape() -> None:
    [a] = analysed("upbit_impersonation.eml")
    body = a.to_dict()
    assert list(body) == [
        "file",
        "verdict",
        "score",
        "features",
        "urls",
        "domains",
        "attachments",
        "lookalikes",
    ]
    assert set(body["features"][0]) == {"name", "weight", "evidence", "meaning"}


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "clean"),
        (SUSPICIOUS_AT - 1, "clean"),
        (SUSPICIOUS_AT, "suspicious"),
        (PHISHING_AT, "phishing"),
    ],
)
def test_thresholds(score: float, expected: str) -> None:
    assert verdict(score) == expected


def test_every_feature_is_documented() -> None:
    docs = feature_docs()
    assert [d["name"] for d in docs] == list(WEIGHTS)
    assert all(d["meaning"] for d in docs)


def test_mailing_list_reply_to_and_bounces_are_not_mismatches() -> None:
    from sanctrace.sources.email_message import read_bytes

    head = (
        "From: Alice <alice@example.net>\r\nTo: ilug@linux.ie\r\nSubject: kernel 2.4\r\n"
        "Reply-To: ilug@linux.ie\r\nReturn-Path: <ilug-admin@linux.ie>\r\n"
        "Sender: ilug-admin@linux.ie\r\nList-Id: Irish Linux Users' Group <ilug.linux.ie>\r\n"
    )
    [listed] = analyse_all(
        read_bytes((head + "\r\nhello\r\n").encode(), "l.eml"), [], no_lookalikes
    )
    assert names(listed) & {"reply_to_mismatch", "return_path_mismatch"} == set()
    no_list = head.replace("List-Id: Irish Linux Users' Group <ilug.linux.ie>\r\n", "")
    [direct] = analyse_all(
        read_bytes((no_list + "\r\nhi\r\n").encode(), "d.eml"), [], no_lookalikes
    )
    assert {"reply_to_mismatch", "return_path_mismatch"} <= names(direct)
