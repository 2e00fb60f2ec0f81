"""The IT-worker files' kind, told from the header; ingest through the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.ingest import ingest
from sanctrace.sources.itw_common import SIGNATURES, detect_kind
from sanctrace.workspace import Workspace
from tests.sources.factory import write
from tests.sources.strategies import FUZZ


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("worker_id,name,email", "itw-profiles"),
        ("\ufeffaccount_id,timestamp,ip", "itw-logins"),
        ("worker_id,timestamp,amount,currency,destination", "itw-payouts"),
        ("client_id,worker_id,timestamp,event", "itw-clients"),
    ],
)
def test_kind_from_header(tmp_path: Path, header: str, kind: str) -> None:
    assert detect_kind(write(tmp_path / "f.csv", header + "\n")) == kind


def test_unknown_header_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", "date,victim\n")
    with pytest.raises(InputError, match="no IT-worker kind fits") as err:
        detect_kind(path)
    assert str(path) in str(err.value)


def test_ingest_quarantines_and_records_provenance(empty_ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "logins.csv",
        "account_id,timestamp,ip\nacct-1,2024-03-01T00:00:00Z,1.2.3.4\nacct-2,soon,1.2.3.4\n",
    )
    result = ingest(empty_ws, "itw-logins", path)
    assert (result.rows_read, result.rows_quarantined, result.tables) == (2, 1, {"itw_login": 1})
    [(reason, line)] = empty_ws.con.con.execute("SELECT reason, line FROM quarantine").fetchall()
    assert "not an ISO 8601" in reason and line == 3
    assert ingest(empty_ws, "itw-logins", path).unchanged


@given(st.binary(max_size=300))
@FUZZ
def test_fuzz_kind_detection(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = write(tmp_path_factory.mktemp("kind") / "f.csv", data)
    try:
        assert detect_kind(path) in SIGNATURES
    except InputError as exc:
        assert str(path) in str(exc) and exc.reason
