"""The registry: every incident with its amounts as a range and its actors by canonical name,
and one incident with every row and file behind it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sanctrace.data import bundled
from sanctrace.errors import NotFoundError
from sanctrace.incidents import Incident, get_incident, incident_details, list_incidents
from sanctrace.sources.ingest import ingest
from sanctrace.sources.values import parse_date
from sanctrace.workspace import Workspace
from tests.incidents.conftest import MakeWorkspace
from tests.sources.factory import csv_text, incident_row, write

REGISTRY_URI = "sanctrace:data/incidents/registry.csv"


def by_victim(incidents: list[Incident], victim: str) -> Incident:
    [found] = [i for i in incidents if i.victim == victim]
    return found


@pytest.fixture(scope="module")
def incidents(bundled_ws: Workspace) -> list[Incident]:
    return list_incidents(bundled_ws)


def test_bundled_registry(incidents: list[Incident]) -> None:
    assert len(incidents) == 91
    assert sum(i.asset_class == "crypto" for i in incidents) == 85
    assert sum(i.asset_class == "fiat" for i in incidents) == 6
    # Bybit 2025 is the FBI's TraderTraitor; every other row the repository's Lazarus Group
    assert {tuple(i.actors) for i in incidents} == {("Lazarus Group",), ("TraderTraitor",)}
    assert [i.incident_id for i in incidents if i.actors == ["TraderTraitor"]] == [
        "2025-02-21-bybit"
    ]


def test_listed_in_date_order(incidents: list[Incident]) -> None:
    # dates known only to the year sort as the first of January
    keys = [(first_day(i.date), i.incident_id) for i in incidents]
    assert keys == sorted(keys)
    assert (incidents[0].victim, incidents[-1].victim) == (
        "Bangladesh Bank",
        "Bybit",
    )


def test_incident_fields(incidents: list[Incident]) -> None:
    assert by_victim(incidents, "Upbit") == Incident(
        incident_id="2019-11-27-upbit",
        date="2019-11-27",
        date_precision="day",
        victim="Upbit",
        victim_type="exchange",
        country="KR",
        vector="unknown",
        asset_class="crypto",
        stolen_usd=48_500_000,
        stolen_usd_low=48_500_000,
        stolen_usd_high=48_500_000,
        amount_flag=None,
        attempted_usd=None,
        actors=["Lazarus Group"],
    )


BYBIT = "2025-02-21-bybit"
FBI_PSA = "https://www.ic3.gov/PSA/2025/PSA250226"


def test_bybit_2025_is_in_the_registry_with_its_theft_addresses(
    bundled_ws: Workspace, incidents: list[Incident]
) -> None:
    # the id is derived from the row's date and victim, and is the one that
    # data/tags/theft_addresses.csv names (and `sanctrace trace 2025-02-21-bybit` seeds from)
    assert by_victim(incidents, "Bybit") == Incident(
        incident_id=BYBIT,
        date="2025-02-21",
        date_precision="day",
        victim="Bybit",
        victim_type="exchange",
        country=None,
        vector="supply_chain",
        asset_class="crypto",
        stolen_usd=1_500_000_000,
        stolen_usd_low=1_500_000_000,
        stolen_usd_high=1_500_000_000,
        amount_flag=None,
        attempted_usd=None,
        actors=["TraderTraitor"],
    )
    detail = get_incident(bundled_ws, BYBIT)
    [attribution] = detail.attributions
    assert (attribution["actor"], attribution["confidence"]) == ("TraderTraitor", "high")
    assert attribution["citation"].startswith(f"{FBI_PSA} @ ")
    cited = {(c["field"], c["document"]) for c in detail.citations}
    assert {("amount", FBI_PSA), ("attribution", FBI_PSA), ("victim_type", FBI_PSA)} <= cited
    assert "vector" in {field for field, _ in cited}
    # its 63 addresses are linked: 3 theft (the trace seeds), 56 attacker, 4 victim
    t = bundled_ws.table("incident_address")
    rows = t.filter(t.incident_id == BYBIT).select("chain", "address", "role").execute()
    assert rows.groupby("role").size().to_dict() == {"attacker": 56, "theft": 3, "victim": 4}
    assert set(rows["chain"]) == {"eth"}
    assert set(rows.loc[rows["role"] == "theft", "address"]) == {
        "0x47666fab8bd0ac7003bce3f5c3585383f09486e2",
        "0xa4b2fd68593b6f34e51cb9edb66e71c1b4ab449e",
        "0xdd90071d52f20e85c89802e5dc1ec0a7b6475f92",
    }
    # and all 63 join the incident row
    joined = t.join(bundled_ws.table("incident"), "incident_id")
    assert joined.filter(joined.incident_id == BYBIT).count().execute() == 63


@pytest.mark.parametrize(
    ("victim", "date_text", "precision"),
    [
        ("Bithumb", "2017", "year"),
        ("Wannacry", "2017-05-12", "day"),
        ("Bangladesh Bank", "2016-02-04", "day"),
    ],
)
def test_dates_keep_their_precision(
    incidents: list[Incident], victim: str, date_text: str, precision: str
) -> None:
    found = by_victim(incidents, victim)
    assert (found.date, found.date_precision) == (date_text, precision)


@pytest.mark.parametrize(
    ("victim", "stolen", "flag", "attempted"),
    [
        ("Bangladesh Bank", 81_000_000, None, 951_000_000),
        ("Far Eastern International Bank", None, "unknown", 60_000_000),
        ("Bancomext", None, "unknown", 110_000_000),
        ("Wannacry", None, "unknown", None),
        ("We Are Cult DAO", None, "unknown", None),  # empty in the source
        ("C8", None, "malformed", None),  # "$1,620,00"
        ("deBridge (Attempt)", 0, None, None),  # $0 is a value
        ("Upwork Developer Jobs", 550, None, None),
    ],
)
def test_amounts_never_invented(
    incidents: list[Incident],
    victim: str,
    stolen: int | None,
    flag: str | None,
    attempted: int | None,
) -> None:
    found = by_victim(incidents, victim)
    assert (found.stolen_usd, found.stolen_usd_low, found.stolen_usd_high) == (stolen,) * 3
    assert (found.amount_flag, found.attempted_usd) == (flag, attempted)


def test_ranges_are_ordered(incidents: list[Incident]) -> None:
    for i in incidents:
        if i.stolen_usd is not None:
            assert i.stolen_usd_low is not None and i.stolen_usd_high is not None
            assert i.stolen_usd_low <= i.stolen_usd <= i.stolen_usd_high
        else:
            assert i.stolen_usd_low is None and i.stolen_usd_high is None and i.amount_flag


def first_day(iso: str) -> date:
    """``2017`` -> 2017-01-01, ``2017-05`` -> 2017-05-01."""
    return date.fromisoformat(iso + {4: "-01-01", 7: "-01", 10: ""}[len(iso)])


def _csv_dates() -> list[str]:
    with bundled("incidents/registry.csv").open(encoding="utf-8") as fh:
        return [r["date"] for r in csv.DictReader(fh)]


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        (date(2019, 1, 1), date(2019, 12, 31)),
        (date(2023, 6, 1), None),
        (None, date(2017, 12, 31)),
        (date(2017, 1, 1), date(2017, 1, 1)),  # year-only dates count as 1 January
        (date(2030, 1, 1), None),
    ],
)
def test_date_filters(bundled_ws: Workspace, date_from: date | None, date_to: date | None) -> None:
    expected = sorted(
        d.value
        for d in map(parse_date, _csv_dates())
        if (date_from is None or d.value >= date_from) and (date_to is None or d.value <= date_to)
    )
    listed = list_incidents(bundled_ws, date_from, date_to)
    assert sorted(first_day(i.date) for i in listed) == expected


def test_get_incident_shows_everything_behind_it(bundled_ws: Workspace) -> None:
    detail = get_incident(bundled_ws, "2019-11-27-upbit")
    assert detail.incident.victim == "Upbit"
    assert detail.note and "Andariel" in detail.note
    [amount] = detail.amounts
    assert (amount["kind"], amount["amount_usd"], amount["usd_text"], amount["status"]) == (
        "stolen",
        48_500_000,
        "$48,500,000",
        "reported",
    )
    [attribution] = detail.attributions
    assert (attribution["actor"], attribution["actor_id"], attribution["confidence"]) == (
        "Lazarus Group",
        "lazarus-group",
        "high",
    )
    assert {c["field"] for c in detail.citations} >= {
        "amount",
        "attribution",
        "country",
        "victim_type",
    }
    [source] = detail.sources
    assert (source["uri"], source["adapter"], source["rows_read"]) == (
        REGISTRY_URI,
        "incidents",
        91,
    )
    assert {r["source_id"] for r in detail.amounts + detail.citations} == {source["source_id"]}


def test_get_incident_keeps_native_amounts_exact(make_ws: MakeWorkspace) -> None:
    ws = make_ws([incident_row(asset="BTC", amount_stolen_native="990.10000000")])
    [amount] = get_incident(ws, "2019-11-27-upbit").amounts
    assert amount["amount_native"] == "990.1"


def test_unknown_incident(bundled_ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no incident 'nope'; see `sanctrace incidents list`"):
        get_incident(bundled_ws, "nope")


@pytest.mark.parametrize(
    ("actor", "names"),
    [
        ("BlueNoroff", ["APT38"]),
        ("LAZARUS", ["Lazarus Group"]),
        ("Jade Sleet", ["TraderTraitor"]),
        ("Cobalt Spider", ["Cobalt Spider"]),  # no actor claims it: the source's words stay
        ("", []),
    ],
)
def test_actors_by_canonical_name(make_ws: MakeWorkspace, actor: str, names: list[str]) -> None:
    ws = make_ws([incident_row(actor=actor)])
    [incident] = list_incidents(ws)
    assert incident.actors == names


def test_range_spans_every_source_central_is_the_incidents_own(make_ws: MakeWorkspace) -> None:
    ws = make_ws([incident_row(amount_stolen_usd="$48,500,000")])
    with ws.writing() as w:  # two other reports of the same theft
        w.insert(
            "amount",
            [
                {
                    "incident_id": "2019-11-27-upbit",
                    "kind": "stolen",
                    "amount_usd": usd,
                    "status": status,
                    "source_id": src,
                }
                for usd, status, src in [
                    (41_000_000, "reported", "news:1"),
                    (None, "unknown", "news:2"),
                    (60_000_000, "reported", "police:1"),
                ]
            ],
        )
    [incident] = list_incidents(ws)
    assert (incident.stolen_usd_low, incident.stolen_usd, incident.stolen_usd_high) == (
        41_000_000,
        48_500_000,
        60_000_000,
    )
    assert incident.amount_flag is None


def test_second_file_widens_the_range(make_ws: MakeWorkspace, tmp_path: Path) -> None:
    ws = make_ws([incident_row(amount_stolen_usd="$48,500,000")])
    other = incident_row(amount_stolen_usd="$60,000,000", amount_source="police report")
    ingest(ws, "incidents", write(tmp_path / "police.csv", csv_text(list(other), [other])))
    [incident] = list_incidents(ws)
    assert (incident.stolen_usd_low, incident.stolen_usd_high) == (48_500_000, 60_000_000)


def test_incident_details_agree_with_get_incident(ws: Workspace) -> None:
    """The bulk reader (report, exports) says what ``get_incident`` says of each incident."""
    details = incident_details(ws)
    assert [d.incident for d in details] == list_incidents(ws)
    for d in details[::15]:
        assert get_incident(ws, d.incident.incident_id) == d
