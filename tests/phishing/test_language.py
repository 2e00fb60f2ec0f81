"""Urgency and credential phrases, seed-phrase requests vs warnings, wallet addresses."""

from __future__ import annotations

from sanctrace.phishing.language import find_phrases, seed_mentions, wallet_addresses


def test_phrases_in_english_and_korean() -> None:
    text = "URGENT: your account has been suspended. 24시간 이내 본인 인증을 완료하세요."
    assert find_phrases(text, "urgency") == ["urgent", "has been suspended", "24시간 이내"]
    assert find_phrases(text, "credential") == ["본인 인증"]
    assert find_phrases("nothing to see", "urgency") == []


def test_seed_phrase_request_and_warning_are_told_apart() -> None:
    asks = seed_mentions("Please enter your 12-word recovery phrase on the page.")
    assert [(m.term, m.request, m.negated) for m in asks] == [
        ("recovery phrase", "enter", None),
        ("12-word", "enter", None),
    ]
    [warn] = seed_mentions("Coinbase will never ask for your recovery phrase.")
    assert warn.negated == "never"
    [ko] = seed_mentions("업비트는 절대 시드 구문을 요청하지 않습니다.")
    assert ko.negated == "절대"


def test_wallet_addresses_are_validated_by_checksum() -> None:
    text = (
        "send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or 0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae;"
        " not 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb, not 0xDE0B295669A9FD93D5F28D9EC85E40F4CB697BAe"
    )
    assert wallet_addresses(text) == [
        {"address": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "family": "base58"},
        {"address": "0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae", "family": "evm"},
    ]
