"""``itw-logins``: account log-ins, times in UTC, IPs canonical, remote tools lower case."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.sources.base import Parsed
from sanctrace.sources.itw_logins_csv import ItwLoginsCsv
from tests.sources.factory import csv_text, parse_or_error, write
from tests.sources.itw_contract import assert_itw_contract
from tests.sources.itw_strategies import itw_documents
from tests.sources.strategies import FUZZ

HEADER = ["account_id", "timestamp", "ended", "ip", "country", "remote_tool", "port"]


def parse_rows(tmp_path: Path, *rows: list[str]) -> Parsed:
    return ItwLoginsCsv().parse(write(tmp_path / "logins.csv", csv_text(HEADER, rows)))


def test_rows_become_logins(tmp_path: Path) -> None:
    parsed = parse_rows(
        tmp_path,
        [
            "acct-1",
            "2024-03-01T09:00:00+09:00",
            "2024-03-01T10:30:00Z",
            "::ffff:1.2.3.4",
            "cn",
            "AnyDesk",
            "3389",
        ],
    )
    [row] = parsed.rows["itw_login"]
    assert row["ts"] == datetime(2024, 3, 1, 0, 0) and row["ended"] == datetime(2024, 3, 1, 10, 30)
    assert (row["ip"], row["country"], row["remote_tool"], row["port"]) == (
        "1.2.3.4",
        "CN",
        "anydesk",
        3389,
    )


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["acct-1", "yesterday", "", "1.2.3.4", "", "", ""], "not an ISO 8601"),
        (
            ["acct-1", "2024-03-01T10:00:00", "2024-03-01T09:00:00", "1.2.3.4", "", "", ""],
            "before the timestamp",
        ),
        (["acct-1", "2024-03-01T10:00:00", "", "999.1.1.1", "", "", ""], "not an IPv4 or IPv6"),
        (["acct-1", "2024-03-01T10:00:00", "", "1.2.3.4", "", "", "70000"], "not a port"),
        (["", "2024-03-01T10:00:00", "", "1.2.3.4", "", "", ""], "account_id is empty"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, cells: list[str], reason: str) -> None:
    parsed = parse_rows(
        tmp_path, ["acct-0", "2024-03-01T10:00:00", "", "1.2.3.4", "", "", ""], cells
    )
    assert len(parsed.rows["itw_login"]) == 1
    [q] = parsed.quarantine
    assert reason in q.reason and q.line == 3, q.reason


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "logins.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-logins", scratch), "itw-logins", scratch)


@given(itw_documents("itw-logins"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-logins", scratch), "itw-logins", scratch)
