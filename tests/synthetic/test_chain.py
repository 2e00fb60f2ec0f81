"""The synthetic chain generator: files in the bitcoin-etl and ethereum-etl formats that obey
the chains' rules, and a ground truth that an independent replay of those files confirms."""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import base58
import bech32
import pytest
import yaml

from sanctrace.synthetic import chain
from sanctrace.synthetic.chain import Config, generate

# Field names as bitcoin-etl's export_blocks_and_transactions writes them (its test resources).
BTC_TX_KEYS = [
    "hash", "size", "virtual_size", "version", "lock_time", "block_number", "block_hash",
    "block_timestamp", "is_coinbase", "index", "inputs", "outputs", "input_count",
    "output_count", "input_value", "output_value", "fee",
]  # fmt: skip
BTC_INPUT_KEYS = [
    "index", "spent_transaction_hash", "spent_output_index", "script_asm", "script_hex",
    "sequence", "required_signatures", "type", "addresses", "value",
]  # fmt: skip
BTC_OUTPUT_KEYS = [
    "index", "script_asm", "script_hex", "required_signatures", "type", "addresses", "value"
]  # fmt: skip
BTC_BLOCK_KEYS = [
    "type", "hash", "size", "stripped_size", "weight", "number", "version", "merkle_root",
    "timestamp", "nonce", "bits", "coinbase_param", "transaction_count",
]  # fmt: skip
# Column names as ethereum-etl writes them (export_blocks_and_transactions, with the receipt
# columns its enriched export adds; export_token_transfers; export_traces).
ETH_TX_COLUMNS = [
    "hash", "nonce", "block_hash", "block_number", "transaction_index", "from_address",
    "to_address", "value", "gas", "gas_price", "input", "block_timestamp", "max_fee_per_gas",
    "max_priority_fee_per_gas", "transaction_type", "receipt_cumulative_gas_used",
    "receipt_gas_used", "receipt_contract_address", "receipt_root", "receipt_status",
    "receipt_effective_gas_price",
]  # fmt: skip
ETH_TOKEN_COLUMNS = [
    "token_address", "from_address", "to_address", "value", "transaction_hash", "log_index",
    "block_number",
]  # fmt: skip
ETH_TRACE_COLUMNS = [
    "block_number", "transaction_hash", "transaction_index", "from_address", "to_address",
    "value", "input", "output", "trace_type", "call_type", "reward_type", "gas", "gas_used",
    "subtraces", "trace_address", "error", "status", "trace_id",
]  # fmt: skip
ETH_BLOCK_COLUMNS = [
    "number", "hash", "parent_hash", "nonce", "sha3_uncles", "logs_bloom", "transactions_root",
    "state_root", "receipts_root", "miner", "difficulty", "total_difficulty", "size",
    "extra_data", "gas_limit", "gas_used", "timestamp", "transaction_count", "base_fee_per_gas",
    "withdrawals_root", "withdrawals",
]  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chain")
    generate(Config(seed=11, transactions=2500), path)
    return path


@pytest.fixture(scope="module")
def truth(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "truth.json").read_text())
    return data


def btc_transactions(out: Path) -> Iterator[dict[str, Any]]:
    with (out / "btc" / "transactions.json").open() as f:
        for line in f:
            yield json.loads(line)


def eth_rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / "eth" / f"{name}.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def valid_btc_address(address: str) -> bool:
    if address.startswith("bc1"):
        version, program = bech32.decode("bc", address)
        return version == 0 and program is not None and len(program) == 20
    raw = base58.b58decode_check(address)
    return len(raw) == 21 and raw[0] == 0


# --- determinism and the command line ---------------------------------------------------------


def test_the_same_seed_writes_the_same_bytes(out: Path, tmp_path: Path) -> None:
    """Also in another process with another string hash seed: no set order leaks out."""
    command = [sys.executable, "-m", "sanctrace.synthetic.chain", "--seed", "11"]
    command += ["--transactions", "2500", "--out", str(tmp_path / "again")]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(command, check=True, env=env, capture_output=True)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert len(files) == 11
    for rel in files:
        assert (tmp_path / "again" / rel).read_bytes() == (out / rel).read_bytes(), rel
    generate(Config(seed=12, transactions=2500, chain="btc"), tmp_path / "other")
    other = (tmp_path / "other" / "btc" / "transactions.json").read_bytes()
    assert other != (out / "btc" / "transactions.json").read_bytes()


def test_too_small_a_chain_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 500"):
        generate(Config(seed=1, transactions=100), tmp_path)


def test_the_command_line_writes_one_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chain.main(["--seed", "2", "--transactions", "600", "--out", str(tmp_path), "--chain", "eth"])
    assert "tx/s" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "eth", "seeds.json", "tagpacks", "truth.json"
    ]  # fmt: skip
    assert "btc" not in json.loads((tmp_path / "truth.json").read_text())


# --- bitcoin: the chain's rules ---------------------------------------------------------------


def test_btc_files_have_the_fields_bitcoin_etl_writes(out: Path) -> None:
    tx = next(t for t in btc_transactions(out) if not t["is_coinbase"])
    assert list(tx) == BTC_TX_KEYS
    assert list(tx["inputs"][0]) == BTC_INPUT_KEYS
    assert list(tx["outputs"][0]) == BTC_OUTPUT_KEYS
    with (out / "btc" / "blocks.json").open() as f:
        assert list(json.loads(f.readline())) == BTC_BLOCK_KEYS


def test_btc_every_input_spends_an_existing_unspent_output_once(out: Path) -> None:
    unspent: dict[tuple[str, int], tuple[str, int]] = {}
    hashes: set[str] = set()
    per_block: dict[int, int] = defaultdict(int)
    last_block = -1
    for tx in btc_transactions(out):
        assert len(tx["hash"]) == 64 and int(tx["hash"], 16) >= 0
        assert tx["hash"] not in hashes
        hashes.add(tx["hash"])
        assert tx["block_number"] >= last_block
        if tx["block_number"] != last_block:
            assert tx["is_coinbase"] and tx["index"] == 0, "a block opens with its coinbase"
            last_block = tx["block_number"]
        assert tx["index"] == per_block[tx["block_number"]]
        per_block[tx["block_number"]] += 1
        for i in tx["inputs"]:
            spent = unspent.pop((i["spent_transaction_hash"], i["spent_output_index"]))
            assert spent == (i["addresses"][0], i["value"]), "input repeats the spent output"
        for o in tx["outputs"]:
            assert o["value"] > 0
            unspent[(tx["hash"], o["index"])] = (o["addresses"][0], o["value"])
        assert tx["input_count"] == len(tx["inputs"])
        assert tx["output_count"] == len(tx["outputs"])
        assert tx["input_value"] == sum(i["value"] for i in tx["inputs"])
        assert tx["output_value"] == sum(o["value"] for o in tx["outputs"])
        if tx["is_coinbase"]:
            assert tx["inputs"] == [] and tx["fee"] == 0
        else:
            assert tx["fee"] >= 0
            assert tx["input_value"] == tx["output_value"] + tx["fee"]
    with (out / "btc" / "blocks.json").open() as f:
        blocks = [json.loads(line) for line in f]
    assert [b["number"] for b in blocks] == list(range(len(blocks)))
    assert all(b["transaction_count"] == per_block[b["number"]] for b in blocks)


def test_btc_addresses_are_valid_and_match_their_scripts(out: Path) -> None:
    kinds = set()
    for tx in btc_transactions(out):
        for o in tx["outputs"]:
            address = o["addresses"][0]
            assert valid_btc_address(address), address
            kinds.add(o["type"])
            if o["type"] == "pubkeyhash":
                h160 = base58.b58decode_check(address)[1:].hex()
                assert o["script_hex"] == f"76a914{h160}88ac"
            else:
                program = bech32.decode("bc", address)[1]
                assert program is not None
                assert o["script_hex"] == "0014" + bytes(program).hex()
    assert kinds == {"pubkeyhash", "witness_v0_keyhash"}


def test_btc_coinjoins_have_equal_outputs_of_their_pattern(
    out: Path, truth: dict[str, Any]
) -> None:
    joins = {c["transaction"]: c for c in truth["btc"]["coinjoins"]}
    assert {c["pattern"] for c in joins.values()} == {"wasabi", "whirlpool", "generic"}
    seen = 0
    for tx in btc_transactions(out):
        join = joins.get(tx["hash"])
        if join is None:
            continue
        seen += 1
        equal = [o for o in tx["outputs"] if o["value"] == join["denomination"]]
        if join["pattern"] == "whirlpool":
            assert tx["input_count"] == 5 and tx["output_count"] == 5 and len(equal) == 5
        else:
            assert len(equal) >= 3
    assert seen == len(joins)


def test_btc_peel_chain_hops_spend_the_previous_change(out: Path, truth: dict[str, Any]) -> None:
    (peel,) = truth["btc"]["peel_chains"]
    hops = {tx["hash"]: tx for tx in btc_transactions(out) if tx["hash"] in peel["transactions"]}
    chain_txs = [hops[h] for h in peel["transactions"]]
    assert len(chain_txs) >= 6
    for prev, tx in itertools.pairwise(chain_txs):
        (spent,) = tx["inputs"]
        assert spent["spent_transaction_hash"] == prev["hash"]
        big = max(prev["outputs"], key=lambda o: o["value"])
        assert spent["spent_output_index"] == big["index"]
        assert len(tx["outputs"]) == 2
        assert min(o["value"] for o in tx["outputs"]) * 10 < spent["value"]


# --- ethereum: the chain's rules --------------------------------------------------------------


def test_eth_files_have_the_columns_ethereum_etl_writes(out: Path) -> None:
    expected = {
        "transactions": ETH_TX_COLUMNS,
        "token_transfers": ETH_TOKEN_COLUMNS,
        "traces": ETH_TRACE_COLUMNS,
        "blocks": ETH_BLOCK_COLUMNS,
    }
    for name, columns in expected.items():
        with (out / "eth" / f"{name}.csv").open(newline="") as f:
            assert next(csv.reader(f)) == columns, name


def test_eth_no_balance_goes_negative_and_fees_are_exact(out: Path) -> None:
    """Replays the files in block order: rewards at the end of their block, each transaction's
    value and gas, then its internal calls and token transfers."""
    traces: dict[str, list[dict[str, str]]] = defaultdict(list)
    rewards: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for t in eth_rows(out, "traces"):
        assert t["status"] == "1"
        if t["trace_type"] == "reward":
            rewards[int(t["block_number"])].append((t["to_address"], int(t["value"])))
        else:
            traces[t["transaction_hash"]].append(t)
    tokens: dict[str, list[dict[str, str]]] = defaultdict(list)
    for t in eth_rows(out, "token_transfers"):
        tokens[t["transaction_hash"]].append(t)
    ether: dict[str, int] = defaultdict(int)
    token: dict[str, int] = defaultdict(int)
    nonces: dict[str, int] = defaultdict(int)
    block = 0
    for tx in eth_rows(out, "transactions"):
        while int(tx["block_number"]) > block:
            for to, value in rewards.pop(block, []):
                ether[to] += value
            block += 1
        sender, value = tx["from_address"], int(tx["value"])
        gas, used, price = int(tx["gas"]), int(tx["receipt_gas_used"]), int(tx["gas_price"])
        assert tx["receipt_status"] == "1" and used <= gas
        assert int(tx["receipt_effective_gas_price"]) == price
        assert ether[sender] >= value + gas * price, "sender cannot pay the upfront cost"
        assert int(tx["nonce"]) == nonces[sender]
        nonces[sender] += 1
        ether[sender] -= value + used * price
        ether[tx["to_address"]] += value
        root, *internal = traces.pop(tx["hash"])
        assert root["trace_address"] == "" and int(root["value"]) == value
        assert int(root["subtraces"]) == len(internal)
        for call in internal:
            ether[call["from_address"]] -= int(call["value"])
            ether[call["to_address"]] += int(call["value"])
            assert ether[call["from_address"]] >= 0
        for t in tokens.pop(tx["hash"], []):
            assert t["token_address"] == tx["to_address"]
            if t["from_address"] != chain.ZERO_ADDRESS:
                token[t["from_address"]] -= int(t["value"])
                assert token[t["from_address"]] >= 0
            token[t["to_address"]] += int(t["value"])
        assert ether[sender] >= 0
    assert not traces and not tokens, "every trace and transfer belongs to a transaction"
    assert min(ether.values()) >= 0 and min(token.values()) >= 0


# --- ground truth -----------------------------------------------------------------------------


def test_every_stolen_unit_is_accounted_for(truth: dict[str, Any]) -> None:
    for name in ("btc", "eth"):
        for asset, flows in truth[name]["assets"].items():
            b = flows["balance"]
            assert b["stolen"] > 0, (name, asset)
            assert b["stolen"] == b["exits"] + b["fees"] + b["unspent"] + b["mixed"]
            assert b["exits"] == sum(e["amount"] for e in flows["exits"])
            assert b["unspent"] == sum(u["amount"] for u in flows["unspent"])
            assert b["mixed"] == sum(m["stolen_in"] for m in flows["mixed"])
    btc = truth["btc"]["assets"]["BTC"]
    assert {e["category"] for e in btc["exits"]} == {"exchange", "defi_bridge"}
    assert {m["kind"] for m in btc["mixed"]} == {
        "consolidation_with_clean", "wasabi", "whirlpool", "generic"
    }  # fmt: skip
    assert btc["after_mixing"], "mixed coins also leave, outside the exact comparison"
    eth = truth["eth"]["assets"]["ETH"]
    assert {e["category"] for e in eth["exits"]} == {"exchange", "defi_bridge", "mixing_service"}


def test_btc_truth_matches_a_replay_of_the_files(out: Path, truth: dict[str, Any]) -> None:
    """Follows the stolen outputs through transactions spending only stolen coins: whatever
    reaches a non-attacker address is an exit, fees are fees, the rest is mixed or unspent."""
    t = truth["btc"]
    owner = t["ownership"]
    stolen = {(o["transaction"], o["index"]): o["amount"] for o in t["theft"]["outputs"]}
    exits: dict[str, int] = defaultdict(int)
    fees = mixed = 0
    for tx in btc_transactions(out):
        ins = [(i["spent_transaction_hash"], i["spent_output_index"]) for i in tx["inputs"]]
        dirty = sum(stolen.pop(k) for k in ins if k in stolen)
        if not dirty:
            continue
        if dirty < tx["input_value"]:
            mixed += dirty
            continue
        fees += tx["fee"]
        for o in tx["outputs"]:
            address = o["addresses"][0]
            if owner[address] == "attacker":
                stolen[(tx["hash"], o["index"])] = o["value"]
            else:
                exits[address] += o["value"]
    flows = t["assets"]["BTC"]
    assert {e["address"]: e["amount"] for e in flows["exits"]} == exits
    assert flows["fees"] == fees and flows["balance"]["mixed"] == mixed
    assert flows["balance"]["unspent"] == sum(stolen.values())
    for e in flows["exits"]:
        assert e["category"] == t["owners"][owner[e["address"]]]["category"]


def test_eth_truth_matches_a_replay_of_the_files(out: Path, truth: dict[str, Any]) -> None:
    t = truth["eth"]
    owner = t["ownership"]
    (theft_eth, theft_token) = t["theft"]["transactions"]
    holders = {t["theft"]["outputs"][0]["address"]}
    exits: dict[str, dict[str, int]] = {"ETH": defaultdict(int), "token": defaultdict(int)}
    fees = 0
    held: dict[str, dict[str, int]] = {"ETH": defaultdict(int), "token": defaultdict(int)}
    for o in t["theft"]["outputs"]:
        held["ETH" if o["asset"] == "ETH" else "token"][o["address"]] += o["amount"]
    transfers = defaultdict(list)
    for row in eth_rows(out, "token_transfers"):
        transfers[row["transaction_hash"]].append(row)
    for tx in eth_rows(out, "transactions"):
        if tx["hash"] in (theft_eth, theft_token):
            continue
        moves = [("ETH", tx["from_address"], tx["to_address"], int(tx["value"]))]
        moves += [
            ("token", r["from_address"], r["to_address"], int(r["value"]))
            for r in transfers[tx["hash"]]
        ]
        if tx["from_address"] in holders:
            fee = int(tx["receipt_gas_used"]) * int(tx["receipt_effective_gas_price"])
            fees += fee
            held["ETH"][tx["from_address"]] -= fee
        for asset, src, dst, value in moves:
            if src not in holders or value == 0:
                continue
            held[asset][src] -= value
            if owner[dst] == "attacker":
                holders.add(dst)
                held[asset][dst] += value
            else:
                exits[asset][dst] += value
    token = t["token"]["address"]
    assert {e["address"]: e["amount"] for e in t["assets"]["ETH"]["exits"]} == exits["ETH"]
    assert {e["address"]: e["amount"] for e in t["assets"][token]["exits"]} == exits["token"]
    assert t["assets"]["ETH"]["fees"] == fees
    for asset, key in (("ETH", "ETH"), ("token", token)):
        unspent = {u["address"]: u["amount"] for u in t["assets"][key]["unspent"]}
        assert unspent == {a: v for a, v in held[asset].items() if v}


def test_deposit_addresses_are_untagged_and_swept_into_a_tagged_hot_wallet(
    out: Path, truth: dict[str, Any]
) -> None:
    for name in ("btc", "eth"):
        t = truth[name]
        tagged = set(t["tagged"])
        for flows in t["assets"].values():
            for e in flows["exits"]:
                if e["category"] == "exchange":
                    assert not e["tagged"] and e["address"] not in tagged
                    assert e["swept_by"], f"{name} deposit {e['address']} never swept"
                else:
                    assert e["tagged"]
    sweeps = {s for e in truth["btc"]["assets"]["BTC"]["exits"] for s in e["swept_by"]}
    hot = {a for a in truth["btc"]["tagged"] if truth["btc"]["ownership"][a].startswith("exch")}
    for tx in btc_transactions(out):
        if tx["hash"] in sweeps:
            assert [o["addresses"][0] for o in tx["outputs"]] != []
            assert {o["addresses"][0] for o in tx["outputs"]} <= hot


def test_ownership_covers_every_address_in_the_files(out: Path, truth: dict[str, Any]) -> None:
    owners = truth["btc"]["ownership"]
    for tx in btc_transactions(out):
        for o in tx["outputs"]:
            assert o["addresses"][0] in owners
    known = truth["eth"]["ownership"]
    for tx in eth_rows(out, "transactions"):
        assert tx["from_address"] in known and tx["to_address"] in known
    kinds = {o["kind"] for o in truth["btc"]["owners"].values()}
    assert {"user", "exchange", "mixer", "bridge", "attacker", "miner"} <= kinds


# --- tags and seeds ---------------------------------------------------------------------------


def test_tagpacks_are_graphsense_yaml_for_the_services(out: Path, truth: dict[str, Any]) -> None:
    tagged: dict[str, str] = {}
    for path in sorted((out / "tagpacks").glob("*.yaml")):
        pack = yaml.safe_load(path.read_text())
        for field in ("title", "creator", "confidence", "category", "lastmod", "tags"):
            assert pack[field], (path.name, field)
        assert pack["category"] in ("exchange", "mixing_service", "defi_bridge")
        for tag in pack["tags"]:
            assert tag["currency"] in ("BTC", "ETH") and tag["label"] and tag["actor"]
            tagged[tag["address"]] = pack["category"]
    for name in ("btc", "eth"):
        t = truth[name]
        assert set(t["tagged"]) <= set(tagged)
        for address in t["tagged"]:
            assert t["owners"][t["ownership"][address]]["category"] == tagged[address]


def test_seeds_name_the_theft(out: Path, truth: dict[str, Any]) -> None:
    seeds = json.loads((out / "seeds.json").read_text())["seeds"]
    assert [s["chain"] for s in seeds] == ["btc", "eth"]
    btc, eth = seeds
    assert btc["amounts"] == {"BTC": str(truth["btc"]["assets"]["BTC"]["stolen"])}
    theft = next(tx for tx in btc_transactions(out) if tx["hash"] == btc["transactions"][0])
    assert theft["output_value"] == int(btc["amounts"]["BTC"])
    assert {o["addresses"][0] for o in theft["outputs"]} == set(btc["addresses"])
    assert len(eth["transactions"]) == 2 and len(eth["amounts"]) == 2
    hashes = {tx["hash"] for tx in eth_rows(out, "transactions")}
    assert set(eth["transactions"]) <= hashes
