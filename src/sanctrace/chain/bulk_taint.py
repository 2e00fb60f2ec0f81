"""Forward haircut and poison on the store's arrays, a layer of transactions at a time.

Haircut and poison spread taint to everything downstream of a theft until it reaches a
service: on a generated chain of a million transactions that is most of the chain, and the
taint engine (``taint``), which builds each transaction as Python objects and keeps the
heaviest paths into every output, then spends minutes. These two models need no per-coin
bookkeeping (FIFO and TIHO do, and stay with the engine), so here a trace is:

1. the transactions reachable from the seeds without passing a service (a frontier per hop);
2. Kahn's order over them: a layer is every reached transaction whose reached inputs are all
   settled, so a transaction is split once, with all its taint, as the engine splits it;
3. per layer, the engine's arithmetic on whole arrays: amounts in units of 2^-64 satoshi as
   Python integers in numpy object arrays (exact, like the engine), the haircut rounding
   given to the largest output (the lowest position on a tie), hops as the fewest
   transactions from a seed, ``max_hops`` and ``min_amount`` as the engine applies them.

Exits, holdings, fees, dust and what returned to a seed come out equal to the engine's
(``tests/chain/test_bulk_taint.py`` compares them on a generated chain); the result is a
``taint.Trace`` rounded by the same ``taint.report``. Paths differ: instead of the engine's k
heaviest paths into every output, the ``PATHS`` largest exits get one path each, found
afterwards by walking back from the exit, at each transaction to the input that brought the
most taint, with the share of the exit's amount that single path carried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from sanctrace.chain import taint
from sanctrace.chain.parties import Parties
from sanctrace.chain.store import NO_TIME, Store, StoredGraph, ranges
from sanctrace.errors import InputError

Array = npt.NDArray[Any]
SHIFT: Final = taint.SHIFT
MODELS: Final = ("haircut", "poison")
PATHS: Final = 200
"""Exits that get a path (the largest): walking back costs a few steps of Python each."""
_EPOCH: Final = datetime(1970, 1, 1)
_NEVER: Final = np.iinfo(np.int64).max


def reach(store: Store, seeds: Array, stops: Array) -> Array:
    """Every transaction downstream of the ``seeds`` outputs through outputs not in
    ``stops`` (exits), as a boolean mask over transactions."""
    spender = store.out_spender
    reached = np.zeros(store.n_tx, bool)
    frontier = spender[seeds]
    frontier = np.unique(frontier[frontier >= 0])
    while len(frontier):
        reached[frontier] = True
        outs = ranges(store.tx_out[frontier], store.tx_out[frontier + 1])
        nxt = spender[outs[~stops[outs]]]
        nxt = np.unique(nxt[nxt >= 0])
        frontier = nxt[~reached[nxt]]
    return reached


class _Run:
    """One trace's state: taint waiting on outputs, and the ledger."""

    def __init__(
        self,
        store: Store,
        model: str,
        parties: Parties,
        max_hops: int | None,
        min_amount: int,
        seeds: Array,
    ) -> None:
        self.store, self.model, self.parties = store, model, parties
        self.max_hops, self.min_amount = max_hops, min_amount << SHIFT
        n_out = len(store.out_value)
        self.taint = np.zeros(n_out, dtype=object)  # what each output received, kept
        self.hop = np.zeros(n_out, np.int64)  # the hop of the transaction that paid it
        self.pending = np.zeros(n_out, bool)  # received and waiting for its spender
        self.is_seed = np.zeros(n_out, bool)
        self.is_seed[seeds] = True
        addr = store.out_addr
        self.stops = np.zeros(n_out, bool)
        paid = addr >= 0
        self.stops[paid] = parties.addr_party[addr[paid]] >= 0
        self.book = taint.Ledger()
        # where taint ended, gathered per layer and booked by address once at the end
        self.exits: list[tuple[Array, Array]] = []  # (outputs, amounts)
        self.unspent: list[tuple[Array, Array]] = []

    def settle(self, gids: Array, amounts: Array, hops: Array, *, seeds: bool = False) -> None:
        """Where taint paid to outputs goes: back to a seed, an exit, unspent, dust, or on."""
        store, book = self.store, self.book
        keep = amounts != 0
        gids, amounts, hops = gids[keep], amounts[keep], hops[keep]
        self.taint[gids] = amounts
        returned = self.is_seed[gids] & (not seeds)
        book.returned += int(amounts[returned].sum())
        gids, amounts, hops = gids[~returned], amounts[~returned], hops[~returned]
        stop = self.stops[gids]
        self.exits.append((gids[stop], amounts[stop]))
        gids, amounts, hops = gids[~stop], amounts[~stop], hops[~stop]
        unspent = store.out_spender[gids] < 0
        self.unspent.append((gids[unspent], amounts[unspent]))
        gids, amounts, hops = gids[~unspent], amounts[~unspent], hops[~unspent]
        dust = amounts < self.min_amount
        book.dust += int(amounts[dust].sum())
        gids, hops = gids[~dust], hops[~dust]
        self.pending[gids] = True
        self.hop[gids] = hops

    def layers(self, reached: Array) -> None:
        """Split every reached transaction once, in Kahn's order (module docstring)."""
        store = self.store
        in_tx = np.repeat(np.arange(store.n_tx), np.diff(store.tx_in))
        spent = store.in_spent
        linked = spent >= 0
        counted = np.zeros(len(spent), bool)
        counted[linked] = (
            reached[in_tx[linked]]
            & reached[store.out_tx[spent[linked]]]
            & ~self.stops[spent[linked]]
        )
        waiting = np.bincount(in_tx[counted], minlength=store.n_tx)
        ready = np.flatnonzero(reached & (waiting == 0))
        while len(ready):
            self.split(ready)
            outs = ranges(store.tx_out[ready], store.tx_out[ready + 1])
            nxt = store.out_spender[outs[~self.stops[outs]]]
            nxt = nxt[nxt >= 0]
            nxt = nxt[reached[nxt]]
            np.subtract.at(waiting, nxt, 1)
            nxt = np.unique(nxt)
            ready = nxt[waiting[nxt] == 0]

    def split(self, txs: Array) -> None:
        """One layer: each transaction's taint shared among its outputs and its fee."""
        store, book = self.store, self.book
        starts, ends = store.tx_in[txs], store.tx_in[txs + 1]
        ins = ranges(starts, ends)
        offsets = np.cumsum(ends - starts) - (ends - starts)
        spent = store.in_spent[ins]
        has = spent >= 0
        carried = np.zeros(len(ins), dtype=object)
        live = has.copy()
        live[has] = self.pending[spent[has]]
        carried[live] = self.taint[spent[live]]
        self.pending[spent[live]] = False
        total = np.add.reduceat(carried, offsets) if len(ins) else carried
        hop_in = np.where(live, self.hop[np.maximum(spent, 0)], _NEVER)
        hop = np.minimum.reduceat(hop_in, offsets) + 1 if len(ins) else hop_in
        active = total != 0
        if self.max_hops is not None:
            over = active & (hop > self.max_hops)
            for k in np.flatnonzero(over).tolist():
                for i in range(int(starts[k]), int(ends[k])):
                    gid = int(store.in_spent[i])
                    if gid >= 0 and live[i - int(starts[k]) + int(offsets[k])]:
                        address = store.address(int(store.out_addr[gid]))
                        book.at_limit[address] = book.at_limit.get(address, 0) + int(
                            self.taint[gid]
                        )
            active &= ~over
        txs, total, hop = txs[active], total[active], hop[active]
        if not len(txs):
            return
        value_in = _sums(store.in_value, store.tx_in[txs], store.tx_in[txs + 1])
        first, last = store.tx_out[txs], store.tx_out[txs + 1]
        value_out = _sums(store.out_value, first, last)
        sink_value = np.maximum(0, value_in - value_out)
        outs = ranges(first, last)
        counts = last - first
        per = np.repeat(np.arange(len(txs)), counts)
        values = store.out_value[outs]
        if self.model == "poison":
            amounts = np.array([v << SHIFT for v in values.tolist()], dtype=object)
            sinks = np.array([v << SHIFT for v in sink_value.tolist()], dtype=object)
            book.absorbed += int(amounts.sum()) + int(sinks.sum()) - int(total.sum())
        else:
            space = (value_out + sink_value).astype(object)
            sinks = np.where(space == 0, total, total * sink_value.astype(object) // _one(space))
            amounts = total[per] * values.astype(object) // _one(space)[per]
            amounts[(space == 0)[per]] = 0
            self._round_to_largest(amounts, total - sinks, values, per, counts)
            sinks = np.where(counts == 0, total, sinks)
        book.fees += int(sinks.sum())
        self.settle(outs, amounts, hop[per])

    def _round_to_largest(
        self, amounts: Array, due: Array, values: Array, per: Array, counts: Array
    ) -> None:
        """Give each transaction's rounding to its largest output, the lowest on a tie."""
        if not len(amounts):
            return
        offsets = np.cumsum(counts) - counts
        has = counts > 0
        starts = offsets[has]
        largest = np.maximum.reduceat(values, starts)
        position = np.arange(len(values))
        at_largest = np.where(values == largest[np.cumsum(has)[per] - 1], position, _NEVER)
        first = np.minimum.reduceat(at_largest, starts)
        given = np.add.reduceat(amounts, starts)
        amounts[first] += due[has] - given

    def book_ends(self) -> dict[str, int]:
        """Book the exits and unspent outputs by address (one entry per address, with its
        first and last arrival); the output of each exit address that received the most."""
        store, book = self.store, self.book
        gids, amounts = _joined(self.exits)
        heaviest: dict[str, int] = {}
        for aid, total, group, first, last in _by_address(store, gids, amounts):
            address = store.address(aid)
            label = self.parties.exit_label(aid)
            assert address is not None and label is not None
            book.labels[address] = label
            book.exits[address] = [(total, _when(first), []), (0, _when(last), [])]
            heaviest[address] = int(gids[group[int(np.argmax(amounts[group]))]])
        gids, amounts = _joined(self.unspent)
        for aid, total, _, _, _ in _by_address(store, gids, amounts):
            address = store.address(aid)
            book.unspent[address] = book.unspent.get(address, 0) + total
        return heaviest


def _joined(parts: list[tuple[Array, Array]]) -> tuple[Array, Array]:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, dtype=object)
    return np.concatenate([g for g, _ in parts]), np.concatenate([a for _, a in parts])


def _by_address(
    store: Store, gids: Array, amounts: Array
) -> list[tuple[int, int, Array, int, int]]:
    """(address id, total, positions, first time, last time) per address paid."""
    if not len(gids):
        return []
    addr = store.out_addr[gids]
    order = np.argsort(addr, kind="stable")
    addr = addr[order]
    starts = np.flatnonzero(np.r_[True, addr[1:] != addr[:-1]])
    totals = np.add.reduceat(amounts[order], starts)
    times = store.tx_time[store.out_tx[gids[order]]]
    known = times != NO_TIME
    first = np.minimum.reduceat(np.where(known, times, _NEVER), starts)
    last = np.maximum.reduceat(np.where(known, times, NO_TIME), starts)
    ends = np.r_[starts[1:], len(order)]
    return [
        (int(addr[s]), int(totals[k]), order[s:e], int(first[k]), int(last[k]))
        for k, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True))
    ]


def _when(micros: int) -> datetime | None:
    if micros in (NO_TIME, _NEVER):
        return None
    return _EPOCH + timedelta(microseconds=micros)


def _one(space: Array) -> Array:
    """``space`` with zeros as ones, for division where the zero case is handled apart."""
    return np.where(space == 0, 1, space)


def _sums(values: Array, starts: Array, ends: Array) -> Array:
    """Exact int64 sums of ``values[s:e]`` per pair."""
    idx = ranges(starts, ends)
    owner = np.repeat(np.arange(len(starts)), ends - starts)
    out = np.zeros(len(starts), np.int64)
    np.add.at(out, owner, values[idx])
    return out


def trace(
    graph: StoredGraph,
    seeds: Sequence[taint.Outpoint],
    model: str,
    parties: Parties,
    *,
    max_hops: int | None = None,
    min_amount: int = 0,
) -> taint.Trace:
    """A forward ``model`` trace from ``seeds``, exits at ``parties``' services."""
    if model not in MODELS:
        raise InputError("model", f"{model!r}: the bulk engine runs {', '.join(MODELS)}")
    store = graph.store
    ordered = list(dict.fromkeys(seeds))
    ids = []
    for outpoint in ordered:
        gid = graph.output_id(outpoint)
        if gid is None:
            raise InputError(f"{outpoint[0]}:{outpoint[1]}", "no such output in the graph")
        ids.append(gid)
    seed_ids = np.array(ids, np.int64)
    run = _Run(store, model, parties, max_hops, min_amount, seed_ids)
    values = store.out_value[seed_ids]
    amounts = np.array([int(v) << SHIFT for v in values.tolist()], dtype=object)
    run.settle(seed_ids, amounts, np.zeros(len(seed_ids), np.int64), seeds=True)
    run.layers(reach(store, seed_ids, run.stops))
    heaviest = run.book_ends()
    seed_amount = int(values.sum())
    result = taint.report(run.book, model, "forward", tuple(ordered), seed_amount, 1)  # type: ignore[arg-type]
    return _with_paths(result, run, graph, heaviest)


def _with_paths(
    result: taint.Trace, run: _Run, graph: StoredGraph, heaviest: dict[str, int]
) -> taint.Trace:
    """The trace with a path for each of its ``PATHS`` largest exits (module docstring),
    walked back from the output that paid the exit address the most."""
    exits = []
    for rank, e in enumerate(result.exits):
        paid = heaviest.get(e.address)
        if rank >= PATHS or paid is None:
            exits.append(e)
            continue
        walked = _walk_back(run, graph, paid, e.amount)
        exits.append(e if walked is None else replace(e, paths=(walked,)))
    return replace(result, exits=tuple(exits))


def _walk_back(run: _Run, graph: StoredGraph, gid: int, amount: int) -> taint.Path | None:
    store = run.store
    txs: list[int] = []
    share = 1.0
    while True:
        tx = int(store.out_tx[gid])
        txs.append(tx)
        if run.is_seed[gid]:
            break
        start, end = int(store.tx_in[tx]), int(store.tx_in[tx + 1])
        spent = store.in_spent[start:end]
        brought = [int(run.taint[s]) if s >= 0 else 0 for s in spent.tolist()]
        whole = sum(brought)
        if whole == 0:
            return None
        best = int(np.argmax(np.array(brought, dtype=object)))
        share *= brought[best] / whole
        gid = int(spent[best])
    hashes = tuple(store.tx_hash_of(t) for t in reversed(txs))
    return taint.Path(hashes, int(amount * share))
