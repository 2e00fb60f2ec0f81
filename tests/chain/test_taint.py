"""Taint models on hand-built graphs (answers worked out by hand), then on random UTXO DAGs:
conservation for every model, fifo against a satoshi-by-satoshi reference, haircut against
naive fractions, poison as an upper bound."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.chain.taint import (
    MODELS,
    Model,
    Outpoint,
    Trace,
    Tx,
    TxIn,
    TxOut,
    UtxoGraph,
    seeds_paying,
    trace,
)
from sanctrace.errors import InputError

Spend = tuple[str, int, str, int]  # spent tx, n, address, value


def make_tx(tx_hash: str, order: int, ins: Sequence[Spend], outs: Sequence[tuple[str, int]]) -> Tx:
    inputs = tuple(TxIn(*i) for i in ins) or (TxIn(None, None, None, 0),)
    return Tx(tx_hash, order, inputs, tuple(TxOut(n, a, v) for n, (a, v) in enumerate(outs)))


def exchange(address: str) -> str | None:
    return "exchange" if address.startswith("exch") or address.startswith("hot") else None


# A theft from a hot wallet (F1), a split, a merge with clean funds (F2), an exchange deposit
# and a peel to a second exchange:
#
#   F1 --1000--> T --990 thief--> S --500 a--> M --300 c (unspent)
#                                 |      F2 --600 clean--^ --790 d--> D --780 exch
#                                 +--480 b--> P --100 exch2, --370 b2 (unspent)
#
# every spending transaction pays a fee of 10.
THEFT = UtxoGraph(
    [
        make_tx("F1", 0, [], [("hot", 1000)]),
        make_tx("F2", 1, [], [("clean", 600)]),
        make_tx("T", 2, [("F1", 0, "hot", 1000)], [("thief", 990)]),
        make_tx("S", 3, [("T", 0, "thief", 990)], [("a", 500), ("b", 480)]),
        make_tx("M", 4, [("S", 0, "a", 500), ("F2", 0, "clean", 600)], [("c", 300), ("d", 790)]),
        make_tx("D", 5, [("M", 1, "d", 790)], [("exch", 780)]),
        make_tx("P", 6, [("S", 1, "b", 480)], [("exch2", 100), ("b2", 370)]),
    ]
)


def amounts(trace_: Trace) -> dict[str, object]:
    return {
        "exits": {e.address: e.amount for e in trace_.exits},
        "unspent": {h.address: h.amount for h in trace_.unspent},
        "fees": trace_.fees,
    }


def balanced(t: Trace) -> bool:
    return t.accounted == t.seed_amount + t.absorbed


@pytest.mark.parametrize(
    ("model", "exits", "unspent", "fees", "absorbed"),
    [
        # poison: the merge pulls the 600 clean coins in, every output is fully tainted
        ("poison", {"exch": 780, "exch2": 100}, {"c": 300, "b2": 370}, 40, 600),
        # haircut: the merge keeps 500/1100 of each output: exch 3900/11, c 1500/11, fees
        # 20 + 100/11; rounded down (354, 136, 29) leaves one satoshi, which goes to the
        # largest remainder (exch, 6/11)
        ("haircut", {"exch": 355, "exch2": 100}, {"c": 136, "b2": 370}, 29, 0),
        # fifo: the tainted 500 lie first in the merge: c takes 300, d the next 200
        ("fifo", {"exch": 200, "exch2": 100}, {"c": 300, "b2": 370}, 20, 0),
        # tiho: the merge's 500 go to its largest output d; the peel's 480 go to b2 first
        ("tiho", {"exch": 500, "exch2": 100}, {"b2": 370}, 20, 0),
    ],
)
def test_theft_forward(
    model: Model, exits: dict[str, int], unspent: dict[str, int], fees: int, absorbed: int
) -> None:
    result = trace(THEFT, [("T", 0)], model, is_exit=exchange)
    assert result.seed_amount == 990
    assert amounts(result) == {"exits": exits, "unspent": unspent, "fees": fees}
    assert result.absorbed == absorbed
    assert balanced(result)
    by_address = {e.address: e for e in result.exits}
    assert by_address["exch"].paths[0].tx_hashes == ("T", "S", "M", "D")
    assert by_address["exch2"].paths[0].tx_hashes == ("T", "S", "P")
    assert by_address["exch2"].share == Fraction(100, 990)
    assert by_address["exch"].label == "exchange"


def test_hop_limit_reports_what_it_left() -> None:
    result = trace(THEFT, [("T", 0)], "fifo", is_exit=exchange, max_hops=2)
    # S is hop 1, M and P hop 2: D (hop 3) is not taken, so d's 200 stay at the limit
    assert [(h.address, h.amount) for h in result.at_limit] == [("d", 200)]
    assert [(e.address, e.amount) for e in result.exits] == [("exch2", 100)]
    assert balanced(result)


def test_taint_below_the_minimum_is_dust() -> None:
    result = trace(THEFT, [("T", 0)], "fifo", is_exit=exchange, min_amount=250)
    assert result.dust == 200  # d carries 200 < 250 and is spent: not followed
    assert [e.address for e in result.exits] == ["exch2"]
    assert balanced(result)


def test_without_exits_everything_ends_unspent_or_in_fees() -> None:
    result = trace(THEFT, [("T", 0)], "tiho")
    assert amounts(result) == {
        "exits": {},
        "unspent": {"exch": 500, "exch2": 100, "b2": 370},
        "fees": 20,
    }


def test_backward_fifo_finds_the_coinbases() -> None:
    result = trace(THEFT, [("D", 0)], "fifo", direction="backward")
    # exch's 780 are d's first 780, i.e. [300, 1080) of the merge: 200 from a, 580 clean
    assert {(s.kind, s.tx_hash, s.amount) for s in result.sources} == {
        ("coinbase", "F1", 200),
        ("coinbase", "F2", 580),
    }
    assert result.fees == 0 and balanced(result)


def test_backward_haircut_rounds_to_the_target_value() -> None:
    result = trace(THEFT, [("D", 0)], "haircut", direction="backward")
    # 780 * 500/1100 = 3900/11 from F1, 780 * 600/1100 = 4680/11 from F2
    assert {s.tx_hash: s.amount for s in result.sources} == {"F1": 355, "F2": 425}


def test_backward_stops_at_a_service_and_at_the_hop_limit() -> None:
    result = trace(THEFT, [("D", 0)], "fifo", direction="backward", is_exit=exchange)
    assert [(e.address, e.amount) for e in result.exits] == [("hot", 200)]
    assert result.exits[0].paths[0].tx_hashes == ("T", "S", "M", "D")
    limited = trace(THEFT, [("D", 0)], "fifo", direction="backward", max_hops=2)
    assert {(h.address, h.amount) for h in limited.at_limit} == {("a", 200), ("clean", 580)}
    assert balanced(limited)


def test_hops_count_along_the_shortest_way() -> None:
    graph = UtxoGraph(
        [
            make_tx("T", 0, [], [("x", 10), ("y", 10)]),
            make_tx("A", 1, [("T", 1, "y", 10)], [("z", 10)]),
            make_tx("B", 2, [("T", 0, "x", 10), ("A", 0, "z", 10)], [("w", 20)]),
        ]
    )
    # B is one hop from the seed T:0 (and two through A): with one hop allowed it is taken
    result = trace(graph, [("T", 0), ("T", 1)], "poison", max_hops=1)
    assert [(h.address, h.amount) for h in result.unspent] == [("w", 20)]
    assert result.at_limit == ()
    # seeded with T:1 alone, B is two hops away
    result = trace(graph, [("T", 1)], "poison", max_hops=1)
    assert [(h.address, h.amount) for h in result.at_limit] == [("z", 10)]
    assert result.unspent == () and balanced(result)


def test_tiho_fills_equal_outputs_in_output_order() -> None:
    graph = UtxoGraph(
        [
            make_tx("F", 0, [], [("thief", 6), ("clean", 14)]),
            make_tx("G", 1, [("F", 1, "clean", 14), ("F", 0, "thief", 6)], [("p", 9), ("q", 9)]),
        ]
    )
    result = trace(graph, [("F", 0)], "tiho")
    assert [(h.address, h.amount) for h in result.unspent] == [("p", 6)]
    assert result.fees == 0
    # fifo: the thief's coins lie last, [14, 20): q holds [14, 18), the fee [18, 20)
    fifo = trace(graph, [("F", 0)], "fifo")
    assert [(h.address, h.amount) for h in fifo.unspent] == [("q", 4)]
    assert fifo.fees == 2


def test_exits_say_when_the_coins_arrived_and_keep_the_heaviest_paths() -> None:
    def at(day: int) -> datetime:
        return datetime(2025, 2, day, tzinfo=UTC)

    txs = [
        Tx("T", 0, (TxIn(None, None, None, 0),), (TxOut(0, "a", 60), TxOut(1, "b", 40)), at(21)),
        Tx("D1", 1, (TxIn("T", 1, "b", 40),), (TxOut(0, "exch", 40),), at(22)),
        Tx("D2", 2, (TxIn("T", 0, "a", 60),), (TxOut(0, "exch", 60),), at(25)),
    ]
    result = trace(UtxoGraph(txs), [("T", 0), ("T", 1)], "fifo", is_exit=exchange, k_paths=1)
    (deposit,) = result.exits
    assert (deposit.amount, deposit.share) == (100, 1)
    assert (deposit.first_seen, deposit.last_seen) == (at(22), at(25))
    assert [(p.tx_hashes, p.amount) for p in deposit.paths] == [(("T", "D2"), 60)]


def test_backward_names_coins_from_outside_the_graph() -> None:
    # G spends an output of a transaction the graph does not hold, and a shielded input
    g = Tx(
        "G",
        1,
        (TxIn("elsewhere", 3, "far", 30), TxIn(None, None, None, 10)),
        (TxOut(0, "target", 36),),
    )
    result = trace(UtxoGraph([g]), [("G", 0)], "haircut", direction="backward")
    assert {(s.kind, s.tx_hash, s.address, s.amount) for s in result.sources} == {
        ("outside", "elsewhere", "far", 27),  # 36 * 30/40
        ("unlinked", "G", None, 9),
    }
    assert result.fees == 0 and balanced(result)


def peel_chain(hops: int) -> UtxoGraph:
    """A theft of 1000 peeled 100 at a time into exchange deposits, 1 satoshi fee a hop."""
    txs = [make_tx("theft", 0, [], [("thief", 1000)])]
    change = 1000
    for i in range(hops):
        prev = txs[-1].tx_hash
        n = 0 if i == 0 else 1
        rest = change - 100 - 1
        txs.append(
            make_tx(f"peel{i}", i + 1, [(prev, n, "x", change)], [(f"exch{i}", 100), ("x", rest)])
        )
        change = rest
    return UtxoGraph(txs)


@pytest.mark.parametrize("model", MODELS)
def test_a_peel_chain_is_the_same_under_every_model(model: Model) -> None:
    result = trace(peel_chain(5), [("theft", 0)], model, is_exit=exchange)
    assert [e.amount for e in result.exits] == [100] * 5
    assert result.fees == 5 and [(h.address, h.amount) for h in result.unspent] == [("x", 495)]
    assert {e.address: e.paths[0].tx_hashes for e in result.exits}["exch2"] == (
        "theft",
        "peel0",
        "peel1",
        "peel2",
    )


def test_address_seeds_count_change_back_once() -> None:
    graph = UtxoGraph(
        [
            make_tx("T", 0, [], [("thief", 990)]),
            make_tx("S", 1, [("T", 0, "thief", 990)], [("exch", 500), ("thief", 480)]),
        ]
    )
    seeds = seeds_paying(graph, ["thief"])
    assert seeds == [("T", 0), ("S", 1)]
    result = trace(graph, seeds, "haircut", is_exit=exchange)
    assert result.seed_amount == 990 + 480
    assert result.returned == 480  # the change S paid back to the seed address
    assert [(h.address, h.amount) for h in result.unspent] == [("thief", 480)]
    assert balanced(result)


def test_the_graph_refuses_impossible_transactions() -> None:
    with pytest.raises(InputError, match="exceed"):
        UtxoGraph(
            [make_tx("F", 0, [], [("a", 5)]), make_tx("G", 1, [("F", 0, "a", 5)], [("b", 6)])]
        )
    with pytest.raises(InputError, match="already spent"):
        UtxoGraph(
            [
                make_tx("F", 0, [], [("a", 5)]),
                make_tx("G", 1, [("F", 0, "a", 5)], [("b", 5)]),
                make_tx("H", 2, [("F", 0, "a", 5)], [("c", 5)]),
            ]
        )
    with pytest.raises(InputError, match="not earlier"):
        UtxoGraph(
            [make_tx("F", 1, [], [("a", 5)]), make_tx("G", 1, [("F", 0, "a", 5)], [("b", 5)])]
        )
    with pytest.raises(InputError, match="no such output"):
        trace(THEFT, [("T", 7)], "fifo")


# --- random DAGs ---------------------------------------------------------------------------

ADDRESSES = ["a", "b", "c", "exch", "hot"]


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[Tx], list[Outpoint]]:
    """A valid UTXO DAG: each output spent at most once, inputs >= outputs; and some seeds."""
    txs: list[Tx] = []
    unspent: list[tuple[str, int, str, int]] = []
    for k in range(draw(st.integers(1, 9))):
        tx_hash = f"t{k}"
        if not unspent or draw(st.integers(0, 3)) == 0:
            ins: list[Spend] = []
            values = draw(st.lists(st.integers(0, 12), min_size=1, max_size=3))
        else:
            picks = draw(
                st.lists(st.integers(0, len(unspent) - 1), min_size=1, max_size=3, unique=True)
            )
            ins = [unspent[i] for i in picks]
            unspent = [u for i, u in enumerate(unspent) if i not in picks]
            total = sum(i[3] for i in ins)
            fee = draw(st.integers(0, min(total, 3)))
            cuts = sorted(draw(st.lists(st.integers(0, total - fee), max_size=3)))
            values = [b - a for a, b in zip([0, *cuts], [*cuts, total - fee], strict=True)]
        outs = [(draw(st.sampled_from(ADDRESSES)), v) for v in values]
        txs.append(make_tx(tx_hash, k, ins, outs))
        unspent += [(tx_hash, n, a, v) for n, (a, v) in enumerate(outs)]
    outpoints = [(t.tx_hash, o.n) for t in txs for o in t.outputs]
    seeds = draw(st.lists(st.sampled_from(outpoints), min_size=1, max_size=3, unique=True))
    return txs, seeds


limits = st.one_of(st.none(), st.integers(0, 4))


@settings(max_examples=150, deadline=None)
@given(
    dags(),
    st.sampled_from(MODELS),
    st.sampled_from(["forward", "backward"]),
    limits,
    st.integers(0, 6),
)
def test_every_model_conserves_the_seed_amount(
    dag: tuple[list[Tx], list[Outpoint]],
    model: Model,
    direction: str,
    hops: int | None,
    minimum: int,
) -> None:
    txs, seeds = dag
    result = trace(
        UtxoGraph(txs),
        seeds,
        model,
        direction="forward" if direction == "forward" else "backward",
        max_hops=hops,
        min_amount=minimum,
        is_exit=exchange,
    )
    assert result.accounted == result.seed_amount + result.absorbed
    assert all(e.amount >= 0 for e in result.exits)
    assert model == "poison" or result.absorbed == 0


def reference_fifo(txs: list[Tx], seeds: list[Outpoint]) -> dict[str, object]:
    """Clayton's rule one satoshi at a time: each satoshi is a flag, inputs are concatenated,
    outputs take them in order, the fee takes the rest."""
    spent = {(i.spent_tx_hash, i.spent_n) for t in txs for i in t.inputs}
    flags: dict[tuple[str | None, int | None], list[bool]] = {}
    exits: dict[str, int] = defaultdict(int)
    unspent: dict[str | None, int] = defaultdict(int)
    fees = returned = 0
    for tx in txs:
        line = [
            f for i in tx.inputs for f in flags.get((i.spent_tx_hash, i.spent_n), [False] * i.value)
        ]
        at = 0
        for out in tx.outputs:
            bits, at = line[at : at + out.value], at + out.value
            bits += [False] * (out.value - len(bits))  # a coinbase creates clean coins
            op = (tx.tx_hash, out.n)
            if op in seeds:
                returned += sum(bits)
                bits = [True] * out.value
            if out.address and exchange(out.address):
                exits[out.address] += sum(bits)
                bits = [False] * out.value
            elif op not in spent:
                unspent[out.address] += sum(bits)
            flags[op] = bits
        if not tx.is_coinbase:
            fees += sum(line[at:])
    return {
        "exits": {a: n for a, n in exits.items() if n},
        "unspent": {a: n for a, n in unspent.items() if n},
        "fees": fees,
        "returned": returned,
    }


@settings(max_examples=150, deadline=None)
@given(dags())
def test_fifo_matches_satoshi_by_satoshi(dag: tuple[list[Tx], list[Outpoint]]) -> None:
    txs, seeds = dag
    result = trace(UtxoGraph(txs), seeds, "fifo", is_exit=exchange)
    assert {**amounts(result), "returned": result.returned} == reference_fifo(txs, seeds)


def reference_fifo_backward(txs: list[Tx], seeds: list[Outpoint]) -> dict[str, object]:
    """The same, from the targets back: outputs concatenated, inputs take them in order."""
    flags: dict[Outpoint, list[bool]] = {op: [True] * v for op, v in values(txs, seeds)}
    exits: dict[str, int] = defaultdict(int)
    sources: dict[str, int] = defaultdict(int)
    returned = 0
    for tx in reversed(txs):
        line = [f for o in tx.outputs for f in flags.get((tx.tx_hash, o.n), [False] * o.value)]
        if tx.is_coinbase:
            if sum(line):
                sources[tx.tx_hash] += sum(line)
            continue
        at = 0
        for inp in tx.inputs:
            bits, at = line[at : at + inp.value], at + inp.value
            assert inp.spent_tx_hash is not None and inp.spent_n is not None
            op = (inp.spent_tx_hash, inp.spent_n)
            if op in seeds:
                returned += sum(bits)
            elif inp.address and exchange(inp.address):
                exits[inp.address] += sum(bits)
            else:
                flags[op] = bits + [False] * (inp.value - len(bits))
    return {
        "exits": {a: n for a, n in exits.items() if n},
        "sources": {a: n for a, n in sources.items() if n},
        "returned": returned,
    }


def values(txs: list[Tx], seeds: list[Outpoint]) -> list[tuple[Outpoint, int]]:
    outputs = {(t.tx_hash, o.n): o.value for t in txs for o in t.outputs}
    return [(op, outputs[op]) for op in seeds]


@settings(max_examples=150, deadline=None)
@given(dags())
def test_backward_fifo_matches_satoshi_by_satoshi(dag: tuple[list[Tx], list[Outpoint]]) -> None:
    txs, seeds = dag
    result = trace(UtxoGraph(txs), seeds, "fifo", direction="backward", is_exit=exchange)
    assert {
        "exits": {e.address: e.amount for e in result.exits},
        "sources": {s.tx_hash: s.amount for s in result.sources},
        "returned": result.returned,
    } == reference_fifo_backward(txs, seeds)


def reference_haircut(
    txs: list[Tx], seeds: list[Outpoint]
) -> dict[str, dict[str | None, Fraction]]:
    """Pro rata taint as plain fractions, one transaction after the other."""
    spent = {(i.spent_tx_hash, i.spent_n) for t in txs for i in t.inputs}
    taint: dict[tuple[str | None, int | None], Fraction] = {}
    found: dict[str, dict[str | None, Fraction]] = {
        "exits": defaultdict(Fraction),
        "unspent": defaultdict(Fraction),
        "fees": defaultdict(Fraction),
    }
    for tx in txs:
        total_in = sum(i.value for i in tx.inputs)
        tainted = sum(
            (taint.get((i.spent_tx_hash, i.spent_n), Fraction(0)) for i in tx.inputs), Fraction(0)
        )
        for out in tx.outputs:
            op = (tx.tx_hash, out.n)
            share = tainted * out.value / total_in if tainted else Fraction(0)
            if op in seeds:
                share = Fraction(out.value)
            if out.address and exchange(out.address):
                found["exits"][out.address] += share
                share = Fraction(0)
            elif op not in spent:
                found["unspent"][out.address] += share
            taint[op] = share
        if tainted:
            found["fees"][None] += tainted * tx.fee / total_in
    return found


@settings(max_examples=150, deadline=None)
@given(dags())
def test_haircut_is_within_a_satoshi_of_exact_fractions(
    dag: tuple[list[Tx], list[Outpoint]],
) -> None:
    txs, seeds = dag
    result = trace(UtxoGraph(txs), seeds, "haircut", is_exit=exchange)
    expected = reference_haircut(txs, seeds)
    got: dict[str, dict[str | None, int]] = {
        "exits": {e.address: e.amount for e in result.exits},
        "unspent": {h.address: h.amount for h in result.unspent},
        "fees": {None: result.fees},
    }
    for kind, book in expected.items():
        for key in set(book) | set(got[kind]):
            assert abs(got[kind].get(key, 0) - book.get(key, Fraction(0))) < 1, (kind, key)


@settings(max_examples=150, deadline=None)
@given(dags(), st.sampled_from(["forward", "backward"]))
def test_poison_bounds_every_other_model(
    dag: tuple[list[Tx], list[Outpoint]], direction: str
) -> None:
    txs, seeds = dag
    graph = UtxoGraph(txs)
    way = "forward" if direction == "forward" else "backward"
    poison = trace(graph, seeds, "poison", direction=way, is_exit=exchange)
    upper = {e.address: e.amount for e in poison.exits}
    held = {h.address: h.amount for h in (*poison.unspent, *poison.at_limit)}
    reached = {(s.kind, s.tx_hash, s.address): s.amount for s in poison.sources}
    for model in ("haircut", "fifo", "tiho"):
        other = trace(graph, seeds, model, direction=way, is_exit=exchange)
        assert all(e.amount <= upper.get(e.address, 0) for e in other.exits)
        assert all(h.amount <= held.get(h.address, 0) for h in other.unspent)
        assert all(
            s.amount <= reached.get((s.kind, s.tx_hash, s.address), 0) for s in other.sources
        )
        assert other.fees <= poison.fees
