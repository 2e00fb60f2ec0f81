"""One spelling per address: EVM folded to lower case, bitcoin checked, others shape-checked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.sources.chain_addresses import normalise, normalise_chain
from tests.sources.strategies import FUZZ

TAPROOT = "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"
SEGWIT = "bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd"


@pytest.mark.parametrize(
    ("chain", "address", "stored"),
    [
        (
            "eth",
            "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
            "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
        ),
        (
            "usdt",
            " 0xFAC583C0CF07EA434052C49115A4682172AB6B4F ",
            "0xfac583c0cf07ea434052c49115a4682172ab6b4f",
        ),
        ("btc", "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak", "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak"),
        ("btc", "3F2sZ4jbhvDKQdGbHYPC6ZxFXEau2m5Lqj", "3F2sZ4jbhvDKQdGbHYPC6ZxFXEau2m5Lqj"),
        ("btc", SEGWIT.upper(), SEGWIT),
        ("btc", TAPROOT, TAPROOT),
        ("trx", "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq", "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"),
        ("eos", "vuniyuoxoeub", "vuniyuoxoeub"),
    ],
)
def test_stored_spelling(chain: str, address: str, stored: str) -> None:
    assert normalise(chain, address) == stored


@pytest.mark.parametrize(
    ("chain", "address", "reason"),
    [
        ("eth", "0x098B716B", "is not an EVM address"),
        ("btc", "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYaK", "bad base58 character or checksum"),
        ("btc", "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq", "version byte 65"),
        ("btc", TAPROOT[:-1] + "8", "bad bech32 checksum"),
        ("btc", "bc1Qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd", "mixes upper"),
        ("btc", "", "the address is empty"),
        ("usdt", "YXKKFLLO5KAPJ5", "does not look like a usdt address"),
    ],
)
def test_malformed(chain: str, address: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalise(chain, address)


def test_chain_names() -> None:
    assert normalise_chain(" BTC ") == "btc"
    with pytest.raises(ValueError, match="not a ticker"):
        normalise_chain("bit coin")


@FUZZ
@given(chain=st.sampled_from(["btc", "eth", "usdt", "eos"]), address=st.text(max_size=100))
def test_fuzz(chain: str, address: str) -> None:
    try:
        stored = normalise(chain, address)
    except ValueError:
        return
    assert stored == normalise(chain, stored)  # the stored spelling is a fixed point
