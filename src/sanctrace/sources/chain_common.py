"""What the chain adapters (``bitcoin-etl``, ``ethereum-etl``) share: streaming readers for
JSON lines, whole JSON documents and CSV, exact amounts, address checks, columnar row
builders and the in-file duplicate rule.

Chain files run to millions of rows, so rows are gathered column by column and handed to
``sources.ingest`` as Arrow tables (``Parsed.arrow``) instead of one dict per row. Every
row carries two internal columns that ingest drops before the insert: ``_tx``, the ordinal
of the record that produced it (so all rows of one transaction can be dropped together),
and ``_line``, the file line the record starts on (null inside a whole JSON document).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sanctrace.errors import InputError
from sanctrace.schema import table_schema
from sanctrace.sources.base import Quarantined, check_unique, csv_records

MAX_UNITS = 10**38  # decimal(38, 0): the workspace's exact on-chain amounts
INTERNAL = ("_tx", "_line")
PROGRESS_EVERY = 1000


class Reject(Exception):
    """A record that cannot be stored as is: becomes a ``Quarantined`` with this reason."""


# -- reading -------------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The file's lines, numbered from 1, decoded as UTF-8 (a BOM allowed) as they stream."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    with fh:
        for number, raw in enumerate(fh, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}:{number}",
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x}); re-save the file as UTF-8",
                ) from exc


def first_char(path: Path) -> str:
    """The first non-blank character of the file ('' when there is none)."""
    for _, text in _lines(path):
        if text.strip():
            return text.strip()[0]
    return ""


def read_json(path: Path, *, decimals: bool = False) -> Iterator[tuple[int | None, Any]]:
    """Yield ``(line, value)`` for each JSON value of a file, or a ``Quarantined``.

    A file whose first line is a whole JSON value is read as JSON lines, one line at a time;
    a line that is not JSON (a truncated last line, typically) is quarantined with its line
    number and the rest is kept. Any other file is one JSON document (a pretty-printed RPC
    response), read whole: if it does not parse, the error names the line. A top-level list
    yields its items. ``decimals`` parses numbers with a fraction as ``Decimal`` (never
    float), for amounts written in BTC.
    """
    loads = _loads(decimals)
    stream = _lines(path)
    for number, text in stream:
        if not text.strip():
            continue
        try:
            first = loads(text)
        except ValueError:
            yield from _document(path, text, number, stream, loads)
            return
        yield number, first
        for number, text in stream:
            if not text.strip():
                continue
            try:
                yield number, loads(text)
            except ValueError as exc:
                yield (
                    number,
                    Quarantined(
                        f"not valid JSON ({exc}); a truncated or damaged line",
                        line=number,
                        raw=text[:2000],
                    ),
                )
        return
    raise InputError(str(path), "the file is empty")


def _loads(decimals: bool) -> Any:
    if decimals:
        return lambda s: json.loads(s, parse_float=Decimal)
    return json.loads


def _document(
    path: Path, head: str, start: int, rest: Iterator[tuple[int, str]], loads: Any
) -> Iterator[tuple[int | None, Any]]:
    text = "\n" * (start - 1) + head + "".join(t for _, t in rest)
    try:
        value = loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise InputError(
            where, f"not valid JSON ({getattr(exc, 'msg', exc)}); truncated or damaged?"
        ) from exc
    for item in value if isinstance(value, list) else [value]:
        yield None, item


def read_csv_rows(
    path: Path,
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | Quarantined]]]:
    """The header and a stream of ``(line, row)``; a row with the wrong number of cells (a
    truncated last line) is quarantined, and an unreadable quote ends the file with one
    quarantined entry. Extra columns are allowed: ethereum-etl adds columns over time."""
    stream = _lines(path)
    reader = csv.reader((text for _, text in stream), strict=True)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise InputError(str(path), "the file is empty") from None
    except csv.Error as exc:
        raise InputError(f"{path}:1", f"unreadable CSV header: {exc}") from exc
    check_unique(path, header)
    return header, csv_records(reader, header, strip=False)


def record_name(record: Any, keys: tuple[str, ...]) -> str | None:
    """What names a bad record in the quarantine: its hash under the first of ``keys``."""
    if isinstance(record, dict):
        for key in keys:
            if isinstance(record.get(key), str):
                return str(record[key])[:100]
    return None


def record_raw(record: Any) -> str:
    """A bad record as the quarantine keeps it (at most 2,000 characters)."""
    return str(record)[:2000]


# -- values --------------------------------------------------------------------------------


def units(value: Any, what: str) -> int:
    """An exact non-negative integer amount: a JSON int, decimal digits or 0x hex."""
    if isinstance(value, bool) or value is None:
        raise Reject(f"{what} is missing" if value is None else f"{what} {value!r} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if text[:2] in ("0x", "0X"):
                number = int(text[2:], 16)
            elif text.isascii() and text.isdigit():
                number = int(text)
            else:
                raise ValueError(text)
        except ValueError:
            raise Reject(f"{what} {value[:80]!r} is not an integer") from None
    else:
        raise Reject(f"{what} {str(value)[:80]!r} is not an integer number of base units")
    if number < 0:
        raise Reject(f"{what} {number} is negative")
    if number >= MAX_UNITS:
        raise Reject(f"{what} {number} has {len(str(number))} digits; the workspace holds 38")
    return number


def optional_int(value: Any, what: str) -> int | None:
    if value is None or value == "":
        return None
    return units(value, what)


def coin_units(value: Any, what: str, decimals: int = 8) -> int:
    """An amount written in whole coins (RPC: ``50.0``, ``0.00012``) as exact base units."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise Reject(f"{what} {str(value)[:80]!r} is not a number")
    try:
        amount = Decimal(value) * (10**decimals)
    except ArithmeticError:
        raise Reject(f"{what} {str(value)[:80]!r} is not a number") from None
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise Reject(f"{what} {value} is not a whole number of base units")
    return units(int(amount), what)


_HASH = re.compile(r"^[0-9a-f]{64}$")


def tx_hash(value: Any, what: str = "transaction hash", prefix: str = "") -> str:
    """A 32-byte hash in lower-case hex (``prefix`` '0x' for EVM)."""
    if not isinstance(value, str):
        raise Reject(f"{what} is missing" if value is None else f"{what} is not text")
    text = value.strip().lower()
    if not text.startswith(prefix) or not _HASH.match(text[len(prefix) :]):
        raise Reject(f"{what} {value[:80]!r} is not {prefix}+64 hex digits")
    return text


# -- addresses -----------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32)}
_BECH32M = 0x2BC830A3
_EVM = re.compile(r"^0x[0-9a-f]{40}$")
_NONSTANDARD = re.compile(r"^nonstandard[0-9a-f]{40}$")
_CASHADDR = re.compile(r"^(bitcoincash|bchtest):[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{42,112}$")


def base58check_ok(address: str) -> bool:
    """Base58Check: the last 4 bytes are the double SHA-256 of the rest (fast path)."""
    if not 25 <= len(address) <= 120:
        return False
    number = 0
    try:
        for c in address:
            number = number * 58 + _B58_INDEX[c]
    except KeyError:
        return False
    zeros = len(address) - len(address.lstrip("1"))
    raw = b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(raw) < 5:
        return False
    body, check = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] == check


def bech32_ok(address: str) -> bool:
    """bech32 or bech32m (segwit v0 and taproot), any human-readable part, one case."""
    if address != address.lower() and address != address.upper():
        return False
    lower = address.lower()
    hrp, sep, data_part = lower.rpartition("1")
    if not sep or not hrp or len(data_part) < 6 or len(lower) > 90:
        return False
    try:
        data = [_BECH32_INDEX[c] for c in data_part]
    except KeyError:
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data
    check = 1
    for v in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ v
        for i, g in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            if (top >> i) & 1:
                check ^= g
    return check in (1, _BECH32M)


_checked: dict[str, bool] = {}


def utxo_address_ok(address: str) -> bool:
    """A UTXO-chain address as bitcoin-etl writes it: Base58Check (Bitcoin, Litecoin,
    Dogecoin, Zcash t-addresses, ...), bech32/bech32m, a Bitcoin Cash cashaddr (checked for
    its alphabet only), or bitcoin-etl's ``nonstandard<sha256 prefix>`` for scripts without
    an address. Results are cached: addresses repeat."""
    known = _checked.get(address)
    if known is not None:
        return known
    ok = bool(
        base58check_ok(address)
        or bech32_ok(address)
        or _CASHADDR.match(address)
        or _NONSTANDARD.match(address)
    )
    if len(_checked) > 1_000_000:
        _checked.clear()
    _checked[address] = ok
    return ok


def evm_address(value: Any, what: str) -> str:
    """0x and 40 hex digits, lower case (EIP-55 case is dropped, not checked)."""
    if not isinstance(value, str) or not value:
        raise Reject(f"{what} is missing")
    text = value.strip().lower()
    if not _EVM.match(text):
        raise Reject(f"{what} {value[:80]!r} is not 0x and 40 hex digits")
    return text


# -- naming the chain ----------------------------------------------------------------------


def chain_from_name(path: Path, names: dict[str, str], default: str) -> str:
    """The chain a file's name announces (a word of the name, split at anything but letters
    and digits, found in ``names``), else ``default``."""
    lowered = path.name.lower()
    for word, chain in names.items():  # two-word names first: bitcoin_cash is not bitcoin
        if "_" in word and word in lowered:
            return chain
    for word in re.split(r"[^a-z0-9]+", lowered):
        if word in names:
            return names[word]
    return default


def row_chain(record: dict[str, Any], default: str) -> str:
    """A record's own ``chain`` field wins over the file's chain."""
    value = record.get("chain")
    if value is None or value == "":
        return default
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_]{2,20}", value.strip().lower()):
        raise Reject(f"chain {str(value)[:40]!r} is not a short lower-case name")
    return value.strip().lower()


# -- columns -------------------------------------------------------------------------------


class Columns:
    """One table's rows, gathered as columns (``add`` takes the values in ``names`` order)."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.schema = table_schema(table).to_pyarrow()
        self.names = [n for n in self.schema.names if n != "source_id"] + list(INTERNAL)
        self.data: list[list[Any]] = [[] for _ in self.names]

    def add(self, *values: Any) -> None:
        for column, value in zip(self.data, values, strict=True):
            column.append(value)

    def __len__(self) -> int:
        return len(self.data[0])

    def to_arrow(self) -> pa.Table:
        arrays = []
        fields = []
        for name, values in zip(self.names, self.data, strict=True):
            if name in INTERNAL:
                field = pa.field(name, pa.int64())
                arrays.append(pa.array(values, pa.int64()))
            else:
                field = self.schema.field(name)
                if pa.types.is_timestamp(field.type):
                    seconds = pa.array(values, pa.int64())
                    arrays.append(seconds.cast(pa.timestamp("s")).cast(field.type))
                else:
                    arrays.append(pa.array(values, field.type))
            fields.append(field)
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def drop_records(tables: dict[str, pa.Table], ordinals: set[int]) -> dict[str, pa.Table]:
    """Every table without the rows of the records ``ordinals`` (``_tx``)."""
    if not ordinals:
        return tables
    gone = pa.array(sorted(ordinals), pa.int64())
    return {
        name: t.filter(pc.invert(pc.is_in(t["_tx"], value_set=gone))) for name, t in tables.items()
    }


def in_file_duplicates(
    tables: dict[str, pa.Table], table: str, key: Sequence[str], quarantine: list[Quarantined]
) -> dict[str, pa.Table]:
    """Records that a file holds twice under one ``key``: an identical copy counts once; a
    copy in another block is a reorg conflict and a copy that differs otherwise a conflict,
    and then no copy is kept and the reason names both blocks and lines."""
    t = tables.get(table)
    if t is None or t.num_rows < 2:
        return tables
    counts = t.group_by(list(key)).aggregate([("_tx", "count")])
    many = counts.filter(pc.greater(counts["_tx_count"], 1))
    if many.num_rows == 0:
        return tables
    dup_keys = {tuple(r[k] for k in key) for r in many.to_pylist()}
    mask = pc.is_in(t[key[-1]], value_set=pa.array({k[-1] for k in dup_keys}, t[key[-1]].type))
    copies: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in t.filter(mask).to_pylist():
        k = tuple(row[c] for c in key)
        if k in dup_keys:
            copies.setdefault(k, []).append(row)
    drop: set[int] = set()
    for k, rows in copies.items():
        rows.sort(key=lambda r: r["_tx"])
        first = rows[0]
        same = [{c: v for c, v in r.items() if c not in INTERNAL} for r in rows]
        if all(s == same[0] for s in same):
            drop.update(r["_tx"] for r in rows[1:])
            continue
        drop.update(r["_tx"] for r in rows)
        label = " ".join(str(v) for v in k)
        where = ", ".join(
            f"block {r.get('block_hash') or r.get('block_number')} (line {r['_line']})"
            for r in rows
        )
        blocks = {r.get("block_hash") or r.get("block_number") for r in rows}
        kind = "reorg conflict" if len(blocks) > 1 else "conflicting copies"
        quarantine.append(
            Quarantined(
                f"{kind}: {table} {label} appears in {where}; no copy is kept",
                line=first["_line"],
                element=label,
            )
        )
    return drop_records(tables, drop)
