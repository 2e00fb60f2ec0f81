"""Every address's service on whole arrays, as ``Attribution.service`` says one by one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sanctrace.chain import parties, views
from sanctrace.workspace import Workspace


def test_the_same_as_attribution_for_every_address(
    generated_chain: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    with Workspace.open(path) as ws:
        view = views.utxo(ws, "btc")
        found = parties.build(view.store, view.services)
    kinds = set()
    for aid in range(view.store.n_addresses):
        address = view.store.address(aid)
        assert address is not None
        expected = view.services.service(address)
        column = int(found.addr_party[aid])
        if expected is None:
            assert column == -1, address
            continue
        party = found.parties[column]
        assert (party.label, party.category) == (expected.label, expected.category), address
        assert party.confidence == expected.confidence
        assert bool(found.deposit[aid]) == (expected.evidence == "deposit"), address
        assert found.exit_label(aid) == view.services.label(address)
        kinds.add(expected.evidence)
    assert {"tag", "deposit"} <= kinds  # tags and sweeps both exercised
    assert found.exit_label(None) is None
