"""``bitcoin-etl``: UTXO-chain transactions from bitcoin-etl exports and Bitcoin Core RPC dumps.

Read, one record per JSON line (or one pretty-printed JSON document):

- bitcoin-etl ``export_blocks_and_transactions`` transactions (``type: transaction`` or no
  type), with embedded ``inputs`` and ``outputs``; values in satoshi. ``type: block`` rows
  are read and add nothing: every transaction carries its block.
- ``getblock <hash> 2`` (or 3) results, bare or as a JSON-RPC response ``{"result": ...}``;
  values in whole coins, converted exactly with ``Decimal``. Without ``prevout`` (verbosity
  3) an input's value and address are null.

The chain is a record's ``chain`` field when it has one, else a word of the file name
(``bitcoin_cash``/``bch``, ``dogecoin``/``doge``, ``litecoin``/``ltc``, ``zcash``/``zec``,
``dash``), else ``btc``. Several addresses on one output (bare multisig) are stored as one
address ``multisig:<a>,<b>,...`` in script order. A coinbase gets one input row (n 0) with
no spent output; so does a Zcash ``shielded`` input (value set, address null). A negative
bitcoin-etl fee (Zcash, shielded value left out) is stored as null. A transaction with a
malformed hash, amount or address is quarantined whole; see docs/chain-formats.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.chain_common import (
    PROGRESS_EVERY,
    Columns,
    Reject,
    chain_from_name,
    coin_units,
    in_file_duplicates,
    optional_int,
    read_json,
    record_name,
    record_raw,
    row_chain,
    tx_hash,
    units,
    utxo_address_ok,
)

CHAINS = {
    "btc": "btc",
    "bitcoin": "btc",
    "bitcoin_cash": "bch",
    "bch": "bch",
    "dogecoin": "doge",
    "doge": "doge",
    "litecoin": "ltc",
    "ltc": "ltc",
    "zcash": "zec",
    "zec": "zec",
    "dash": "dash",
}


NAME_KEYS = ("hash", "txid")
"""The fields that name a record in the quarantine."""


class BitcoinEtl:
    name = "bitcoin-etl"
    version = "1"
    description = "UTXO transactions: bitcoin-etl JSON lines and Bitcoin Core getblock dumps"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        chain = chain_from_name(path, CHAINS, "btc")
        out = Parsed()
        builder = _Builder()
        for line, record in read_json(path, decimals=True):
            out.rows_read += 1
            if progress and out.rows_read % PROGRESS_EVERY == 0:
                progress(out.rows_read)
            if isinstance(record, Quarantined):
                out.quarantine.append(record)
                continue
            try:
                builder.record(record, chain, line)
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
        out.arrow = in_file_duplicates(tables, "chain_tx", ("chain", "tx_hash"), out.quarantine)
        return out


class _Builder:
    """Turns records into rows; a transaction lands whole or not at all."""

    def __init__(self) -> None:
        self.tx = Columns("chain_tx")
        self.outputs = Columns("chain_output")
        self.inputs = Columns("chain_input")
        self.ordinal = 0
        self.quarantine: list[Quarantined] = []  # single transactions of a block

    def tables(self) -> dict[str, Any]:
        return {
            "chain_tx": self.tx.to_arrow(),
            "chain_output": self.outputs.to_arrow(),
            "chain_input": self.inputs.to_arrow(),
        }

    def record(self, record: Any, chain: str, line: int | None) -> None:
        if not isinstance(record, dict):
            raise Reject(f"a JSON {type(record).__name__} where a transaction or block belongs")
        if "result" in record and ("jsonrpc" in record or "id" in record or len(record) <= 3):
            if record.get("error"):
                raise Reject(f"an RPC error response: {str(record['error'])[:200]}")
            record = record["result"]
            if not isinstance(record, dict):
                raise Reject("an RPC response whose result is not a block")
        chain = row_chain(record, chain)
        kind = record.get("type")
        if kind == "block":
            if not isinstance(record.get("hash"), str):
                raise Reject("a block row without a hash")
            return
        if isinstance(record.get("tx"), list):
            self._rpc_block(record, chain, line)
        elif kind in (None, "transaction") and ("inputs" in record or "outputs" in record):
            self._etl_tx(record, chain, line)
        else:
            raise Reject("neither a bitcoin-etl transaction or block nor a getblock result")

    # -- bitcoin-etl ---------------------------------------------------------------------

    def _etl_tx(self, t: dict[str, Any], chain: str, line: int | None) -> None:
        h = tx_hash(t.get("hash"))
        inputs = t.get("inputs") or []
        outputs = t.get("outputs") or []
        if not isinstance(inputs, list) or not isinstance(outputs, list):
            raise Reject("inputs and outputs must be lists")
        coinbase = t.get("is_coinbase") is True
        ins: list[tuple[Any, ...]] = []
        for i, item in enumerate(inputs):
            if not isinstance(item, dict):
                raise Reject(f"input {i} is not an object")
            what = f"input {i}"
            n = _index(item.get("index", i), what)
            if item.get("type") == "shielded" and item.get("spent_transaction_hash") is None:
                # Zcash: value coming out of the shielded pool spends no visible output
                spent, spent_n = None, None
            else:
                spent = tx_hash(
                    item.get("spent_transaction_hash"), f"{what} spent_transaction_hash"
                )
                spent_n = _index(item.get("spent_output_index"), f"{what} spent_output_index")
            value = optional_int(item.get("value"), f"{what} value")
            ins.append((n, spent, spent_n, _address(item.get("addresses"), what), value))
        if coinbase and not ins:
            ins.append((0, None, None, None, None))
        outs = [
            (
                _index(o.get("index", i), f"output {i}"),
                _address(o.get("addresses"), f"output {i}"),
                units(o.get("value"), f"output {i} value"),
                _script_type(o.get("type")),
            )
            for i, o in enumerate(_objects(outputs, "output"))
        ]
        self._add(
            chain,
            h,
            line,
            block_number=optional_int(t.get("block_number"), "block_number"),
            block_hash=_block_hash(t.get("block_hash")),
            block_time=optional_int(t.get("block_timestamp"), "block_timestamp"),
            tx_index=optional_int(t.get("index"), "index"),
            fee=_etl_fee(t.get("fee")),
            coinbase=coinbase,
            ins=ins,
            outs=outs,
        )

    # -- Bitcoin Core getblock -----------------------------------------------------------

    def _rpc_block(self, block: dict[str, Any], chain: str, line: int | None) -> None:
        number = optional_int(block.get("height"), "block height")
        bhash = _block_hash(block.get("hash"))
        time = optional_int(block.get("time"), "block time")
        for position, t in enumerate(block["tx"]):
            if not isinstance(t, dict):
                raise Reject(
                    f"block {bhash}: transaction {position} is not an object "
                    "(getblock with verbosity 2 gives objects, 1 only hashes)"
                )
            try:
                self._rpc_tx(t, chain, line, number, bhash, time, position)
            except Reject as exc:
                self.quarantine.append(
                    Quarantined(
                        f"block {bhash}, transaction {position}: {exc}",
                        line=line,
                        element=record_name(t, NAME_KEYS),
                        raw=record_raw(t),
                    )
                )

    def _rpc_tx(
        self,
        t: dict[str, Any],
        chain: str,
        line: int | None,
        number: int | None,
        bhash: str | None,
        time: int | None,
        position: int,
    ) -> None:
        h = tx_hash(t.get("txid"), "txid")
        ins: list[tuple[Any, ...]] = []
        coinbase = False
        for i, vin in enumerate(_objects(t.get("vin") or [], "vin")):
            if "coinbase" in vin:
                coinbase = True
                ins.append((i, None, None, None, None))
                continue
            what = f"vin {i}"
            prev = vin.get("prevout")
            value = address = None
            if isinstance(prev, dict):
                value = coin_units(prev.get("value"), f"{what} prevout value")
                address = _address(_rpc_addresses(prev.get("scriptPubKey")), what)
            ins.append(
                (
                    i,
                    tx_hash(vin.get("txid"), f"{what} txid"),
                    _index(vin.get("vout"), f"{what} vout"),
                    address,
                    value,
                )
            )
        outs = []
        for i, vout in enumerate(_objects(t.get("vout") or [], "vout")):
            found = vout.get("scriptPubKey")
            script: dict[str, Any] = found if isinstance(found, dict) else {}
            outs.append(
                (
                    _index(vout.get("n", i), f"vout {i}"),
                    _address(_rpc_addresses(script), f"vout {i}"),
                    coin_units(vout.get("value"), f"vout {i} value"),
                    _script_type(script.get("type")),
                )
            )
        if coinbase:
            fee: int | None = 0
        elif t.get("fee") is not None:
            fee = coin_units(t["fee"], "fee")
        elif ins and all(i[4] is not None for i in ins):
            fee = sum(i[4] for i in ins) - sum(o[2] for o in outs)
            if fee < 0:
                raise Reject(f"outputs exceed inputs by {-fee} base units")
        else:
            fee = None
        self._add(
            chain,
            h,
            line,
            block_number=number,
            block_hash=bhash,
            block_time=time,
            tx_index=position,
            fee=fee,
            coinbase=coinbase,
            ins=ins,
            outs=outs,
        )

    # -- rows ----------------------------------------------------------------------------

    def _add(
        self,
        chain: str,
        h: str,
        line: int | None,
        *,
        block_number: int | None,
        block_hash: str | None,
        block_time: int | None,
        tx_index: int | None,
        fee: int | None,
        coinbase: bool,
        ins: list[tuple[Any, ...]],
        outs: list[tuple[Any, ...]],
    ) -> None:
        if tx_index is not None and tx_index >= 2**31:
            raise Reject(f"index {tx_index} is out of range")
        if block_number is not None and block_number >= 2**63:
            raise Reject(f"block number {block_number} is out of range")
        self.ordinal += 1
        k = self.ordinal
        self.tx.add(
            chain, h, block_number, block_hash, block_time, tx_index, fee, coinbase, None, k, line
        )
        for n, address, value, script in outs:
            self.outputs.add(chain, h, n, address, value, script, k, line)
        for n, spent, spent_n, address, value in ins:
            self.inputs.add(chain, h, n, spent, spent_n, address, value, k, line)


def _etl_fee(value: Any) -> int | None:
    """bitcoin-etl's fee is inputs minus outputs; for Zcash it leaves out the shielded value
    balance and can come out negative, which says only that the fee is not known here."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return None
    return optional_int(value, "fee")


def _objects(items: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Reject(f"{what} must be a list of objects")
    return items


def _index(value: Any, what: str) -> int:
    n = units(value, what)
    if n >= 2**31:
        raise Reject(f"{what} {n} is out of range")
    return n


def _block_hash(value: Any) -> str | None:
    return None if value is None else tx_hash(value, "block hash")


def _script_type(value: Any) -> str | None:
    return value[:40] if isinstance(value, str) and value else None


def _rpc_addresses(script: Any) -> list[str] | None:
    """``address`` (Bitcoin Core 22+) or ``addresses`` (older)."""
    if not isinstance(script, dict):
        return None
    if isinstance(script.get("address"), str):
        return [script["address"]]
    found = script.get("addresses")
    return found if isinstance(found, list) else None


def _address(addresses: Any, what: str) -> str | None:
    """One address, ``multisig:a,b`` for several, or null; each one checked."""
    if addresses is None or addresses == []:
        return None
    if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
        raise Reject(f"{what} addresses must be a list of strings")
    for a in addresses:
        if a != "shielded" and not utxo_address_ok(a):
            raise Reject(
                f"{what} address {a[:100]!r} is not a valid Base58Check, bech32 or cashaddr address"
            )
    if len(addresses) == 1:
        return str(addresses[0])
    return "multisig:" + ",".join(addresses)
