"""How claims stand against the registry: corroborated, contradicted, or naming an incident."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sanctrace.intake.corroborate import agrees, tolerance, with_links
from sanctrace.intake.store import StoredClaim, stored_claims
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures" / "intake"


@pytest.mark.parametrize(
    ("value", "half_unit"),
    [("571000000", "500000"), ("48500000", "50000"), ("2000000000", "500000000"), ("35", "0.5")],
)
def test_tolerance_is_half_the_last_written_digit(value: str, half_unit: str) -> None:
    assert tolerance(Decimal(value)) == Decimal(half_unit)


def test_bounds() -> None:
    assert agrees(Decimal(35), "at_least", Decimal(40))
    assert not agrees(Decimal(35), "at_least", Decimal(30))
    assert agrees(Decimal(2_000_000_000), "at_most", Decimal(1_700_000_000))
    assert agrees(Decimal(1_500_000_000), None, Decimal(1_460_000_000))  # "$1.5 billion"
    assert not agrees(Decimal(60_000_000), None, Decimal(48_500_000))


def _by_text(ws: Workspace, name: str) -> dict[str, StoredClaim]:
    source = ingest(ws, "text", FIXTURES / name).source_id
    return {c.text: c for c in with_links(ws, stored_claims(ws, source_ids=[source]))}


def test_news_against_the_registry(ws: Workspace) -> None:
    claims = _by_text(ws, "review_news.txt")
    [amount] = claims["$48.5 million"].links
    assert (amount["relation"], amount["table"], amount["key"], amount["registry"]) == (
        "corroborates",
        "amount",
        "2019-11-27-upbit",
        48_500_000,
    )
    [conflict] = claims["$60 million"].links
    assert (conflict["relation"], conflict["key"]) == ("conflicts", "2019-11-27-upbit")
    assert conflict["detail"] == "registry has 48,500,000 USD"
    [actor] = claims["Lazarus Group"].links
    assert (actor["relation"], actor["table"]) == ("corroborates", "attribution")
    assert claims["$12 million"].links == []  # no registry victim in its sentence
    cases = claims["35 cases"].links
    assert {(x["relation"], x["key"], x["registry"]) for x in cases} == {
        ("corroborates", "S/2019/691", 35)
    }
    assert [x["relation"] for x in claims["17 countries"].links] == ["corroborates"]


def test_a_count_of_places_alone_is_not_the_tally(ws: Workspace) -> None:
    # "25 different worldwide locations" counts the states behind the imagery, not cases
    claims = _by_text(ws, "seed_report.txt")
    assert claims["25 different worldwide locations"].links == []
    assert claims["35 cases of cyberattacks"].links[0]["relation"] == "corroborates"


def test_caps_against_resolution_2397(ws: Workspace) -> None:
    claims = _by_text(ws, "seed_report.txt")
    [cap] = claims["500,000 barrels of refined petroleum merchandise"].links
    assert (cap["relation"], cap["table"], cap["registry"]) == ("corroborates", "cap", 500_000)
    assert cap["key"] == "refined barrels from 2018-01-01"
