"""The scan end to end: CSVs ingested into a workspace, every rule run, workers ranked by the
weights of the rules that fired; names and wallets screened against the bundled lists."""

from __future__ import annotations

from pathlib import Path

from sanctrace.itworkers import scan
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import write

LISTED_WALLET = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"  # on the bundled OFAC list


def load(ws: Workspace, folder: Path) -> None:
    files = {
        "itw-profiles": (
            "worker_id,name,email,nationality,accounts,shipping_address,document_hash\n"
            "W1,John Smith,js@example.com,US,a1,1 Oak Street,aaaaaaaa\n"
            "W1,Jin Song Pak,js@example.com,JP,a1,1 Oak Street,aaaaaaaa\n"
            "W2,Mary Jones,mj@example.com,US,a2,1 oak st,aaaaaaaa\n"
            "W3,Kim Kwang Yon,kky@example.com,CA,a3,1 Oak St.,bbbbbbbb\n"
            "W4,Ana Lee,al@example.com,US,a4,9 Pine Road,cccccccc\n"
        ),
        "itw-logins": (
            "account_id,timestamp,ip,country\n"
            "a1,2024-03-01T08:00:00Z,5.5.5.5,US\n"
            "a1,2024-03-01T09:00:00Z,6.6.6.6,CN\n"
            "a4,2024-03-01T09:00:00Z,7.7.7.7,US\n"
        ),
        "itw-payouts": (
            "worker_id,timestamp,amount,currency,destination,destination_country\n"
            "W1,2024-03-31,1000,USD,CN12BANK0001,CN\n"
            f"W2,2024-03-31,1000,ETH,{LISTED_WALLET},\n"
            "W4,2024-03-31,1000,USD,US12BANK0004,US\n"
        ),
    }
    for kind, text in files.items():
        ingest(ws, kind, write(folder / f"{kind}.csv", text))


def test_workers_ranked_with_rules_and_evidence(ws: Workspace, tmp_path: Path) -> None:
    load(ws, tmp_path)
    result = scan(ws)
    assert result.screened and result.workers_total == 4
    ranked = {w.worker_id: w for w in result.workers}
    assert [w.worker_id for w in result.workers[:2]] == ["W2", "W1"]  # W2: a listed wallet
    w1 = ranked["W1"]
    assert [r.rule_id for r in w1.rules] == ["ITW-01", "ITW-06", "ITW-07", "ITW-08", "ITW-12"]
    assert w1.score == 0.4 + 0.4 + 0.45 + 0.4 + 0.45 and w1.flagged and w1.name == "John Smith"
    # the wallet is on the OFAC list: ITW-13 with the listed party and the payout row
    w2 = {r.rule_id: r for r in ranked["W2"].rules}
    assert set(w2) == {"ITW-06", "ITW-08", "ITW-12", "ITW-13"}
    [evidence] = w2["ITW-13"].evidence
    assert evidence["table"] == "itw_payout" and evidence["line"] == 3
    # a listed person's name fires its own, lighter rule
    w3 = {r.rule_id: r for r in ranked["W3"].rules}
    assert w3["ITW-14"].detail == "on a list: 'Kim Kwang Yon' ~ KIM Kwang Yon (ofac-17618, 1.00)"
    assert "ITW-13" not in w3 and not ranked["W3"].flagged  # 0.45 + 0.5: not flagged
    assert "W4" not in ranked
    assert result.rule_counts["ITW-12"] == 3


def test_without_screening_no_list_rule(ws: Workspace, tmp_path: Path) -> None:
    load(ws, tmp_path)
    result = scan(ws, screen=False)
    assert not result.screened and result.rule_counts["ITW-13"] == result.rule_counts["ITW-14"] == 0


def test_an_empty_workspace_scans_to_nothing(empty_ws: Workspace) -> None:
    result = scan(empty_ws)
    assert (result.workers, result.workers_total, result.screened) == ([], 0, False)
