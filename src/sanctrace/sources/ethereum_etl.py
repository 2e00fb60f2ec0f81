"""``ethereum-etl``: account-chain transactions and value transfers from ethereum-etl exports.

Read, each file on its own (which export it is, the header or each JSON record says):

- ``transactions.csv``/``.json``: one ``chain_tx`` row each (fee = ``receipt_gas_used`` x
  ``receipt_effective_gas_price`` when both are there, else null) and the transaction's own
  value as a ``native`` transfer (when above 0 and ``receipt_status`` is not 0).
- ``traces.csv``/``.json``: value moved by internal calls (``internal``): successful (status
  not 0) ``call``s with call type ``call``, ``create`` and ``suicide`` traces, value above 0.
  The top-level trace (empty ``trace_address``) is skipped: it repeats the transaction's
  value. Block and uncle rewards (no transaction, no sender) are skipped.
- ``token_transfers.csv``/``.json``: ERC-20 (and ERC-721) ``Transfer`` logs (``token``,
  asset = the token contract).
- ``eth_getBlockByNumber(n, true)`` results, bare or as JSON-RPC responses: transactions
  without receipts, so no fee and no status.

Transfers are ordered within a transaction by ``seq``, which is the same whichever file a
transfer comes from: 0 for the native value, 1 + position for internal calls (in the
traces' order), ``TOKEN_SEQ`` + ``log_index`` for token transfers. The chain is a record's
``chain`` field, else a word of the file name (``ethereum``/``eth``, ``etc``, ``bsc``,
``polygon``), else ``eth``. Addresses are stored lower case; amounts are exact integers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.chain_common import (
    PROGRESS_EVERY,
    Columns,
    Reject,
    chain_from_name,
    evm_address,
    first_char,
    in_file_duplicates,
    optional_int,
    read_csv_rows,
    read_json,
    record_name,
    record_raw,
    row_chain,
    tx_hash,
    units,
)

CHAINS = {"ethereum": "eth", "eth": "eth", "etc": "etc", "bsc": "bsc", "polygon": "polygon"}
COIN = {"eth": "eth", "etc": "etc", "bsc": "bnb", "polygon": "matic"}
TOKEN_SEQ = 1 << 30
"""Token transfers sort after every internal call: seq = TOKEN_SEQ + log_index."""

_VALUE_CALLS = {"", "call"}  # delegatecall, staticcall and callcode move no value of their own


NAME_KEYS = ("hash", "transaction_hash")
"""The fields that name a record in the quarantine."""


class EthereumEtl:
    name = "ethereum-etl"
    version = "1"
    description = "Account-chain transactions, traces and token transfers (ethereum-etl, RPC)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        chain = chain_from_name(path, CHAINS, "eth")
        out = Parsed()
        builder = _Builder()
        for line, kind, record in _records(path):
            out.rows_read += 1
            if progress and out.rows_read % PROGRESS_EVERY == 0:
                progress(out.rows_read)
            if isinstance(record, Quarantined):
                out.quarantine.append(record)
                continue
            try:
                builder.record(kind, record, chain, line)
            except Reject as exc:
                out.quarantine.append(
                    Quarantined(
                        str(exc),
                        line=line,
                        element=record_name(record, NAME_KEYS),
                        raw=record_raw(record),
                    )
                )
        if progress:
            progress(out.rows_read)
        out.quarantine.extend(builder.quarantine)
        tables = builder.tables()
        tables = in_file_duplicates(tables, "chain_tx", ("chain", "tx_hash"), out.quarantine)
        out.arrow = in_file_duplicates(
            tables, "chain_transfer", ("chain", "tx_hash", "seq"), out.quarantine
        )
        return out


def _records(path: Path) -> Any:
    """``(line, kind, record)``: kind from the CSV header, or None (the record says)."""
    if first_char(path) in ("{", "["):
        for line, record in read_json(path):
            yield line, None, record
        return
    header, rows = read_csv_rows(path)
    kind = _csv_kind(header)
    if kind is None:
        raise InputError(
            f"{path}:1",
            "not an ethereum-etl transactions, traces or token_transfers export "
            f"(no hash/nonce, trace_type or token_address column); the header is {header[:20]}",
        )
    for line, row in rows:
        yield line, kind, row


def _csv_kind(header: list[str]) -> str | None:
    if "token_address" in header and "log_index" in header:
        return "token_transfer"
    if "trace_type" in header:
        return "trace"
    if "number" in header and "miner" in header:
        return "block"  # before transactions: blocks.csv has hash and nonce too
    if "hash" in header and "nonce" in header:
        return "transaction"
    return None


def _json_kind(record: dict[str, Any]) -> str | None:
    kind = record.get("type")
    if isinstance(kind, str) and kind in ("transaction", "token_transfer", "trace", "block"):
        return kind
    if isinstance(record.get("transactions"), list):
        return "rpc_block"
    if "token_address" in record:
        return "token_transfer"
    if "trace_type" in record:
        return "trace"
    if "hash" in record and "nonce" in record:
        return "transaction"
    return None


class _Builder:
    def __init__(self) -> None:
        self.tx = Columns("chain_tx")
        self.transfers = Columns("chain_transfer")
        self.ordinal = 0
        self.quarantine: list[Quarantined] = []  # single transactions of a block
        # tx -> trace_address -> seq: the same trace read twice gets the same seq
        self.trace_seq: dict[str, dict[str, int]] = {}

    def tables(self) -> dict[str, Any]:
        return {"chain_tx": self.tx.to_arrow(), "chain_transfer": self.transfers.to_arrow()}

    def record(self, kind: str | None, record: Any, chain: str, line: int | None) -> None:
        if not isinstance(record, dict):
            raise Reject(f"a JSON {type(record).__name__} where a record belongs")
        if kind is None and "result" in record and ("jsonrpc" in record or "id" in record):
            if record.get("error") or not isinstance(record.get("result"), dict):
                raise Reject("an RPC response without a block result")
            record = record["result"]
        chain = row_chain(record, chain)
        kind = kind or _json_kind(record)
        if kind == "transaction":
            self._tx(record, chain, line)
        elif kind == "trace":
            self._trace(record, chain, line)
        elif kind == "token_transfer":
            self._token(record, chain, line)
        elif kind == "rpc_block":
            self._rpc_block(record, chain, line)
        elif kind == "block":
            return
        else:
            raise Reject("not a transaction, trace, token transfer or block")

    def _tx(self, t: dict[str, Any], chain: str, line: int | None) -> None:
        h = tx_hash(t.get("hash"), prefix="0x")
        sender = evm_address(t.get("from_address"), "from_address")
        to = _maybe_address(t.get("to_address"), "to_address") or _maybe_address(
            t.get("receipt_contract_address"), "receipt_contract_address"
        )
        value = units(t.get("value"), "value")
        gas_used = optional_int(t.get("receipt_gas_used"), "receipt_gas_used")
        price = optional_int(t.get("receipt_effective_gas_price"), "receipt_effective_gas_price")
        fee = gas_used * price if gas_used is not None and price is not None else None
        if fee is not None:
            fee = units(fee, "fee")
        status = optional_int(t.get("receipt_status"), "receipt_status")
        number = optional_int(t.get("block_number"), "block_number")
        time = optional_int(t.get("block_timestamp"), "block_timestamp")
        index = optional_int(t.get("transaction_index"), "transaction_index")
        if index is not None and index >= 2**31:
            raise Reject(f"transaction_index {index} is out of range")
        block_hash = t.get("block_hash")
        block_hash = None if block_hash in (None, "") else tx_hash(block_hash, "block_hash", "0x")
        if value > 0 and status != 0 and to is None:
            raise Reject(
                "a contract creation with value but no receipt_contract_address: export the "
                "receipts with the transactions, or load traces.csv for the created contract"
            )
        k = self._next()
        self.tx.add(chain, h, number, block_hash, time, index, fee, False, sender, k, line)
        if value > 0 and status != 0:
            self.transfers.add(
                chain,
                h,
                0,
                "native",
                COIN.get(chain, chain),
                sender,
                to,
                value,
                number,
                time,
                k,
                line,
            )

    def _trace(self, t: dict[str, Any], chain: str, line: int | None) -> None:
        trace_type = t.get("trace_type")
        if trace_type == "reward" or (
            trace_type == "call" and t.get("call_type") not in (None, *_VALUE_CALLS)
        ):
            return
        if trace_type not in ("call", "create", "suicide"):
            raise Reject(
                f"trace_type {str(trace_type)[:40]!r} is not call, create, suicide or reward"
            )
        address = t.get("trace_address")
        if isinstance(address, list):
            address = ",".join(str(a) for a in address)
        if not isinstance(address, str):
            raise Reject("trace_address is not a list of positions")
        value = units(t.get("value"), "value")
        status = optional_int(t.get("status"), "status")
        if address == "" or value == 0 or status == 0:
            return
        h = tx_hash(t.get("transaction_hash"), "transaction_hash", "0x")
        sender = evm_address(t.get("from_address"), "from_address")
        to = evm_address(t.get("to_address"), "to_address")
        number = optional_int(t.get("block_number"), "block_number")
        time = optional_int(t.get("block_timestamp"), "block_timestamp")
        seqs = self.trace_seq.setdefault(h, {})
        seq = seqs.setdefault(address, 1 + len(seqs))
        if seq >= TOKEN_SEQ:
            raise Reject("more internal calls in one transaction than seq can order")
        self.transfers.add(
            chain,
            h,
            seq,
            "internal",
            COIN.get(chain, chain),
            sender,
            to,
            value,
            number,
            time,
            self._next(),
            line,
        )

    def _token(self, t: dict[str, Any], chain: str, line: int | None) -> None:
        h = tx_hash(t.get("transaction_hash"), "transaction_hash", "0x")
        token = evm_address(t.get("token_address"), "token_address")
        sender = evm_address(t.get("from_address"), "from_address")
        to = evm_address(t.get("to_address"), "to_address")
        value = units(t.get("value"), "value")
        log_index = units(t.get("log_index"), "log_index")
        if log_index >= TOKEN_SEQ:
            raise Reject(f"log_index {log_index} is out of range")
        number = optional_int(t.get("block_number"), "block_number")
        time = optional_int(t.get("block_timestamp"), "block_timestamp")
        self.transfers.add(
            chain,
            h,
            TOKEN_SEQ + log_index,
            "token",
            token,
            sender,
            to,
            value,
            number,
            time,
            self._next(),
            line,
        )

    def _rpc_block(self, block: dict[str, Any], chain: str, line: int | None) -> None:
        number = optional_int(block.get("number"), "block number")
        time = optional_int(block.get("timestamp"), "block timestamp")
        for position, t in enumerate(block["transactions"]):
            if not isinstance(t, dict):
                raise Reject(
                    f"transaction {position} is a hash: call eth_getBlockByNumber with true"
                )
            fields = {
                "hash": t.get("hash"),
                "from_address": t.get("from"),
                "to_address": t.get("to"),
                "receipt_contract_address": t.get("creates"),
                "value": t.get("value"),
                "block_number": t.get("blockNumber", number),
                "block_hash": t.get("blockHash", block.get("hash")),
                "block_timestamp": time,
                "transaction_index": t.get("transactionIndex", position),
            }
            try:
                self._tx(fields, chain, line)
            except Reject as exc:
                self.quarantine.append(
                    Quarantined(
                        f"block {number}, transaction {position}: {exc}",
                        line=line,
                        element=record_name(t, NAME_KEYS),
                        raw=str(t)[:2000],
                    )
                )

    def _next(self) -> int:
        self.ordinal += 1
        return self.ordinal


def _maybe_address(value: Any, what: str) -> str | None:
    return None if value in (None, "") else evm_address(value, what)
