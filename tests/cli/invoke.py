"""Run the CLI in process, as the tests do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sanctrace.cli.main import app

runner = CliRunner()


def run(workspace: Path, *args: str) -> Any:
    """Run ``sanctrace --workspace WORKSPACE ARGS`` in process; fail on a crash."""
    result = runner.invoke(app, ["--workspace", str(workspace), *args])
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
