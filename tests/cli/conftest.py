"""Shared by the CLI tests: tables as on a wide terminal, and ``run`` (in tests/cli/invoke.py)."""

from __future__ import annotations

import pytest

from sanctrace.cli import output


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as on a wide terminal, so that cells are not folded mid-word."""
    monkeypatch.setattr(output.console, "width", 250)
