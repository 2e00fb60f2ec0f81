"""``ofac-addresses``: the OFAC-sanctioned crypto address lists as CryptoWallet entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.ofac_addresses import OfacAddresses
from sanctrace.sources.ofac_sdn import OfacSdn
from tests.sources.factory import parse_or_error, write
from tests.sources.sanctions import FIXTURES, assert_list_contract, entities
from tests.sources.strategies import FUZZ

XMR = FIXTURES / "sanctioned_addresses_XMR.txt"


def test_one_asset_file() -> None:
    parsed = OfacAddresses().parse(XMR)
    assert_list_contract(parsed, XMR)
    rows = entities(parsed)
    assert len(rows) == 3 and parsed.quarantine == []
    wallet = rows[
        "ofac-wallet-xmr-5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320"
    ]
    assert wallet["schema"] == "CryptoWallet"
    assert wallet["properties"]["currency"] == ["XMR"]
    assert wallet["dataset"] == "us_ofac_addresses_xmr"  # each asset's file is a list
    assert parsed.rows["list_snapshot"] == [
        {"dataset": "us_ofac_addresses_xmr", "published": None, "entities": 3}
    ]


def test_bundled_file_has_every_asset() -> None:
    parsed = OfacAddresses().parse(bundled("sanctions/ofac_crypto_addresses.csv"))
    rows = entities(parsed).values()
    assert (len(rows), parsed.quarantine) == (654, [])
    assert len({r["properties"]["currency"][0] for r in rows}) == 17
    assert {r["dataset"] for r in rows} == {"us_ofac_addresses"}


def test_same_ids_as_the_sdn_wallets() -> None:
    """The address lists name no holder; the SDN entry does, under the same wallet id."""
    sdn = entities(OfacSdn().parse(FIXTURES / "ofac_sdn_excerpt.csv"))
    listed = entities(OfacAddresses().parse(bundled("sanctions/ofac_crypto_addresses.csv")))
    shared = {i for i in sdn if i.startswith("ofac-wallet-")} & set(listed)
    assert "ofac-wallet-xbt-134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak" in shared
    assert all(sdn[i]["properties"]["holder"] for i in shared)


def test_bad_lines_are_quarantined(tmp_path: Path) -> None:
    path = write(
        tmp_path / "sanctioned_addresses_ETH.txt",
        "0x01e2919679362dFBC9ee1644Ba9C6da6D6245BB1\nnot an address!\n\n"
        "0x01e2919679362dFBC9ee1644Ba9C6da6D6245BB1\n",
    )
    parsed = OfacAddresses().parse(path)
    assert len(parsed.rows["entity"]) == 1
    assert [(q.line, q.reason) for q in parsed.quarantine] == [
        (2, "'not an address!' does not look like a ETH address"),
        (4, "ETH address listed twice"),
    ]


def test_csv_with_a_bad_currency(tmp_path: Path) -> None:
    path = write(
        tmp_path / "all.csv", "currency,address\nxbt!,1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn\n"
    )
    [q] = OfacAddresses().parse(path).quarantine
    assert (q.line, q.reason) == (2, "currency 'XBT!' is not a ticker")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("sanctioned_addresses_XBT.txt", b"", "the file is empty"),
        ("sanctioned_addresses_XBT.txt", "1abc\n".encode("utf-16"), "not UTF-8"),
        ("addresses.txt", b"1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn\n", "sanctioned_addresses_<TICKER>"),
        ("all.csv", b"address\n1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn\n", "missing column"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InputError, match=reason) as info:
        OfacAddresses().parse(path)
    assert str(path) in info.value.location


@FUZZ
@given(
    body=st.binary(max_size=200),
    name=st.sampled_from(["sanctioned_addresses_XBT.txt", "all.csv"]),
)
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, body: bytes, name: str) -> None:
    path = write(tmp_path_factory.mktemp("fuzz") / name, body)
    assert_list_contract(parse_or_error("ofac-addresses", path), path)
