"""The generated chains go through the real adapters: every file loads, nothing is
quarantined, and the workspace holds what the files say (the end-to-end path the tracing
benchmarks and quality tests rely on)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.chain import Config, generate
from sanctrace.workspace import Workspace


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("chain") / "out"
    generate(Config(seed=11, transactions=800), out)
    return out


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_generated_file_loads_without_quarantine(
    generated: Path, empty_ws: Workspace
) -> None:
    files = [
        ("bitcoin-etl", generated / "btc" / "transactions.json"),
        ("bitcoin-etl", generated / "btc" / "blocks.json"),
        *(("ethereum-etl", generated / "eth" / f) for f in ("transactions.csv", "traces.csv")),
        ("ethereum-etl", generated / "eth" / "token_transfers.csv"),
        ("ethereum-etl", generated / "eth" / "blocks.csv"),
        *(("tagpack", p) for p in sorted((generated / "tagpacks").glob("*.yaml"))),
    ]
    for kind, path in files:
        result = ingest(empty_ws, kind, path)
        assert result.rows_quarantined == 0, (path.name, result)
    txs = _lines(generated / "btc" / "transactions.json")
    btc = empty_ws.table("chain_tx").filter(lambda t: t.chain == "btc")
    assert btc.count().to_pyarrow().as_py() == len(txs)
    outputs = empty_ws.table("chain_output")
    total = outputs.value.sum().to_pyarrow().as_py()
    assert int(total) == sum(
        int(o["value"])
        for t in txs
        for o in t["outputs"]  # type: ignore[attr-defined]
    )
    assert empty_ws.count("chain_tag") > 0


def test_the_theft_outputs_are_in_the_workspace(generated: Path, empty_ws: Workspace) -> None:
    ingest(empty_ws, "bitcoin-etl", generated / "btc" / "transactions.json")
    seeds = json.loads((generated / "seeds.json").read_text(encoding="utf-8"))["seeds"]
    outputs = {
        (r["tx_hash"], r["n"]): (r["address"], int(r["value"]))
        for r in empty_ws.table("chain_output").to_pyarrow().to_pylist()
    }
    theft = [o for s in seeds if s["chain"] == "btc" for o in s["outputs"]]
    assert theft
    for o in theft:
        assert outputs[(o["transaction"], o["index"])] == (o["address"], o["amount"])
