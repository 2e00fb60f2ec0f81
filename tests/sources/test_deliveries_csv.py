"""``deliveries`` and ``caps``: petroleum deliveries (reported or estimated) and the caps of
resolution 2397, with conversion factors named where one figure is missing, and bad rows
quarantined with their reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.caps_csv import CapsCsv
from sanctrace.sources.deliveries_csv import DeliveriesCsv, parse_imo
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import assert_fits, csv_text, write
from tests.sources.strategies import FUZZ, TROUBLE

HEADER = [
    "kind",
    "commodity",
    "period",
    "supplier",
    "estimator",
    "estimate",
    "deliveries",
    "barrels",
    "tonnes",
    "factor",
    "vessel_imo",
    "vessel_mmsi",
    "vessel_name",
    "capacity_barrels",
    "capacity_dwt",
    "load_scenario",
    "citation",
    "note",
]
CAP_HEADER = [
    "commodity",
    "unit",
    "limit",
    "from",
    "to",
    "period_months",
    "thresholds",
    "report_every_days",
    "citation",
]


def parse_rows(tmp_path: Path, *rows: dict[str, str]) -> Parsed:
    return DeliveriesCsv().parse(write(tmp_path / "deliveries.csv", csv_text(HEADER, rows)))


def reported(**fields: str) -> dict[str, str]:
    return {"kind": "reported", "commodity": "refined", "period": "2018-03", **fields}


def estimated(**fields: str) -> dict[str, str]:
    return {
        "kind": "estimated",
        "commodity": "refined",
        "period": "2018-01-01/2018-05-30",
        "estimator": "United States",
        **fields,
    }


# -- the bundled files ----------------------------------------------------------------------


def test_bundled_reported_deliveries() -> None:
    parsed = DeliveriesCsv().parse(bundled("petroleum/reported_deliveries.csv"))
    assert (parsed.rows_read, parsed.quarantine) == (4, [])
    rows = parsed.rows["delivery"]
    assert [(r["period_text"], r["supplier"], r["barrels"]) for r in rows] == [
        ("2018", "Russia", Decimal("241114")),
        ("2019", "Russia", Decimal("277365")),
        ("2021", "China", Decimal("91909")),
        ("2023", "Russia", Decimal("105845")),
    ]
    # tonnes are not reported: computed with the named factor, and the row says so
    assert {(r["converted"], r["factor"], r["barrels_per_tonne"]) for r in rows} == {
        ("tonnes", "refined-1718", "8.33")
    }
    assert rows[0]["tonnes"] == Decimal("28945.258")  # 241114 / 8.33 = 28945.2581...


def test_bundled_estimates_hold_the_us_2018_figures() -> None:
    parsed = DeliveriesCsv().parse(bundled("petroleum/estimates.csv"))
    assert (parsed.rows_read, parsed.quarantine) == (4, [])
    us = [r for r in parsed.rows["delivery"] if r["estimate"] == "us-2018-jan-may"]
    assert [
        (r["deliveries"], r["capacity_barrels"], r["load_scenario"], r["barrels"]) for r in us
    ] == [
        (89, Decimal("1519587"), Decimal("0.50"), Decimal("759793")),
        (89, Decimal("1519587"), Decimal("0.90"), Decimal("1367628")),
    ]


def test_bundled_caps() -> None:
    parsed = CapsCsv().parse(bundled("petroleum/caps.csv"))
    assert parsed.quarantine == []
    caps = {(c["commodity"], c["unit"]): c for c in parsed.rows["cap"]}
    refined = caps["refined", "barrels"]
    assert (refined["limit"], str(refined["valid_from"]), refined["thresholds"]) == (
        Decimal("500000"),
        "2018-01-01",
        "0.75;0.90;0.95",
    )
    assert "paragraph 5" in refined["citation"]
    assert caps["crude", "barrels"]["limit"] == Decimal("4000000")
    assert caps["crude", "tonnes"]["limit"] == Decimal("525000")
    assert str(caps["crude", "tonnes"]["valid_from"]) == "2017-12-22"
    assert "paragraph 4" in caps["crude", "tonnes"]["citation"]


# -- reported rows --------------------------------------------------------------------------


def test_both_figures_reported_use_no_factor(tmp_path: Path) -> None:
    [row] = parse_rows(tmp_path, reported(supplier="China", barrels="11,745", tonnes="1410")).rows[
        "delivery"
    ]
    assert (row["barrels"], row["tonnes"], row["converted"], row["factor"]) == (
        Decimal("11745"),
        Decimal("1410"),
        None,
        None,
    )
    assert (str(row["period_start"]), str(row["period_end"])) == ("2018-03-01", "2018-03-31")


def test_tonnes_only_converts_with_the_default_factor(tmp_path: Path) -> None:
    [row] = parse_rows(tmp_path, reported(supplier="China", tonnes="1410")).rows["delivery"]
    assert row["barrels"] == Decimal("11745.300")  # 1410 x 8.33, exactly
    assert (row["converted"], row["factor"]) == ("barrels", "refined-1718")


def test_crude_tonnes_convert_with_the_resolutions_own_ratio(tmp_path: Path) -> None:
    [row] = parse_rows(
        tmp_path, reported(commodity="crude", supplier="China", tonnes="525000")
    ).rows["delivery"]
    assert row["barrels"] == Decimal("4000000.000")  # 525,000 t x 4,000,000/525,000
    assert row["barrels_per_tonne"] == "4000000/525000"


def test_estimate_capacity_in_dwt_converts_with_its_factor(tmp_path: Path) -> None:
    [row] = parse_rows(
        tmp_path, estimated(capacity_dwt="2000", vessel_imo="IMO 9191773", deliveries="1")
    ).rows["delivery"]
    assert (row["capacity_barrels"], row["factor"], row["converted"]) == (
        Decimal("16660.000"),
        "dwt-refined",
        "capacity_barrels",
    )
    assert row["vessel_imo"] == "9191773"
    assert row["estimate"] == "united-states:2018-01-01/2018-05-30"  # estimator and period


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (reported(supplier="Russia"), "neither barrels nor tonnes is given"),
        (reported(barrels="5"), "supplier is empty"),
        (
            reported(supplier="Russia", barrels="5", tonnes="1", factor="refined-1718"),
            "factor is given but both",
        ),
        (
            reported(supplier="Russia", tonnes="5", factor="crude-2397"),
            "converts tonnes of crude, not tonnes of refined",
        ),
        (reported(supplier="Russia", tonnes="5", factor="nope"), "factor 'nope' is unknown"),
        (
            reported(supplier="Russia", barrels="5", capacity_barrels="9"),
            "capacity_barrels is for estimated rows",
        ),
        (reported(supplier="Russia", barrels="-5"), "out of range"),
        (reported(supplier="Russia", barrels="1,5"), "malformed digit grouping"),
        (reported(supplier="Russia", barrels="1.0001"), "more than 3 decimals"),
        (reported(supplier="Russia", barrels="1e400"), "barrels"),
        (reported(supplier="Russia", barrels="5", period=""), "period is empty"),
        (
            reported(supplier="Russia", barrels="5", period="2018-05/2018-01"),
            "ends before it starts",
        ),
        (reported(supplier="Russia", barrels="5", period="2018-13"), "month must be in 1..12"),
        (reported(supplier="Russia", barrels="5", commodity="diesel"), "commodity 'diesel'"),
        ({**reported(supplier="Russia", barrels="5"), "kind": "guessed"}, "kind 'guessed'"),
        (estimated(barrels="5", tonnes="1"), "tonnes is for reported rows"),
        (estimated(), "neither capacity_barrels, capacity_dwt nor barrels"),
        ({**estimated(capacity_barrels="9"), "estimator": ""}, "estimator is empty"),
        (estimated(capacity_barrels="9", capacity_dwt="1"), "not both"),
        (estimated(capacity_barrels="9", barrels="4"), "give its load_scenario"),
        (estimated(capacity_barrels="9", load_scenario="0.5"), "barrels is empty"),
        (estimated(capacity_barrels="9", barrels="4", load_scenario="1.5"), "at most 1"),
        (estimated(capacity_barrels="9", barrels="4", load_scenario="half"), "not a share"),
        (estimated(capacity_barrels="9", factor="dwt-refined"), "capacity_dwt, which is empty"),
        (estimated(capacity_barrels="9", vessel_imo="9191774"), "fails its check digit"),
        (estimated(capacity_barrels="9", vessel_mmsi="44512345"), "not nine digits"),
        (estimated(capacity_barrels="9", deliveries="two"), "deliveries 'two'"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, row: dict[str, str], reason: str) -> None:
    parsed = parse_rows(tmp_path, reported(supplier="China", barrels="10"), row)
    assert len(parsed.rows["delivery"]) == 1
    [q] = parsed.quarantine
    assert q.line == 3 and reason in q.reason, q.reason


def test_load_scenario_as_percent(tmp_path: Path) -> None:
    [row] = parse_rows(
        tmp_path, estimated(capacity_barrels="100", barrels="33", load_scenario="33%")
    ).rows["delivery"]
    assert row["load_scenario"] == Decimal("0.33")


def test_a_repeated_row_is_quarantined(tmp_path: Path) -> None:
    row = reported(supplier="China", barrels="10")
    parsed = parse_rows(tmp_path, row, row)
    assert [q.reason for q in parsed.quarantine] == ["repeats line 2"]


def test_imo_check_digit() -> None:
    assert parse_imo("9191773") == "9191773"
    assert parse_imo("IMO9191773") == "9191773"
    assert parse_imo("") is None
    with pytest.raises(ValueError, match="check digit"):
        parse_imo("9191770")


def test_unknown_column_and_missing_column_name_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "kind,commodity,period,barels\n")
    with pytest.raises(InputError, match="unknown column"):
        DeliveriesCsv().parse(path)
    path = write(tmp_path / "d.csv", "kind,commodity\n")
    with pytest.raises(InputError, match=r"d\.csv:1: missing column\(s\) period"):
        DeliveriesCsv().parse(path)


# -- caps -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["refined", "litres", "5", "2018-01-01", "", "", "", "", ""], "unit 'litres'"),
        (["refined", "barrels", "0", "2018-01-01", "", "", "", "", ""], "limit is empty or zero"),
        (["refined", "barrels", "5", "2018", "", "", "", "", ""], "must be a day"),
        (["refined", "barrels", "5", "2018-01-01", "2017-01-01", "", "", "", ""], "is before from"),
        (["refined", "barrels", "5", "2018-01-01", "", "0", "", "", ""], "period_months is zero"),
        (["refined", "barrels", "5", "2018-01-01", "", "", "0.75;2", "", ""], "threshold '2'"),
        (["refined", "barrels", "5", "2019-01-01", "", "", "", "", ""], "a second refined cap"),
    ],
)
def test_bad_cap_is_quarantined(tmp_path: Path, row: list[str], reason: str) -> None:
    good = ["refined", "barrels", "500000", "2019-01-01", "", "12", "75%;90%;95%", "30", "x"]
    parsed = CapsCsv().parse(write(tmp_path / "caps.csv", csv_text(CAP_HEADER, [good, row])))
    [cap] = parsed.rows["cap"]
    assert cap["thresholds"] == "0.75;0.9;0.95"  # percentages read as shares
    [q] = parsed.quarantine
    assert q.line == 3 and reason in q.reason, q.reason


# -- ingest: provenance, and nothing half-written -------------------------------------------


def test_ingest_records_lines_and_sources(empty_ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.csv",
        csv_text(HEADER, [reported(supplier="China", barrels="10"), reported(barrels="1")]),
    )
    result = ingest(empty_ws, "deliveries", path)
    assert (result.rows_read, result.rows_quarantined, result.tables) == (2, 1, {"delivery": 1})
    [row] = empty_ws.table("delivery").to_pyarrow().to_pylist()
    assert (row["line"], row["source_id"], row["barrels"]) == (2, result.source_id, Decimal("10"))
    [q] = empty_ws.table("quarantine").to_pyarrow().to_pylist()
    assert (q["line"], q["reason"]) == (
        3,
        "supplier is empty: a reported delivery names who supplied it",
    )
    assert ingest(empty_ws, "deliveries", path).unchanged


# -- fuzz -----------------------------------------------------------------------------------

CELLS = st.sampled_from(
    [
        *TROUBLE,
        "reported",
        "estimated",
        "refined",
        "crude",
        "2018-01-01/2018-05-30",
        "2018/2019/2020",
        "0.5",
        "50%",
        "0.3333",
        "0.33333",
        "1519587",
        "1,519,587",
        "8.33",
        "refined-1718",
        "dwt-crude",
        "9191773",
        "IMO 9191773",
        "445123456",
    ]
)


@st.composite
def documents(draw: st.DrawFn, header: list[str]) -> bytes:
    """The real header, thinned, then rows of real values, troublemakers and noise."""
    columns = [h for h in header if draw(st.booleans()) or h in ("kind", "commodity", "period")]
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(CELLS, st.text(max_size=8)), min_size=len(columns), max_size=len(columns)
            ),
            max_size=6,
        )
    )
    text = csv_text(columns, rows)
    return text.encode("utf-8") if draw(st.booleans()) else text.encode("utf-8", "replace")[:-3]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "deliveries.csv"


def check_contract(adapter: Any, path: Path, table: str) -> None:
    """An ``InputError`` naming the file, or every row landed (fitting the table) or
    quarantined with a reason and a line."""
    try:
        parsed = adapter.parse(path)
    except InputError as exc:
        assert str(path) in str(exc) and exc.reason
        return
    assert parsed.rows_read == len(parsed.rows.get(table, [])) + len(parsed.quarantine)
    for q in parsed.quarantine:
        assert q.reason and q.line is not None and q.line >= 2
    assert_fits(table, parsed.rows.get(table, []))


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    check_contract(DeliveriesCsv(), scratch, "delivery")
    check_contract(CapsCsv(), scratch, "cap")


@given(documents(HEADER))
@FUZZ
def test_fuzz_deliveries(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    check_contract(DeliveriesCsv(), scratch, "delivery")


@given(documents(CAP_HEADER))
@FUZZ
def test_fuzz_caps(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    check_contract(CapsCsv(), scratch, "cap")
