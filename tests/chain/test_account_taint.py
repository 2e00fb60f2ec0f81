"""Account-chain taint models on hand-built transfer sequences (answers worked out by hand),
then on random ones: conservation for every model, fifo against a unit-by-unit reference,
haircut against naive fractions, poison as an upper bound."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.chain.account_taint import (
    ACCOUNT_MODELS,
    AccountModel,
    AccountTrace,
    Seed,
    Transfer,
    trace_accounts,
)
from sanctrace.errors import InputError

START = datetime(2025, 2, 21, tzinfo=UTC)


def pay(
    block: int, sender: str, receiver: str, value: int, *, asset: str = "eth", fee: int = 0
) -> list[Transfer]:
    """One transaction: the gas first (seq -1, paid in eth by the sender), then the value."""
    tx_hash, when = f"t{block}", START + timedelta(minutes=block)
    moves = [Transfer(tx_hash, 0, (block, 0, 0), when, asset, sender, receiver, value)]
    if fee:
        moves.insert(0, Transfer(tx_hash, -1, (block, 0, -1), when, "eth", sender, None, fee))
    return moves


def exchange(address: str) -> str | None:
    return "exchange" if address.startswith("exch") else None


def amounts(result: AccountTrace) -> dict[str, object]:
    return {
        "exits": {e.address: e.amount for e in result.exits},
        "unspent": {h.address: h.amount for h in result.unspent},
        "fees": result.fees,
    }


def balanced(result: AccountTrace) -> bool:
    return result.accounted == result.seed_amount + result.absorbed


# A theft from a hot wallet (t1), a split to a and b, a mixing with 400 clean eth that a
# already held (t0), an exchange deposit and a hop onwards:
#
#   funder --400--> a                       (t0, clean)
#   hot --1000--> thief                     (t1, the theft: the seed)
#   thief --600--> a,  fee 10               (t2)
#   thief --390--> b                        (t3)
#   a --500--> exch                         (t4)
#   b --200--> c,  fee 5                    (t5)
THEFT = [
    *pay(0, "funder", "a", 400),
    *pay(1, "hot", "thief", 1000),
    *pay(2, "thief", "a", 600, fee=10),
    *pay(3, "thief", "b", 390),
    *pay(4, "a", "exch", 500),
    *pay(5, "b", "c", 200, fee=5),
]
STOLEN = THEFT[1]


@pytest.mark.parametrize(
    ("model", "exits", "unspent", "absorbed"),
    [
        # poison: a's 400 clean eth are poisoned when the 600 arrive; all 500 reach exch
        ("poison", {"exch": 500}, {"a": 500, "c": 200, "b": 185}, 400),
        # haircut: a holds 1000 of which 600 tainted, so its 500 out carry 300
        ("haircut", {"exch": 300}, {"a": 300, "c": 200, "b": 185}, 0),
        # fifo: a's clean 400 are older than the 600, so the 500 out take 400 clean first
        ("fifo", {"exch": 100}, {"a": 500, "c": 200, "b": 185}, 0),
    ],
)
def test_theft_forward(
    model: AccountModel, exits: dict[str, int], unspent: dict[str, int], absorbed: int
) -> None:
    result = trace_accounts(THEFT, [STOLEN], model, is_exit=exchange)["eth"]
    assert result.seed_amount == 1000
    # fees: thief's 10 and b's 5 were paid from fully tainted balances
    assert amounts(result) == {"exits": exits, "unspent": unspent, "fees": 15}
    assert result.absorbed == absorbed
    assert balanced(result)
    (deposit,) = result.exits
    assert deposit.label == "exchange"
    assert deposit.share == Fraction(exits["exch"], 1000)
    assert deposit.first_seen == deposit.last_seen == START + timedelta(minutes=4)
    assert deposit.paths[0].tx_hashes == ("t1", "t2", "t4")


def test_an_exit_shows_each_route_into_it_once() -> None:
    transfers = [
        *pay(1, "hot", "thief", 100),
        *pay(2, "thief", "exch", 30),
        *pay(3, "thief", "exch", 20),
        *pay(4, "thief", "a", 50),
        *pay(5, "a", "exch", 40),
    ]
    result = trace_accounts(transfers, [transfers[0]], "fifo", is_exit=exchange)["eth"]
    (deposit,) = result.exits
    # thief's two deposits are one route, shown with its first deposit
    assert [(p.tx_hashes, p.amount) for p in deposit.paths] == [
        (("t1", "t2"), 50),
        (("t1", "t4", "t5"), 40),
    ]
    assert (deposit.first_seen, deposit.last_seen) == (
        START + timedelta(minutes=2),
        START + timedelta(minutes=5),
    )


def test_hop_limit_keeps_the_taint_where_it_stopped() -> None:
    result = trace_accounts(THEFT, [STOLEN], "haircut", is_exit=exchange, max_hops=1)["eth"]
    # a and b are one transfer from the theft; what they send on would be hop 2
    assert {h.address: h.amount for h in result.at_limit} == {"a": 300, "b": 200}
    assert amounts(result) == {"exits": {}, "unspent": {"a": 300, "b": 185}, "fees": 15}
    assert balanced(result)


def test_taint_below_the_minimum_is_dust() -> None:
    result = trace_accounts(THEFT, [STOLEN], "haircut", is_exit=exchange, min_amount=250)["eth"]
    assert result.dust == 200  # b -> c carries 200 < 250: not followed
    # an exit is reported whatever it carries, as in the UTXO engine
    assert amounts(result) == {"exits": {"exch": 300}, "unspent": {"a": 300, "b": 185}, "fees": 15}
    assert balanced(result)


def test_without_exits_the_deposit_is_unspent() -> None:
    result = trace_accounts(THEFT, [STOLEN], "fifo")["eth"]
    assert {h.address: h.amount for h in result.unspent} == {
        "a": 500,
        "c": 200,
        "b": 185,
        "exch": 100,
    }


def test_a_token_and_eth_are_traced_separately() -> None:
    # thief holds stolen eth and stolen usdt; moving the usdt costs gas, paid in eth
    transfers = [
        *pay(1, "hot", "thief", 100),
        *pay(2, "hot", "thief", 5000, asset="usdt"),
        *pay(3, "thief", "exch", 3000, asset="usdt", fee=7),
        *pay(4, "thief", "b", 50),
    ]
    seeds = [transfers[0], transfers[1]]
    traces = trace_accounts(transfers, seeds, "haircut", is_exit=exchange)
    eth, usdt = traces["eth"], traces["usdt"]
    assert (eth.seed_amount, usdt.seed_amount) == (100, 5000)
    assert amounts(usdt) == {"exits": {"exch": 3000}, "unspent": {"thief": 2000}, "fees": 0}
    assert amounts(eth) == {"exits": {}, "unspent": {"b": 50, "thief": 43}, "fees": 7}
    assert usdt.seeds == (transfers[1],)
    assert balanced(eth) and balanced(usdt)


def test_an_address_seed_taints_its_newest_funds_under_fifo() -> None:
    transfers = [*pay(0, "funder", "x", 100), *pay(1, "funder", "x", 50), *pay(3, "x", "y", 70)]
    # from block 2 on, 80 of x's 150 are stolen: fifo takes them to be the newest 80
    seed = Seed("eth", "x", 80, (2, 0, 0))
    fifo = trace_accounts(transfers, [seed], "fifo")["eth"]
    assert {h.address: h.amount for h in fifo.unspent} == {"x": 80}  # y got the clean 70
    haircut = trace_accounts(transfers, [seed], "haircut")["eth"]
    # 70 * 80/150 = 37 1/3 to y, 42 2/3 left at x: x's larger remainder takes the unit
    assert {h.address: h.amount for h in haircut.unspent} == {"x": 43, "y": 37}


def test_spending_more_than_seen_takes_funds_from_before_the_data() -> None:
    # x's balance before block 0 is unknown: the 300 it sends are its 100 stolen ones (all
    # the balance we know) and 200 it held before, clean
    transfers = pay(1, "x", "y", 300)
    for model in ACCOUNT_MODELS:
        result = trace_accounts(transfers, [Seed("eth", "x", 100, (0, 0, 0))], model)["eth"]
        assert amounts(result)["unspent"] == {"y": 300 if model == "poison" else 100}
        assert result.absorbed == (200 if model == "poison" else 0)
        assert balanced(result)


def test_haircut_rounding_balances_to_the_unit() -> None:
    transfers = [*pay(0, "funder", "x", 3), *pay(2, "x", "y", 1), *pay(3, "x", "z", 1)]
    transfers += pay(4, "x", "exch", 1)
    result = trace_accounts(
        transfers, [Seed("eth", "x", 1, (1, 0, 0))], "haircut", is_exit=exchange
    )
    eth = result["eth"]
    # each of the three transfers carries exactly 1/3: one of them is rounded up
    assert sum(e.amount for e in eth.exits) + sum(h.amount for h in eth.unspent) == 1
    assert balanced(eth)


def test_a_seed_at_an_exit_is_an_exit_at_once() -> None:
    result = trace_accounts([], [Seed("eth", "exch9", 42, (0, 0, 0))], "fifo", is_exit=exchange)
    (deposit,) = result["eth"].exits
    assert (deposit.address, deposit.amount, deposit.paths[0].tx_hashes) == ("exch9", 42, ())


def test_taint_a_seed_transfer_takes_from_its_sender_is_returned() -> None:
    # thief launders 100 stolen eth through a transfer that is itself a seed
    transfers = [*pay(1, "thief", "y", 100)]
    seeds = [Seed("eth", "thief", 100, (0, 0, 0)), transfers[0]]
    result = trace_accounts(transfers, seeds, "haircut")["eth"]
    assert (result.seed_amount, result.returned) == (200, 100)
    assert amounts(result)["unspent"] == {"y": 100}
    assert balanced(result)


def test_bad_input_is_refused() -> None:
    with pytest.raises(InputError, match="sort by order"):
        trace_accounts([*THEFT[1:], THEFT[0]], [STOLEN], "fifo")
    with pytest.raises(InputError, match="not among the transfers"):
        trace_accounts(THEFT[2:], [STOLEN], "fifo")
    with pytest.raises(InputError, match="is a fee"):
        trace_accounts(THEFT, [THEFT[2]], "fifo")
    with pytest.raises(InputError, match="unknown taint model"):
        trace_accounts(THEFT, [STOLEN], "tiho")  # type: ignore[arg-type]


# --- random transfer sequences -------------------------------------------------------------

ADDRESSES = ["a", "b", "c", "d", "exch1"]
ASSETS = ["eth", "tok"]
History = tuple[list[Transfer], list[Seed | Transfer]]


@st.composite
def histories(draw: st.DrawFn) -> History:
    """Transfers that never overdraw a balance: "mint" issues new funds (and never
    receives), seeds at block 0 give stolen funds to an address."""
    held: dict[tuple[str, str], int] = defaultdict(int)
    seeds: list[Seed | Transfer] = []
    for k in range(draw(st.integers(0, 3))):
        asset, address = draw(st.sampled_from(ASSETS)), draw(st.sampled_from(ADDRESSES[:4]))
        amount = draw(st.integers(1, 6))
        seeds.append(Seed(asset, address, amount, (0, 0, k)))
        held[(asset, address)] += amount
    transfers: list[Transfer] = []
    for block in range(1, draw(st.integers(1, 25)) + 1):
        asset = draw(st.sampled_from(ASSETS))
        sender = draw(st.sampled_from(["mint", *ADDRESSES]))
        have = 8 if sender == "mint" else held[(asset, sender)]
        if have == 0:
            continue
        value = draw(st.integers(1, have))
        fee = asset == "eth" and draw(st.booleans())
        receiver = None if fee else draw(st.sampled_from(ADDRESSES))
        t = Transfer(f"t{block}", 0, (block, 0, 0), None, asset, sender, receiver, value)
        transfers.append(t)
        if sender != "mint":
            held[(asset, sender)] -= value
        if receiver is not None:
            held[(asset, receiver)] += value
    candidates = [t for t in transfers if t.to_address is not None]
    if candidates and (not seeds or draw(st.booleans())):
        seeds += draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=2, unique=True))
    if not seeds:
        seeds.append(Seed("eth", "a", 3, (0, 0, 0)))
    return transfers, seeds


@settings(max_examples=200, deadline=None)
@given(
    histories(),
    st.sampled_from(ACCOUNT_MODELS),
    st.one_of(st.none(), st.integers(0, 3)),
    st.integers(0, 4),
)
def test_every_model_conserves_the_seed_amount(
    history: History, model: AccountModel, hops: int | None, minimum: int
) -> None:
    transfers, seeds = history
    traces = trace_accounts(
        transfers, seeds, model, max_hops=hops, min_amount=minimum, is_exit=exchange
    )
    assert set(traces) == {s.asset for s in seeds}
    for result in traces.values():
        assert result.seed_amount == sum(
            s.amount if isinstance(s, Seed) else s.value for s in result.seeds
        )
        assert result.accounted == result.seed_amount + result.absorbed
        assert all(e.amount >= 0 for e in result.exits)
        assert model == "poison" or result.absorbed == 0


def reference_fifo(
    transfers: Sequence[Transfer],
    seeds: Sequence[Seed | Transfer],
    max_hops: int | None = None,
    minimum: int = 0,
) -> dict[str, dict[tuple[str, str | None], int]]:
    """Fifo one unit at a time: each address's balance is a list of flags, oldest first;
    an address is as many hops from the seeds as the fewest transfers that tainted it."""
    flags: dict[tuple[str, str], list[bool]] = defaultdict(list)
    hops: dict[tuple[str, str], int] = {}
    found: dict[str, dict[tuple[str, str | None], int]] = {
        k: defaultdict(int) for k in ("exits", "unspent", "fees", "returned", "at_limit", "dust")
    }
    stolen = {(s.tx_hash, s.seq) for s in seeds if isinstance(s, Transfer)}
    for s in seeds:
        if isinstance(s, Seed):
            flags[(s.asset, s.address)] = [True] * s.amount + flags[(s.asset, s.address)]
            hops[(s.asset, s.address)] = 0
    for t in transfers:
        source, target = (t.asset, t.from_address), (t.asset, t.to_address or "")
        queue = flags[source]
        line = queue[: t.value] + [False] * max(0, t.value - len(queue))
        del queue[: t.value]
        tainted, hop = sum(line), hops.get(source, 0) + 1
        if (t.tx_hash, t.seq) in stolen:
            found["returned"][(t.asset, None)] += tainted
            line, tainted, hop = [True] * t.value, t.value, 0
            if not exchange(target[1]):
                flags[target] += line
                hops[target] = 0
                continue
        if t.to_address is None:
            found["fees"][(t.asset, None)] += tainted
            continue
        if tainted and max_hops is not None and hop > max_hops:
            found["at_limit"][source] += tainted
        elif exchange(t.to_address):
            found["exits"][target] += tainted
        elif tainted and tainted < minimum:
            found["dust"][(t.asset, None)] += tainted
        else:
            flags[target] += line
            if tainted:
                hops[target] = min(hop, hops.get(target, hop))
            continue
        flags[target] += [False] * t.value
    for (asset, address), queue in flags.items():
        found["unspent"][(asset, address)] += sum(queue)
    return {k: {key: n for key, n in book.items() if n} for k, book in found.items()}


def found_in(traces: dict[str, AccountTrace]) -> dict[str, dict[tuple[str, str | None], int]]:
    found: dict[str, dict[tuple[str, str | None], int]] = {
        "exits": {(a, e.address): e.amount for a, r in traces.items() for e in r.exits},
        "unspent": {(a, h.address): h.amount for a, r in traces.items() for h in r.unspent},
        "fees": {(a, None): r.fees for a, r in traces.items() if r.fees},
        "returned": {(a, None): r.returned for a, r in traces.items() if r.returned},
        "at_limit": {(a, h.address): h.amount for a, r in traces.items() for h in r.at_limit},
        "dust": {(a, None): r.dust for a, r in traces.items() if r.dust},
    }
    return found


@settings(max_examples=200, deadline=None)
@given(histories(), st.one_of(st.none(), st.integers(0, 3)), st.integers(0, 4))
def test_fifo_matches_unit_by_unit(history: History, hops: int | None, minimum: int) -> None:
    transfers, seeds = history
    traces = trace_accounts(
        transfers, seeds, "fifo", max_hops=hops, min_amount=minimum, is_exit=exchange
    )
    assert found_in(traces) == reference_fifo(transfers, seeds, hops, minimum)


def reference_haircut(
    transfers: Sequence[Transfer], seeds: Sequence[Seed | Transfer]
) -> dict[str, dict[tuple[str, str | None], Fraction]]:
    """Pro rata taint as plain fractions: every address holds (balance, tainted)."""
    balance: dict[tuple[str, str], int] = defaultdict(int)
    tainted: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
    found: dict[str, dict[tuple[str, str | None], Fraction]] = {
        k: defaultdict(Fraction) for k in ("exits", "unspent", "fees", "returned")
    }
    stolen = {(s.tx_hash, s.seq) for s in seeds if isinstance(s, Transfer)}
    for s in seeds:
        if isinstance(s, Seed):  # all at block 0, on an empty balance
            balance[(s.asset, s.address)] += s.amount
            tainted[(s.asset, s.address)] += s.amount
    for t in transfers:
        source = (t.asset, t.from_address)
        share = (
            min(Fraction(t.value, balance[source]), Fraction(1)) if balance[source] else Fraction(0)
        )
        moved = tainted[source] * share
        tainted[source] -= moved
        balance[source] = max(0, balance[source] - t.value)
        if (t.tx_hash, t.seq) in stolen:
            found["returned"][(t.asset, None)] += moved
            moved = Fraction(t.value)
        if t.to_address is None:
            found["fees"][(t.asset, None)] += moved
            continue
        if exchange(t.to_address):
            found["exits"][(t.asset, t.to_address)] += moved
            moved = Fraction(0)
        balance[(t.asset, t.to_address)] += t.value
        tainted[(t.asset, t.to_address)] += moved
    for key, amount in tainted.items():
        found["unspent"][key] += amount
    return found


@settings(max_examples=200, deadline=None)
@given(histories())
def test_haircut_is_within_a_unit_of_exact_fractions(history: History) -> None:
    transfers, seeds = history
    got = found_in(trace_accounts(transfers, seeds, "haircut", is_exit=exchange))
    expected = reference_haircut(transfers, seeds)
    for kind, book in expected.items():
        for key in set(book) | set(got[kind]):
            assert abs(got[kind].get(key, 0) - book.get(key, Fraction(0))) < 1, (kind, key)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_poison_bounds_the_other_models(history: History) -> None:
    transfers, seeds = history
    poison = found_in(trace_accounts(transfers, seeds, "poison", is_exit=exchange))
    for model in ("haircut", "fifo"):
        other = found_in(trace_accounts(transfers, seeds, model, is_exit=exchange))
        for kind in ("exits", "unspent", "fees"):
            assert all(n <= poison[kind].get(key, 0) for key, n in other[kind].items()), kind
