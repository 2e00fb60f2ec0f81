"""The index file beside the workspace: written on first use, read lazily by the next
process, rebuilt when the workspace or the code changed, ignored when unreadable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sanctrace.screening import index as index_mod
from sanctrace.screening import index_store
from sanctrace.screening.index import Index, cache_path, fingerprint, get_index
from sanctrace.screening.screen import query_entity, screen_entity
from sanctrace.workspace import Workspace

QUERIES = [
    ("Lee Won-ho", None),
    ("Korea Ryonbnog General", "Organization"),
    ("IMO 7937317", None),
    ("김정은", None),
    ("0x098B716B8Aaf21512996dC57EB0615e2383E2f96", None),
    ("Patricia Lucas Wheeler", None),
]


@pytest.fixture(autouse=True)
def fresh_process_cache() -> None:
    """Each test starts as a new process would: nothing cached in memory."""
    index_mod._CACHE.clear()


def test_first_use_writes_the_file_and_the_next_process_reads_it(ws: Workspace) -> None:
    path = cache_path(ws)
    assert not path.exists()
    built = get_index(ws)
    assert path.is_file()
    index_mod._CACHE.clear()  # a new process
    read = get_index(ws)
    assert isinstance(read.store, index_store.SqliteStore)
    assert len(read) == len(built)
    for text, schema in QUERIES:
        query = query_entity(text, schema)
        assert screen_entity(read, query) == screen_entity(built, query), text


def test_a_lazy_index_reads_only_what_a_query_touches(ws: Workspace) -> None:
    get_index(ws)
    store = index_store.load(cache_path(ws), fingerprint(ws))
    assert store is not None
    lazy = Index(store)
    screen_entity(lazy, query_entity("Lee Won-ho"))
    assert 0 < len(store._records) < len(lazy) / 4


def test_a_load_or_other_code_means_rebuild(ws: Workspace) -> None:
    get_index(ws)
    old = fingerprint(ws)
    assert index_store.load(cache_path(ws), old) is not None
    with ws.writing() as w:
        w.query("UPDATE source SET loaded_at = loaded_at + INTERVAL 1 DAY")
    new = fingerprint(ws)
    assert new != old
    assert index_store.load(cache_path(ws), new) is None  # stale: get_index rebuilds
    get_index(ws)
    assert index_store.load(cache_path(ws), new) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"SQLite format 3\x00 truncated"),
        lambda p: p.write_text("not a database at all"),
    ],
    ids=["empty", "truncated", "garbage"],
)
def test_an_unreadable_file_is_rebuilt_not_trusted(ws: Workspace, damage: object) -> None:
    path = cache_path(ws)
    damage(path)  # type: ignore[operator]
    index = get_index(ws)
    assert screen_entity(index, query_entity("Lee Won-ho")).matches
    assert index_store.load(path, fingerprint(ws)) is not None  # written again


def test_a_file_from_another_format_is_ignored(ws: Workspace) -> None:
    get_index(ws)
    path = cache_path(ws)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE meta SET value = 'other/9' WHERE key = 'format'")
    con.close()
    assert index_store.load(path, fingerprint(ws)) is None


def test_a_read_only_directory_keeps_the_index_in_memory(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(index_store, "save", refuse)
    index = get_index(ws)
    assert isinstance(index.store, index_store.MemoryStore)
    assert not Path(cache_path(ws)).exists()
    assert get_index(ws) is index
