"""A loaded chain is kept per process until a source is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sanctrace.chain import views
from sanctrace.workspace import Workspace


def test_kept_until_a_source_is_loaded(
    generated_chain: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    with Workspace.open(path) as ws:
        first = views.utxo(ws, "btc")
        assert views.utxo(ws, "btc") is first
        assert views.account(ws, "eth") is views.account(ws, "eth")
        before = ws.state()
        with ws.writing() as w:
            w.query("UPDATE source SET loaded_at = loaded_at + INTERVAL 1 DAY")
        assert ws.state() != before
        again = views.utxo(ws, "btc")
        assert again is not first
        assert dict(again.cluster_of) == dict(first.cluster_of)
