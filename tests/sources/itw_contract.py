"""The contract every IT-worker adapter keeps, whatever the file (as ``factory.assert_contract``
states it for the other CSV adapters)."""

from __future__ import annotations

from pathlib import Path

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from tests.sources.factory import assert_fits
from tests.sources.itw_strategies import MAIN_TABLE


def assert_itw_contract(parsed: Parsed | InputError, kind: str, path: Path) -> None:
    """An ``InputError`` naming the file, or every row read either lands in the kind's table
    (fitting its schema) or is quarantined with a reason and a line."""
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    rows = parsed.rows.get(MAIN_TABLE[kind], [])
    assert parsed.rows_read == len(rows) + len(parsed.quarantine)
    for q in parsed.quarantine:
        assert q.reason and q.line is not None and q.line >= 2
    for table, landed in parsed.rows.items():
        assert_fits(table, landed)
