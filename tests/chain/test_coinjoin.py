"""CoinJoin detection: each pattern, and the near misses that must stay ordinary."""

from __future__ import annotations

from sanctrace.chain.coinjoin import COIN, Tx, TxIn, TxOut, detect, is_standard_denomination


def tx(inputs: list[tuple[str, int]], outputs: list[tuple[str, int]]) -> Tx:
    return Tx(
        "t",
        [TxIn(a, v) for a, v in inputs],
        [TxOut(n, a, v) for n, (a, v) in enumerate(outputs)],
    )


def whirlpool(pool: int = 5_000_000) -> Tx:
    inputs = [(f"in{i}", pool + 300 * i) for i in range(5)]
    outputs = [(f"out{i}", pool) for i in range(5)]
    return tx(inputs, outputs)


def test_whirlpool_five_by_five_at_a_pool_value() -> None:
    found = detect(whirlpool())
    assert found is not None
    assert found.pattern == "whirlpool"
    assert "0.05 BTC pool" in found.reason


def test_whirlpool_near_misses() -> None:
    # 5 x 5 equal outputs at a value that is no pool: generic at most
    odd = detect(whirlpool(pool=2_000_000))
    assert odd is not None and odd.pattern != "whirlpool"
    # six participants
    six = tx([(f"in{i}", 1_000_000) for i in range(6)], [(f"o{i}", 1_000_000) for i in range(6)])
    assert detect(six) is None or detect(six).pattern != "whirlpool"  # type: ignore[union-attr]
    # an input below the pool value cannot fund its output
    short = whirlpool()
    short = short._replace(inputs=[TxIn("in0", 4_000_000), *short.inputs[1:]])
    assert detect(short) is None or detect(short).pattern != "whirlpool"  # type: ignore[union-attr]


def test_wasabi1_round_with_coordinator_fee() -> None:
    denomination = COIN // 10 + 12_345  # the round's denomination, ~0.1 BTC
    inputs = [(f"in{i}", 25_000_000) for i in range(30)]
    outputs = [(f"mix{i}", denomination) for i in range(30)]
    outputs += [(f"change{i}", 14_000_000 + i) for i in range(25)] + [("coordinator", 900_000)]
    found = detect(tx(inputs, outputs))
    assert found is not None and found.pattern == "wasabi1"
    assert "30 equal outputs" in found.reason and "mixing level 0" in found.reason


def test_wasabi1_needs_the_denomination_and_a_fee_output() -> None:
    inputs = [(f"in{i}", 50_000_000) for i in range(30)]
    at_03 = tx(inputs, [(f"mix{i}", 30_000_000) for i in range(30)] + [("c", 5_000)])
    found = detect(at_03)
    assert found is not None and found.pattern != "wasabi1"
    no_fee = tx(inputs, [(f"mix{i}", COIN // 10) for i in range(30)])
    found = detect(no_fee)
    assert found is not None and found.pattern != "wasabi1"


def test_wasabi2_large_round_of_standard_denominations() -> None:
    denominations = [2**20, 3**12, 10**6, 5 * 10**6, 2 * 10**7]
    inputs = [(f"in{i}", 3_000_000 + 7 * i) for i in range(60)]
    outputs = [(f"o{i}", denominations[i % 5]) for i in range(60)]
    outputs += [(f"change{i}", 123_457 + i) for i in range(10)]
    found = detect(tx(inputs, outputs))
    assert found is not None and found.pattern == "wasabi2"
    assert "60 of 70 outputs at standard denominations" in found.reason


def test_wasabi2_near_miss_is_a_small_round() -> None:
    denominations = [2**20, 3**12, 10**6]
    small = tx(
        [(f"in{i}", 3_000_000) for i in range(12)],
        [(f"o{i}", denominations[i % 3]) for i in range(12)],
    )
    found = detect(small)
    assert found is None or found.pattern != "wasabi2"


def test_standard_denominations() -> None:
    assert all(is_standard_denomination(v) for v in (2**13, 3**9, 2 * 3**9, 10**5, 2 * 10**5))
    assert is_standard_denomination(5 * 10**6)
    assert not any(is_standard_denomination(v) for v in (1_000, 123_456, 3 * 10**5, 7 * 2**12))


def test_joinmarket_equal_outputs_and_change() -> None:
    inputs = [("maker1", 9_000_000), ("maker2", 8_000_000), ("taker", 7_500_000)]
    inputs.append(("taker", 100_000))
    outputs = [("cj1", 5_123_456), ("cj2", 5_123_456), ("cj3", 5_123_456)]
    outputs += [("ch1", 3_877_000), ("ch2", 2_876_000)]
    found = detect(tx(inputs, outputs))
    assert found is not None and found.pattern == "joinmarket"
    assert found.reason == "3 equal outputs of 0.05123456 BTC and 2 change outputs"


def test_generic_equal_outputs_without_change_limit() -> None:
    inputs = [(f"in{i}", 10_000_000) for i in range(4)]
    outputs = [(f"eq{i}", 2_000_000) for i in range(3)] + [(f"x{i}", 100_000 + i) for i in range(6)]
    found = detect(tx(inputs, outputs))
    assert found is not None and found.pattern == "generic"
    assert "inputs from 4 addresses" in found.reason


def test_near_misses_stay_ordinary() -> None:
    two_equal = tx([("a", 5), ("b", 5), ("c", 5)], [("x", 4), ("y", 4), ("z", 3)])
    assert detect(two_equal) is None
    one_owner = tx([("a", 5), ("a", 5), ("a", 5)], [("x", 4), ("y", 4), ("z", 4)])
    assert detect(one_owner) is None
    same_payee = tx([("a", 5), ("b", 5), ("c", 5)], [("x", 4), ("x", 4), ("x", 4)])
    assert detect(same_payee) is None
    # a mixed (equal) output back to an input address: a wallet paying itself, not a mix
    pays_back = tx([("a", 5), ("b", 5), ("c", 5)], [("a", 4), ("y", 4), ("z", 4), ("w", 2)])
    assert detect(pays_back) is None
    payment = tx([("a", 5_000), ("b", 7_000)], [("shop", 10_000), ("change", 1_900)])
    assert detect(payment) is None


def test_change_back_to_an_input_address_still_mixes() -> None:
    # participants whose wallets reuse addresses take their change back; the equal outputs
    # still go to fresh addresses, and the round is still a CoinJoin
    reused = tx([("a", 5), ("b", 5), ("c", 5)], [("x", 4), ("y", 4), ("z", 4), ("a", 2)])
    found = detect(reused)
    assert found is not None and found.pattern == "generic"
