"""``case-tally``: cases a report counts without per-case detail, by country; an empty country
is the report's total."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.sources.base import Parsed
from sanctrace.sources.case_tally_csv import CaseTallyCsv
from tests.sources.factory import assert_contract, csv_text, parse_or_error, write
from tests.sources.strategies import FUZZ, csv_documents

HEADER = ["report", "country", "cases", "countries", "citation"]


def parse_rows(tmp_path: Path, *rows: list[str]) -> Parsed:
    return CaseTallyCsv().parse(write(tmp_path / "tally.csv", csv_text(HEADER, rows)))


def test_bundled_panel_tally() -> None:
    parsed = CaseTallyCsv().parse(bundled("incidents/un_panel_2019_cases.csv"))
    assert (parsed.rows_read, parsed.quarantine) == (18, [])
    tallies = parsed.rows["case_tally"]
    [total] = [t for t in tallies if t["country"] is None]
    assert (total["report"], total["cases"], total["countries"]) == ("S/2019/691", 35, 17)
    by_country = {t["country"]: t["cases"] for t in tallies if t["country"]}
    assert by_country["KR"] == 10 and by_country["IN"] == 3 and by_country["VN"] == 1
    # public reporting breaks down 30 of the 35 cases, over the 17 countries
    assert (sum(by_country.values()), len(by_country)) == (30, 17)


def test_rows_become_tallies(tmp_path: Path) -> None:
    parsed = parse_rows(
        tmp_path, ["S/2019/691", "", "35", "17", "para. 57"], ["S/2019/691", "Chile", "2", "", ""]
    )
    assert parsed.rows["case_tally"] == [
        {
            "report": "S/2019/691",
            "country": None,
            "cases": 35,
            "countries": 17,
            "citation": "para. 57",
        },
        {"report": "S/2019/691", "country": "CL", "cases": 2, "countries": None, "citation": None},
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "Chile", "2", "", ""], "report is empty"),
        (["S/2019/691", "Atlantis", "2", "", ""], "country 'Atlantis' is not an ISO 3166 code"),
        (["S/2019/691", "Chile", "two", "", ""], "cases 'two' is not a whole number"),
        (["S/2019/691", "Chile", "-2", "", ""], "cases '-2' is not a whole number"),
        (["S/2019/691", "Chile", "²", "", ""], "cases '²' is not a whole number"),
        (["S/2019/691", "Chile", "", "", ""], "cases '' is not a whole number"),
        (["S/2019/691", "Chile", "99999999999", "", ""], "cases '99999999999' is too large"),
        (["S/2019/691", "", "35", "seventeen", ""], "countries 'seventeen' is not a whole number"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, row: list[str], reason: str) -> None:
    parsed = parse_rows(tmp_path, ["S/2019/691", "India", "3", "", ""], row)
    assert [t["country"] for t in parsed.rows["case_tally"]] == ["IN"]
    [q] = parsed.quarantine
    assert (q.line, reason in q.reason) == (3, True), q.reason


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "tally.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("case-tally", scratch), "case-tally", scratch)


@given(csv_documents("case-tally"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("case-tally", scratch), "case-tally", scratch)
