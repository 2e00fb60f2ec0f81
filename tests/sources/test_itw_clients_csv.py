"""``itw-clients``: client events (hire, review, boost, payment) with ratings 0-5."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.sources.base import Parsed
from sanctrace.sources.itw_clients_csv import ItwClientsCsv
from tests.sources.factory import csv_text, parse_or_error, write
from tests.sources.itw_contract import assert_itw_contract
from tests.sources.itw_strategies import itw_documents
from tests.sources.strategies import FUZZ

HEADER = ["client_id", "worker_id", "timestamp", "event", "rating", "payment_account"]


def parse_rows(tmp_path: Path, *rows: list[str]) -> Parsed:
    return ItwClientsCsv().parse(write(tmp_path / "clients.csv", csv_text(HEADER, rows)))


def test_rows_become_engagements(tmp_path: Path) -> None:
    parsed = parse_rows(tmp_path, ["C1", "W1", "2024-03-01T00:00:00Z", "Review", "4.5", "pp:1"])
    [row] = parsed.rows["itw_engagement"]
    assert (row["event"], row["rating"], row["payment_account"]) == ("review", 4.5, "pp:1")


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["C1", "W1", "2024-03-01", "review", "9", ""], "not between 0 and 5"),
        (["C1", "W1", "2024-03-01", "review", "nan", ""], "not between 0 and 5"),
        (["C1", "W1", "2024-03-01", "review", "great", ""], "not a number"),
        (["C1", "W1", "2024-03-01", "like", "", ""], "event 'like' is not one of"),
        (["C1", "", "2024-03-01", "hire", "", ""], "worker_id is empty"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, cells: list[str], reason: str) -> None:
    parsed = parse_rows(tmp_path, ["C0", "W0", "2024-03-01", "hire", "", ""], cells)
    assert len(parsed.rows["itw_engagement"]) == 1
    [q] = parsed.quarantine
    assert reason in q.reason and q.line == 3, q.reason


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "clients.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-clients", scratch), "itw-clients", scratch)


@given(itw_documents("itw-clients"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-clients", scratch), "itw-clients", scratch)
