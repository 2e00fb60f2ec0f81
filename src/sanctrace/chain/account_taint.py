"""Taint models over account chains (Ethereum and its kin): where stolen funds went
(forward) or where they came from (backward).

An account chain has no coins to follow, only balances, so each model says which part of an
address's time-ordered balance an outgoing transfer takes:

- poison: once an address holds any taint, it is poisoned for good and everything it sends
  later is tainted in full. The clean funds this pulls in are reported as ``absorbed``.
- haircut: an outgoing transfer carries the tainted share of the balance at that moment.
  Kept in fixed point to ``1 / SCALE`` of a unit while tracing (exact fractions do not scale
  to millions of transfers, see ``_Haircut``), integers at the end (largest remainder, as in
  :mod:`sanctrace.chain.taint`), so totals balance to the unit.
- fifo: the balance is a queue of lots, clean or tainted, in the order they arrived; an
  outgoing transfer takes the oldest lots first and the receiver queues them in the same
  order, so the rule holds unit by unit across hops.

Assets are traced separately: the chain's coin and each token are separate balances, and
taint never crosses from one to another (a swap is an exit to a service, not a conversion).
A fee is a transfer to no one (``to_address`` None) in the chain's coin, paid by the sender:
it consumes balance and taint like any outgoing transfer, and the taint it takes is burnt
(``fees``). Give it the order key at which the chain charges it, e.g. ``(block, tx, -1)`` to
charge gas before the transaction moves value.

The balance an address held before the first transfer seen is unknown. A transfer that
spends more than the known balance takes the whole known balance, taint included, and the
rest from clean funds held from before the data, so taint is followed as far as it can be.

Transfers are read once, in order, with one balance per (asset, address) in a dict: a
forward trace costs one pass and memory for the addresses of the traced assets. A backward
trace costs two passes over a sequence: one replaying the balances, one in reverse.

Backward tracing asks where the funds of the seeds came from. It is the forward engine run on
the time-reversed chain: transfers read from the last to the first, each one turned around
(its receiver gives the value back to its sender), starting from the balances at the end of
the data. Being the same engine, it keeps the same fixed point and rounding. Reversing time
turns the forward rules into their mirror images:

- haircut: a tainted transfer taints its sender's balance at that moment pro rata, so the
  taint is shared among what the sender received before in proportion to what each incoming
  transfer still made up of the balance;
- fifo: the transfer's units are the oldest lots of its sender's balance (the lots it took
  going forward); the balance queue is read from its newest end, so unit by unit the taint
  goes back to the incoming transfers that brought exactly those units;
- poison: a tainted address has every earlier incoming transfer tainted in full, and the
  clean funds this pulls in (what it sent elsewhere) are ``absorbed``.

A backward trace ends at an exit (a service the funds came from: the sender of a transfer
that carried taint), at the hop limit, below the minimum amount (dust), and at ``sources``:
funds the sender held before the first transfer seen. Going forward, a transfer that spends
more than the known balance takes the whole known balance and the rest from funds held
before the data; going backward that rest is a source, booked at the sender with the
transfer's hash. A token's mint is such a source at the zero address, which sends what it
never received. Backward, an address seed stands for the oldest funds of the address's
balance at its order (the ones it spends next); what it claims beyond the balance is a
source with no hash, and what later seeds already claimed is ``returned``. Nothing is ever
unspent or burnt as a fee going backward: the balances run back to zero at the start of the
data. The seed transfer itself counts as the first hop backward (its sender is one hop from
the funds), as the seed's own transaction does in :mod:`sanctrace.chain.taint`.

Every trace balances exactly, per asset, in either direction::

    seed_amount + absorbed == exits + unspent + sources + at_limit + fees + dust + returned

``returned`` is taint that a seed transfer took from its sender (backward: that a later
seed already claimed from the seed's own funds): the seed already counts it. Hops
are counted per address, as the fewest transfers between a seed and the taint it holds.
"""

from __future__ import annotations

import heapq
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Final, Literal, NamedTuple

from sanctrace.chain.taint import (
    Direction,
    Exit,
    ExitPredicate,
    Holding,
    Path,
    PathStep,
    allocate,
)
from sanctrace.errors import InputError

AccountModel = Literal["poison", "haircut", "fifo"]
ACCOUNT_MODELS: Final[tuple[AccountModel, ...]] = ("poison", "haircut", "fifo")
Order = tuple[int, int, int]  # (block_number, position of the tx in its block, seq)
Lot = tuple[int, bool]  # (amount, tainted), fifo only
ZERO: Final = Fraction(0)
SCALE: Final = 2**64  # haircut resolution: shares are kept to 1/SCALE of a unit


class Transfer(NamedTuple):
    """One movement of one asset; ``to_address`` None is a fee paid by ``from_address``."""

    tx_hash: str
    seq: int
    order: Order
    time: datetime | None
    asset: str
    from_address: str
    to_address: str | None
    value: int  # native units (wei, a token's base unit)


class Seed(NamedTuple):
    """``amount`` of what ``address`` holds in ``asset`` is tainted from ``order`` on (it
    applies before the first transfer at or after ``order``)."""

    asset: str
    address: str
    amount: int
    order: Order


@dataclass(frozen=True)
class AccountSource:
    """Where a backward trace runs out of data: funds ``address`` held before the first
    transfer seen, spent by the transfer of ``tx_hash`` (None: held at an address seed)."""

    address: str
    tx_hash: str | None
    amount: int
    kind: Literal["before_data"] = "before_data"


@dataclass(frozen=True)
class AccountTrace:
    """One asset's trace; exits, unspent and at_limit are in that asset's native units."""

    model: AccountModel
    asset: str
    seeds: tuple[Seed | Transfer, ...]
    seed_amount: int
    absorbed: int  # clean funds pulled in (poison only)
    exits: tuple[Exit, ...]  # largest first
    unspent: tuple[Holding, ...]  # tainted balance left at the end (forward)
    at_limit: tuple[Holding, ...]  # taint that would have left these addresses past the limit
    fees: int  # taint burnt as gas (forward)
    dust: int  # taint below the minimum amount, not followed
    returned: int  # taint a seed transfer took from its sender
    direction: Direction = "forward"
    sources: tuple[AccountSource, ...] = ()  # funds from before the data (backward)

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


# --- balances, one class per model ---------------------------------------------------------


class _Balances(ABC):
    """Every address's balance in one asset, and the taint in it. ``take`` removes an
    outgoing transfer's value and says how much taint it carries (fifo: and which lots, in
    order); ``give`` credits a receiver with the taint it is allowed to keep."""

    scale = 1  # taint is counted in units of 1 / scale

    def __init__(self) -> None:
        self.balance: dict[str, int] = {}
        self.absorbed = 0  # in units of 1 / scale

    @abstractmethod
    def take(self, address: str, value: int) -> tuple[int, list[Lot]]: ...

    @abstractmethod
    def give(self, address: str, value: int, taint: int, lots: list[Lot]) -> None: ...

    @abstractmethod
    def mark(self, address: str, amount: int) -> None:
        """Taint ``amount`` of what the address holds (a seed); a shortfall is funds held
        from before the data."""
        ...

    @abstractmethod
    def holdings(self) -> Iterator[tuple[str, int]]: ...

    @abstractmethod
    def room(self, address: str) -> int:
        """The untainted part of the address's balance, in units of 1 / scale: what an
        address seed can still claim backward."""
        ...


class _Haircut(_Balances):
    """Taint kept in fixed point, in units of ``1 / SCALE``: each share is rounded down and
    the remainder stays with the sender, so taint is conserved exactly and a share is off by
    less than ``1 / SCALE`` per transfer behind it. Exact fractions grow their denominators
    with every mixing: on 300,000 transfers among 2,000 addresses they did not finish in ten
    minutes, and fixed point takes about a second."""

    scale = SCALE

    def __init__(self) -> None:
        super().__init__()
        self.taint: dict[str, int] = {}  # tainted addresses only

    def take(self, address: str, value: int) -> tuple[int, list[Lot]]:
        held = self.balance.get(address, 0)
        self.balance[address] = max(0, held - value)
        tainted = self.taint.get(address)
        if tainted is None:
            return 0, []
        if value >= held:
            del self.taint[address]
            return tainted, []
        moved = tainted * value // held
        if moved == tainted:
            del self.taint[address]
        else:
            self.taint[address] = tainted - moved
        return moved, []

    def give(self, address: str, value: int, taint: int, lots: list[Lot]) -> None:
        self.balance[address] = self.balance.get(address, 0) + value
        if taint:
            self.taint[address] = self.taint.get(address, 0) + taint

    def mark(self, address: str, amount: int) -> None:
        tainted = self.taint.get(address, 0)
        held = self.balance.get(address, 0)
        self.balance[address] = held + max(0, -((held * SCALE - tainted - amount * SCALE) // SCALE))
        self.taint[address] = tainted + amount * SCALE

    def holdings(self) -> Iterator[tuple[str, int]]:
        return iter(self.taint.items())

    def room(self, address: str) -> int:
        return self.balance.get(address, 0) * SCALE - self.taint.get(address, 0)


class _Fifo(_Balances):
    def __init__(self) -> None:
        super().__init__()
        self.lots: dict[str, deque[Lot]] = {}  # tainted addresses only; others are clean
        self.tainted: dict[str, int] = {}

    def take(self, address: str, value: int) -> tuple[int, list[Lot]]:
        held = self.balance.get(address, 0)
        self.balance[address] = max(0, held - value)
        queue = self.lots.get(address)
        if queue is None:
            return 0, [(value, False)]
        taken: list[Lot] = []
        moved, need = 0, value
        while need and queue:
            n, flag = queue[0]
            if n <= need:
                queue.popleft()
            else:
                queue[0] = (n - need, flag)
                n = need
            taken.append((n, flag))
            need -= n
            moved += n if flag else 0
        if need:
            taken.append((need, False))  # from before the data
        left = self.tainted[address] - moved
        if left:
            self.tainted[address] = left
        else:
            del self.lots[address], self.tainted[address]
        return moved, taken

    def give(self, address: str, value: int, taint: int, lots: list[Lot]) -> None:
        held = self.balance.get(address, 0)
        self.balance[address] = held + value
        queue = self.lots.get(address)
        if not taint:
            if queue is not None:
                _append(queue, (value, False))
            return
        if queue is None:
            queue = self.lots[address] = deque([(held, False)] if held else [])
            self.tainted[address] = 0
        for lot in lots:
            _append(queue, lot)
        self.tainted[address] += taint

    def mark(self, address: str, amount: int) -> None:
        """The newest clean lots become tainted: a seed is usually funds that just arrived."""
        held = self.balance.get(address, 0)
        queue = self.lots.get(address)
        if queue is None:
            queue = self.lots[address] = deque([(held, False)] if held else [])
            self.tainted[address] = 0
        kept: list[Lot] = []
        need = amount
        while need and queue:
            n, flag = queue.pop()
            if flag:
                kept.append((n, flag))
            elif n <= need:
                kept.append((n, True))
                need -= n
            else:
                kept += [(need, True), (n - need, False)]
                need = 0
        if need:  # a shortfall: funds from before the data, older than anything seen
            queue.appendleft((need, True))
            self.balance[address] = held + need
        for lot in reversed(kept):
            _append(queue, lot)
        self.tainted[address] += amount

    def holdings(self) -> Iterator[tuple[str, int]]:
        return iter(self.tainted.items())

    def room(self, address: str) -> int:
        return self.balance.get(address, 0) - self.tainted.get(address, 0)


def _append(queue: deque[Lot], lot: Lot) -> None:
    """Queue a lot, merged with the last one when both are clean or both tainted."""
    if lot[0] == 0:
        return
    if queue and queue[-1][1] == lot[1]:
        queue[-1] = (queue[-1][0] + lot[0], lot[1])
    else:
        queue.append(lot)


class _Poison(_Balances):
    def __init__(self) -> None:
        super().__init__()
        self.poisoned: set[str] = set()

    def take(self, address: str, value: int) -> tuple[int, list[Lot]]:
        held = self.balance.get(address, 0)
        self.balance[address] = max(0, held - value)
        if address not in self.poisoned:
            return 0, []
        self.absorbed += max(0, value - held)  # funds from before the data, poisoned too
        return value, []

    def give(self, address: str, value: int, taint: int, lots: list[Lot]) -> None:
        held = self.balance.get(address, 0)
        self.balance[address] = held + value
        if address in self.poisoned:
            self.absorbed += value - taint
        elif taint:
            self.poisoned.add(address)
            self.absorbed += held + value - taint

    def mark(self, address: str, amount: int) -> None:
        held = self.balance.get(address, 0)
        if address in self.poisoned:
            self.balance[address] = held + amount
        else:
            self.poisoned.add(address)
            self.balance[address] = max(held, amount)
            self.absorbed += max(held, amount) - amount

    def holdings(self) -> Iterator[tuple[str, int]]:
        return ((a, self.balance.get(a, 0)) for a in self.poisoned)

    def room(self, address: str) -> int:
        return 0 if address in self.poisoned else self.balance.get(address, 0)


_BALANCES: Final[dict[AccountModel, type[_Balances]]] = {
    "poison": _Poison,
    "haircut": _Haircut,
    "fifo": _Fifo,
}


# --- the engine ----------------------------------------------------------------------------


@dataclass
class _Arrivals:
    """Taint that reached one exit."""

    label: str
    amount: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    paths: dict[int | str | None, tuple[PathStep | None, int]] = field(default_factory=dict)


@dataclass
class _Asset:
    """One traced asset: its balances and where its taint ended, exact."""

    balances: _Balances
    seed_amount: int = 0
    hops: dict[str, int] = field(default_factory=dict)  # tainted address -> fewest hops
    paths: dict[str, PathStep | None] = field(default_factory=dict)  # the path of those hops
    exits: dict[str, _Arrivals] = field(default_factory=dict)
    at_limit: dict[str, int] = field(default_factory=dict)
    sources: dict[tuple[str, str | None], int] = field(default_factory=dict)  # backward
    fees: int = 0
    dust: int = 0
    returned: int = 0

    def source(self, address: str, tx_hash: str | None, amount: int) -> None:
        """Book taint (units of 1 / scale) that ``address`` held before the data."""
        if amount:
            key = (address, tx_hash)
            self.sources[key] = self.sources.get(key, 0) + amount

    def arrive(self, address: str, hop: int, path: PathStep | None) -> None:
        if hop < self.hops.get(address, hop + 1):
            self.hops[address], self.paths[address] = hop, path

    def exit(
        self,
        address: str,
        label: str,
        amount: int,
        time: datetime | None,
        via: PathStep | None,
        tx_hash: str | None,
        sender: str | None = None,
    ) -> None:
        """Book taint reaching an exit by ``tx_hash`` from ``sender``, reached along ``via``
        (None: a seed). Deposits along one route count as one path (shown with its first
        deposit), so an exit's paths grow with the routes into it, not with its deposits."""
        arrivals = self.exits.setdefault(address, _Arrivals(label))
        arrivals.amount += amount
        if time is not None:  # min and max: a backward trace reads the latest first
            first, last = arrivals.first_seen, arrivals.last_seen
            arrivals.first_seen = time if first is None else min(first, time)
            arrivals.last_seen = time if last is None else max(last, time)
        key: int | str | None = id(via) if via is not None else sender or tx_hash
        known = arrivals.paths.get(key)
        if known is None:
            path = None if tx_hash is None else PathStep(tx_hash, via)
            arrivals.paths[key] = (path, amount)
        else:
            arrivals.paths[key] = (known[0], known[1] + amount)


class _Tracer:
    """One trace over every seeded asset. Backward, it is the forward engine on the reversed
    chain: ``run_backward`` turns each transfer around and hands it to ``move``."""

    def __init__(
        self,
        model: AccountModel,
        seeds: Iterable[Seed | Transfer],
        direction: Direction,
        max_hops: int | None,
        min_amount: int,
        is_exit: ExitPredicate,
    ) -> None:
        if model not in ACCOUNT_MODELS:
            raise InputError("model", f"unknown taint model {model!r}; one of {ACCOUNT_MODELS}")
        if direction not in ("forward", "backward"):
            raise InputError("direction", f"{direction!r} is not forward or backward")
        if max_hops is not None and max_hops < 0:
            raise InputError("max_hops", f"{max_hops} is negative")
        if min_amount < 0:
            raise InputError("min_amount", f"{min_amount} is negative")
        self.forward = direction == "forward"
        self.max_hops, self.min_amount, self.is_exit = max_hops, min_amount, is_exit
        self.seed_hop = 0 if self.forward else 1  # backward, the seed transfer is a hop
        self.seeds = tuple(dict.fromkeys(seeds))
        self.assets: dict[str, _Asset] = {}
        self.marks: list[Seed] = []
        self.stolen: dict[tuple[str, int], Transfer] = {}
        for seed in self.seeds:
            if seed.asset not in self.assets:
                self.assets[seed.asset] = _Asset(_BALANCES[model]())
            if isinstance(seed, Seed):
                if seed.amount < 0:
                    raise InputError(seed.address, f"seed amount {seed.amount} is negative")
                self.marks.append(seed)
            elif seed.to_address is None:
                raise InputError(seed.tx_hash, f"seed transfer {seed.seq} is a fee")
            else:
                self.stolen[(seed.tx_hash, seed.seq)] = seed
        # pop() gives the next seed due: the earliest forward, the latest backward
        self.marks.sort(key=lambda s: s.order, reverse=self.forward)
        self.seen: set[tuple[str, int]] = set()

    def mark_until(self, order: Order | None) -> None:
        """Apply the address seeds due before ``order`` (all of them: None): forward those at
        or before it, backward those after it."""
        while self.marks and (
            order is None
            or (self.marks[-1].order <= order if self.forward else self.marks[-1].order > order)
        ):
            seed = self.marks.pop()
            asset = self.assets[seed.asset]
            asset.seed_amount += seed.amount
            label = self.is_exit(seed.address)
            if label is not None:
                stolen = seed.amount * asset.balances.scale
                asset.exit(seed.address, label, stolen, None, None, None)
                continue
            if self.forward:
                asset.balances.mark(seed.address, seed.amount)
            else:
                _claim(asset, seed)
            asset.arrive(seed.address, 0, None)

    def run(self, transfers: Iterable[Transfer]) -> None:
        last: Order | None = None
        for t in transfers:
            if last is not None and t.order < last:
                raise InputError(t.tx_hash, f"transfer {t.seq} comes after {last}: sort by order")
            last = t.order
            if self.marks:
                self.mark_until(t.order)
            asset = self.assets.get(t.asset)
            if asset is not None:
                self.move(asset, t)
        self.mark_until(None)
        self.check_seen()

    def run_backward(self, transfers: Sequence[Transfer]) -> None:
        """Replay the traced assets' balances forward, then read the transfers from the last
        to the first, each turned around, from the balances at the end of the data."""
        short = _replay(transfers, self.assets)
        for i in range(len(transfers) - 1, -1, -1):
            t = transfers[i]
            if self.marks:
                self.mark_until(t.order)
            asset = self.assets.get(t.asset)
            if asset is None:
                continue
            book, before = asset.balances, short.get(i, 0)
            if t.to_address is None:  # a fee: its sender gets it back, and nobody traces it
                book.give(t.from_address, t.value, 0, [(t.value, False)])
            else:
                self.move(asset, t._replace(from_address=t.to_address, to_address=t.from_address))
            if before:  # the part of the value its sender held before the data
                taint, _ = book.take(t.from_address, before)
                asset.source(t.from_address, t.tx_hash, taint)
        self.mark_until(None)
        self.check_seen()

    def check_seen(self) -> None:
        missing = set(self.stolen) - self.seen
        if missing:
            tx_hash, seq = min(missing)
            raise InputError(tx_hash, f"seed transfer {seq} is not among the transfers")

    def move(self, asset: _Asset, t: Transfer) -> None:
        """One transfer going forward (backward: one turned around, receiver to sender)."""
        book = asset.balances
        taint, lots = book.take(t.from_address, t.value)
        to = t.to_address
        key = (t.tx_hash, t.seq)
        if key in self.stolen:
            assert to is not None
            self.seen.add(key)
            asset.returned += taint
            asset.seed_amount += t.value
            stolen = t.value * book.scale
            label = self.is_exit(to)
            if label is not None:
                asset.exit(to, label, stolen, t.time, None, t.tx_hash)
                book.give(to, t.value, 0, lots)
            else:
                book.give(to, t.value, stolen, [(t.value, True)])
                asset.arrive(to, self.seed_hop, PathStep(t.tx_hash, None))
            return
        if not taint:
            if to is not None:
                book.give(to, t.value, 0, lots)
            return
        if to is None:
            asset.fees += taint
            return
        hop = asset.hops[t.from_address] + 1
        if self.max_hops is not None and hop > self.max_hops:
            asset.at_limit[t.from_address] = asset.at_limit.get(t.from_address, 0) + taint
            book.give(to, t.value, 0, lots)
            return
        label = self.is_exit(to)
        if label is not None:
            via = asset.paths[t.from_address]
            asset.exit(to, label, taint, t.time, via, t.tx_hash, t.from_address)
            book.give(to, t.value, 0, lots)
        elif taint < self.min_amount * book.scale:
            asset.dust += taint
            book.give(to, t.value, 0, lots)
        else:
            book.give(to, t.value, taint, lots)
            if hop < asset.hops.get(to, hop + 1):
                asset.arrive(to, hop, PathStep(t.tx_hash, asset.paths[t.from_address]))


def _replay(transfers: Sequence[Transfer], assets: dict[str, _Asset]) -> dict[int, int]:
    """Run the traced assets' balances forward as the forward engine keeps them (a transfer
    that spends more than the known balance leaves it at zero): each asset's book ends with
    the balances at the end of the data, and the answer is what each transfer (by index)
    took from before the data."""
    balances = {name: asset.balances.balance for name, asset in assets.items()}
    short: dict[int, int] = {}
    last: Order | None = None
    for i, t in enumerate(transfers):
        if last is not None and t.order < last:
            raise InputError(t.tx_hash, f"transfer {t.seq} comes after {last}: sort by order")
        last = t.order
        balance = balances.get(t.asset)
        if balance is None:
            continue
        held = balance.get(t.from_address, 0)
        if t.value > held:
            short[i] = t.value - held
        balance[t.from_address] = max(0, held - t.value)
        if t.to_address is not None:
            balance[t.to_address] = balance.get(t.to_address, 0) + t.value
    return short


def _claim(asset: _Asset, seed: Seed) -> None:
    """A backward address seed: ``seed.amount`` of the address's balance, its oldest funds.
    What exceeds the balance was held before the data (a source); what later seeds already
    claimed is returned."""
    book, scale = asset.balances, asset.balances.scale
    held = book.balance.get(seed.address, 0)
    before = max(0, seed.amount - held)
    asset.source(seed.address, None, before * scale)
    claimed = seed.amount - before
    taken = -(-max(0, claimed * scale - book.room(seed.address)) // scale)  # whole units
    asset.returned += taken * scale
    book.mark(seed.address, claimed - taken)


def trace_accounts(
    transfers: Iterable[Transfer],
    seeds: Iterable[Seed | Transfer],
    model: AccountModel,
    *,
    direction: Direction = "forward",
    max_hops: int | None = None,
    min_amount: int = 0,
    is_exit: ExitPredicate | None = None,
    k_paths: int = 5,
) -> dict[str, AccountTrace]:
    """Follow the seeds forward through ``transfers`` (in order of their order key) to where
    the funds went, or backward to where they came from; one trace per seeded asset.

    A seed is an address's tainted holding (:class:`Seed`) or a transfer that stole funds
    (matched by tx hash and seq): its full value is traced. Tracing stops at an address
    ``is_exit`` labels (the exit: forward the receiver of a tainted transfer, backward its
    sender), at a transfer past ``max_hops`` transfers from a seed (forward the seed transfer
    not counted, backward counted; the taint stays ``at_limit`` at the address it would have
    left), at a transfer carrying less than ``min_amount`` of taint (dust), and at the end of
    the data (forward: unspent; backward: sources, funds held before the data). An exit's
    paths are the routes into it, heaviest first, at most ``k_paths``, in chain order: a
    route is the path that first reached the depositing address with the fewest hops, and
    its first transfer to the exit.
    """
    tracer = _Tracer(model, seeds, direction, max_hops, min_amount, is_exit or (lambda _: None))
    if tracer.forward:
        tracer.run(transfers)
    else:
        tracer.run_backward(transfers if isinstance(transfers, Sequence) else list(transfers))
    return {
        name: _report(model, direction, name, tracer.seeds, asset, k_paths)
        for name, asset in tracer.assets.items()
    }


# --- rounding and the report ---------------------------------------------------------------


def _report(
    model: AccountModel,
    direction: Direction,
    name: str,
    seeds: tuple[Seed | Transfer, ...],
    asset: _Asset,
    k: int,
) -> AccountTrace:
    scale = asset.balances.scale
    absorbed, rest = divmod(asset.balances.absorbed, scale)
    assert rest == 0, "only poison absorbs, in whole units"
    held = [(a, x) for a, x in asset.balances.holdings() if x]
    groups: list[list[int]] = [
        [e.amount for e in asset.exits.values()],
        [x for _, x in held],
        list(asset.at_limit.values()),
        [asset.fees, asset.dust, asset.returned],
        list(asset.sources.values()),
    ]
    flat = allocate([a for g in groups for a in g], asset.seed_amount + absorbed, scale)
    cut: list[list[int]] = []
    for g in groups:
        cut.append(flat[: len(g)])
        flat = flat[len(g) :]
    total = asset.seed_amount
    exits = [
        Exit(
            address=address,
            label=arrivals.label,
            amount=amount,
            share=Fraction(amount, total) if total else ZERO,
            first_seen=arrivals.first_seen,
            last_seen=arrivals.last_seen,
            paths=tuple(
                Path(_in_chain_order(step, direction), weight // scale)
                for step, weight in heapq.nlargest(k, arrivals.paths.values(), key=lambda p: p[1])
            ),
        )
        for (address, arrivals), amount in zip(asset.exits.items(), cut[0], strict=True)
    ]
    return AccountTrace(
        model=model,
        asset=name,
        seeds=tuple(s for s in seeds if s.asset == name),
        seed_amount=total,
        absorbed=absorbed,
        exits=tuple(sorted(exits, key=lambda e: (-e.amount, e.address))),
        unspent=_holdings([a for a, _ in held], cut[1]),
        at_limit=_holdings(list(asset.at_limit), cut[2]),
        fees=cut[3][0],
        dust=cut[3][1],
        returned=cut[3][2],
        direction=direction,
        sources=tuple(
            sorted(
                (
                    AccountSource(address, tx_hash, n)
                    for (address, tx_hash), n in zip(asset.sources, cut[4], strict=True)
                    if n
                ),
                key=lambda x: (-x.amount, x.address, x.tx_hash or ""),
            )
        ),
    )


def _in_chain_order(step: PathStep | None, direction: Direction) -> tuple[str, ...]:
    """Forward paths grow at their newest end, backward ones at their oldest."""
    hashes = [] if step is None else step.hashes()
    return tuple(reversed(hashes)) if direction == "forward" else tuple(hashes)


def _holdings(addresses: list[str], amounts: list[int]) -> tuple[Holding, ...]:
    rows = [Holding(a, n) for a, n in zip(addresses, amounts, strict=True) if n]
    return tuple(sorted(rows, key=lambda h: (-h.amount, h.address or "")))
