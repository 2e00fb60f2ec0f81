"""Account-chain taint models on hand-built transfer sequences (answers worked out by hand),
then on random ones: conservation for every model, fifo against a unit-by-unit reference,
haircut against naive fractions, poison as an upper bound; forward, then backward."""

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
    AccountSource,
    AccountTrace,
    Order,
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
    """The balance equation of :mod:`sanctrace.chain.account_taint`, term by term."""
    return (
        result.seed_amount + result.absorbed
        == sum(e.amount for e in result.exits)
        + sum(h.amount for h in result.unspent)
        + sum(s.amount for s in result.sources)
        + sum(h.amount for h in result.at_limit)
        + result.fees
        + result.dust
        + result.returned
        == result.accounted
    )


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


# --- backward: where the funds came from ---------------------------------------------------


def victim(address: str) -> str | None:
    """Exchanges, and the hot wallet the theft emptied: the services funds come from."""
    return "victim" if address == "hot" else exchange(address)


def sources(result: AccountTrace) -> dict[tuple[str, str | None], int]:
    return {(s.address, s.tx_hash): s.amount for s in result.sources}


DEPOSIT = THEFT[5]  # a --500--> exch (t4): where did the deposit come from?


@pytest.mark.parametrize(
    ("model", "exits", "before", "absorbed"),
    [
        # poison: every earlier transfer into a is tainted in full (400 + 600), and so all of
        # thief's 1000 from hot: the 500 a kept, thief's 390 to b and its 10 of gas are
        # absorbed; funder's 400 predate the data (t0 overdraws funder's known balance)
        ("poison", {"hot": 1000}, 400, 900),
        # haircut: a held 400 from funder and 600 from thief when it paid 500: 200 and 300,
        # and thief's 300 all came from hot (t1)
        ("haircut", {"hot": 300}, 200, 0),
        # fifo: a's oldest 400 (funder's) went first, then 100 of thief's 600
        ("fifo", {"hot": 100}, 400, 0),
    ],
)
def test_theft_backward(
    model: AccountModel, exits: dict[str, int], before: int, absorbed: int
) -> None:
    result = trace_accounts(THEFT, [DEPOSIT], model, direction="backward", is_exit=victim)["eth"]
    assert result.direction == "backward" and result.seed_amount == 500
    assert {e.address: e.amount for e in result.exits} == exits
    assert result.sources == (AccountSource("funder", "t0", before),)
    assert result.absorbed == absorbed
    # backward nothing is left unspent or burnt: balances run back to zero
    assert (result.unspent, result.fees, result.returned) == ((), 0, 0)
    assert balanced(result)
    (hot,) = result.exits
    assert hot.paths[0].tx_hashes == ("t1", "t2", "t4")  # chain order, as forward
    assert hot.first_seen == hot.last_seen == START + timedelta(minutes=1)


def test_backward_hop_limit_counts_the_seed_transfer() -> None:
    # the seed's sender a is one hop back, thief two, hot three
    one = trace_accounts(
        THEFT, [DEPOSIT], "haircut", direction="backward", is_exit=victim, max_hops=1
    )["eth"]
    assert {h.address: h.amount for h in one.at_limit} == {"a": 500}
    assert (one.exits, one.sources) == ((), ())
    two = trace_accounts(
        THEFT, [DEPOSIT], "haircut", direction="backward", is_exit=victim, max_hops=2
    )["eth"]
    assert {h.address: h.amount for h in two.at_limit} == {"thief": 300}
    assert sources(two) == {("funder", "t0"): 200}
    assert balanced(one) and balanced(two)


def test_backward_dust_and_a_seed_from_an_exit() -> None:
    result = trace_accounts(
        THEFT, [DEPOSIT], "haircut", direction="backward", is_exit=victim, min_amount=250
    )["eth"]
    assert (result.dust, {e.address: e.amount for e in result.exits}) == (200, {"hot": 300})
    # the theft itself came straight out of the hot wallet: an exit at once, one hop back
    theft = trace_accounts(THEFT, [STOLEN], "fifo", direction="backward", is_exit=victim)
    (hot,) = theft["eth"].exits
    assert (hot.address, hot.amount, hot.paths[0].tx_hashes) == ("hot", 1000, ("t1",))


def test_backward_address_seed_claims_the_oldest_funds_it_holds() -> None:
    # after t4, a holds 500: fifo, the rest of thief's 600; haircut, 200 funder + 300 thief.
    # The seed claims 600: the 100 beyond the balance predate the data.
    seed = Seed("eth", "a", 600, (5, 0, 0))
    fifo = trace_accounts(THEFT, [seed], "fifo", direction="backward", is_exit=victim)["eth"]
    assert {e.address: e.amount for e in fifo.exits} == {"hot": 500}
    assert sources(fifo) == {("a", None): 100}
    haircut = trace_accounts(THEFT, [seed], "haircut", direction="backward", is_exit=victim)
    assert {e.address: e.amount for e in haircut["eth"].exits} == {"hot": 300}
    assert sources(haircut["eth"]) == {("a", None): 100, ("funder", "t0"): 200}
    assert balanced(fifo) and balanced(haircut["eth"])


def test_backward_taint_a_later_seed_claimed_is_returned() -> None:
    # t2 (thief -> a, 600) is a seed, and so is t4, which took 100 of t2's units (fifo)
    seeds = [THEFT[3], DEPOSIT]
    result = trace_accounts(THEFT, seeds, "fifo", direction="backward", is_exit=victim)["eth"]
    assert (result.seed_amount, result.returned) == (1100, 100)
    assert {e.address: e.amount for e in result.exits} == {"hot": 600}
    assert sources(result) == {("funder", "t0"): 400}
    # two seeds claiming more than an address holds: the overlap is returned
    twice = [Seed("eth", "a", 300, (5, 0, 0)), Seed("eth", "a", 300, (5, 0, 1))]
    both = trace_accounts(THEFT, twice, "fifo", direction="backward", is_exit=victim)["eth"]
    assert (both.returned, {e.address: e.amount for e in both.exits}) == (100, {"hot": 500})
    assert balanced(result) and balanced(both)


def test_backward_haircut_rounding_balances_to_the_unit() -> None:
    transfers = [*pay(0, "f1", "x", 1), *pay(1, "f2", "x", 1), *pay(2, "f3", "x", 1)]
    transfers += pay(3, "x", "y", 1)
    result = trace_accounts(transfers, [transfers[-1]], "haircut", direction="backward")["eth"]
    # each funder gave 1/3 of the unit x paid; the largest remainder (the first) takes it
    assert sources(result) == {("f1", "t0"): 1}
    assert balanced(result)


def test_backward_fees_are_paid_by_the_sender_and_traced_by_no_one() -> None:
    # x paid its 10 of gas before sending 90: fifo, the gas took the oldest funds (f1's)
    transfers = [*pay(0, "f1", "x", 50), *pay(1, "f2", "x", 50), *pay(2, "x", "y", 90, fee=10)]
    result = trace_accounts(transfers, [transfers[-1]], "fifo", direction="backward")["eth"]
    assert sources(result) == {("f1", "t0"): 40, ("f2", "t1"): 50}
    assert result.fees == 0 and balanced(result)


def test_backward_token_is_its_own_balance() -> None:
    transfers = [
        *pay(1, "hot", "thief", 100),
        *pay(2, "exch1", "thief", 5000, asset="usdt"),
        *pay(3, "thief", "b", 3000, asset="usdt", fee=7),
    ]
    traces = trace_accounts(
        transfers, [transfers[-1]], "haircut", direction="backward", is_exit=victim
    )
    assert set(traces) == {"usdt"}
    assert {e.address: e.amount for e in traces["usdt"].exits} == {"exch1": 3000}


def test_backward_bad_input_is_refused() -> None:
    with pytest.raises(InputError, match="forward or backward"):
        trace_accounts(THEFT, [DEPOSIT], "fifo", direction="sideways")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="sort by order"):
        trace_accounts([*THEFT[1:], THEFT[0]], [DEPOSIT], "fifo", direction="backward")
    with pytest.raises(InputError, match="not among the transfers"):
        trace_accounts(THEFT[:4], [DEPOSIT], "haircut", direction="backward")


# --- backward on random transfer sequences -------------------------------------------------

END: Order = (10**6, 0, 0)  # after every transfer: what an address holds at the end


@st.composite
def backward_histories(draw: st.DrawFn) -> History:
    """A history's transfers (which overdraw wherever a forward seed gave funds: those
    predate the data), seeded with some of its transfers and with what addresses hold at
    the end, one seed per address."""
    transfers, _ = draw(histories())
    seeds: list[Seed | Transfer] = []
    candidates = [t for t in transfers if t.to_address is not None]
    if candidates:
        seeds += draw(st.lists(st.sampled_from(candidates), max_size=2, unique=True))
    holders = draw(st.lists(st.sampled_from(ADDRESSES), max_size=2, unique=True))
    for k, address in enumerate(holders):
        asset, amount = draw(st.sampled_from(ASSETS)), draw(st.integers(1, 9))
        seeds.append(Seed(asset, address, amount, (END[0], 0, k)))
    if not seeds:
        seeds.append(Seed("eth", "a", 3, END))
    return transfers, seeds


Unit = tuple[int, int]  # (index of a transfer, position of the unit in its value)


def carried(
    transfers: Sequence[Transfer],
) -> tuple[dict[Unit, Unit | None], dict[tuple[str, str], list[Unit]]]:
    """Forward fifo, unit by unit: the unit of an earlier transfer into its sender that each
    unit of each transfer is (None: funds from before the data), and what every address
    holds at the end, oldest first."""
    queues: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    origin: dict[Unit, Unit | None] = {}
    for k, t in enumerate(transfers):
        queue = queues[(t.asset, t.from_address)]
        taken: list[Unit | None] = [*queue[: t.value]]
        del queue[: t.value]
        taken += [None] * (t.value - len(taken))
        origin.update(((k, x), unit) for x, unit in enumerate(taken))
        if t.to_address is not None:
            queues[(t.asset, t.to_address)] += [(k, x) for x in range(t.value)]
    return origin, queues


def reference_backward_fifo(
    transfers: Sequence[Transfer],
    seeds: Sequence[Seed | Transfer],
    max_hops: int | None = None,
    minimum: int = 0,
) -> dict[str, dict[tuple[str, str | None, str | None], int]]:
    """Backward fifo one unit at a time: a traced unit of a transfer is the unit it was in
    its sender's balance; address seeds (at the end) claim the oldest units held."""
    origin, held = carried(transfers)
    traced: set[Unit] = set()
    hops: dict[tuple[str, str], int] = {}
    found: dict[str, dict[tuple[str, str | None, str | None], int]] = {
        k: defaultdict(int) for k in ("exits", "sources", "at_limit", "dust", "returned")
    }
    stolen = {(s.tx_hash, s.seq) for s in seeds if isinstance(s, Transfer)}

    def reach(units: list[Unit], t: Transfer, hop: int) -> None:
        for unit in units:
            came = origin[unit]
            if came is None:
                found["sources"][(t.asset, t.from_address, t.tx_hash)] += 1
            else:
                traced.add(came)
        key = (t.asset, t.from_address)
        hops[key] = min(hop, hops.get(key, hop))

    for s in seeds:
        if not isinstance(s, Seed):
            continue
        if victim(s.address):
            found["exits"][(s.asset, s.address, None)] += s.amount
            continue
        queue = held[(s.asset, s.address)]
        before = max(0, s.amount - len(queue))
        found["sources"][(s.asset, s.address, None)] += before
        clean = [u for u in queue if u not in traced]
        claim = s.amount - before
        found["returned"][(s.asset, None, None)] += max(0, claim - len(clean))
        traced.update(clean[:claim])
        hops[(s.asset, s.address)] = 0
    for k in range(len(transfers) - 1, -1, -1):
        t = transfers[k]
        units = [(k, x) for x in range(t.value) if (k, x) in traced]
        if (t.tx_hash, t.seq) in stolen:
            found["returned"][(t.asset, None, None)] += len(units)
            if victim(t.from_address):
                found["exits"][(t.asset, t.from_address, None)] += t.value
            else:
                reach([(k, x) for x in range(t.value)], t, 1)
            continue
        if not units:
            continue
        assert t.to_address is not None, "fees are in no one's balance"
        hop = hops[(t.asset, t.to_address)] + 1
        if max_hops is not None and hop > max_hops:
            found["at_limit"][(t.asset, t.to_address, None)] += len(units)
        elif victim(t.from_address):
            found["exits"][(t.asset, t.from_address, None)] += len(units)
        elif len(units) < minimum:
            found["dust"][(t.asset, None, None)] += len(units)
        else:
            reach(units, t, hop)
    return {k: {key: n for key, n in book.items() if n} for k, book in found.items()}


def found_backward(
    traces: dict[str, AccountTrace],
) -> dict[str, dict[tuple[str, str | None, str | None], int]]:
    return {
        "exits": {(a, e.address, None): e.amount for a, r in traces.items() for e in r.exits},
        "sources": {
            (a, s.address, s.tx_hash): s.amount for a, r in traces.items() for s in r.sources
        },
        "at_limit": {(a, h.address, None): h.amount for a, r in traces.items() for h in r.at_limit},
        "dust": {(a, None, None): r.dust for a, r in traces.items() if r.dust},
        "returned": {(a, None, None): r.returned for a, r in traces.items() if r.returned},
    }


@settings(max_examples=200, deadline=None)
@given(backward_histories(), st.one_of(st.none(), st.integers(0, 3)), st.integers(0, 4))
def test_backward_fifo_matches_unit_by_unit(
    history: History, hops: int | None, minimum: int
) -> None:
    transfers, seeds = history
    traces = trace_accounts(
        transfers,
        seeds,
        "fifo",
        direction="backward",
        max_hops=hops,
        min_amount=minimum,
        is_exit=victim,
    )
    assert found_backward(traces) == reference_backward_fifo(transfers, seeds, hops, minimum)


def reference_backward_haircut(
    transfers: Sequence[Transfer], seeds: Sequence[Seed | Transfer]
) -> dict[str, dict[tuple[str, str | None, str | None], Fraction]]:
    """Backward pro rata as plain fractions: forward, every transfer's value is a mix of what
    the earlier transfers into its sender still made up of the balance (and of funds from
    before the data); backward, a traced amount is shared over that mix."""
    mixes: dict[tuple[str, str], dict[int, Fraction]] = defaultdict(dict)
    made_of: list[tuple[dict[int, Fraction], int]] = []  # per transfer: mix, before the data
    for k, t in enumerate(transfers):
        mix = mixes[(t.asset, t.from_address)]
        balance = sum(mix.values(), Fraction(0))
        share = min(Fraction(t.value) / balance, Fraction(1)) if balance else Fraction(0)
        made_of.append(({j: part * share for j, part in mix.items()}, max(0, t.value - balance)))
        for j in mix:
            mix[j] *= 1 - share
        if t.to_address is not None:
            mixes[(t.asset, t.to_address)][k] = Fraction(t.value)
    found: dict[str, dict[tuple[str, str | None, str | None], Fraction]] = {
        k: defaultdict(Fraction) for k in ("exits", "sources", "returned")
    }
    traced: dict[int, Fraction] = defaultdict(Fraction)
    for s in seeds:
        if not isinstance(s, Seed):
            continue
        if victim(s.address):
            found["exits"][(s.asset, s.address, None)] += s.amount
            continue
        mix = mixes[(s.asset, s.address)]
        balance = sum(mix.values(), Fraction(0))
        before = max(Fraction(0), s.amount - balance)
        found["sources"][(s.asset, s.address, None)] += before
        for j, part in mix.items() if balance else ():
            traced[j] += (s.amount - before) * part / balance
    stolen = {(s.tx_hash, s.seq) for s in seeds if isinstance(s, Transfer)}
    for k in range(len(transfers) - 1, -1, -1):
        t, amount = transfers[k], traced.pop(k, Fraction(0))
        if (t.tx_hash, t.seq) in stolen:
            found["returned"][(t.asset, None, None)] += amount
            amount = Fraction(t.value)
        if not amount:
            continue
        if victim(t.from_address):
            found["exits"][(t.asset, t.from_address, None)] += amount
            continue
        mix, before = made_of[k]
        found["sources"][(t.asset, t.from_address, t.tx_hash)] += amount * before / t.value
        for j, part in mix.items():
            traced[j] += amount * part / t.value
    return found


@settings(max_examples=200, deadline=None)
@given(backward_histories())
def test_backward_haircut_is_within_a_unit_of_exact_fractions(history: History) -> None:
    transfers, seeds = history
    traces = trace_accounts(transfers, seeds, "haircut", direction="backward", is_exit=victim)
    got, expected = found_backward(traces), reference_backward_haircut(transfers, seeds)
    for kind, book in expected.items():
        for key in set(book) | set(got[kind]):
            assert abs(got[kind].get(key, 0) - book.get(key, Fraction(0))) < 1, (kind, key)


@settings(max_examples=200, deadline=None)
@given(
    backward_histories(),
    st.sampled_from(ACCOUNT_MODELS),
    st.one_of(st.none(), st.integers(0, 3)),
    st.integers(0, 4),
)
def test_every_model_balances_backward(
    history: History, model: AccountModel, hops: int | None, minimum: int
) -> None:
    transfers, seeds = history
    traces = trace_accounts(
        transfers,
        seeds,
        model,
        direction="backward",
        max_hops=hops,
        min_amount=minimum,
        is_exit=victim,
    )
    for result in traces.values():
        assert balanced(result)
        assert (result.unspent, result.fees) == ((), 0)
        assert model == "poison" or result.absorbed == 0


@settings(max_examples=200, deadline=None)
@given(backward_histories())
def test_backward_poison_bounds_the_other_models(history: History) -> None:
    transfers, seeds = history
    poison = found_backward(
        trace_accounts(transfers, seeds, "poison", direction="backward", is_exit=victim)
    )
    for model in ("haircut", "fifo"):
        other = found_backward(
            trace_accounts(transfers, seeds, model, direction="backward", is_exit=victim)
        )
        for kind in ("exits", "sources"):
            for key, n in other[kind].items():
                assert n <= poison[kind].get(key, 0), (model, kind, key)
