"""``text``: a report or news file loaded as a source document with its claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.intake import document_from_bytes
from sanctrace.sources.ingest import ingest
from sanctrace.sources.text_document import parse_document
from sanctrace.workspace import Workspace
from tests.intake.test_fuzz import prose

FIXTURES = Path(__file__).parents[1] / "fixtures" / "intake"


def test_document_and_claims_rows(empty_ws: Workspace) -> None:
    result = ingest(empty_ws, "text", FIXTURES / "seed_report.txt")
    assert result.tables["document"] == 1 and result.tables["claim"] == result.rows_read > 30
    [doc] = empty_ws.table("document").to_pyarrow().to_pylist()
    assert (doc["name"], doc["kind"], doc["sha256"]) == (
        "seed_report.txt",
        "text",
        result.sha256,
    )
    claims = empty_ws.table("claim").to_pyarrow().to_pylist()
    for c in claims:  # every span quotes the document exactly, inside its sentence
        assert doc["text"][c["span_start"] : c["span_end"]] == c["text"]
        assert c["sentence_start"] <= c["span_start"] < c["span_end"] <= c["sentence_end"]
        assert isinstance(json.loads(c["attrs"]), dict)
    money = next(c for c in claims if c["text"] == "two billion USA dollars")
    assert (money["value"], money["number"], money["unit"]) == ("2000000000", 2000000000, "USD")
    country = next(c for c in claims if c["text"] == "Chile")
    assert (country["value"], country["number"], country["unit"]) == ("Chile", None, "CL")


def test_same_file_twice_changes_nothing(empty_ws: Workspace) -> None:
    first = ingest(empty_ws, "text", FIXTURES / "seed_report.txt")
    again = ingest(empty_ws, "text", FIXTURES / "seed_report.txt")
    assert again.unchanged and again.source_id == first.source_id
    assert empty_ws.table("claim").count().execute() == first.rows_read


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "the file is empty"), (b"\x00\x01\x02binary", "binary file")],
)
def test_unreadable_file_writes_nothing(
    empty_ws: Workspace, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as err:
        ingest(empty_ws, "text", path)
    assert str(path) in str(err.value)
    assert empty_ws.table("source").count().execute() == 0
    assert empty_ws.table("document").count().execute() == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(prose.map(str.encode), st.binary(max_size=300)))
def test_rows_for_any_input(data: bytes) -> None:
    """Any bytes give rows whose spans quote the text, or an ``InputError``; nothing else."""
    try:
        document = document_from_bytes(data, "fuzz.txt")
    except InputError:
        return
    parsed = parse_document(document)
    [doc] = parsed.rows["document"]
    for row in parsed.rows.get("claim", []):
        assert doc["text"][row["span_start"] : row["span_end"]] == row["text"]
        assert row["sentence_start"] <= row["span_start"] <= row["span_end"] <= row["sentence_end"]
