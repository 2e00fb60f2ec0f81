"""CoinJoin detection: which transactions are collaborative, so clustering leaves them out.

A CoinJoin joins the inputs of several owners in one transaction, which breaks the
multi-input heuristic: clustering through one would merge strangers. Each rule below looks at
the shape of one transaction only (counts, values, addresses) and names the pattern it matched
with a reason a reviewer can check. Rules are tried from the most specific to the most
generic; the first that matches wins. Wasabi 2 goes before Wasabi 1 because WabiSabi rounds
also pay 0.1 and 0.2 BTC (standard denominations), while Wasabi 1 rounds paid an adjusted
~0.1 BTC that is rarely a standard value and returned change to most participants.

Sources (rules restated in our words; no code copied):

- Schnoering & Vazirgiannis, "Heuristics for detecting CoinJoin transactions on the Bitcoin
  blockchain" (2023), the basis of GraphSense's CoinJoin heuristics (graphsense-lib PR 76):
  Whirlpool 5 x 5 at fixed pool values, Wasabi 1 at ~0.1 BTC with mixing levels, Wasabi 2 as
  large rounds, JoinMarket with the most frequent output value as denomination.
- Möser & Böhme, "Anonymous alone? Measuring Bitcoin's second-generation anonymization
  techniques" (2017) and Goldfeder et al., "When the cookie meets the blockchain" (2018, the
  BlockSci JoinMarket heuristic): n equal outputs and up to n change outputs.
- Kalodner et al., "BlockSci" (2020): the equal-value-outputs CoinJoin test.
- WabiSabi's standard denominations (Wasabi 2 client): powers of 2 and 3, 2 x 3^k, and the
  1-2-5 series of powers of ten, in satoshi.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

COIN = 100_000_000
"""Satoshi in one bitcoin."""

WHIRLPOOL_POOLS = (100_000, 1_000_000, 5_000_000, 50_000_000)
"""Whirlpool pool values: 0.001, 0.01, 0.05 and 0.5 BTC."""
WHIRLPOOL_MAX_INPUT_EXCESS = 1_000_000
"""How far above its pool value a Whirlpool input may be (a premix output carries the miner
fee; a remix input is exactly the pool value)."""

WASABI1_DENOMINATION = COIN // 10
WASABI1_TOLERANCE = 0.05
"""Wasabi 1 (ZeroLink) rounds paid ~0.1 BTC, adjusted per round within a few per cent."""
WASABI1_LEVELS = 6
"""Mixing levels 2^i x the base denomination, i < this, that Wasabi 1.1 added."""
WASABI1_MIN_EQUAL = 10
"""Least participants of a Wasabi 1 round we accept (real rounds had 50 to 100)."""

WASABI2_MIN_INPUTS = 50
WASABI2_MIN_OUTPUTS = 50
"""WabiSabi rounds are large; smaller transactions with standard values are left to the
JoinMarket and generic rules."""
WASABI2_MIN_DENOMINATIONS = 3
"""Distinct standard denominations, each paid at least twice, that a Wasabi 2 round shows."""
WASABI2_MIN_STANDARD_SHARE = 0.5
"""Least share of outputs at a standard denomination (the rest is change and the fee)."""
WASABI2_MIN_DENOMINATION = 5_000
"""The smallest standard denomination WabiSabi pays out, in satoshi."""

MIN_EQUAL = 3
"""Least equal outputs (and distinct input addresses) of a JoinMarket or generic CoinJoin."""


class TxIn(NamedTuple):
    """An input: the address it spends from (None when unknown) and its value in satoshi."""

    address: str | None
    value: int


class TxOut(NamedTuple):
    """An output: its index, the address it pays (None for OP_RETURN) and its value."""

    n: int
    address: str | None
    value: int


class Tx(NamedTuple):
    """One UTXO transaction as the chain engines read it; a coinbase has no inputs."""

    tx_hash: str
    inputs: Sequence[TxIn]
    outputs: Sequence[TxOut]


class CoinJoin(NamedTuple):
    """A detected CoinJoin: the pattern's name and why it matched."""

    pattern: str  # whirlpool | wasabi1 | wasabi2 | joinmarket | generic
    reason: str


def detect(tx: Tx) -> CoinJoin | None:
    """The CoinJoin pattern ``tx`` matches, or None for an ordinary transaction."""
    if len(tx.inputs) < MIN_EQUAL or len(tx.outputs) < MIN_EQUAL:
        return None
    for rule in (_whirlpool, _wasabi2, _wasabi1, _joinmarket, _generic):
        found = rule(tx)
        if found is not None:
            return found
    return None


def is_standard_denomination(value: int) -> bool:
    """Whether ``value`` (satoshi) is one of WabiSabi's standard output values."""
    if value < WASABI2_MIN_DENOMINATION:
        return False
    return (
        _is_power(value, 2)
        or _is_power(value, 3)
        or (value % 2 == 0 and _is_power(value // 2, 3))
        or _is_power(value, 10)
        or (value % 2 == 0 and _is_power(value // 2, 10))
        or (value % 5 == 0 and _is_power(value // 5, 10))
    )


def _is_power(value: int, base: int) -> bool:
    while value > 1 and value % base == 0:
        value //= base
    return value == 1


def _whirlpool(tx: Tx) -> CoinJoin | None:
    """Exactly 5 inputs from 5 addresses and 5 outputs to 5 new addresses, every output the
    same pool value, every input between the pool value and the pool value plus the fee
    margin."""
    if len(tx.inputs) != 5 or len(tx.outputs) != 5:
        return None
    values = {o.value for o in tx.outputs}
    if len(values) != 1:
        return None
    pool = values.pop()
    if pool not in WHIRLPOOL_POOLS:
        return None
    if _distinct(a.address for a in tx.inputs) < 5 or _distinct_outputs(tx) < 5:
        return None
    if not all(pool <= i.value <= pool + WHIRLPOOL_MAX_INPUT_EXCESS for i in tx.inputs):
        return None
    return CoinJoin("whirlpool", f"5 inputs, 5 outputs of the {_btc(pool)} BTC pool")


def _wasabi1(tx: Tx) -> CoinJoin | None:
    """At least ``WASABI1_MIN_EQUAL`` equal outputs at ~0.1 BTC (or a mixing level 2^i of
    it), at least as many inputs, and at least one output of another value: every round paid
    the coordinator's fee to an output of its own (and most returned change)."""
    value, count = _most_common_value(tx)
    if count < WASABI1_MIN_EQUAL or len(tx.inputs) < count:
        return None
    level = _wasabi1_level(value)
    if level is None:
        return None
    others = [o for o in tx.outputs if _wasabi1_level(o.value) is None]
    if not others:
        return None
    return CoinJoin(
        "wasabi1",
        f"{count} equal outputs of {_btc(value)} BTC (mixing level {level}), "
        f"{len(tx.inputs)} inputs, {len(others)} change or coordinator fee outputs",
    )


def _wasabi1_level(value: int) -> int | None:
    for level in range(WASABI1_LEVELS):
        base = WASABI1_DENOMINATION << level
        if abs(value - base) <= base * WASABI1_TOLERANCE:
            return level
    return None


def _wasabi2(tx: Tx) -> CoinJoin | None:
    """At least ``WASABI2_MIN_INPUTS`` inputs and ``WASABI2_MIN_OUTPUTS`` outputs, most
    outputs at WabiSabi standard denominations, several of them paid more than once."""
    if len(tx.inputs) < WASABI2_MIN_INPUTS or len(tx.outputs) < WASABI2_MIN_OUTPUTS:
        return None
    standard = [o.value for o in tx.outputs if is_standard_denomination(o.value)]
    if len(standard) < WASABI2_MIN_STANDARD_SHARE * len(tx.outputs):
        return None
    repeated = sorted(v for v, c in Counter(standard).items() if c >= 2)
    if len(repeated) < WASABI2_MIN_DENOMINATIONS:
        return None
    return CoinJoin(
        "wasabi2",
        f"{len(tx.inputs)} inputs, {len(standard)} of {len(tx.outputs)} outputs at standard "
        f"denominations, {len(repeated)} of them repeated",
    )


def _joinmarket(tx: Tx) -> CoinJoin | None:
    """n >= 3 equal outputs and between 1 and n other (change) outputs, at least n inputs
    from at least n addresses, every output to its own address, none back to an input."""
    value, n = _most_common_value(tx)
    change = len(tx.outputs) - n
    if n < MIN_EQUAL or not 1 <= change <= n:
        return None
    if len(tx.inputs) < n or _distinct(i.address for i in tx.inputs) < n:
        return None
    if _distinct_outputs(tx) < len(tx.outputs) or _pays_back(tx):
        return None
    return CoinJoin(
        "joinmarket", f"{n} equal outputs of {_btc(value)} BTC and {change} change outputs"
    )


def _generic(tx: Tx) -> CoinJoin | None:
    """At least 3 equal outputs to distinct addresses, none of them back to an input
    address, and at least 3 inputs from at least 3 distinct addresses. Change may go back to
    an input address (wallets that reuse addresses join CoinJoins too); the mixed outputs
    may not. A batch payment from a wallet that spends from many addresses looks the same;
    that false positive costs only a missed merge."""
    value, n = _most_common_value(tx)
    if n < MIN_EQUAL:
        return None
    equal_to = {o.address for o in tx.outputs if o.value == value and o.address is not None}
    if len(equal_to) < MIN_EQUAL:
        return None
    inputs = _distinct(i.address for i in tx.inputs)
    spent = {i.address for i in tx.inputs if i.address is not None}
    if inputs < MIN_EQUAL or equal_to & spent:
        return None
    return CoinJoin(
        "generic", f"{n} equal outputs of {_btc(value)} BTC, inputs from {inputs} addresses"
    )


def _most_common_value(tx: Tx) -> tuple[int, int]:
    """The output value paid most often and how often; ties go to the larger value."""
    counts = Counter(o.value for o in tx.outputs)
    value, count = max(counts.items(), key=lambda vc: (vc[1], vc[0]))
    return value, count


def _distinct(addresses: Iterable[str | None]) -> int:
    return len({a for a in addresses if a is not None})


def _distinct_outputs(tx: Tx) -> int:
    return _distinct(o.address for o in tx.outputs)


def _pays_back(tx: Tx) -> bool:
    """Whether an output goes back to an input address: participants of a CoinJoin take
    fresh addresses, an ordinary wallet's change often does not."""
    spent = {i.address for i in tx.inputs if i.address is not None}
    return any(o.address in spent for o in tx.outputs)


def _btc(value: int) -> str:
    whole, frac = divmod(value, COIN)
    return f"{whole}.{frac:08d}".rstrip("0").rstrip(".") if frac else str(whole)
