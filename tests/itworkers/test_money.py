"""Payout and client rules: shared destinations (ITW-05), China or crypto (ITW-06), clients
boosting many developers (ITW-10), clients paying from their developer's account (ITW-11)."""

from __future__ import annotations

from sanctrace.itworkers import money
from sanctrace.itworkers.rules import parameters
from tests.itworkers.factory import payout, records, review

P = parameters()


def test_one_account_paid_for_two_workers_whatever_its_spelling() -> None:
    data = records(
        payout("W1", "GB33 BUKB 2020 1555 5555 55"),
        payout("W2", "gb33bukb20201555555555"),
        payout("W3", "DE89370400440532013000"),
    )
    fired = money.shared_destination(data, P["ITW-05"])
    assert sorted(f.subject for f in fired) == ["W1", "W2"]
    assert "receives the payouts of 2 workers: W1, W2" in fired[0].detail


def test_base58_wallets_keep_their_case() -> None:
    data = records(
        payout("W1", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
        payout("W2", "1boatslrhtknngkdxeeobr76b53lettpyt"),
    )
    assert money.shared_destination(data, P["ITW-05"]) == []


def test_china_or_crypto_needs_most_payouts() -> None:
    data = records(
        payout("W1", "CN1", destination_country="CN"),
        payout("W1", "CN1", destination_country="CN"),
        payout("W2", "T1", currency="USDT", method="wallet"),
        payout("W3", "US1"),
        payout("W3", "US1"),
        payout("W3", "T9", currency="USDC", method="wallet"),
    )
    fired = {f.subject: f.detail for f in money.china_or_crypto(data, P["ITW-06"])}
    assert fired == {"W1": "2 of 2 payouts: 2 to CN", "W2": "1 of 1 payouts: 1 in USDT"}


def test_a_client_rating_three_developers_in_a_month() -> None:
    data = records(
        review("C1", "W1", 0),
        review("C1", "W2", 3),
        review("C1", "W3", 20),
        review("C1", "W4", 90),
        review("C2", "W5", 0, rating=3.0),
    )
    fired = money.client_boosting(data, P["ITW-10"])
    assert [(f.subject_kind, f.subject) for f in fired] == [
        ("client", "C1"),
        ("worker", "W1"),
        ("worker", "W2"),
        ("worker", "W3"),
    ]
    assert "rated or boosted 3 developer accounts within 20 days" in fired[0].detail


def test_a_client_paying_from_the_developers_own_account() -> None:
    data = records(
        payout("W1", "paypal:kim@example.com", method="payment_account"),
        review("C1", "W1", event="payment", rating=None, payment_account="PayPal:Kim@example.com"),
        review("C2", "W2", event="payment", rating=None, payment_account="paypal:kim@example.com"),
    )
    fired = money.self_paying_client(data, P["ITW-11"])
    assert sorted((f.subject_kind, f.subject) for f in fired) == [
        ("client", "C1"),
        ("worker", "W1"),
    ]
