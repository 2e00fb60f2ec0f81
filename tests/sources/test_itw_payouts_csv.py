"""``itw-payouts``: payouts with exact amounts; crypto currencies default to wallets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.sources.base import Parsed
from sanctrace.sources.itw_payouts_csv import ItwPayoutsCsv
from tests.sources.factory import csv_text, parse_or_error, write
from tests.sources.itw_contract import assert_itw_contract
from tests.sources.itw_strategies import itw_documents
from tests.sources.strategies import FUZZ

HEADER = [
    "worker_id",
    "timestamp",
    "amount",
    "currency",
    "method",
    "destination",
    "destination_country",
]


def parse_rows(tmp_path: Path, *rows: list[str]) -> Parsed:
    return ItwPayoutsCsv().parse(write(tmp_path / "payouts.csv", csv_text(HEADER, rows)))


def test_rows_become_payouts(tmp_path: Path) -> None:
    parsed = parse_rows(
        tmp_path,
        ["W1", "2024-03-31", "1,500.25", "usd", "Payment account", "pp:kim@example.com", "China"],
        ["W2", "2024-03-31", "900", "USDT", "", "TXyz123", ""],
    )
    first, second = parsed.rows["itw_payout"]
    assert (first["amount"], first["currency"], first["method"], first["destination_country"]) == (
        Decimal("1500.25"),
        "USD",
        "payment_account",
        "CN",
    )
    assert (second["method"], second["destination_country"]) == ("wallet", None)


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["W1", "2024-03-31", "1,50", "USD", "", "X", ""], "malformed digit grouping"),
        (["W1", "2024-03-31", "-5", "USD", "", "X", ""], "out of range"),
        (["W1", "2024-03-31", "", "USD", "", "X", ""], "amount is empty"),
        (["W1", "2024-03-31", "5", "US$", "", "X", ""], "not a currency code"),
        (["W1", "2024-03-31", "5", "USD", "cheque", "X", ""], "method 'cheque' is not one of"),
        (["W1", "2024-03-31", "5", "USD", "", "", ""], "destination is empty"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, cells: list[str], reason: str) -> None:
    parsed = parse_rows(tmp_path, ["W0", "2024-03-31", "5", "USD", "", "X", ""], cells)
    assert len(parsed.rows["itw_payout"]) == 1
    [q] = parsed.quarantine
    assert reason in q.reason and q.line == 3, q.reason


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "payouts.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-payouts", scratch), "itw-payouts", scratch)


@given(itw_documents("itw-payouts"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-payouts", scratch), "itw-payouts", scratch)
