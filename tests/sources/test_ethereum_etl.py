"""``ethereum-etl``: transactions, internal calls and token transfers as ordered transfers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.ethereum_etl import TOKEN_SEQ, EthereumEtl
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import assert_fits, csv_text, parse_or_error, write
from tests.sources.strategies import FUZZ

CHAIN = Path(__file__).parent / "fixtures" / "chain" / "ethereum-etl"
TXS = CHAIN / "transactions_47218.csv"
TOKENS = CHAIN / "token_transfers_483920.csv"
STREAM = CHAIN / "stream_1755634_1755635.json"
TX = "0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d"
A, B, C = ("0x" + c * 40 for c in "abc")
H = "0x" + "12" * 32

TX_HEADER = [
    "hash", "nonce", "block_hash", "block_number", "transaction_index", "from_address",
    "to_address", "value", "gas", "gas_price", "input", "block_timestamp", "receipt_gas_used",
    "receipt_effective_gas_price", "receipt_status",
]  # fmt: skip
TRACE_HEADER = [
    "block_number", "transaction_hash", "transaction_index", "from_address", "to_address",
    "value", "trace_type", "call_type", "trace_address", "status",
]  # fmt: skip
TOKEN_HEADER = [
    "token_address", "from_address", "to_address", "value", "transaction_hash", "log_index",
    "block_number",
]  # fmt: skip


def rows(parsed: Parsed, table: str) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in r.items() if not k.startswith("_")}
        for r in parsed.arrow[table].to_pylist()
    ]


def tx_row(**fields: str) -> dict[str, str]:
    return {
        "hash": H, "nonce": "1", "block_hash": "0x" + "ab" * 32, "block_number": "100",
        "transaction_index": "0", "from_address": A.upper().replace("0X", "0x"),
        "to_address": B, "value": "1000", "gas": "21000", "gas_price": "7", "input": "0x",
        "block_timestamp": "1700000000", "receipt_gas_used": "21000",
        "receipt_effective_gas_price": "5", "receipt_status": "1", **fields,
    }  # fmt: skip


def trace(address: str, value: str, **fields: str) -> dict[str, str]:
    return {
        "block_number": "100", "transaction_hash": H, "transaction_index": "0",
        "from_address": B, "to_address": C, "value": value, "trace_type": "call",
        "call_type": "call", "trace_address": address, "status": "1", **fields,
    }  # fmt: skip


def token(log_index: str, **fields: str) -> dict[str, str]:
    return {
        "token_address": "0x" + "d" * 40, "from_address": C, "to_address": A,
        "value": "5", "transaction_hash": H, "log_index": log_index, "block_number": "100",
        **fields,
    }  # fmt: skip


def test_transactions_csv_with_exact_wei() -> None:
    parsed = EthereumEtl().parse(TXS)
    assert (parsed.rows_read, parsed.quarantine) == (4, [])
    txs = {r["tx_hash"]: r for r in rows(parsed, "chain_tx")}
    assert txs[TX]["block_number"] == 47218 and txs[TX]["fee"] is None  # no receipt columns
    assert str(txs[TX]["block_time"]) == "2015-08-07 08:31:25"
    assert txs[TX]["sender"] == "0x1406854d149e081ac09cb4ca560da463f3123059"  # pays the fee
    [first, *_] = rows(parsed, "chain_transfer")
    assert first == {
        "chain": "eth",
        "tx_hash": TX,
        "seq": 0,
        "kind": "native",
        "asset": "eth",
        "from_address": "0x1406854d149e081ac09cb4ca560da463f3123059",
        "to_address": "0xa0e74ae010d51894734c308d612131056bb721ad",
        "value": 110_000_000_000_000_000_000,  # over 2^64: exact
        "block_number": 47218,
        "block_time": txs[TX]["block_time"],
    }


def test_rpc_block_gives_the_same_transfers() -> None:
    rpc = EthereumEtl().parse(CHAIN / "eth_getBlockByNumber_0xb872_true.json")
    csv = EthereumEtl().parse(TXS)
    assert rpc.quarantine == []
    assert rows(rpc, "chain_transfer") == [
        r for r in rows(csv, "chain_transfer") if r["block_number"] == 0xB872
    ]


def test_stream_json_with_receipts_and_tokens() -> None:
    parsed = EthereumEtl().parse(STREAM)
    assert parsed.quarantine == []
    txs = {r["tx_hash"][:10]: r for r in rows(parsed, "chain_tx")}
    assert txs["0x9a5437ec"]["fee"] == 21000 * 20_000_000_000
    transfers = {(r["tx_hash"][:10], r["kind"]): r for r in rows(parsed, "chain_transfer")}
    # a zero-value call moves no ether; its token transfer does
    assert ("0x2e3dcd05", "native") not in transfers
    tok = transfers[("0x2e3dcd05", "token")]
    assert (tok["asset"], tok["value"], tok["seq"]) == (
        "0xbb9bc244d798123fde783fcc1c72d3bb8c189413",
        5 * 10**18,
        TOKEN_SEQ,
    )


def test_token_transfers_csv_by_log_index() -> None:
    parsed = EthereumEtl().parse(TOKENS)
    assert [
        (r["kind"], r["seq"] - TOKEN_SEQ, r["value"]) for r in rows(parsed, "chain_transfer")
    ] == [
        ("token", 0, 100000),
        ("token", 1, 200000),
    ]


def test_real_traces_move_no_internal_value() -> None:
    """Top-level calls repeat the transaction's value, callcode moves none of its own, a
    failed call moves nothing and rewards have no sender: the real fixtures hold no
    internal transfer."""
    for name in ("traces_1000000.csv", "traces_1000895.csv"):
        parsed = EthereumEtl().parse(CHAIN / name)
        assert parsed.quarantine == [] and parsed.arrow["chain_transfer"].num_rows == 0


def test_order_within_a_transaction(tmp_path: Path) -> None:
    """native first, then internal calls in trace order, then tokens by log index, whichever
    files they come from."""
    traces = [
        trace("", "1000"),  # the top-level call: the transaction's own value
        trace("0", "300"),
        trace("0,0", "0"),
        trace("1", "200", call_type="delegatecall"),
        trace("2", "100", status="0"),
        trace("3", "50", trace_type="suicide", call_type=""),
    ]
    parts = [
        EthereumEtl().parse(write(tmp_path / "t.csv", csv_text(TX_HEADER, [tx_row()]))),
        EthereumEtl().parse(write(tmp_path / "traces.csv", csv_text(TRACE_HEADER, traces))),
        EthereumEtl().parse(
            write(tmp_path / "tok.csv", csv_text(TOKEN_HEADER, [token("7"), token("3")]))
        ),
    ]
    got = sorted(
        (r["seq"], r["kind"], r["from_address"], r["value"])
        for p in parts
        for r in rows(p, "chain_transfer")
    )
    assert got == [
        (0, "native", A, 1000),  # lower-cased
        (1, "internal", B, 300),
        (2, "internal", B, 50),
        (TOKEN_SEQ + 3, "token", C, 5),
        (TOKEN_SEQ + 7, "token", C, 5),
    ]
    [tx] = rows(parts[0], "chain_tx")
    assert tx["fee"] == 21000 * 5


def test_failed_transaction_moves_no_value(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", csv_text(TX_HEADER, [tx_row(receipt_status="0")]))
    parsed = EthereumEtl().parse(path)
    assert len(rows(parsed, "chain_tx")) == 1 and rows(parsed, "chain_transfer") == []


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (tx_row(value="1" + "0" * 38), "value 1" + "0" * 38 + " has 39 digits"),
        (tx_row(from_address="0x123"), "from_address '0x123' is not 0x and 40 hex digits"),
        (tx_row(hash="0x12"), "transaction hash '0x12' is not 0x+64 hex digits"),
        (tx_row(value="1.5"), "value '1.5' is not an integer"),
        (tx_row(to_address=""), "a contract creation with value but no receipt_contract_address"),
    ],
)
def test_bad_rows_are_quarantined(tmp_path: Path, row: dict[str, str], reason: str) -> None:
    path = write(tmp_path / "t.csv", csv_text(TX_HEADER, [tx_row(hash="0x" + "34" * 32), row]))
    parsed = EthereumEtl().parse(path)
    [q] = parsed.quarantine
    assert q.line == 3 and reason in q.reason
    assert len(rows(parsed, "chain_tx")) == 1


def test_truncated_csv_last_line(tmp_path: Path) -> None:
    text = csv_text(TX_HEADER, [tx_row(), tx_row(hash="0x" + "34" * 32)])
    parsed = EthereumEtl().parse(write(tmp_path / "t.csv", text[:-60]))
    [q] = parsed.quarantine
    assert q.line == 3 and "cells where the header has 15 (a truncated line?)" in q.reason
    assert len(rows(parsed, "chain_tx")) == 1


def test_duplicates_and_reorgs_in_one_file(tmp_path: Path) -> None:
    other = "0x" + "34" * 32
    text = csv_text(
        TX_HEADER,
        [tx_row(), tx_row(), tx_row(hash=other), tx_row(hash=other, block_hash="0x" + "cd" * 32)],
    )
    parsed = EthereumEtl().parse(write(tmp_path / "t.csv", text))
    assert [r["tx_hash"] for r in rows(parsed, "chain_tx")] == [H]
    assert [r["tx_hash"] for r in rows(parsed, "chain_transfer")] == [H]
    [q] = parsed.quarantine
    assert q.reason.startswith(f"reorg conflict: chain_tx eth {other} appears in block 0xabab")
    assert "(line 4)" in q.reason and "(line 5)" in q.reason


def test_unknown_export_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "logs.csv", "log_index,transaction_hash,data\n1,0x,0x\n")
    with pytest.raises(InputError, match="not an ethereum-etl transactions") as info:
        EthereumEtl().parse(path)
    assert info.value.location == f"{path}:1"


def test_ingest_and_reingest(empty_ws: Workspace, tmp_path: Path) -> None:
    first = ingest(empty_ws, "ethereum-etl", TXS)
    assert first.tables == {"chain_tx": 4, "chain_transfer": 4}
    assert ingest(empty_ws, "ethereum-etl", TXS).unchanged
    # the RPC dump of block 47218 holds two of those transactions: nothing new
    again = ingest(empty_ws, "ethereum-etl", CHAIN / "eth_getBlockByNumber_0xb872_true.json")
    assert (again.tables, again.rows_quarantined) == ({"chain_tx": 0, "chain_transfer": 0}, 0)
    assert empty_ws.count("chain_transfer") == 4
    # a token transfer that differs from the loaded one is quarantined, not added
    ingest(empty_ws, "ethereum-etl", TOKENS)
    changed = TOKENS.read_text().replace(",100000,", ",100001,")
    result = ingest(empty_ws, "ethereum-etl", write(tmp_path / "tokens.csv", changed))
    assert result.rows_quarantined == 1 and result.tables["chain_transfer"] == 0
    [reason] = empty_ws.con.raw_sql("SELECT reason FROM quarantine").fetchone()
    assert reason.startswith("conflict: chain_transfer eth 0x04cbcb")
    assert "value 100001 here, 100000 there" in reason


LINES = [
    STREAM.read_text().splitlines()[0],
    STREAM.read_text().splitlines()[2],
    json.dumps({"type": "trace", "trace_type": "call", "call_type": "call", "value": 5}),
    '{"jsonrpc": "2.0", "result": {"transactions": ["0x12"]}}',
    '"x"',
    "{",
]


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.lists(st.sampled_from(LINES), max_size=5).map(lambda ls: "\n".join(ls).encode()),
        st.lists(
            st.lists(st.sampled_from(["", "0x", "1", "-1", "1e3", A, H, '"', "0,1"]), min_size=7),
            max_size=4,
        ).flatmap(
            lambda cells: st.sampled_from([TX_HEADER, TRACE_HEADER, TOKEN_HEADER]).map(
                lambda header: csv_text(header, [c[: len(header)] for c in cells]).encode()
            )
        ),
    )
)
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, body: bytes) -> None:
    path = write(tmp_path_factory.mktemp("fuzz") / "export.csv", body)
    parsed = parse_or_error("ethereum-etl", path)
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    for q in parsed.quarantine:
        assert q.reason
    for table in parsed.arrow:
        assert_fits(table, rows(parsed, table))
