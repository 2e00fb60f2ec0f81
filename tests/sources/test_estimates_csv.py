"""``estimates``: independent yearly totals (Chainalysis, TRM Labs, the tayvano repository).
An estimate without a usable value is no estimate: it is quarantined, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.sources.base import Parsed
from sanctrace.sources.estimates_csv import EstimatesCsv
from tests.sources.factory import assert_contract, csv_text, parse_or_error, write
from tests.sources.strategies import FUZZ, csv_documents

HEADER = ["year", "source", "value_stolen_usd", "incidents", "citation"]


def parse_rows(tmp_path: Path, *rows: list[str]) -> Parsed:
    return EstimatesCsv().parse(write(tmp_path / "estimates.csv", csv_text(HEADER, rows)))


def test_bundled_estimates() -> None:
    parsed = EstimatesCsv().parse(bundled("incidents/annual_estimates_by_source.csv"))
    assert (parsed.rows_read, parsed.quarantine) == (24, [])
    by_key = {(e["year"], e["estimator"]): e for e in parsed.rows["estimate"]}
    assert {estimator for _, estimator in by_key} == {"tayvano_repo", "chainalysis", "trm"}
    assert by_key[2019, "chainalysis"]["value_usd"] == 271_000_000
    assert by_key[2019, "tayvano_repo"]["incidents"] == 9
    assert by_key[2019, "trm"]["incidents"] is None  # TRM gives no count


def test_row_becomes_estimate(tmp_path: Path) -> None:
    parsed = parse_rows(tmp_path, ["2022", "chainalysis", "$1,650,000,000", "15", "blog @ chart"])
    assert parsed.rows["estimate"] == [
        {
            "year": 2022,
            "estimator": "chainalysis",
            "value_usd": 1_650_000_000,
            "incidents": 15,
            "citation": "blog @ chart",
        }
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["17", "trm", "1", "", ""], "year '17' is not a four-digit year"),
        (["2017-Dec-31", "trm", "1", "", ""], "year '2017-Dec-31' is not a four-digit year"),
        (["yesterday", "trm", "1", "", ""], "year 'yesterday' is not a four-digit year"),
        (["²⁰¹⁷", "trm", "1", "", ""], "year '²⁰¹⁷' is not a four-digit year"),
        (["2017", "", "1", "", ""], "source is empty"),
        (["2017", "trm", "$Unknown", "", ""], "value_stolen_usd '$Unknown' is unknown"),
        (["2017", "trm", "", "", ""], "value_stolen_usd '' is unknown"),
        (["2017", "trm", "$1,620,00", "", ""], "value_stolen_usd '$1,620,00' is malformed"),
        (["2017", "trm", "99999999999999999999", "", ""], "is malformed"),
        (["2017", "trm", "1", "many", ""], "incidents 'many' is not a whole number"),
        (["2017", "trm", "1", "³", ""], "incidents '³' is not a whole number"),
        (["2017", "trm", "1", "99999999999", ""], "incidents '99999999999' is too large"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, row: list[str], reason: str) -> None:
    parsed = parse_rows(tmp_path, ["2019", "trm", "200000000", "", ""], row)
    assert [e["value_usd"] for e in parsed.rows["estimate"]] == [200_000_000]
    [q] = parsed.quarantine
    assert (q.line, reason in q.reason) == (3, True), q.reason


@pytest.mark.parametrize(("usd", "value"), [("$0", 0), ("$550", 550), ("0", 0)])
def test_zero_and_small_values_are_values(tmp_path: Path, usd: str, value: int) -> None:
    parsed = parse_rows(tmp_path, ["2016", "tayvano_repo", usd, "0", ""])
    assert [(e["value_usd"], e["incidents"]) for e in parsed.rows["estimate"]] == [(value, 0)]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "estimates.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("estimates", scratch), "estimates", scratch)


@given(csv_documents("estimates"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("estimates", scratch), "estimates", scratch)
