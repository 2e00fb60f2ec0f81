"""Ingest: one file, one transaction, with provenance. The same file twice changes nothing; a
failed ingest leaves the workspace exactly as it was; bad rows are quarantined with the file,
line and reason; every row points to the file it came from."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import DEFAULTS, bundled
from sanctrace.errors import InputError
from sanctrace.incidents import list_incidents
from sanctrace.schema import TABLES
from sanctrace.sources.ingest import IngestResult, ingest
from sanctrace.sources.status import quarantined_rows, source_rows
from sanctrace.workspace import Workspace, Writer
from tests.sources.factory import CSV_KINDS, MAIN_TABLE, csv_text, incident_row, write
from tests.sources.strategies import FUZZ, csv_documents

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(ws: Workspace) -> Snapshot:
    """Every row of every table, in a stable order: what 'exactly as it was' means."""
    out = {}
    for name in TABLES:
        rows = ws.table(name).to_pyarrow().to_pylist()
        out[name] = sorted((tuple(r.values()) for r in rows), key=repr)
    return out


def fail_on_call(monkeypatch: pytest.MonkeyPatch, method: str, n: int) -> None:
    """Make ``Writer.<method>`` raise on its ``n``-th call, as a full disk would."""
    real: Callable[..., Any] = getattr(Writer, method)
    calls = 0

    def failing(self: Writer, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            raise OSError(28, "No space left on device")
        return real(self, *args)

    monkeypatch.setattr(Writer, method, failing)


@pytest.fixture
def registry_edit(tmp_path: Path) -> Path:
    """The bundled registry with Upbit's amount revised: a newer version of a loaded file."""
    text = bundled("incidents/registry.csv").read_text(encoding="utf-8")
    assert text.count('"$48,500,000"') == 1
    return write(tmp_path / "registry.csv", text.replace('"$48,500,000"', '"$49,000,000"'))


def test_ingest_records_provenance(empty_ws: Workspace, tmp_path: Path) -> None:
    rows = [incident_row(), incident_row(date="2017-13-01", victim="Bithumb")]
    path = write(tmp_path / "incidents.csv", csv_text(list(rows[0]), rows))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    result = ingest(empty_ws, "incidents", path)
    assert result == IngestResult(
        kind="incidents",
        uri=path.resolve().as_uri(),
        source_id=f"incidents:{sha[:16]}",
        sha256=sha,
        unchanged=False,
        rows_read=2,
        rows_quarantined=1,
        tables={"incident": 1, "amount": 1, "attribution": 1, "citation": 1},
    )
    [source] = source_rows(empty_ws)
    assert {k: v for k, v in source.items() if k != "loaded_at"} == {
        "source_id": result.source_id,
        "uri": result.uri,
        "sha256": sha,
        "adapter": "incidents",
        "adapter_version": "1",
        "rows_read": 2,
        "rows_quarantined": 1,
        "tables": {"amount": 1, "attribution": 1, "citation": 1, "incident": 1},
    }
    [q] = quarantined_rows(empty_ws)
    assert (q["source_id"], q["uri"], q["line"], q["element"]) == (
        result.source_id,
        result.uri,
        3,
        None,
    )
    assert q["reason"] == "date '2017-13-01': month must be in 1..12"
    assert q["raw"].startswith("2017-13-01,Bithumb,")


def test_uri_can_be_given(empty_ws: Workspace) -> None:
    result = ingest(empty_ws, "actors", bundled("incidents/actors.csv"), uri="sanctrace:data/x")
    assert [s["uri"] for s in source_rows(empty_ws)] == [result.uri] == ["sanctrace:data/x"]


@pytest.mark.parametrize(("kind", "relative"), DEFAULTS)
def test_same_file_twice_changes_nothing(ws: Workspace, kind: str, relative: str) -> None:
    before = snapshot(ws)
    result = ingest(ws, kind, bundled(relative))
    assert result.unchanged and (result.rows_read, result.tables) == (0, {})
    assert result.source_id in {s["source_id"] for s in source_rows(ws)}
    assert snapshot(ws) == before


def test_same_bytes_under_another_name_are_the_same_source(ws: Workspace, tmp_path: Path) -> None:
    before = snapshot(ws)
    copy = tmp_path / "copy-of-registry.csv"
    shutil.copy(bundled("incidents/registry.csv"), copy)
    assert ingest(ws, "incidents", copy).unchanged
    assert snapshot(ws) == before


def test_newer_file_replaces_its_incidents(ws: Workspace, registry_edit: Path) -> None:
    """A newer version of the same file (same URI) supersedes the rows of the older one."""
    counts = {name: ws.count(name) for name in TABLES}
    result = ingest(ws, "incidents", registry_edit, uri="sanctrace:data/incidents/registry.csv")
    assert not result.unchanged
    # the same 91 incidents, now from the newer file: nothing doubled
    assert {name: ws.count(name) for name in TABLES} == counts | {"source": counts["source"] + 1}
    amount = ws.table("amount")
    upbit = amount.filter((amount.incident_id == "2019-11-27-upbit") & (amount.kind == "stolen"))
    assert upbit.select("amount_usd", "source_id").to_pyarrow().to_pylist() == [
        {"amount_usd": 49_000_000, "source_id": result.source_id}
    ]
    # the older file is still listed, with no rows pointing to it any more
    old = [
        s
        for s in source_rows(ws)
        if s["adapter"] == "incidents" and s["source_id"] != result.source_id
    ]
    assert [s["tables"] for s in old] == [{}]


def test_another_file_adds_to_the_same_incidents(ws: Workspace, registry_edit: Path) -> None:
    """A different file naming the same incidents joins them: the incident rows stay, the
    second Upbit amount widens its range, and restated rows are not stored twice."""
    counts = {name: ws.count(name) for name in TABLES}
    result = ingest(ws, "incidents", registry_edit)
    assert result.tables == {"incident": 0, "amount": 1, "attribution": 0, "citation": 0}
    assert ws.count("incident") == counts["incident"]
    [upbit] = list_incidents(ws, incident_ids=["2019-11-27-upbit"])
    assert (upbit.stolen_usd_low, upbit.stolen_usd, upbit.stolen_usd_high) == (
        48_500_000,
        48_500_000,  # the central figure stays the incident's own source's
        49_000_000,
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"victim,date,colour\nUpbit,2019,red\n", id="unknown column"),
        pytest.param(b"date,victim\n2017,Bithumb\n2018,Caf\xe9\n", id="latin-1 on line 3"),
        pytest.param(b"", id="empty"),
    ],
)
def test_unreadable_file_changes_nothing(ws: Workspace, tmp_path: Path, content: bytes) -> None:
    before = snapshot(ws)
    path = write(tmp_path / "incidents.csv", content)
    with pytest.raises(InputError, match=str(path)):
        ingest(ws, "incidents", path)
    assert snapshot(ws) == before


# Writer.insert runs for: source, incident, amount, attribution, citation, quarantine
@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("insert", 1),
        ("insert", 2),
        ("insert", 5),
        ("insert", 6),
        ("delete_in", 1),
        ("delete_in", 3),
    ],
)
def test_failure_while_writing_changes_nothing(
    ws: Workspace, registry_edit: Path, monkeypatch: pytest.MonkeyPatch, method: str, call: int
) -> None:
    before = snapshot(ws)
    fail_on_call(monkeypatch, method, call)
    with pytest.raises(OSError, match="No space left on device"):
        ingest(ws, "incidents", registry_edit)
    assert snapshot(ws) == before
    monkeypatch.undo()
    # nothing was recorded as loaded, so the retry loads the file
    assert not ingest(ws, "incidents", registry_edit).unchanged


@pytest.mark.parametrize("call", [1, 2, 3])
def test_failure_in_a_new_workspace_leaves_it_empty(
    empty_ws: Workspace, monkeypatch: pytest.MonkeyPatch, call: int
) -> None:
    fail_on_call(monkeypatch, "insert", call)
    with pytest.raises(OSError):
        ingest(empty_ws, "estimates", bundled("incidents/annual_estimates_by_source.csv"))
    assert {name: empty_ws.count(name) for name in TABLES} == dict.fromkeys(TABLES, 0)


def test_every_row_points_to_a_loaded_file(ws: Workspace) -> None:
    known = {s["source_id"] for s in source_rows(ws)}
    assert len(known) == len(DEFAULTS)
    for name, columns in TABLES.items():
        if "source_id" in columns and name != "source":
            ids = ws.table(name).select("source_id").distinct().to_pyarrow().to_pylist()
            assert {r["source_id"] for r in ids} <= known, name


@pytest.mark.parametrize(
    ("kind", "path", "location", "reason"),
    [
        ("teleport", "incidents/registry.csv", "teleport", "no adapter of that name"),
        ("incidents", "no/such/file.csv", "no/such/file.csv", "no such file"),
        ("incidents", ".", ".", "no such file"),
    ],
)
def test_refused_before_reading(
    empty_ws: Workspace, kind: str, path: str, location: str, reason: str
) -> None:
    target = bundled(path) if path.endswith("registry.csv") else Path(path)
    with pytest.raises(InputError, match=reason) as info:
        ingest(empty_ws, kind, target)
    assert info.value.location == location


def test_progress_reports_rows(empty_ws: Workspace) -> None:
    seen: list[int] = []
    ingest(empty_ws, "incidents", bundled("incidents/registry.csv"), progress=seen.append)
    assert seen == list(range(1, 92))


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("fuzz-ws")
    with Workspace.open(path / "ws.duckdb", create=True) as ws:
        yield ws, path / "input.csv"


@given(
    st.sampled_from(sorted(CSV_KINDS)).flatmap(lambda k: st.tuples(st.just(k), csv_documents(k)))
)
@FUZZ
def test_fuzz_ingest(fuzz_ws: tuple[Workspace, Path], case: tuple[str, bytes]) -> None:
    """Whatever the file, ingest stores it whole (every row landed or quarantined, counted in
    its source row) or refuses it with an InputError that names it."""
    ws, path = fuzz_ws
    kind, data = case
    write(path, data)
    try:
        result = ingest(ws, kind, path)
    except InputError as exc:
        assert str(path) in str(exc)
        return
    if result.unchanged:
        return
    source = ws.table("source")
    [row] = source.filter(source.source_id == result.source_id).to_pyarrow().to_pylist()
    assert (row["rows_read"], row["rows_quarantined"]) == (
        result.rows_read,
        result.rows_quarantined,
    )
    landed = result.tables.get(MAIN_TABLE[kind], 0)
    assert result.rows_read == landed + result.rows_quarantined
    assert len(quarantined_rows(ws, result.source_id)) == result.rows_quarantined
