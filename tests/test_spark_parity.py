"""The same workspace on Spark (local mode, Parquet) gives exactly what DuckDB gives: the
engines are Ibis expressions, written once for both backends."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sanctrace.errors import WorkspaceError
from sanctrace.incidents import (
    GROUP_KEYS,
    actors,
    get_incident,
    list_incidents,
    resolve_actor,
    summarize,
)
from sanctrace.schema import TABLES
from sanctrace.screening.lists import current_entities, diff, snapshots
from sanctrace.sources.ingest import ingest
from sanctrace.sources.status import quarantined_rows, source_rows
from sanctrace.workspace import Workspace
from tests.sources.factory import csv_text, incident_row, write
from tests.sources.sanctions import UN_2020

pytestmark = pytest.mark.spark

# every Spark query costs a second or so: a few cases that reach every code path
WINDOWS = [
    pytest.param(None, None, id="all"),
    pytest.param(date(2018, 6, 1), date(2020, 12, 31), id="2018-06-2020"),
]


@pytest.fixture(scope="session")
def spark_pair(
    bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, Workspace]]:
    """The bundled workspace (plus one quarantined row) on DuckDB and on Spark. One Spark
    session for every test: it takes about 25 s to start."""
    path = tmp_path_factory.mktemp("parity") / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    with Workspace.open(path) as ws:
        rows = [incident_row(date="2019-Nov-28"), incident_row(date="yesterday")]
        csv_path = write(path.with_name("extra.csv"), csv_text(list(rows[0]), rows))
        ingest(ws, "incidents", csv_path, uri="test:extra.csv")
        ingest(ws, "un-list", UN_2020, uri="test:un-2020")  # a second snapshot to diff
    spark = Workspace.open(path, backend="spark")
    with Workspace.open(path) as duck:
        yield duck, spark
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


@pytest.fixture
def duck(spark_pair: tuple[Workspace, Workspace]) -> Workspace:
    return spark_pair[0]


@pytest.fixture
def spark(spark_pair: tuple[Workspace, Workspace]) -> Workspace:
    return spark_pair[1]


def test_every_table_has_the_same_rows(duck: Workspace, spark: Workspace) -> None:
    assert spark.backend == "spark"
    assert {n: spark.count(n) for n in TABLES} == {n: duck.count(n) for n in TABLES}
    q = duck.table("quarantine")
    extra = q.filter(q.uri == "test:extra.csv").count().to_pyarrow().as_py()
    assert duck.count("incident") == 92 and extra == 1  # the bundled tag packs add their own


@pytest.mark.parametrize("by", GROUP_KEYS)
@pytest.mark.parametrize(("date_from", "date_to"), WINDOWS)
def test_summary(
    duck: Workspace, spark: Workspace, by: str, date_from: date | None, date_to: date | None
) -> None:
    assert summarize(spark, by, date_from, date_to) == summarize(duck, by, date_from, date_to)


@pytest.mark.parametrize(("date_from", "date_to"), WINDOWS)
def test_list_incidents(
    duck: Workspace, spark: Workspace, date_from: date | None, date_to: date | None
) -> None:
    listed = list_incidents(spark, date_from, date_to)
    assert listed == list_incidents(duck, date_from, date_to)
    assert listed


@pytest.mark.parametrize(
    "incident_id",
    [
        "2016-02-04-bangladesh-bank",  # fiat, attempted and stolen
        "2019-11-27-upbit",  # in two files: the later one's rows
        "2023-08-16-c8",  # malformed amount
    ],
)
def test_get_incident(duck: Workspace, spark: Workspace, incident_id: str) -> None:
    assert get_incident(spark, incident_id) == get_incident(duck, incident_id)


def test_actors(duck: Workspace, spark: Workspace) -> None:
    assert actors(spark) == actors(duck)
    for alias in ("BlueNoroff", "Silent Chollima", "Jade Sleet", "G0032", "nobody"):
        assert resolve_actor(spark, alias) == resolve_actor(duck, alias)


def test_sources_and_quarantine(duck: Workspace, spark: Workspace) -> None:
    assert source_rows(spark) == source_rows(duck)
    assert quarantined_rows(spark) == quarantined_rows(duck)


def test_spark_is_read_only(spark: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="the spark backend opens the workspace read-only"):
        ingest(spark, "incidents", Path(__file__))


def test_two_workspaces_keep_their_own_tables(spark: Workspace, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    shutil.copy(spark.path, other)
    with Workspace.open(other) as ws, ws.writing() as w:
        w.delete_in("incident", "year", [2017])
    opened = Workspace.open(other, backend="spark")
    assert (opened.count("incident"), spark.count("incident")) == (92 - 7, 92)


def test_reopening_sees_new_ingests(spark: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    shutil.copy(spark.path, path)
    assert Workspace.open(path, backend="spark").count("estimate") == 24
    row = {"year": "2024", "source": "chainalysis", "value_stolen_usd": "$1,340,000,000"}
    with Workspace.open(path) as ws:
        ingest(ws, "estimates", write(tmp_path / "e.csv", csv_text(list(row), [row])))
    assert Workspace.open(path, backend="spark").count("estimate") == 25


def test_list_diff(duck: Workspace, spark: Workspace) -> None:
    """The diff's comparison is an outer join on Ibis; its detail is Python over the rows
    that differ: the same on both."""
    assert snapshots(spark) == snapshots(duck)
    d = diff(spark, "un_sc_sanctions")
    assert d == diff(duck, "un_sc_sanctions") and len(d.amended) == 73
    ids = current_entities(spark).entity_id.to_pyarrow().to_pylist()
    assert sorted(ids) == sorted(current_entities(duck).entity_id.to_pyarrow().to_pylist())
