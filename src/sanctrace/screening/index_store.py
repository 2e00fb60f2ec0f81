"""Where the screening index keeps its maps: in memory after a build, or in an SQLite file
beside the workspace, read lazily.

The lazy file is what makes a cold ``sanctrace screen`` fast on the full lists: building the
index (16,000 parties, 40,000 names) takes seconds, loading it whole takes seconds too, but
one query touches a few dozen posting lists and candidates, which SQLite finds by key in
microseconds. Long-running processes (the API, ``screen-file``) memoise what they read.

The file holds data only (keys, entry numbers, JSON): no pickles, so a tampered cache can
mislead a screening no more than a tampered workspace could, and cannot run code. It names
the workspace state and the screening code it was built from (``fingerprint``); any other
fingerprint, or a file that cannot be read, means rebuild.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

FORMAT = "sanctrace-screening-index/1"

SEP = "\x1f"
"""Separates the tokens of one deletion form (unit separator: never in a token)."""


@dataclass(frozen=True, slots=True)
class Record:
    """What the store keeps per party; ``index.Entry`` is built from it."""

    entity_id: str
    schema: str
    caption: str
    refs: tuple[str, ...]
    lists: tuple[str, ...]
    holders: tuple[str, ...]
    entity: dict[str, Any] = field(repr=False, compare=False)

    def to_json(self) -> str:
        return json.dumps(
            {
                "entity_id": self.entity_id,
                "schema": self.schema,
                "caption": self.caption,
                "refs": self.refs,
                "lists": self.lists,
                "holders": self.holders,
                "entity": self.entity,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Record:
        data = json.loads(text)
        return cls(
            entity_id=data["entity_id"],
            schema=data["schema"],
            caption=data["caption"],
            refs=tuple(data["refs"]),
            lists=tuple(data["lists"]),
            holders=tuple(data["holders"]),
            entity=data["entity"],
        )


class Store(Protocol):
    """The maps an ``Index`` reads."""

    size: int

    def postings(self, key: str) -> tuple[int, ...]: ...

    def near(self, form: str) -> tuple[str, ...]: ...

    def record(self, n: int) -> Record: ...

    def find(self, entity_id: str) -> int | None: ...


class MemoryStore:
    """The maps as dicts: what a build produces."""

    def __init__(
        self,
        records: list[Record],
        postings: dict[str, tuple[int, ...]],
        near: dict[str, tuple[str, ...]],
    ) -> None:
        self.records = records
        self._postings = postings
        self._near = near
        self._ids = {r.entity_id: n for n, r in enumerate(records)}
        self.size = len(records)

    def postings(self, key: str) -> tuple[int, ...]:
        return self._postings.get(key, ())

    def near(self, form: str) -> tuple[str, ...]:
        return self._near.get(form, ())

    def record(self, n: int) -> Record:
        return self.records[n]

    def find(self, entity_id: str) -> int | None:
        return self._ids.get(entity_id)


class SqliteStore:
    """The maps in an SQLite file, read by key and memoised."""

    def __init__(self, con: sqlite3.Connection, size: int) -> None:
        self._con = con
        self._lock = threading.Lock()
        self.size = size
        self._postings: dict[str, tuple[int, ...]] = {}
        self._near: dict[str, tuple[str, ...]] = {}
        self._records: dict[int, Record] = {}

    def _one(self, sql: str, key: object) -> Any:
        with self._lock:
            row = self._con.execute(sql, (key,)).fetchone()
        return None if row is None else row[0]

    def postings(self, key: str) -> tuple[int, ...]:
        found = self._postings.get(key)
        if found is None:
            blob = self._one("SELECT entries FROM posting WHERE key = ?", key)
            found = tuple(array("i", blob)) if blob is not None else ()
            self._postings[key] = found
        return found

    def near(self, form: str) -> tuple[str, ...]:
        found = self._near.get(form)
        if found is None:
            text = self._one("SELECT tokens FROM near WHERE form = ?", form)
            found = tuple(text.split(SEP)) if text else ()
            self._near[form] = found
        return found

    def record(self, n: int) -> Record:
        found = self._records.get(n)
        if found is None:
            text = self._one("SELECT data FROM entry WHERE n = ?", n)
            if text is None:
                raise KeyError(n)
            found = self._records[n] = Record.from_json(text)
        return found

    def find(self, entity_id: str) -> int | None:
        n = self._one("SELECT n FROM entry WHERE entity_id = ?", entity_id)
        return None if n is None else int(n)


def save(store: MemoryStore, path: Path, fingerprint: str) -> None:
    """Write ``store`` to ``path`` atomically (a temporary file renamed into place)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        with con:
            con.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE entry (n INTEGER PRIMARY KEY, entity_id TEXT UNIQUE NOT NULL,
                                    data TEXT NOT NULL);
                CREATE TABLE posting (key TEXT PRIMARY KEY, entries BLOB NOT NULL)
                    WITHOUT ROWID;
                CREATE TABLE near (form TEXT PRIMARY KEY, tokens TEXT NOT NULL) WITHOUT ROWID;
                """
            )
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("format", FORMAT), ("fingerprint", fingerprint), ("size", str(store.size))],
            )
            con.executemany(
                "INSERT INTO entry VALUES (?, ?, ?)",
                ((n, r.entity_id, r.to_json()) for n, r in enumerate(store.records)),
            )
            con.executemany(
                "INSERT INTO posting VALUES (?, ?)",
                ((k, array("i", v).tobytes()) for k, v in store._postings.items()),
            )
            con.executemany(
                "INSERT INTO near VALUES (?, ?)",
                ((k, SEP.join(v)) for k, v in store._near.items()),
            )
        con.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load(path: Path, fingerprint: str) -> SqliteStore | None:
    """The store at ``path`` if it was built for ``fingerprint``; None means rebuild."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    if meta.get("format") != FORMAT or meta.get("fingerprint") != fingerprint:
        con.close()
        return None
    return SqliteStore(con, int(meta.get("size", "0")))


def all_records(store: Store) -> Iterable[Record]:
    """Every record, in entry order."""
    return (store.record(n) for n in range(store.size))
