"""``bitcoin-etl``: UTXO transactions from bitcoin-etl JSON lines and getblock RPC dumps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.bitcoin_etl import BitcoinEtl
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import assert_fits, parse_or_error, write
from tests.sources.strategies import FUZZ

CHAIN = Path(__file__).parent / "fixtures" / "chain" / "bitcoin-etl"
ETL = CHAIN / "transactions_50001_50002.json"
COINBASE = "e1882d41800d96d0fddc196cd8d3f0b45d65b030c652d97eaba79a1174e64d58"
SPEND = "7940cdde4d713e171849efc6bd89939185be270266c94e92369e3877ad89455a"
ADDR = "1HaHTfmvoUW6i6nhJf8jJs6tU4cHNmBQHQ"


def rows(parsed: Parsed, table: str) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in r.items() if not k.startswith("_")}
        for r in parsed.arrow[table].to_pylist()
    ]


def by_hash(parsed: Parsed) -> dict[str, dict[str, Any]]:
    return {r["tx_hash"]: r for r in rows(parsed, "chain_tx")}


def etl_tx(n: int, **fields: Any) -> dict[str, Any]:
    """A plausible bitcoin-etl transaction spending one output, ``fields`` overriding."""
    return {
        "type": "transaction",
        "hash": f"{n:064x}",
        "block_number": 800000,
        "block_hash": "00" * 31 + "aa",
        "block_timestamp": 1700000000,
        "index": n,
        "is_coinbase": False,
        "fee": 500,
        "inputs": [
            {
                "index": 0,
                "spent_transaction_hash": "ff" * 32,
                "spent_output_index": 1,
                "addresses": [ADDR],
                "value": 10500,
                "type": "pubkeyhash",
            }
        ],
        "outputs": [
            {
                "index": 0,
                "addresses": ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
                "value": 10000,
            }
        ],
        **fields,
    }


def jsonl(tmp_path: Path, *records: Any, name: str = "txs.json") -> Path:
    return write(tmp_path / name, "".join(json.dumps(r) + "\n" for r in records))


def test_etl_transactions_with_exact_satoshi() -> None:
    parsed = BitcoinEtl().parse(ETL)
    assert (parsed.rows_read, parsed.quarantine) == (4, [])
    txs = by_hash(parsed)
    assert txs[COINBASE]["is_coinbase"] and txs[COINBASE]["fee"] == 0
    assert txs[SPEND]["block_number"] == 50001 and txs[SPEND]["tx_index"] == 1
    assert str(txs[SPEND]["block_time"]) == "2010-04-10 16:31:40"
    assert {r["chain"] for r in txs.values()} == {"btc"}
    outputs = [r for r in rows(parsed, "chain_output") if r["tx_hash"] == SPEND]
    assert outputs == [
        {
            "chain": "btc",
            "tx_hash": SPEND,
            "n": 0,
            "address": ADDR,
            "value": 10_000_000_000,
            "script_type": "pubkeyhash",
        }
    ]
    # inputs point at the outputs they spend; the coinbase gets one input with no spent output
    inputs = {(r["tx_hash"], r["n"]): r for r in rows(parsed, "chain_input")}
    assert inputs[(SPEND, 1)]["spent_tx_hash"].startswith("0dd0394c")
    assert (inputs[(SPEND, 1)]["spent_n"], inputs[(SPEND, 1)]["value"]) == (0, 5_000_000_000)
    assert inputs[(COINBASE, 0)]["spent_tx_hash"] is None
    for table, batch in parsed.arrow.items():
        assert_fits(table, rows(parsed, table))
        assert batch.num_rows


def test_rpc_getblock_matches_the_etl_export() -> None:
    """The same block through Bitcoin Core's getblock: BTC decimals become the same satoshi."""
    rpc = BitcoinEtl().parse(CHAIN / "getblock_50001.json")
    etl = BitcoinEtl().parse(ETL)
    assert rpc.quarantine == []
    block = {h: r for h, r in by_hash(etl).items() if r["block_number"] == 50001}
    assert {h: r["tx_index"] for h, r in by_hash(rpc).items()} == {
        h: r["tx_index"] for h, r in block.items()
    }
    assert sorted(map(str, rows(rpc, "chain_output"))) == sorted(
        str(r) for r in rows(etl, "chain_output") if r["tx_hash"] in block
    )
    # no prevout in verbosity 2: input values and the fee are unknown, the links are there
    spend = [r for r in rows(rpc, "chain_input") if r["tx_hash"] == SPEND]
    assert [(r["spent_n"], r["value"], r["address"]) for r in spend] == [(0, None, None)] * 2
    assert by_hash(rpc)[SPEND]["fee"] is None


def test_zcash_amounts_are_exact() -> None:
    """Zcash RPC values such as 983.95374322 are decimal strings in JSON: never floats."""
    parsed = BitcoinEtl().parse(CHAIN / "zcash_getblock_462085.json")
    assert {r["chain"] for r in rows(parsed, "chain_tx")} == {"zec"}  # from the file name
    values = {r["value"] for r in rows(parsed, "chain_output")}
    assert {98_395_374_322, 8_842_947_700, 643_552_120} <= values
    etl = BitcoinEtl().parse(CHAIN / "zcash_transactions_462085.json")
    assert etl.quarantine == [] and len(rows(etl, "chain_tx")) == 10
    shielded = [r for r in rows(etl, "chain_input") if r["spent_tx_hash"] is None and r["value"]]
    assert {r["value"] for r in shielded} == {1_200_010_000, 226_821_697}


def test_chain_from_the_file_name_or_the_row(tmp_path: Path) -> None:
    parsed = BitcoinEtl().parse(CHAIN / "bitcoin_cash_transactions_91722.json")
    [tx] = rows(parsed, "chain_tx")
    assert tx["chain"] == "bch"
    assert rows(parsed, "chain_output")[0]["address"].startswith("bitcoincash:")
    path = jsonl(tmp_path, etl_tx(1, chain="ltc"), etl_tx(2), name="dogecoin_txs.json")
    assert [r["chain"] for r in rows(BitcoinEtl().parse(path), "chain_tx")] == ["ltc", "doge"]


def test_multisig_output_joins_its_addresses(tmp_path: Path) -> None:
    other = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
    tx = etl_tx(1)
    tx["outputs"][0]["addresses"] = [ADDR, other]
    [out] = rows(BitcoinEtl().parse(jsonl(tmp_path, tx)), "chain_output")
    assert out["address"] == f"multisig:{ADDR},{other}"


def test_blocks_file_adds_nothing() -> None:
    parsed = BitcoinEtl().parse(CHAIN / "blocks_50001_50002.json")
    assert parsed.rows_read == 2 and parsed.quarantine == []
    assert all(t.num_rows == 0 for t in parsed.arrow.values())


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"hash": "abc"}, "transaction hash 'abc' is not +64 hex digits"),
        ({"fee": 1.5}, "fee '1.5' is not an integer number of base units"),
        (
            {
                "outputs": [
                    {"index": 0, "addresses": ["1BoatSLRHtKNngkdXEeobR76b53LETtpyX"], "value": 1}
                ]
            },
            "output 0 address '1BoatSLRHtKNngkdXEeobR76b53LETtpyX' is not a valid Base58Check",
        ),
        (
            {
                "outputs": [
                    {
                        "index": 0,
                        "addresses": ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx"],
                        "value": 1,
                    }
                ]
            },
            "is not a valid Base58Check, bech32",
        ),
        ({"outputs": [{"index": 0, "addresses": [], "value": 10**38}]}, "has 39 digits"),
        ({"outputs": [{"index": 0, "addresses": [], "value": -1}]}, "is negative"),
        ({"inputs": "x"}, "inputs and outputs must be lists"),
    ],
)
def test_bad_transactions_are_quarantined_whole(
    tmp_path: Path, change: dict[str, Any], reason: str
) -> None:
    parsed = BitcoinEtl().parse(jsonl(tmp_path, etl_tx(1), etl_tx(2, **change)))
    [q] = parsed.quarantine
    assert q.line == 2 and reason in q.reason
    # nothing of the bad transaction lands: not its outputs, not its inputs
    assert {
        r["tx_hash"] for t in ("chain_tx", "chain_output", "chain_input") for r in rows(parsed, t)
    } == {f"{1:064x}"}


def test_truncated_last_line_is_quarantined(tmp_path: Path) -> None:
    text = json.dumps(etl_tx(1)) + "\n" + json.dumps(etl_tx(2))[:100]
    parsed = BitcoinEtl().parse(write(tmp_path / "txs.json", text))
    [q] = parsed.quarantine
    assert q.line == 2 and q.reason.startswith("not valid JSON")
    assert len(rows(parsed, "chain_tx")) == 1


def test_truncated_rpc_document_is_an_error(tmp_path: Path) -> None:
    text = (CHAIN / "getblock_50002.json").read_text()[:700]
    path = write(tmp_path / "getblock.json", text)
    with pytest.raises(InputError, match="not valid JSON") as info:
        BitcoinEtl().parse(path)
    assert info.value.location.startswith(f"{path}:")


def test_rpc_response_envelope_and_errors(tmp_path: Path) -> None:
    block = json.loads((CHAIN / "getblock_50002.json").read_text())
    path = jsonl(
        tmp_path,
        {"jsonrpc": "1.0", "id": 1, "result": block},
        {"result": None, "error": {"code": -5, "message": "Block not found"}, "id": 2},
    )
    parsed = BitcoinEtl().parse(path)
    assert len(rows(parsed, "chain_tx")) == 1
    [q] = parsed.quarantine
    assert q.line == 2 and "Block not found" in q.reason


def test_duplicates_in_one_file(tmp_path: Path) -> None:
    """The same transaction twice counts once; in another block it is a reorg conflict."""
    moved = etl_tx(2, block_hash="00" * 31 + "bb", block_number=800001)
    parsed = BitcoinEtl().parse(jsonl(tmp_path, etl_tx(1), etl_tx(1), etl_tx(2), moved))
    assert [r["tx_hash"] for r in rows(parsed, "chain_tx")] == [f"{1:064x}"]
    assert len(rows(parsed, "chain_output")) == len(rows(parsed, "chain_input")) == 1
    [q] = parsed.quarantine
    assert q.reason.startswith("reorg conflict") and q.line == 3
    assert "00000000000000000000000000000000000000000000000000000000000000aa (line 3)" in q.reason
    assert "bb (line 4)" in q.reason


def test_unknown_spent_outputs_are_kept(tmp_path: Path) -> None:
    """The spent output may be in another file: the engine reports unknown spends."""
    parsed = BitcoinEtl().parse(jsonl(tmp_path, etl_tx(1)))
    assert rows(parsed, "chain_input")[0]["spent_tx_hash"] == "ff" * 32


def test_ingest_and_reingest(empty_ws: Workspace, tmp_path: Path) -> None:
    first = ingest(empty_ws, "bitcoin-etl", ETL)
    assert first.tables == {"chain_tx": 4, "chain_output": 4, "chain_input": 5}
    assert ingest(empty_ws, "bitcoin-etl", ETL).unchanged
    # another file with the same block (RPC) adds nothing: identical transactions are skipped
    again = ingest(empty_ws, "bitcoin-etl", CHAIN / "getblock_50001.json")
    assert again.tables == {"chain_tx": 0, "chain_output": 0, "chain_input": 0}
    assert again.rows_quarantined == 0
    total = int(empty_ws.table("chain_output").value.sum().to_pyarrow().as_py())
    assert total == 4 * 5_000_000_000 + 5_000_000_000


def test_reorg_against_the_workspace(empty_ws: Workspace, tmp_path: Path) -> None:
    ingest(empty_ws, "bitcoin-etl", jsonl(tmp_path, etl_tx(1), name="a.json"))
    moved = etl_tx(1, block_hash="00" * 31 + "bb")
    result = ingest(empty_ws, "bitcoin-etl", jsonl(tmp_path, moved, etl_tx(2), name="b.json"))
    assert result.tables["chain_tx"] == 1 and result.rows_quarantined == 1
    [(reason, line)] = empty_ws.con.raw_sql("SELECT reason, line FROM quarantine").fetchall()
    assert reason.startswith("reorg conflict: chain_tx btc 0000") and line == 1
    assert "block_hash " + "00" * 31 + "bb here" in reason
    assert empty_ws.count("chain_tx") == 2 and empty_ws.count("chain_output") == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "the file is empty"), (b"\n\n", "the file is empty"), (b'{"a": \xff}\n', "not UTF-8")],
)
def test_unreadable_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "txs.json", content)
    with pytest.raises(InputError, match=reason) as info:
        BitcoinEtl().parse(path)
    assert str(path) in info.value.location


LINES = [
    json.dumps(etl_tx(1)),
    json.dumps(etl_tx(1, block_hash="cc" * 32)),
    (ETL.read_text().splitlines()[1]),
    '{"type": "block", "hash": "x"}',
    "[1, 2]",
    "{",
]


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.lists(st.sampled_from(LINES), max_size=6).map(lambda ls: "\n".join(ls).encode()),
        st.lists(st.sampled_from(LINES), max_size=4).flatmap(
            lambda ls: st.integers(0, max(0, len("\n".join(ls)) - 1)).map(
                lambda cut: "\n".join(ls)[:cut].encode()
            )
        ),
    )
)
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, body: bytes) -> None:
    path = write(tmp_path_factory.mktemp("fuzz") / "txs.json", body)
    parsed = parse_or_error("bitcoin-etl", path)
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    for q in parsed.quarantine:
        assert q.reason
    for table in parsed.arrow:
        assert_fits(table, rows(parsed, table))
