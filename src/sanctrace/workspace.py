"""The workspace: one store for everything, opened through Ibis.

The default backend is one embedded DuckDB file. ``backend="spark"`` opens the same tables on
PySpark in local mode: the DuckDB tables are exported to Parquet beside the file (refreshed
when the file is newer) and registered in a shared Spark session, so engines written against
Ibis tables run unchanged on both. Writes always go through DuckDB, in one transaction per
ingest, so a failed ingest leaves the workspace as it was.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import ibis
import pyarrow as pa

from sanctrace.errors import MissingDependency, WorkspaceError
from sanctrace.schema import TABLES, table_schema

Backend = Literal["duckdb", "spark"]
DEFAULT_PATH = "sanctrace.duckdb"
ENV_VAR = "SANCTRACE_WORKSPACE"

_spark_lock = threading.Lock()


def default_path() -> Path:
    """``$SANCTRACE_WORKSPACE`` or ``./sanctrace.duckdb``."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


class Writer:
    """Inserts and deletes inside one open DuckDB transaction (see ``Workspace.writing``)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Append rows (dicts keyed by column name; missing columns are null)."""
        if not rows:
            return 0
        schema = table_schema(table).to_pyarrow()
        columns = {name: [row.get(name) for row in rows] for name in schema.names}
        batch = pa.Table.from_pydict(columns, schema=schema)
        self._raw.register("_sanctrace_batch", batch)
        try:
            self._raw.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _sanctrace_batch')
        finally:
            self._raw.unregister("_sanctrace_batch")
        return len(rows)

    def insert_arrow(self, table: str, batch: pa.Table) -> int:
        """Append an Arrow table whose columns are named like the table's (columnar path)."""
        if not batch.num_rows:
            return 0
        self._raw.register("_sanctrace_batch", batch)
        try:
            self._raw.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _sanctrace_batch')
        finally:
            self._raw.unregister("_sanctrace_batch")
        return int(batch.num_rows)

    def register(self, name: str, batch: pa.Table) -> None:
        """Expose an Arrow table to ``query`` under ``name`` until ``unregister``."""
        self._raw.register(name, batch)

    def unregister(self, name: str) -> None:
        self._raw.unregister(name)

    def delete_in(self, table: str, column: str, values: Sequence[Any]) -> None:
        """Delete the rows whose ``column`` is one of ``values`` (used to replace records)."""
        if values:
            self._raw.execute(
                f'DELETE FROM "{table}" WHERE "{column}" IN (SELECT UNNEST(?))', [list(values)]
            )

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read inside the transaction (e.g. to look up what is already loaded)."""
        return list(self._raw.execute(sql, list(params)).fetchall())


class Workspace:
    """An opened workspace. Engines read ``ws.table(name)``; adapters write via ``writing()``."""

    def __init__(
        self,
        path: Path,
        backend: Backend,
        con: Any,
        raw: Any | None,
        views: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.backend = backend
        self.con = con
        self._raw = raw
        self._views = dict(views or {})  # table -> the name it goes by in the backend
        self._writes = 0  # commits through this object, part of the state's cache key
        self._state: tuple[tuple[object, ...], str] | None = None

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, backend: Backend = "duckdb", create: bool = False
    ) -> Workspace:
        """Open the workspace at ``path``; ``create`` makes a new one if none is there."""
        path = Path(path) if path is not None else default_path()
        if not path.exists() and not create:
            raise WorkspaceError(
                f"{path}: no workspace here; create one with `sanctrace init` "
                f"(or point --workspace / ${ENV_VAR} at an existing one)"
            )
        if backend == "spark":
            if create and not path.exists():
                cls.open(path, create=True).close()
            return cls._open_spark(path)
        if backend != "duckdb":
            raise WorkspaceError(f"unknown backend {backend!r}: use duckdb or spark")
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True)
        try:
            con = ibis.duckdb.connect(str(path))
        except Exception as exc:  # duckdb raises IOException for locks and bad files
            raise WorkspaceError(f"{path}: cannot open the workspace: {exc}") from exc
        # DuckDB takes 80% of memory by default; the chain engines keep numpy arrays of the
        # same size beside it, so it gets less and spills big joins to disk instead
        con.con.execute(f"SET memory_limit = '{_duckdb_memory()}'")
        ws = cls(path, "duckdb", con, con.con)
        ws._ensure_tables()
        return ws

    @classmethod
    def _open_spark(cls, path: Path) -> Workspace:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise MissingDependency("pyspark", "spark") from exc
        parquet_dir = export_parquet(path)
        # Python workers (screening.batch) run this interpreter, where sanctrace is installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        with _spark_lock:
            spark = (
                SparkSession.builder.master("local[*]")
                .appName("sanctrace")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate()
            )
        spark.sparkContext.setLogLevel("ERROR")
        con = ibis.pyspark.connect(spark)
        # Spark's temporary views belong to the whole session, which every workspace opened in
        # this process shares: named after the workspace, two workspaces never read each
        # other's tables (opening one again just refreshes its views)
        tag = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
        views = {name: f"{name}_{tag}" for name in TABLES}
        for name, view in views.items():
            con.read_parquet(str(parquet_dir / f"{name}.parquet"), table_name=view)
        return cls(path, "spark", con, None, views)

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_tables(self) -> None:
        """Create the schema's tables that are missing: a new workspace gets all of them, one
        made by an older sanctrace gets the tables added since (``suppression``, ...) and
        the nullable columns added since (``chain_tx.sender``, ...), empty for old rows."""
        existing = set(self.con.list_tables())
        for name in TABLES:
            if name not in existing:
                self.con.create_table(name, schema=table_schema(name))
                continue
            have = set(self.con.table(name).columns)
            for column, dtype in table_schema(name).items():
                if column in have:
                    continue
                if not dtype.nullable:
                    raise WorkspaceError(
                        f"{self.path}: table {name} lacks the required column {column}; "
                        "load the data again into a new workspace"
                    )
                self.con.raw_sql(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {_duck_type(dtype)}')

    def state(self) -> str:
        """A key for what the workspace holds: every source loaded and when. Caches of
        derived data (the screening index, a loaded chain) are valid while it stays.

        Asked on every look-up (an exposure takes milliseconds), so it is kept while the
        database files are unchanged on disk and nothing was written through this object."""
        wal = self.path.with_name(self.path.name + ".wal")
        key = (self._writes, _mtime(self.path), _mtime(wal))
        if self._state is not None and self._state[0] == key:
            return self._state[1]
        if self._raw is not None:  # asked on every look-up: DuckDB directly, not through Ibis
            found = self._raw.execute("SELECT source_id, loaded_at FROM source").fetchall()
            rows = [{"source_id": r[0], "loaded_at": r[1]} for r in found]
        else:
            rows = self.table("source").select("source_id", "loaded_at").to_pyarrow().to_pylist()
        digest = hashlib.sha256()
        for row in sorted(rows, key=lambda r: (r["source_id"], str(r["loaded_at"]))):
            digest.update(f"{row['source_id']}|{row['loaded_at']}\n".encode())
        self._state = (key, digest.hexdigest())
        return self._state[1]

    # -- reading -------------------------------------------------------------------------

    def table(self, name: str) -> ibis.Table:
        """An Ibis table expression over a workspace table."""
        if name not in TABLES:
            raise WorkspaceError(f"no table {name!r} in the workspace schema")
        return self.con.table(self._views.get(name, name))

    def count(self, name: str) -> int:
        return int(self.table(name).count().to_pyarrow().as_py())

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One transaction: everything inside commits together or not at all."""
        if self._raw is None and self.backend == "duckdb":
            raise WorkspaceError(f"{self.path}: the workspace is closed")
        if self._raw is None:
            raise WorkspaceError(
                f"{self.path}: the {self.backend} backend opens the workspace read-only; "
                "ingest with the default duckdb backend"
            )
        self._raw.execute("BEGIN TRANSACTION")
        try:
            yield Writer(self._raw)
        except BaseException:
            self._raw.execute("ROLLBACK")
            raise
        self._raw.execute("COMMIT")
        self._writes += 1


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


DUCKDB_MEMORY_SHARE = 0.4
"""The share of the machine's memory DuckDB may use before it spills to disk."""


def _duckdb_memory() -> str:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4GB"
    return f"{max(1, int(total * DUCKDB_MEMORY_SHARE) >> 20)}MB"


def export_parquet(path: Path) -> Path:
    """Export every table of the DuckDB workspace to ``<path>.parquet/``, when stale."""
    out = path.with_name(path.name + ".parquet")
    stamp = out / ".exported"
    exported = all((out / f"{name}.parquet").exists() for name in TABLES)  # tables added since
    if exported and stamp.exists() and stamp.stat().st_mtime >= path.stat().st_mtime:
        return out
    out.mkdir(exist_ok=True)
    with Workspace.open(path) as ws, ws.writing() as w:
        for name in TABLES:
            target = (out / f"{name}.parquet").as_posix().replace("'", "''")
            w.query(f"COPY \"{name}\" TO '{target}' (FORMAT parquet)")
    stamp.touch()
    return out


def _duck_type(dtype: Any) -> str:
    """DuckDB's name for an Ibis type (for columns added to an existing table)."""
    from ibis.backends.sql.datatypes import DuckDBType

    return str(DuckDBType.from_ibis(dtype).sql("duckdb"))
