"""Taint models over a UTXO graph: where stolen coins went (forward) or came from (backward).

Pure functions over an in-memory graph, so the same engine serves the workspace, tests and
benchmarks. Four models, all exact:

- poison: a transaction with any tainted input taints every output (and its fee) fully. The
  clean coins it pulls in are reported as ``absorbed``.
- haircut: each output gets the tainted share of the inputs, pro rata. Kept as integers in
  units of ``1 / HAIRCUT_SCALE`` satoshi while tracing; reported as integers whose rounding
  is distributed so totals balance.
- fifo (Clayton's rule): inputs laid out in order on ``[0, total_in)``, outputs in order on
  ``[0, total_out)`` with the fee last; taint is the overlap. Tainted satoshi are tracked as
  intervals inside each output, so the rule holds satoshi by satoshi across hops.
- tiho (taint in, highest out): the tainted amount fills the largest outputs first, then the
  next, then the fee. Ties between equal outputs go to the lower output position.

Backward tracing runs the same rules with the roles swapped: a transaction's tainted outputs
are "in", its inputs are "out" (no fee: the fee is not part of any output). Fifo lays the
outputs on ``[0, total_out)`` over the inputs on ``[0, total_in)``; tiho fills the largest
inputs first.

Every trace balances exactly::

    seed_amount + absorbed == exits + unspent + sources + at_limit + fees + dust + returned

``returned`` is taint that flowed back into a seed output (change paid back to a seed
address): the seed already counts it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Final, Literal, NamedTuple, Protocol

from sanctrace.errors import InputError

Model = Literal["poison", "haircut", "fifo", "tiho"]
Direction = Literal["forward", "backward"]
MODELS: Final[tuple[Model, ...]] = ("poison", "haircut", "fifo", "tiho")
Outpoint = tuple[str, int]  # (tx_hash, output n)
SourceKind = Literal["coinbase", "unlinked", "outside"]
ExitPredicate = Callable[[str], str | None]  # address -> label of the service, or None


class TxIn(NamedTuple):
    spent_tx_hash: str | None  # None: coinbase or shielded (no spent output)
    spent_n: int | None
    address: str | None
    value: int  # satoshi


class TxOut(NamedTuple):
    n: int
    address: str | None  # None for OP_RETURN and non-standard scripts
    value: int


@dataclass(frozen=True)
class Tx:
    """One transaction. ``order`` is its position on the chain (block, then index in block):
    a transaction always comes after the ones it spends, which is what tracing relies on."""

    tx_hash: str
    order: int
    inputs: tuple[TxIn, ...]
    outputs: tuple[TxOut, ...]
    time: datetime | None = None

    @property
    def is_coinbase(self) -> bool:
        return all(i.spent_tx_hash is None for i in self.inputs)

    @property
    def fee(self) -> int:
        return sum(i.value for i in self.inputs) - sum(o.value for o in self.outputs)


class Graph(Protocol):
    """What tracing asks of a chain: ``UtxoGraph`` in memory, ``store.StoredGraph`` on disk."""

    def tx(self, tx_hash: str) -> Tx | None: ...

    def output(self, outpoint: Outpoint) -> TxOut | None: ...

    def outputs(self, tx_hash: str) -> tuple[TxOut, ...]: ...

    def spender(self, outpoint: Outpoint) -> str | None: ...

    def paying(self, address: str) -> list[Outpoint]: ...


class UtxoGraph:
    """Transactions indexed both ways: who spends an output, and what a transaction paid."""

    def __init__(self, txs: Iterable[Tx]) -> None:
        self._txs: dict[str, Tx] = {}
        self._spender: dict[Outpoint, str] = {}
        self._outputs: dict[Outpoint, TxOut] = {}
        self._paying: dict[str, list[Outpoint]] = {}
        for tx in txs:
            if tx.tx_hash in self._txs:
                raise InputError(tx.tx_hash, "transaction given twice")
            if not tx.is_coinbase and tx.fee < 0:
                raise InputError(tx.tx_hash, f"outputs exceed inputs by {-tx.fee}")
            self._txs[tx.tx_hash] = tx
            for out in tx.outputs:
                self._outputs[(tx.tx_hash, out.n)] = out
                if out.address is not None:
                    self._paying.setdefault(out.address, []).append((tx.tx_hash, out.n))
        for tx in self._txs.values():
            for inp in tx.inputs:
                if inp.spent_tx_hash is None or inp.spent_n is None:
                    continue
                spent = (inp.spent_tx_hash, inp.spent_n)
                if spent in self._spender:
                    raise InputError(tx.tx_hash, f"{spent} already spent by {self._spender[spent]}")
                self._spender[spent] = tx.tx_hash
                creator = self._txs.get(inp.spent_tx_hash)
                if creator is None:
                    continue  # the spent output is outside the graph
                if creator.order >= tx.order:
                    raise InputError(tx.tx_hash, f"spends {spent}, which is not earlier")
                paid = self._outputs.get(spent)
                if paid is None or paid.value != inp.value:
                    raise InputError(tx.tx_hash, f"input does not match the output {spent}")

    def tx(self, tx_hash: str) -> Tx | None:
        return self._txs.get(tx_hash)

    def output(self, outpoint: Outpoint) -> TxOut | None:
        return self._outputs.get(outpoint)

    def outputs(self, tx_hash: str) -> tuple[TxOut, ...]:
        tx = self._txs.get(tx_hash)
        return () if tx is None else tx.outputs

    def spender(self, outpoint: Outpoint) -> str | None:
        """The transaction that spends ``outpoint``; None while it is unspent."""
        return self._spender.get(outpoint)

    def paying(self, address: str) -> list[Outpoint]:
        """Every output paying ``address``, in the order the graph was given."""
        return list(self._paying.get(address, ()))


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    tx_hashes: tuple[str, ...]  # in chain order
    amount: int  # taint this path carried (rounded down)


@dataclass(frozen=True)
class Exit:
    address: str
    label: str  # what the exit predicate said: a service label or category
    amount: int
    share: Fraction  # of the seed amount
    first_seen: datetime | None
    last_seen: datetime | None
    paths: tuple[Path, ...]  # the heaviest ones, heaviest first


@dataclass(frozen=True)
class Holding:
    address: str | None
    amount: int


@dataclass(frozen=True)
class Source:
    """Where a backward trace ends: a coinbase, an input with no spent output (shielded),
    or an output outside the graph."""

    kind: SourceKind
    tx_hash: str  # the coinbase, the spending transaction, or the outside one
    address: str | None
    amount: int


@dataclass(frozen=True)
class Trace:
    model: Model
    direction: Direction
    seeds: tuple[Outpoint, ...]
    seed_amount: int
    absorbed: int  # clean coins pulled in (poison only)
    exits: tuple[Exit, ...]  # largest first
    unspent: tuple[Holding, ...]  # forward: still on the attacker's side
    sources: tuple[Source, ...]  # backward
    at_limit: tuple[Holding, ...]  # taint left where the hop limit stopped the trace
    fees: int
    dust: int  # taint below the minimum amount, not followed
    returned: int  # taint that flowed back into a seed output

    @property
    def accounted(self) -> int:
        """Everything the trace ended in; equals ``seed_amount + absorbed``."""
        return (
            sum(e.amount for e in self.exits)
            + sum(h.amount for h in self.unspent)
            + sum(s.amount for s in self.sources)
            + sum(h.amount for h in self.at_limit)
            + self.fees
            + self.dust
            + self.returned
        )


# --- the engine ----------------------------------------------------------------------------


class PathStep:
    """A path as a linked list, newest step first, so extending it copies nothing."""

    __slots__ = ("prev", "tx_hash")

    def __init__(self, tx_hash: str, prev: PathStep | None) -> None:
        self.tx_hash = tx_hash
        self.prev = prev

    def hashes(self) -> list[str]:
        out: list[str] = []
        step: PathStep | None = self
        while step is not None:
            out.append(step.tx_hash)
            step = step.prev
        return out


Span = tuple[int, int]  # [start, end) inside one output
Scaled = int
"""An amount in units of ``1 / HAIRCUT_SCALE`` satoshi: every amount inside a trace is one,
so that the arithmetic is on Python integers (exact, and far cheaper than ``Fraction``)."""
Weighted = list[tuple[PathStep | None, Scaled]]


@dataclass
class _Taint:
    amount: Scaled
    hop: int
    spans: list[Span]  # fifo only
    paths: Weighted


@dataclass
class _Split:
    amounts: list[Scaled]  # one per "out" slot
    spans: list[list[Span]]  # fifo only
    sink: Scaled  # to the fee (forward)
    links: list[tuple[int, int, Scaled]] | None  # fifo: (in, out, amount); None: pooled


def _split(
    model: Model,
    in_values: Sequence[int],
    taints: Sequence[_Taint | None],
    out_values: Sequence[int],
) -> _Split:
    """Share the taint on the "in" slots among the "out" slots and the sink (whatever "in"
    has beyond "out": the fee going forward, nothing going backward)."""
    total = sum(t.amount for t in taints if t is not None)
    total_in, total_out = sum(in_values), sum(out_values)
    sink_value = max(0, total_in - total_out)
    spans: list[list[Span]] = [[] for _ in out_values]
    if model == "poison":
        hit = total > 0
        amounts = [v << SHIFT if hit else 0 for v in out_values]
        return _Split(amounts, spans, sink_value << SHIFT if hit else 0, None)
    if model == "haircut":
        space = total_out + sink_value
        if space == 0:
            return _Split([0] * len(out_values), spans, total, None)
        amounts = [total * v // space for v in out_values]
        sink = total * sink_value // space
        if out_values:
            # the rounding goes to the largest output, so that the split stays exact
            j = max(range(len(out_values)), key=lambda k: (out_values[k], -k))
            amounts[j] = total - sink - sum(a for k, a in enumerate(amounts) if k != j)
        else:
            sink = total
        return _Split(amounts, spans, sink, None)
    if model == "tiho":
        left = total
        amounts = [0] * len(out_values)
        for j in sorted(range(len(out_values)), key=lambda j: (-out_values[j], j)):
            amounts[j] = min(left, out_values[j] << SHIFT)
            left -= amounts[j]
        return _Split(amounts, spans, left, None)
    return _fifo(in_values, taints, out_values, sink_value)


SHIFT: Final = 64
HAIRCUT_SCALE: Final = 2**SHIFT
"""Haircut shares are kept as multiples of 1/2^64 satoshi: exact fractions of fractions
grow their denominators with every mix (a trace over a large chain then never ends), while
a 2^-64 rounding per transaction, given to the largest output so that totals stay exact,
moves no whole satoshi."""


def _fifo(
    in_values: Sequence[int],
    taints: Sequence[_Taint | None],
    out_values: Sequence[int],
    sink_value: int,
) -> _Split:
    """Clayton's rule on intervals: one sweep over the tainted spans and the out slots."""
    starts: list[int] = []  # each out slot, then the sink, laid end to end on one line
    ends: list[int] = []
    at = 0
    for v in [*out_values, sink_value]:
        starts.append(at)
        at += v
        ends.append(at)
    spans: list[list[Span]] = [[] for _ in ends]
    moved: dict[tuple[int, int], int] = {}
    offset, j = 0, 0
    for i, (value, taint) in enumerate(zip(in_values, taints, strict=True)):
        for start, end in [] if taint is None else taint.spans:
            s, e = offset + start, offset + end
            while s < e:
                while ends[j] <= s:
                    j += 1
                cut = min(e, ends[j])
                base = starts[j]
                piece = spans[j]
                if piece and piece[-1][1] == s - base:
                    piece[-1] = (piece[-1][0], cut - base)
                else:
                    piece.append((s - base, cut - base))
                moved[(i, j)] = moved.get((i, j), 0) + cut - s
                s = cut
        offset += value
    amounts = [sum(e - s for s, e in piece) << SHIFT for piece in spans]
    links = [(i, j, n << SHIFT) for (i, j), n in moved.items()]
    return _Split(amounts[:-1], spans[:-1], amounts[-1], links)


def _paths_out(
    split: _Split, taints: Sequence[_Taint | None], tx_hash: str, k: int
) -> list[Weighted]:
    """The k heaviest paths into each out slot, each extended by this transaction."""
    extended: dict[int, PathStep] = {}

    def extend(step: PathStep | None) -> PathStep:
        key = id(step)
        if key not in extended:
            extended[key] = PathStep(tx_hash, step)
        return extended[key]

    n_out = len(split.amounts)
    if split.links is None:  # pooled: every out slot gets the same mix
        total = sum(t.amount for t in taints if t is not None)
        pooled: dict[int, tuple[PathStep | None, Scaled]] = {}
        for t in taints:
            for step, amount in [] if t is None else t.paths:
                old = pooled.get(id(step), (step, 0))[1]
                pooled[id(step)] = (step, old + amount)
        top = heapq.nlargest(k, pooled.values(), key=lambda p: p[1])
        if total == 0:
            return [[] for _ in range(n_out)]
        return [
            [(extend(step), amount * share // total) for step, amount in top] if share else []
            for share in split.amounts
        ]
    per_out: list[dict[int, tuple[PathStep, Scaled]]] = [{} for _ in range(n_out)]
    for i, j, moved in split.links:
        taint = taints[i]
        if j >= n_out or taint is None:
            continue
        for step, amount in taint.paths:
            new = extend(step)
            old = per_out[j].get(id(new), (new, 0))[1]
            per_out[j][id(new)] = (new, old + amount * moved // taint.amount)
    return [
        [(s, a) for s, a in heapq.nlargest(k, slot.values(), key=lambda p: p[1])]
        for slot in per_out
    ]


@dataclass
class Ledger:
    """Where taint ended, exact, before rounding."""

    exits: dict[str, list[tuple[Scaled, datetime | None, Weighted]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    unspent: dict[str | None, Scaled] = field(default_factory=dict)
    sources: dict[tuple[SourceKind, str, str | None], Scaled] = field(default_factory=dict)
    at_limit: dict[str | None, Scaled] = field(default_factory=dict)
    fees: Scaled = 0
    dust: Scaled = 0
    returned: Scaled = 0
    absorbed: Scaled = 0


def _add(book: dict[str | None, Scaled], key: str | None, amount: Scaled) -> None:
    book[key] = book.get(key, 0) + amount


class _Tracer:
    """One trace: a heap of transactions in chain order (reverse order going backward), so
    every tainted edge of a transaction is known before the transaction is processed."""

    def __init__(
        self,
        graph: Graph,
        model: Model,
        direction: Direction,
        max_hops: int | None,
        min_amount: int,
        is_exit: ExitPredicate,
        k_paths: int,
    ) -> None:
        if model not in MODELS:
            raise InputError("model", f"unknown taint model {model!r}; one of {MODELS}")
        self.graph, self.model, self.direction = graph, model, direction
        self.max_hops, self.min_amount = max_hops, min_amount << SHIFT
        self.is_exit, self.k = is_exit, k_paths
        self.book = Ledger()
        self.pending: dict[Outpoint, _Taint] = {}  # followed, waiting for their next tx
        self.hops: dict[str, int] = {}  # queued tx -> fewest hops from a seed
        self.heap: list[tuple[int, str]] = []
        self.seeds: set[Outpoint] = set()

    def follow(self, outpoint: Outpoint, taint: _Taint, tx_hash: str) -> None:
        self.pending[outpoint] = taint
        hop = taint.hop + 1
        if tx_hash not in self.hops:
            tx = self.graph.tx(tx_hash)
            assert tx is not None
            heapq.heappush(
                self.heap, (tx.order if self.direction == "forward" else -tx.order, tx_hash)
            )
        self.hops[tx_hash] = min(hop, self.hops.get(tx_hash, hop))

    def exit(self, address: str | None, taint: _Taint, when: Tx) -> bool:
        label = None if address is None else self.is_exit(address)
        if address is None or label is None:
            return False
        self.book.labels[address] = label
        self.book.exits.setdefault(address, []).append((taint.amount, when.time, taint.paths))
        return True

    def settle_forward(self, outpoint: Outpoint, taint: _Taint, creator: Tx) -> None:
        out = self.graph.output(outpoint)
        assert out is not None
        if self.exit(out.address, taint, creator):
            return
        spender = self.graph.spender(outpoint)
        if spender is None:
            _add(self.book.unspent, out.address, taint.amount)
        elif taint.amount < self.min_amount:
            self.book.dust += taint.amount
        else:
            self.follow(outpoint, taint, spender)

    def source(self, kind: SourceKind, tx_hash: str, address: str | None, amount: Scaled) -> None:
        key = (kind, tx_hash, address)
        self.book.sources[key] = self.book.sources.get(key, 0) + amount

    def settle_backward(self, tx: Tx, inp: TxIn, taint: _Taint) -> None:
        if inp.spent_tx_hash is None or inp.spent_n is None:
            self.source("unlinked", tx.tx_hash, inp.address, taint.amount)
            return
        if (inp.spent_tx_hash, inp.spent_n) in self.seeds:
            self.book.returned += taint.amount
        elif self.exit(inp.address, taint, tx):
            return
        elif self.graph.tx(inp.spent_tx_hash) is None:
            self.source("outside", inp.spent_tx_hash, inp.address, taint.amount)
        elif taint.amount < self.min_amount:
            self.book.dust += taint.amount
        else:
            self.follow((inp.spent_tx_hash, inp.spent_n), taint, inp.spent_tx_hash)

    def run(self) -> None:
        while self.heap:
            _, tx_hash = heapq.heappop(self.heap)
            tx = self.graph.tx(tx_hash)
            assert tx is not None
            self.process(tx, self.hops[tx_hash])

    def process(self, tx: Tx, hop: int) -> None:
        forward = self.direction == "forward"
        if forward:
            edges: list[Outpoint | None] = [
                None
                if i.spent_tx_hash is None or i.spent_n is None
                else (i.spent_tx_hash, i.spent_n)
                for i in tx.inputs
            ]
            in_values = [i.value for i in tx.inputs]
            out_values = [o.value for o in tx.outputs]
        else:
            edges = [(tx.tx_hash, o.n) for o in tx.outputs]
            in_values = [o.value for o in tx.outputs]
            out_values = [i.value for i in tx.inputs]
        taints = [None if e is None else self.pending.pop(e, None) for e in edges]
        total = sum(t.amount for t in taints if t is not None)
        if self.max_hops is not None and hop > self.max_hops:
            for edge, t in zip(edges, taints, strict=True):
                if t is not None and edge is not None:
                    out = self.graph.output(edge)
                    _add(self.book.at_limit, None if out is None else out.address, t.amount)
            return
        if not forward and tx.is_coinbase:
            self.source("coinbase", tx.tx_hash, None, total)
            return
        split = _split(self.model, in_values, taints, out_values)
        paths = _paths_out(split, taints, tx.tx_hash, self.k)
        self.book.absorbed += sum(split.amounts, split.sink) - total
        self.book.fees += split.sink
        for j, amount in enumerate(split.amounts):
            if amount == 0:
                continue
            taint = _Taint(amount, hop, split.spans[j], paths[j])
            if forward:
                outpoint = (tx.tx_hash, tx.outputs[j].n)
                if outpoint in self.seeds:
                    self.book.returned += amount
                else:
                    self.settle_forward(outpoint, taint, tx)
            else:
                self.settle_backward(tx, tx.inputs[j], taint)


def trace(
    graph: Graph,
    seeds: Iterable[Outpoint],
    model: Model,
    *,
    direction: Direction = "forward",
    max_hops: int | None = None,
    min_amount: int = 0,
    is_exit: ExitPredicate | None = None,
    k_paths: int = 5,
) -> Trace:
    """Follow the full value of the ``seeds`` outputs forward to where it left the attacker's
    hands, or backward to where it came from.

    Tracing stops at an address ``is_exit`` labels (forward: the output paying it; backward:
    the output it spent), at an unspent output, at a source (backward), below ``min_amount``
    (dust), and after ``max_hops`` transactions (the seed's own transaction not counted).
    """
    tracer = _Tracer(
        graph, model, direction, max_hops, min_amount, is_exit or (lambda _: None), k_paths
    )
    ordered = list(dict.fromkeys(seeds))
    tracer.seeds = set(ordered)
    seed_amount = 0
    for outpoint in ordered:
        out, creator = graph.output(outpoint), graph.tx(outpoint[0])
        if out is None or creator is None:
            raise InputError(f"{outpoint[0]}:{outpoint[1]}", "no such output in the graph")
        seed_amount += out.value
        if out.value == 0:
            continue
        root = PathStep(creator.tx_hash, None) if direction == "forward" else None
        amount = out.value << SHIFT
        taint = _Taint(amount, 0, [(0, out.value)], [(root, amount)])
        if direction == "forward":
            tracer.settle_forward(outpoint, taint, creator)
        else:
            tracer.follow(outpoint, taint, creator.tx_hash)
    tracer.run()
    return report(tracer.book, model, direction, tuple(ordered), seed_amount, k_paths)


def seeds_paying(graph: Graph, addresses: Iterable[str]) -> list[Outpoint]:
    """Every output paying one of ``addresses``: the seeds of an address trace."""
    return [o for a in dict.fromkeys(addresses) for o in graph.paying(a)]


# --- rounding and the report ---------------------------------------------------------------


def allocate(amounts: Sequence[int], total: int, scale: int = HAIRCUT_SCALE) -> list[int]:
    """``amounts`` (in units of 1/``scale``) rounded down to whole units, then the units left
    over given to the largest remainders (the earlier item on a tie), so the integers add up
    to ``total`` exactly."""
    floors = [a // scale for a in amounts]
    left = total - sum(floors)
    assert 0 <= left <= len(amounts), "taint was not conserved"
    by_remainder = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] % scale), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return floors


def report(
    book: Ledger,
    model: Model,
    direction: Direction,
    seeds: tuple[Outpoint, ...],
    seed_amount: int,
    k: int,
) -> Trace:
    absorbed, rest = divmod(book.absorbed, HAIRCUT_SCALE)
    assert rest == 0
    exit_sums = {a: sum(x[0] for x in xs) for a, xs in book.exits.items()}
    groups: list[list[Scaled]] = [
        list(exit_sums.values()),
        list(book.unspent.values()),
        list(book.sources.values()),
        list(book.at_limit.values()),
        [book.fees, book.dust, book.returned],
    ]
    flat = allocate([a for g in groups for a in g], seed_amount + absorbed)
    cut: list[list[int]] = []
    for g in groups:
        cut.append(flat[: len(g)])
        flat = flat[len(g) :]
    exits = [
        _exit(address, book.labels[address], amount, seed_amount, book.exits[address], k, direction)
        for address, amount in zip(exit_sums, cut[0], strict=True)
    ]
    return Trace(
        model=model,
        direction=direction,
        seeds=seeds,
        seed_amount=seed_amount,
        absorbed=absorbed,
        exits=tuple(sorted(exits, key=lambda e: (-e.amount, e.address))),
        unspent=_holdings(book.unspent, cut[1]),
        sources=tuple(
            Source(kind, tx_hash, address, amount)
            for (kind, tx_hash, address), amount in zip(book.sources, cut[2], strict=True)
        ),
        at_limit=_holdings(book.at_limit, cut[3]),
        fees=cut[4][0],
        dust=cut[4][1],
        returned=cut[4][2],
    )


def _holdings(book: dict[str | None, Scaled], amounts: list[int]) -> tuple[Holding, ...]:
    rows = [Holding(a, n) for a, n in zip(book, amounts, strict=True)]
    return tuple(sorted(rows, key=lambda h: (-h.amount, h.address or "")))


def _exit(
    address: str,
    label: str,
    amount: int,
    seed_amount: int,
    arrivals: list[tuple[Scaled, datetime | None, Weighted]],
    k: int,
    direction: Direction,
) -> Exit:
    times = [t for _, t, _ in arrivals if t is not None]
    merged: dict[int, tuple[PathStep | None, Scaled]] = {}
    for _, _, paths in arrivals:
        for step, weight in paths:
            merged[id(step)] = (step, merged.get(id(step), (step, 0))[1] + weight)
    top = heapq.nlargest(k, merged.values(), key=lambda p: p[1])
    return Exit(
        address=address,
        label=label,
        amount=amount,
        share=Fraction(amount, seed_amount) if seed_amount else Fraction(0),
        first_seen=min(times, default=None),
        last_seen=max(times, default=None),
        paths=tuple(
            Path(_in_chain_order(step, direction), weight >> SHIFT) for step, weight in top
        ),
    )


def _in_chain_order(step: PathStep | None, direction: Direction) -> tuple[str, ...]:
    """Forward paths grow at their newest end, backward ones at their oldest."""
    hashes = [] if step is None else step.hashes()
    return tuple(reversed(hashes)) if direction == "forward" else tuple(hashes)
