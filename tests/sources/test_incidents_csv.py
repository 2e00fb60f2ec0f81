"""``incidents``: the registry CSV. One row becomes an incident, its amounts (kept verbatim and
flagged when unusable), its attribution and a citation per cited field."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.sources.base import Parsed
from sanctrace.sources.incidents_csv import IncidentsCsv
from tests.sources.factory import assert_contract, csv_text, incident_row, parse_or_error, write
from tests.sources.strategies import FUZZ, csv_documents


def parse_rows(tmp_path: Path, *rows: dict[str, str]) -> Parsed:
    header = list(dict.fromkeys(k for r in rows for k in r))
    return IncidentsCsv().parse(write(tmp_path / "incidents.csv", csv_text(header, rows)))


def only(parsed: Parsed, table: str) -> dict:
    [row] = parsed.rows[table]
    return row


@pytest.fixture(scope="module")
def registry() -> Parsed:
    return IncidentsCsv().parse(bundled("incidents/registry.csv"))


def test_bundled_registry_reads_every_row(registry: Parsed) -> None:
    assert (registry.rows_read, registry.quarantine) == (91, [])
    incidents = registry.rows["incident"]
    assert Counter(i["asset_class"] for i in incidents) == {"crypto": 85, "fiat": 6}
    assert len({i["incident_id"] for i in incidents}) == 91
    assert len(registry.rows["attribution"]) == 91
    # one stolen amount per incident, plus an attempted amount for three of the banks
    assert Counter(a["kind"] for a in registry.rows["amount"]) == {"stolen": 91, "attempted": 3}
    assert registry.replace == dict.fromkeys(
        ("incident", "amount", "attribution", "citation"), "incident_id"
    )


@pytest.mark.parametrize(
    ("victim", "usd_text", "amount_usd", "status"),
    [
        ("Upbit", "$48,500,000", 48_500_000, "reported"),
        ("Bangladesh Bank", "81000000", 81_000_000, "reported"),
        ("deBridge (Attempt)", "$0", 0, "reported"),
        ("Upwork Developer Jobs", "$550", 550, "reported"),
        ("Wannacry", "$Unknown", None, "unknown"),
        ("We Are Cult DAO", None, None, "unknown"),  # the cell is empty
        ("Far Eastern International Bank", None, None, "unknown"),
        ("C8", "$1,620,00", None, "malformed"),  # never read as 162,000
    ],
)
def test_bundled_amounts_are_kept_as_reported(
    registry: Parsed, victim: str, usd_text: str | None, amount_usd: int | None, status: str
) -> None:
    [incident] = [i for i in registry.rows["incident"] if i["victim"] == victim]
    [stolen] = [
        a
        for a in registry.rows["amount"]
        if a["incident_id"] == incident["incident_id"] and a["kind"] == "stolen"
    ]
    assert (stolen["usd_text"], stolen["amount_usd"], stolen["status"]) == (
        usd_text,
        amount_usd,
        status,
    )


def test_row_becomes_incident_amount_attribution_citations(tmp_path: Path) -> None:
    row = incident_row(
        country="South Korea",
        vector="Hot-wallet compromise",
        asset="ETH",
        amount_stolen_native="342000",
        attribution_source="https://m.ytn.co.kr/x @ para. 2",
        country_source="https://m.ytn.co.kr/x",
        sources="https://www.justice.gov/a ; https://undocs.org/S/2019/691 @ annex 21",
        note="342,000 ETH",
    )
    parsed = parse_rows(tmp_path, row)
    assert only(parsed, "incident") == {
        "incident_id": "2019-11-27-upbit",
        "date": date(2019, 11, 27),
        "date_precision": "day",
        "date_text": "2019-Nov-27",
        "year": 2019,
        "victim": "Upbit",
        "victim_type": "exchange",
        "country": "KR",
        "vector": "hot_wallet_compromise",
        "asset_class": "crypto",
        "note": "342,000 ETH",
        "line": 2,
    }
    assert only(parsed, "amount") == {
        "incident_id": "2019-11-27-upbit",
        "kind": "stolen",
        "asset": "ETH",
        "amount_native": Decimal("342000"),
        "amount_usd": 48_500_000,
        "usd_text": "$48,500,000",
        "status": "reported",
        "citation": row["amount_source"],
    }
    assert only(parsed, "attribution") == {
        "incident_id": "2019-11-27-upbit",
        "actor_text": "Lazarus Group",
        "actor_key": "lazarus",
        "confidence": "high",
        "citation": "https://m.ytn.co.kr/x @ para. 2",
    }
    assert sorted((c["field"], c["document"], c["locator"]) for c in parsed.rows["citation"]) == [
        ("amount", "https://github.com/tayvano/lazarus-bluenoroff-research", "README"),
        ("attribution", "https://m.ytn.co.kr/x", "para. 2"),
        ("country", "https://m.ytn.co.kr/x", None),
        ("incident", "https://undocs.org/S/2019/691", "annex 21"),
        ("incident", "https://www.justice.gov/a", None),
    ]


@pytest.mark.parametrize(
    ("fields", "incident_id"),
    [
        ({"date": "2017", "victim": "Bithumb"}, "2017-bithumb"),
        ({"date": "2017-12", "victim": "NiceHash"}, "2017-12-nicehash"),
        ({"date": "2023-Dec-31", "victim": "Orbit Bridge"}, "2023-12-31-orbit-bridge"),
        ({"incident_id": "ronin-2022", "date": "2022-Apr-14"}, "ronin-2022"),
    ],
)
def test_incident_id_given_or_derived(tmp_path: Path, fields: dict, incident_id: str) -> None:
    parsed = parse_rows(tmp_path, incident_row(**fields))
    assert only(parsed, "incident")["incident_id"] == incident_id
    assert {r["incident_id"] for t in ("amount", "attribution") for r in parsed.rows[t]} == {
        incident_id
    }


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2017", date(2017, 1, 1), "year"),
        ("2017-12", date(2017, 12, 1), "month"),
        ("2017-Dec-31", date(2017, 12, 31), "day"),
        ("2023-Dec-31", date(2023, 12, 31), "day"),
        ("2016-02-04", date(2016, 2, 4), "day"),
    ],
)
def test_dates_land_with_their_precision(
    tmp_path: Path, text: str, value: date, precision: str
) -> None:
    incident = only(parse_rows(tmp_path, incident_row(date=text)), "incident")
    assert (incident["date"], incident["date_precision"], incident["date_text"]) == (
        value,
        precision,
        text,
    )
    assert incident["year"] == value.year


def test_defaults_for_empty_optional_fields(tmp_path: Path) -> None:
    parsed = parse_rows(tmp_path, {"date": "2020", "victim": "BTC Changers"})
    incident = only(parsed, "incident")
    assert (incident["victim_type"], incident["vector"], incident["asset_class"]) == (
        "unknown",
        "unknown",
        "crypto",
    )
    assert incident["country"] is None and incident["note"] is None
    # an unknown stolen amount is a fact to flag; an absent attempted amount is no fact at all
    assert only(parsed, "amount") | {"citation": None} == {
        "incident_id": "2020-btc-changers",
        "kind": "stolen",
        "asset": None,
        "amount_native": None,
        "amount_usd": None,
        "usd_text": None,
        "status": "unknown",
        "citation": None,
    }
    assert "attribution" not in parsed.rows and "citation" not in parsed.rows


def test_attempted_and_stolen_amounts(tmp_path: Path) -> None:
    row = incident_row(amount_attempted_usd="951000000", amount_stolen_usd="81000000")
    amounts = {a["kind"]: a["amount_usd"] for a in parse_rows(tmp_path, row).rows["amount"]}
    assert amounts == {"attempted": 951_000_000, "stolen": 81_000_000}


def test_attribution_confidence_defaults_to_low(tmp_path: Path) -> None:
    parsed = parse_rows(tmp_path, incident_row(actor="BlueNoroff", attribution_confidence=""))
    attribution = only(parsed, "attribution")
    assert (attribution["actor_key"], attribution["confidence"]) == ("bluenoroff", "low")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"date": "2017-13-01"}, "date '2017-13-01': month must be in 1..12"),
        ({"date": "yesterday"}, "date 'yesterday' is not YYYY"),
        ({"date": ""}, "date '' is not YYYY"),
        ({"victim": ""}, "victim is empty"),
        ({"country": "Atlantis"}, "country 'Atlantis' is not an ISO 3166 code"),
        ({"vector": "teleportation"}, "vector 'teleportation' is not one of"),
        ({"victim_type": "dragon"}, "victim_type 'dragon' is not one of"),
        ({"asset_class": "gold"}, "asset_class 'gold' is not one of crypto, fiat"),
        ({"attribution_confidence": "sure"}, "attribution_confidence 'sure' is not one of"),
        ({"actor": "???"}, "actor '???' has no letters or digits"),
        ({"amount_stolen_native": "lots"}, "amount 'lots' is not a number"),
        ({"amount_attempted_native": "-3"}, "amount '-3' is out of range"),
    ],
)
def test_bad_field_quarantines_the_row(tmp_path: Path, fields: dict, reason: str) -> None:
    good = incident_row(victim="Bithumb")
    bad = incident_row(**fields)
    parsed = parse_rows(tmp_path, good, bad)
    assert [i["victim"] for i in parsed.rows["incident"]] == ["Bithumb"]
    [q] = parsed.quarantine
    assert (q.line, q.reason[: len(reason)]) == (3, reason)
    assert q.raw and "$48,500,000" in q.raw  # the row as read, for the analyst to fix


@pytest.mark.parametrize(
    ("usd", "value", "status"),
    [
        ("$Unknown", None, "unknown"),
        ("$1,620,00", None, "malformed"),
        ("$0", 0, "reported"),
        ("$550", 550, "reported"),
        ("", None, "unknown"),
        ("99999999999999999999", None, "malformed"),
    ],
)
def test_unusable_amount_is_kept_and_flagged(
    tmp_path: Path, usd: str, value: int | None, status: str
) -> None:
    parsed = parse_rows(tmp_path, incident_row(amount_stolen_usd=usd))
    assert parsed.quarantine == []
    amount = only(parsed, "amount")
    assert (amount["amount_usd"], amount["status"], amount["usd_text"]) == (
        value,
        status,
        usd or None,
    )


def test_duplicate_incident_is_quarantined(tmp_path: Path) -> None:
    parsed = parse_rows(tmp_path, incident_row(), incident_row(amount_stolen_usd="$1"))
    assert [a["amount_usd"] for a in parsed.rows["amount"]] == [48_500_000]
    [q] = parsed.quarantine
    assert (q.line, q.reason) == (3, "duplicate incident_id '2019-11-27-upbit'")


def test_progress_counts_rows(tmp_path: Path) -> None:
    seen: list[int] = []
    path = write(tmp_path / "f.csv", csv_text(["date", "victim"], [["2017", "a"], ["2018", "b"]]))
    IncidentsCsv().parse(path, seen.append)
    assert seen == [1, 2]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "incidents.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("incidents", scratch), "incidents", scratch)


@given(csv_documents("incidents"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("incidents", scratch), "incidents", scratch)
