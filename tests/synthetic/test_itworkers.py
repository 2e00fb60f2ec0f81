"""The synthetic contractor population: seeded (same seed, same bytes), loadable by the real
adapters, and its ground truth agrees with what the rules find."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sanctrace.itworkers import scan
from sanctrace.sources.ingest import ingest
from sanctrace.synthetic.itworkers import Config, generate
from sanctrace.workspace import Workspace

FILES = ("profiles.csv", "logins.csv", "payouts.csv", "clients.csv")


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(Config(seed=1, workers=60), tmp_path / "a")
    generate(Config(seed=1, workers=60), tmp_path / "b")
    generate(Config(seed=2, workers=60), tmp_path / "c")
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")


def test_truth_names_planted_workers_and_lookalikes(tmp_path: Path) -> None:
    truth = generate(Config(seed=3, workers=200), tmp_path)
    people = truth["workers"]
    assert len(people) >= 200
    dprk = [v for v in people.values() if v["dprk"]]
    assert len(dprk) == 10 and all(v["planted"] for v in dprk)
    kinds = {k for v in people.values() for k in v["lookalike"]}
    assert {"traveller", "vpn_user", "shared_office", "agency", "couple"} <= kinds


def test_population_loads_and_scores_as_planted(tmp_path: Path) -> None:
    truth = generate(Config(seed=4, workers=300, photos=False), tmp_path / "pop")
    with Workspace.open(tmp_path / "ws.duckdb", create=True) as ws:
        for name, kind in zip(
            FILES, ("itw-profiles", "itw-logins", "itw-payouts", "itw-clients"), strict=True
        ):
            result = ingest(ws, kind, tmp_path / "pop" / name)
            assert result.rows_quarantined == 0
        scanned = scan(ws, screen=False)
    people = truth["workers"]
    fired = {w.worker_id: {r.rule_id for r in w.rules} for w in scanned.workers}
    # every indicator planted on a worker with a team to share it is found
    for worker, v in people.items():
        if v["dprk"] and len(v["planted"]) >= 3:
            assert set(v["planted"]) <= fired.get(worker, set()), worker
    flagged = {w.worker_id for w in scanned.workers if w.flagged}
    dprk = {w for w, v in people.items() if v["dprk"]}
    assert len(flagged & dprk) / len(dprk) >= 0.8
    assert len(flagged & dprk) / len(flagged) >= 0.8
