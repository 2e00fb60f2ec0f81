"""How the server reaches the workspace: one gate per app, one request at a time.

DuckDB lets a single process hold a database file open for writing, and ``Workspace.open``
opens it read-write. If the server held a connection for its whole life, ``sanctrace ingest``
in another terminal would fail with a lock error for as long as the server runs. So, on the
default ``duckdb`` backend, the gate opens the workspace for each request and closes it
afterwards (about 35 ms): between requests the file is free for other processes, and every
request sees what the last ingest wrote. A request that arrives while another process holds
the file gets ``WorkspaceError`` (HTTP 503, retry later) rather than blocking.

On the ``spark`` backend, opening costs a Spark session and a Parquet export, so the gate keeps
one workspace open and reopens it when the DuckDB file changes (the export follows the file).

Either way, requests go through the gate one at a time (a ``threading.Lock``). FastAPI runs
synchronous endpoints in a thread pool; serialising them keeps one Ibis connection out of two
threads at once and costs little for a tool that serves one analyst. Engines return plain
data, so the lock is released before the response is rendered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sanctrace.workspace import Backend, Workspace


class WorkspaceAccess:
    """The one way in to the workspace for an app's requests (see the module docstring)."""

    def __init__(self, path: Path, backend: Backend = "duckdb") -> None:
        self.path = path
        self.backend: Backend = backend
        self._lock = threading.Lock()
        self._held: Workspace | None = None
        self._held_mtime: float | None = None

    @contextmanager
    def reading(self) -> Iterator[Workspace]:
        """The workspace, for the duration of one request's engine calls."""
        with self._lock:
            if self.backend == "spark":
                yield self._spark()
                return
            with Workspace.open(self.path, backend=self.backend) as ws:
                yield ws

    def _spark(self) -> Workspace:
        mtime = self.path.stat().st_mtime if self.path.exists() else None
        if self._held is None or mtime != self._held_mtime:
            self.close_held()
            self._held = Workspace.open(self.path, backend="spark")
            self._held_mtime = mtime
        return self._held

    def close_held(self) -> None:
        """Close the workspace kept open between requests (spark), if any."""
        if self._held is not None:
            self._held.close()
            self._held = None
