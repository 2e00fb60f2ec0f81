"""The incident table's filters: selection only, in the engine's order."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sanctrace.incidents import Incident, Summary, list_incidents, summarize
from sanctrace.web.table import TableQuery, incident_table
from sanctrace.workspace import Workspace


@pytest.fixture(scope="module")
def engine(
    bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Incident], Summary]:
    path = tmp_path_factory.mktemp("table") / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    with Workspace.open(path) as ws:
        return list_incidents(ws), summarize(ws, "year")


def test_no_filter_keeps_every_row_in_order(engine: tuple[list[Incident], Summary]) -> None:
    incidents, by_year = engine
    t = incident_table(incidents, by_year, TableQuery())
    assert [r.incident for r in t.rows] == incidents
    assert [r.order for r in t.rows] == list(range(len(incidents)))
    assert t.total == len(incidents)
    assert not t.query.active


def test_year_is_the_summary_year(engine: tuple[list[Incident], Summary]) -> None:
    incidents, by_year = engine
    t = incident_table(incidents, by_year, TableQuery(year="2019"))
    (group,) = [g for g in by_year.groups if g.key == 2019]
    assert sorted(r.incident.incident_id for r in t.rows) == group.incident_ids
    assert "2019" in t.options.years


@pytest.mark.parametrize(
    ("query", "check"),
    [
        (TableQuery(country="KR"), lambda i: i.country == "KR"),
        (TableQuery(country="unknown"), lambda i: i.country is None),
        (TableQuery(vector="swift_fraud"), lambda i: i.vector == "swift_fraud"),
        (TableQuery(actor="APT38"), lambda i: "APT38" in i.actors),
        (TableQuery(text="bridge"), lambda i: "bridge" in (i.victim + i.vector).lower()),
        (TableQuery(text="SWIFT fraud"), lambda i: i.vector == "swift_fraud"),
        (TableQuery(text="south korea"), lambda i: i.country == "KR"),  # country names too
    ],
)
def test_filters(
    engine: tuple[list[Incident], Summary], query: TableQuery, check: Callable[[Incident], bool]
) -> None:
    incidents, by_year = engine
    t = incident_table(incidents, by_year, query)
    expected = [i for i in incidents if check(i)]
    assert [r.incident for r in t.rows] == expected
    assert t.query.active


def test_filters_combine(engine: tuple[list[Incident], Summary]) -> None:
    incidents, by_year = engine
    t = incident_table(incidents, by_year, TableQuery(year="2018", country="KR"))
    assert t.rows
    assert all(r.incident.country == "KR" for r in t.rows)
    assert len(t.rows) < len(incident_table(incidents, by_year, TableQuery(year="2018")).rows)


def test_options(engine: tuple[list[Incident], Summary]) -> None:
    incidents, by_year = engine
    o = incident_table(incidents, by_year, TableQuery()).options
    assert o.years == sorted(o.years, key=int)
    assert "unknown" in o.countries and "KR" in o.countries
    assert ("swift_fraud", "SWIFT fraud") in o.vectors
    assert "Lazarus Group" in o.actors
