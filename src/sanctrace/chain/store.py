"""A UTXO chain as columns: built once per workspace state, memory-mapped by every process.

``graph.load`` makes one Python object per transaction, input and output: 90 s and several GB
for a million transactions, paid by every process that traces. The store instead keeps the
chain as numpy arrays in chain order, written beside the workspace (``<ws>.chain-index/``,
one ``.npy`` file per column, data only, no pickles) and opened with ``mmap``, so a new process
starts tracing in milliseconds and reads only the pages a trace touches:

- transactions in chain order (block, position in block, hash), with CSR offsets into their
  inputs and outputs;
- outputs with their address id, value and spending transaction;
- inputs with the global id of the output they spend (-1 for a coinbase input or one whose
  output is not in the workspace: then its hash and index are kept aside);
- addresses sorted, so an address id is its rank and the smallest id of a cluster is its
  smallest address (the cluster's stable id, as in ``clustering``);
- the multi-input clusters, computed at build time on the arrays (``cluster_arrays``), and the
  CoinJoins that clustering left out.

The relational part of the build (ordering, joins of inputs to the outputs they spend,
address ids) is written in Ibis, so it runs on DuckDB and on Spark alike; the rest is numpy.
``StoredGraph`` answers the taint engine's questions (``taint.Graph``) from the arrays,
building a ``taint.Tx`` only for the transactions a trace reaches. The build checks what
``taint.UtxoGraph`` checks (a transaction given twice, an output spent twice, a spend of a
later output, an input that disagrees with its output, outputs above inputs) and names the
first transaction that fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

import ibis
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sanctrace.chain import coinjoin, taint
from sanctrace.chain.clustering import connected_labels
from sanctrace.chain.graph import chains
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

FORMAT: Final = 1
"""Bumped when the files change shape; with the code hash it decides when to rebuild."""
BLOCK_SHIFT: Final = 2**20
"""Transactions per block that chain order leaves room for (as ``graph.BLOCK_SHIFT``)."""
NO_TIME: Final = np.iinfo(np.int64).min
Steps = Callable[[str], None]
"""Told the name of each build step as it starts, for progress displays."""

Array = npt.NDArray[Any]
COLUMNS: Final = (
    "tx_hash",  # S: in chain order
    "tx_sorter",  # argsort of tx_hash, for look-ups by hash
    "tx_order",  # int64: block * BLOCK_SHIFT + position
    "tx_time",  # int64: microseconds since the epoch, NO_TIME when unknown
    "tx_in",  # int64 [n_tx + 1]: CSR offsets into the inputs
    "tx_out",  # int64 [n_tx + 1]: CSR offsets into the outputs
    "out_tx",  # int64: the transaction that created the output
    "out_n",  # int64
    "out_addr",  # int64: address id, -1 for none (OP_RETURN, non-standard)
    "out_value",  # int64
    "out_spender",  # int64: transaction spending it, -1 while unspent
    "in_spent",  # int64: global output id, -1 when none or outside the workspace
    "in_spent_n",  # int64: the spent output's index, -1 for a coinbase input
    "in_outside",  # int64: index into outside_hash, -1 unless outside the workspace
    "in_addr",  # int64: address id (filled from the spent output), -1 unknown
    "in_value",  # int64 (filled from the spent output), 0 when unknown
    "outside_hash",  # S: hashes of transactions outside the workspace that inputs spend
    "addresses",  # S: sorted
    "addr_out",  # int64 [n_addr + 1]: CSR offsets into addr_out_ids
    "addr_out_ids",  # int64: outputs paying each address, in chain order
    "addr_cluster",  # int64: the smallest address id of the address's cluster
)


@dataclass(frozen=True)
class Store:
    """The arrays of one chain (``COLUMNS``) and what the build found."""

    chain: str
    arrays: dict[str, Array]
    unknown_spends: int
    coinjoins: dict[str, coinjoin.CoinJoin]
    clusters: int
    key: str = ""
    """The fingerprint it was built from (empty until saved)."""
    folder: Path | None = None
    """Where it is saved: derived indexes (``exposure_index``) go beside its columns."""

    def __getattr__(self, name: str) -> Array:
        try:
            return self.arrays[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def n_tx(self) -> int:
        return len(self.arrays["tx_order"])

    @property
    def n_addresses(self) -> int:
        return len(self.arrays["addresses"])

    def address_id(self, address: str) -> int | None:
        return _find(self.arrays["addresses"], None, address)

    def address(self, aid: int) -> str | None:
        return None if aid < 0 else _text(self.arrays["addresses"][aid])

    def tx_id(self, tx_hash: str) -> int | None:
        return _find(self.arrays["tx_hash"], self.arrays["tx_sorter"], tx_hash)

    def tx_hash_of(self, idx: int) -> str:
        return _text(self.arrays["tx_hash"][idx])


def _text(value: bytes) -> str:
    return value.decode()


def _find(values: Array, sorter: Array | None, key: str) -> int | None:
    """The position of ``key`` in the byte strings ``values`` (sorted, or by ``sorter``)."""
    raw = key.encode()
    if not len(values) or len(raw) > values.dtype.itemsize or raw.endswith(b"\0"):
        return None
    at = int(np.searchsorted(values, raw, sorter=sorter))
    if at >= len(values):
        return None
    idx = at if sorter is None else int(sorter[at])
    return idx if values[idx] == raw else None


# --- the build ----------------------------------------------------------------------------


def _fixed_bytes(column: pa.ChunkedArray | pa.Array) -> Array:
    """A string column as a numpy byte-string array (``S<max length>``), without one Python
    object per value: ASCII strings padded to one width are one contiguous buffer."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(arr) == 0:
        return np.array([], dtype="S1")
    # 64-bit offsets: padding reserves 4 bytes a character, past 2 GB at 10M hashes
    arr = arr.cast(pa.large_string())
    width = max(1, pc.max(pc.binary_length(arr)).as_py() or 1)
    if pc.all(pc.string_is_ascii(arr)).as_py():
        padded = pc.utf8_rpad(arr, width, "\0")
        offsets = np.frombuffer(padded.buffers()[1], dtype=np.int64)
        return np.frombuffer(
            padded.buffers()[2], dtype=f"S{width}", count=len(padded), offset=int(offsets[0])
        ).copy()
    return np.array([s.encode() for s in arr.to_pylist()], dtype=f"S{width}")


def _ints(table: pa.Table, name: str, missing: int = -1) -> Array:
    column = table.column(name)
    if column.null_count:
        column = pc.fill_null(column, missing)
    return np.asarray(column.to_numpy(), dtype=np.int64)


def _time_column(column: pa.ChunkedArray) -> Array:
    micro = pc.cast(column, pa.timestamp("us")).cast(pa.int64())
    return np.asarray(pc.fill_null(micro, NO_TIME).to_numpy(), dtype=np.int64)


def _order_key(t: ibis.Table) -> list[Any]:
    return [t.block_number.fill_null(0), t.tx_index.fill_null(0), t.tx_hash]


def build(ws: Workspace, chain: str, steps: Steps | None = None) -> Store:
    """The store of ``chain`` from the workspace's ``chain_*`` tables (module docstring)."""
    step = steps or (lambda _: None)
    step("ordering transactions")
    tx = ws.table("chain_tx")
    tx = tx.filter(tx.chain == chain)
    ordered = tx.mutate(idx=ibis.row_number().over(ibis.window(order_by=_order_key(tx))))
    ordered = ordered.select("tx_hash", "idx", "block_number", "tx_index", "block_time")
    txs = ordered.order_by("idx").to_pyarrow()
    if txs.num_rows == 0:
        known = ", ".join(chains(ws)) or "none"
        raise InputError(
            "chain", f"no {chain!r} transactions in the workspace (UTXO chains: {known})"
        )
    arrays: dict[str, Array] = {}
    arrays["tx_hash"] = _fixed_bytes(txs.column("tx_hash"))
    arrays["tx_sorter"] = np.argsort(arrays["tx_hash"], kind="stable").astype(np.int64)
    _unique_hashes(arrays["tx_hash"], arrays["tx_sorter"])
    arrays["tx_order"] = _ints(txs, "block_number", 0) * BLOCK_SHIFT + _ints(txs, "tx_index", 0)
    arrays["tx_time"] = _time_column(txs.column("block_time"))
    n_tx = txs.num_rows
    ids = ordered.select(h=ordered.tx_hash, i=ordered.idx)

    step("numbering addresses")
    out = ws.table("chain_output")
    out = out.filter(out.chain == chain)
    inp = ws.table("chain_input")
    inp = inp.filter(inp.chain == chain)
    named = (
        out.select(a=out.address)
        .union(inp.select(a=inp.address))
        .filter(lambda t: t.a.notnull())
        .distinct()
    )
    addr = named.mutate(aid=ibis.row_number().over(ibis.window(order_by=named.a)))
    addresses = addr.order_by("aid").to_pyarrow()
    arrays["addresses"] = _fixed_bytes(addresses.column("a"))

    step("reading outputs")
    o = out.join(ids, out.tx_hash == ids.h).left_join(addr, out.address == addr.a)
    outs = o.select(t=ids.i, n=out.n, aid=addr.aid, value=out.value.cast("int64")).to_pyarrow()
    outs = _sorted(outs)
    out_tx, out_n = _ints(outs, "t"), _ints(outs, "n")
    arrays["out_tx"], arrays["out_n"] = out_tx, out_n
    arrays["out_addr"], arrays["out_value"] = _ints(outs, "aid"), _ints(outs, "value", 0)
    arrays["tx_out"] = _offsets(out_tx, n_tx)

    step("reading inputs")
    spent_ids = ids.select(sh=ids.h, si=ids.i)
    own_ids = ids.select(th=ids.h, ti=ids.i)
    j = (
        inp.left_join(own_ids, inp.tx_hash == own_ids.th)
        .left_join(spent_ids, inp.spent_tx_hash == spent_ids.sh)
        .left_join(addr, inp.address == addr.a)
    )
    ins = j.select(
        t=own_ids.ti,
        n=inp.n,
        st=spent_ids.si,
        sn=inp.spent_n,
        outside=ibis.ifelse(spent_ids.si.isnull(), inp.spent_tx_hash, ibis.null("string")),
        aid=addr.aid,
        value=inp.value.cast("int64"),
    ).to_pyarrow()
    if ins.column("t").null_count:
        orphans = j.filter(own_ids.ti.isnull()).select(h=inp.tx_hash).limit(1).to_pyarrow()
        raise InputError(
            orphans.column("h")[0].as_py(), "inputs of a transaction that is not in chain_tx"
        )
    ins = _sorted(ins)
    in_tx = _ints(ins, "t")
    arrays["tx_in"] = _offsets(in_tx, n_tx)
    step("linking inputs to outputs")
    _link_inputs(arrays, ins, in_tx)
    step("checking values")
    unknown = _check(arrays, in_tx)
    step("clustering addresses")
    labels, coinjoins = cluster_arrays(arrays, in_tx)
    arrays["addr_cluster"] = labels
    order = np.argsort(arrays["out_addr"], kind="stable")
    paid = order[arrays["out_addr"][order] >= 0]
    arrays["addr_out_ids"] = paid.astype(np.int64)
    arrays["addr_out"] = _offsets(arrays["out_addr"][paid], len(arrays["addresses"]))
    clusters = int(np.count_nonzero(labels == np.arange(len(labels)))) if len(labels) else 0
    return Store(chain, arrays, unknown, coinjoins, clusters)


def _sorted(table: pa.Table) -> pa.Table:
    """Rows in (t, n) order: sorted here rather than by the query, which would hold the
    whole result in the database's memory while it sorts."""
    order = np.lexsort((_ints(table, "n"), _ints(table, "t")))
    return table.take(pa.array(order))


def ranges(starts: Array, ends: Array) -> Array:
    """The concatenation of ``arange(s, e)`` for each pair, without a Python loop: the rows
    of CSR slices (a transaction's inputs, a matrix row's entries) all at once."""
    lengths = np.asarray(ends - starts, np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(np.asarray(starts, np.int64) - offsets, lengths) + np.arange(total)


def _offsets(owner: Array, n: int) -> Array:
    """CSR offsets of rows sorted by ``owner`` (0..n-1)."""
    counts = np.bincount(owner, minlength=n) if len(owner) else np.zeros(n, np.int64)
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _unique_hashes(hashes: Array, sorter: Array) -> None:
    ranked = hashes[sorter]
    same = np.flatnonzero(ranked[1:] == ranked[:-1])
    if len(same):
        raise InputError(_text(ranked[same[0]]), "transaction given twice")


def _link_inputs(arrays: dict[str, Array], ins: pa.Table, in_tx: Array) -> None:
    """Each input's spent output as a global output id, and its address and value filled
    from that output where the export left them out."""
    out_tx, out_n = arrays["out_tx"], arrays["out_n"]
    key = out_tx * BLOCK_SHIFT + out_n  # sorted: outputs are in (tx, n) order
    spent_t, spent_n = _ints(ins, "st"), _ints(ins, "sn")
    linked = spent_t >= 0
    wanted = np.where(linked, spent_t * BLOCK_SHIFT + np.maximum(spent_n, 0), -1)
    at = np.searchsorted(key, wanted)
    at = np.minimum(at, max(len(key) - 1, 0))
    found = linked & (len(key) > 0) & (key[at] == wanted if len(key) else False)
    missing = np.flatnonzero(linked & ~found)
    if len(missing):
        i = int(missing[0])
        spender = _text(arrays["tx_hash"][in_tx[i]])
        outpoint = (_text(arrays["tx_hash"][spent_t[i]]), int(spent_n[i]))
        raise InputError(spender, f"input does not match the output {outpoint}")
    spent = np.where(found, at, -1).astype(np.int64)
    arrays["in_spent"], arrays["in_spent_n"] = spent, spent_n
    outside = ins.column("outside")
    has_outside = pc.is_valid(outside).to_numpy(zero_copy_only=False)
    outside_ids = np.full(len(spent), -1, np.int64)
    outside_ids[has_outside] = np.arange(int(has_outside.sum()), dtype=np.int64)
    arrays["in_outside"] = outside_ids
    arrays["outside_hash"] = _fixed_bytes(pc.drop_null(outside))
    aid, value = _ints(ins, "aid"), _ints(ins, "value", -1)
    from_output = spent >= 0
    arrays["in_addr"] = np.where(
        (aid < 0) & from_output, arrays["out_addr"][np.maximum(spent, 0)], aid
    )
    arrays["in_given_value"] = value
    arrays["in_value"] = np.where(
        (value < 0) & from_output, arrays["out_value"][np.maximum(spent, 0)], np.maximum(value, 0)
    )


def _check(arrays: dict[str, Array], in_tx: Array) -> int:
    """What ``taint.UtxoGraph`` checks, on whole arrays; the number of unknown spends."""
    given = arrays.pop("in_given_value")
    spent = arrays["in_spent"]
    hashes = arrays["tx_hash"]
    linked = np.flatnonzero(spent >= 0)
    taken = spent[linked]
    order = np.argsort(taken, kind="stable")
    dup = np.flatnonzero(taken[order][1:] == taken[order][:-1])
    if len(dup):
        first, second = linked[order[dup[0]]], linked[order[dup[0] + 1]]
        gid = int(spent[first])
        outpoint = (_text(hashes[arrays["out_tx"][gid]]), int(arrays["out_n"][gid]))
        raise InputError(
            _text(hashes[in_tx[second]]),
            f"{outpoint} already spent by {_text(hashes[in_tx[first]])}",
        )
    late = linked[arrays["out_tx"][taken] >= in_tx[linked]]
    if len(late):
        i = int(late[0])
        gid = int(spent[i])
        outpoint = (_text(hashes[arrays["out_tx"][gid]]), int(arrays["out_n"][gid]))
        raise InputError(_text(hashes[in_tx[i]]), f"spends {outpoint}, which is not earlier")
    wrong = linked[(given[linked] >= 0) & (given[linked] != arrays["out_value"][taken])]
    if len(wrong):
        i = int(wrong[0])
        gid = int(spent[i])
        outpoint = (_text(hashes[arrays["out_tx"][gid]]), int(arrays["out_n"][gid]))
        raise InputError(_text(hashes[in_tx[i]]), f"input does not match the output {outpoint}")
    n_tx = len(arrays["tx_order"])
    spender = np.full(len(arrays["out_value"]), -1, np.int64)
    spender[taken] = in_tx[linked]
    arrays["out_spender"] = spender
    in_sum = _sums(in_tx, arrays["in_value"], n_tx)
    out_sum = _sums(arrays["out_tx"], arrays["out_value"], n_tx)
    has_spent = np.zeros(n_tx, bool)
    # not a coinbase: an input names the output it spends
    has_spent[in_tx[(spent >= 0) | (arrays["in_outside"] >= 0)]] = True
    negative = np.flatnonzero(has_spent & (in_sum < out_sum))
    if len(negative):
        i = int(negative[0])
        raise InputError(_text(hashes[i]), f"outputs exceed inputs by {out_sum[i] - in_sum[i]}")
    outside_unknown = (arrays["in_outside"] >= 0) & (given < 0)
    return int(np.count_nonzero(outside_unknown))


def _sums(owner: Array, values: Array, n: int) -> Array:
    """Exact int64 sums of ``values`` per owner (``np.bincount`` would go through floats)."""
    out = np.zeros(n, np.int64)
    np.add.at(out, owner, values)
    return out


# --- clustering on the arrays --------------------------------------------------------------


def cluster_arrays(
    arrays: dict[str, Array], in_tx: Array
) -> tuple[Array, dict[str, coinjoin.CoinJoin]]:
    """Multi-input clusters of every address (``clustering.cluster`` with the default
    ``ClusterConfig``: CoinJoins left out, no change merged), computed on whole arrays.

    Only transactions that could be CoinJoins (at least ``coinjoin.MIN_EQUAL`` inputs and
    outputs, two outputs of one value) go through ``coinjoin.detect``; every other
    transaction links its input addresses, and the components come from
    ``connected_labels``."""
    n_addr = len(arrays["addresses"])
    tx_in, tx_out = arrays["tx_in"], arrays["tx_out"]
    n_in, n_out = np.diff(tx_in), np.diff(tx_out)
    coinjoins: dict[str, coinjoin.CoinJoin] = {}
    left_out = np.zeros(len(n_in), bool)
    for t in _coinjoin_candidates(arrays, n_in, n_out).tolist():
        found = coinjoin.detect(_clustering_tx(arrays, t))
        if found is not None:
            coinjoins[_text(arrays["tx_hash"][t])] = found
            left_out[t] = True
    addr = arrays["in_addr"]
    usable = (addr >= 0) & ~left_out[in_tx]
    tx_of, addr_of = in_tx[usable], addr[usable]
    if len(tx_of):
        first = np.full(len(n_in), -1, np.int64)
        # the first usable input address of each transaction anchors its edges
        rev = np.arange(len(tx_of) - 1, -1, -1)
        first[tx_of[rev]] = addr_of[rev]
        left, right = first[tx_of], addr_of
        keep = left != right
        labels = connected_labels(n_addr, left[keep], right[keep])
    else:
        labels = np.arange(n_addr, dtype=np.int64)
    return labels, coinjoins


def _coinjoin_candidates(arrays: dict[str, Array], n_in: Array, n_out: Array) -> Array:
    wide = (n_in >= coinjoin.MIN_EQUAL) & (n_out >= coinjoin.MIN_EQUAL)
    rows = np.flatnonzero(wide[arrays["out_tx"]])
    if not len(rows):
        return np.array([], np.int64)
    t, v = arrays["out_tx"][rows], arrays["out_value"][rows]
    order = np.lexsort((v, t))
    t, v = t[order], v[order]
    repeated = (t[1:] == t[:-1]) & (v[1:] == v[:-1])
    return np.unique(t[1:][repeated])


def _clustering_tx(arrays: dict[str, Array], t: int) -> coinjoin.Tx:
    a, b = int(arrays["tx_in"][t]), int(arrays["tx_in"][t + 1])
    c, d = int(arrays["tx_out"][t]), int(arrays["tx_out"][t + 1])
    addresses = arrays["addresses"]

    def name(aid: int) -> str | None:
        return None if aid < 0 else _text(addresses[aid])

    inputs = [
        coinjoin.TxIn(name(aid), value)
        for aid, value, n in zip(
            arrays["in_addr"][a:b].tolist(),
            arrays["in_value"][a:b].tolist(),
            arrays["in_spent_n"][a:b].tolist(),
            strict=True,
        )
        if n >= 0
    ]
    outputs = [
        coinjoin.TxOut(n, name(aid), value)
        for n, aid, value in zip(
            arrays["out_n"][c:d].tolist(),
            arrays["out_addr"][c:d].tolist(),
            arrays["out_value"][c:d].tolist(),
            strict=True,
        )
    ]
    return coinjoin.Tx(_text(arrays["tx_hash"][t]), inputs, outputs)


# --- the graph the taint engine reads ------------------------------------------------------


class StoredGraph:
    """``taint.Graph`` over a ``Store``: transactions become ``taint.Tx`` when first asked
    for, and stay cached, so a trace costs what it touches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_hash: dict[str, int] = {}
        self._txs: dict[int, taint.Tx] = {}
        self._lock = threading.Lock()

    def _idx(self, tx_hash: str) -> int | None:
        idx = self._by_hash.get(tx_hash)
        if idx is None:
            idx = self.store.tx_id(tx_hash)
            if idx is not None:
                self._by_hash[tx_hash] = idx
        return idx

    def _hash(self, idx: int) -> str:
        tx_hash = self.store.tx_hash_of(idx)
        self._by_hash[tx_hash] = idx
        return tx_hash

    def tx_at(self, idx: int) -> taint.Tx:
        found = self._txs.get(idx)
        if found is None:
            found = self._build(idx)
            self._txs[idx] = found
        return found

    def _build(self, idx: int) -> taint.Tx:
        s = self.store.arrays
        a, b = int(s["tx_in"][idx]), int(s["tx_in"][idx + 1])
        c, d = int(s["tx_out"][idx]), int(s["tx_out"][idx + 1])
        inputs = []
        for spent, spent_n, outside, aid, value in zip(
            s["in_spent"][a:b].tolist(),
            s["in_spent_n"][a:b].tolist(),
            s["in_outside"][a:b].tolist(),
            s["in_addr"][a:b].tolist(),
            s["in_value"][a:b].tolist(),
            strict=True,
        ):
            if spent >= 0:
                spent_hash: str | None = self._hash(int(s["out_tx"][spent]))
            elif outside >= 0:
                spent_hash = _text(s["outside_hash"][outside])
            else:
                spent_hash = None
            n = None if spent_hash is None else spent_n
            inputs.append(taint.TxIn(spent_hash, n, self.store.address(aid), value))
        outputs = tuple(
            taint.TxOut(n, self.store.address(aid), value)
            for n, aid, value in zip(
                s["out_n"][c:d].tolist(),
                s["out_addr"][c:d].tolist(),
                s["out_value"][c:d].tolist(),
                strict=True,
            )
        )
        micros = int(s["tx_time"][idx])
        when = None if micros == NO_TIME else _EPOCH + timedelta(microseconds=micros)
        return taint.Tx(self._hash(idx), int(s["tx_order"][idx]), tuple(inputs), outputs, when)

    def tx(self, tx_hash: str) -> taint.Tx | None:
        idx = self._idx(tx_hash)
        return None if idx is None else self.tx_at(idx)

    def output_id(self, outpoint: taint.Outpoint) -> int | None:
        idx = self._idx(outpoint[0])
        if idx is None:
            return None
        s = self.store.arrays
        c, d = int(s["tx_out"][idx]), int(s["tx_out"][idx + 1])
        n = outpoint[1]
        at = c + n  # outputs are usually numbered 0..k-1
        if not (c <= at < d and int(s["out_n"][at]) == n):
            at = c + int(np.searchsorted(s["out_n"][c:d], n))
        return at if c <= at < d and int(s["out_n"][at]) == n else None

    def output(self, outpoint: taint.Outpoint) -> taint.TxOut | None:
        tx = self.tx(outpoint[0])
        if tx is None:
            return None
        return next((o for o in tx.outputs if o.n == outpoint[1]), None)

    def outputs(self, tx_hash: str) -> tuple[taint.TxOut, ...]:
        tx = self.tx(tx_hash)
        return () if tx is None else tx.outputs

    def spender(self, outpoint: taint.Outpoint) -> str | None:
        gid = self.output_id(outpoint)
        if gid is None:
            return None
        spender = int(self.store.arrays["out_spender"][gid])
        return None if spender < 0 else self._hash(spender)

    def paying(self, address: str) -> list[taint.Outpoint]:
        aid = self.store.address_id(address)
        if aid is None:
            return []
        s = self.store.arrays
        gids = s["addr_out_ids"][int(s["addr_out"][aid]) : int(s["addr_out"][aid + 1])]
        return [
            (self._hash(t), n)
            for t, n in zip(s["out_tx"][gids].tolist(), s["out_n"][gids].tolist(), strict=True)
        ]


_EPOCH: Final = datetime(1970, 1, 1)  # the workspace keeps UTC times naive


class ClusterMap(Mapping[str, str]):
    """Address -> cluster id (its smallest address), read from the store's arrays."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, address: str) -> str:
        aid = self.store.address_id(address)
        if aid is None:
            raise KeyError(address)
        return _text(self.store.arrays["addresses"][self.store.arrays["addr_cluster"][aid]])

    def __iter__(self) -> Iterator[str]:
        return (_text(a) for a in self.store.arrays["addresses"])

    def __len__(self) -> int:
        return self.store.n_addresses


# --- files beside the workspace ------------------------------------------------------------


def store_path(ws: Workspace, chain: str) -> Path:
    """The store of ``chain``: a folder beside the workspace, named after it."""
    return ws.path.with_name(f"{ws.path.name}.chain-index") / chain


def code_hash(version: int, *modules: str) -> str:
    """A hash of the chain modules a derived file depends on (and of its format ``version``):
    a file written by other code is rebuilt."""
    digest = hashlib.sha256(str(version).encode())
    for module in modules:
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(ws: Workspace) -> str:
    code = code_hash(FORMAT, "store.py", "clustering.py", "coinjoin.py")
    return hashlib.sha256(f"{code}|{ws.state()}".encode()).hexdigest()


def write_folder(path: Path, manifest: dict[str, Any], arrays: dict[str, Array]) -> None:
    """``arrays`` as ``<name>.npy`` and ``manifest.json`` in the folder ``path``, replacing
    what was there in one rename, so a reader never sees half a folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        old = path.with_name(f".{path.name}-old-{os.getpid()}")
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_manifest(path: Path, key: str, version: int) -> dict[str, Any] | None:
    """The folder's manifest when it was written from ``key`` in format ``version``."""
    try:
        manifest = json.loads((path / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    ok = isinstance(manifest, dict) and manifest.get("fingerprint") == key
    return manifest if ok and manifest.get("format") == version else None


def read_array(path: Path, name: str) -> Array:
    """One array of a folder, memory-mapped, as a plain ndarray view (indexing a np.memmap
    costs microseconds a call)."""
    mapped: Array = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    return mapped.view(np.ndarray)


def save(store: Store, path: Path, key: str) -> None:
    """Write ``store`` to ``path`` (a folder)."""
    manifest = {
        "format": FORMAT,
        "fingerprint": key,
        "chain": store.chain,
        "unknown_spends": store.unknown_spends,
        "clusters": store.clusters,
        "coinjoins": {h: [c.pattern, c.reason] for h, c in store.coinjoins.items()},
    }
    write_folder(path, manifest, {name: store.arrays[name] for name in COLUMNS})


def load(path: Path, key: str) -> Store | None:
    """The store at ``path`` if it was built from ``key``; None when absent, stale or damaged."""
    manifest = read_manifest(path, key, FORMAT)
    if manifest is None:
        return None
    try:
        arrays = {name: read_array(path, name) for name in COLUMNS}
        return Store(
            manifest["chain"],
            arrays,
            int(manifest["unknown_spends"]),
            {h: coinjoin.CoinJoin(p, r) for h, (p, r) in manifest["coinjoins"].items()},
            int(manifest["clusters"]),
            key,
            path,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


_CACHE: dict[tuple[str, str, str], Store] = {}
_LOCK = threading.Lock()


def is_ready(ws: Workspace, chain: str) -> bool:
    """Whether ``get_store`` answers without building (views show progress when not)."""
    key = fingerprint(ws)
    with _LOCK:
        if (str(ws.path), chain, key) in _CACHE:
            return True
    return read_manifest(store_path(ws, chain), key, FORMAT) is not None


def get_store(ws: Workspace, chain: str, steps: Steps | None = None) -> Store:
    """The store of ``chain``: from this process, else from the folder beside the workspace
    when built from the same state, else built (``steps`` told each step) and saved."""
    key = fingerprint(ws)
    cache_key = (str(ws.path), chain, key)
    with _LOCK:
        found = _CACHE.get(cache_key)
        if found is not None:
            return found
        path = store_path(ws, chain)
        found = load(path, key)
        if found is None:
            found = build(ws, chain, steps)
            with contextlib.suppress(OSError):  # read-only folder: this process only
                save(found, path, key)
                found = load(path, key) or found
        for old in [k for k in _CACHE if k[:2] == cache_key[:2]]:
            del _CACHE[old]
        _CACHE[cache_key] = found
        return found
