"""The workspace: one DuckDB file with every declared table, read through Ibis, written in one
transaction at a time; exported to Parquet for the Spark backend."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sanctrace.errors import MissingDependency, WorkspaceError
from sanctrace.schema import TABLES, table_schema
from sanctrace.workspace import Workspace, default_path, export_parquet


def estimate(year: int, value: int = 1, estimator: str = "trm") -> dict[str, object]:
    return {"year": year, "estimator": estimator, "value_usd": value, "source_id": "test:1"}


def years(ws: Workspace) -> list[int]:
    return sorted(r["year"] for r in ws.table("estimate").to_pyarrow().to_pylist())


def test_missing_workspace_says_how_to_make_one(tmp_path: Path) -> None:
    path = tmp_path / "none.duckdb"
    with pytest.raises(WorkspaceError, match="no workspace here; create one with `sanctrace init`"):
        Workspace.open(path)
    assert not path.exists()


def test_create_declares_every_table(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "ws.duckdb"
    with Workspace.open(path, create=True) as ws:
        assert (ws.path, ws.backend) == (path, "duckdb")
        for name in TABLES:
            actual = str(ws.table(name).schema()).replace("timestamp(6)", "timestamp")
            assert actual == str(table_schema(name)), name
            assert ws.count(name) == 0
    assert path.exists()


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    with Workspace.open(path, create=True) as ws, ws.writing() as w:
        w.insert("estimate", [estimate(2019)])
    with Workspace.open(path, create=True) as again:
        assert years(again) == [2019]


def test_default_path_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANCTRACE_WORKSPACE", raising=False)
    assert default_path() == Path("sanctrace.duckdb")
    monkeypatch.setenv("SANCTRACE_WORKSPACE", "/data/ws.duckdb")
    assert default_path() == Path("/data/ws.duckdb")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"date,victim\n2017,Bithumb\n", "cannot open the workspace"),
        (None, "cannot open the workspace"),
    ],
    ids=["not a database", "a directory"],
)
def test_unopenable_file(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "ws.duckdb"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(WorkspaceError, match=reason) as info:
        Workspace.open(path)
    assert str(info.value).startswith(str(path))


def test_unknown_backend(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="unknown backend 'sqlite': use duckdb or spark"):
        Workspace.open(tmp_path / "ws.duckdb", backend="sqlite", create=True)  # type: ignore[arg-type]


def test_unknown_table(empty_ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="no table 'incidents' in the workspace schema"):
        empty_ws.table("incidents")


def test_spark_without_pyspark_says_what_to_install(
    empty_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(MissingDependency, match=r"pip install 'sanctrace\[spark\]'"):
        Workspace.open(empty_ws.path, backend="spark")


def test_writing_commits_together(empty_ws: Workspace) -> None:
    with empty_ws.writing() as w:
        assert w.insert("estimate", [estimate(2017), estimate(2018)]) == 2
        assert w.insert("estimate", []) == 0
        # reads inside the transaction see its own writes
        assert w.query("SELECT count(*) FROM estimate WHERE year > ?", [2017]) == [(1,)]
    assert years(empty_ws) == [2017, 2018]


def test_insert_leaves_missing_columns_null(empty_ws: Workspace) -> None:
    with empty_ws.writing() as w:
        w.insert("estimate", [estimate(2017)])
    [row] = empty_ws.table("estimate").to_pyarrow().to_pylist()
    assert (row["incidents"], row["citation"]) == (None, None)


def test_error_rolls_everything_back(empty_ws: Workspace) -> None:
    with empty_ws.writing() as w:
        w.insert("estimate", [estimate(2016)])
    with pytest.raises(KeyboardInterrupt), empty_ws.writing() as w:
        w.insert("estimate", [estimate(2017)])
        w.delete_in("estimate", "year", [2016])
        raise KeyboardInterrupt  # even an interrupt leaves nothing half-written
    assert years(empty_ws) == [2016]
    with empty_ws.writing() as w:  # and the workspace takes the next transaction
        w.insert("estimate", [estimate(2018)])
    assert years(empty_ws) == [2016, 2018]


def test_delete_in(empty_ws: Workspace) -> None:
    with empty_ws.writing() as w:
        w.insert("estimate", [estimate(y) for y in (2016, 2017, 2018)])
        w.delete_in("estimate", "year", [2016, 2018, 2030])
        w.delete_in("estimate", "year", [])
    assert years(empty_ws) == [2017]


def test_closed_workspace_cannot_write(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws.duckdb", create=True)
    ws.close()
    ws.close()  # closing twice is harmless
    with pytest.raises(WorkspaceError, match="the workspace is closed"), ws.writing():
        pass


def test_export_parquet_writes_every_table_once(ws_path: Path) -> None:
    out = export_parquet(ws_path)
    assert out == ws_path.with_name("sanctrace.duckdb.parquet")
    with Workspace.open(ws_path) as ws:
        for name in TABLES:
            assert pq.read_table(out / f"{name}.parquet").num_rows == ws.count(name), name
    stamp = (out / ".exported").stat().st_mtime_ns
    assert export_parquet(ws_path) == out
    assert (out / ".exported").stat().st_mtime_ns == stamp  # fresh: not exported again


def test_export_parquet_follows_the_workspace(ws_path: Path) -> None:
    out = export_parquet(ws_path)
    with Workspace.open(ws_path) as ws, ws.writing() as w:
        w.delete_in("incident", "year", [2017])
    later = (out / ".exported").stat().st_mtime + 10
    os.utime(ws_path, (later, later))
    export_parquet(ws_path)
    assert pq.read_table(out / "incident.parquet").num_rows == 91 - 7


def test_columns_added_since_are_added_to_an_old_workspace(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with Workspace.open(path, create=True) as ws:
        ws.con.raw_sql('ALTER TABLE "chain_tx" DROP COLUMN "sender"')
        assert "sender" not in ws.table("chain_tx").columns
    with Workspace.open(path) as ws:
        assert "sender" in ws.table("chain_tx").columns
