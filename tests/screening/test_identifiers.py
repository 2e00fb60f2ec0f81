from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.screening.identifiers import (
    Identifier,
    clean,
    clean_crypto,
    clean_document_number,
    clean_domain,
    clean_email,
    clean_imo,
    clean_mmsi,
    guess_kind,
    same,
)

DATA = Path(__file__).parent / "data"


def ofac_addresses() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "ofac_crypto_addresses.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            asset, address = line.split("\t")
            rows.append((asset, address))
    return rows


FAMILIES = {
    "ETH": "evm",
    "USDT": "evm",
    "TRX": "base58",
    "LTC": "base58",
    "DASH": "base58",
    "ZEC": "base58",
    "XRP": "ripple",
    "XMR": "monero",
    "BCH": "cashaddr",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OFAC SDN DPRK vessels (ship numbers) and a UN-listed DPRK company number
        ("7937317", "7937317"),  # CHONG CHON GANG
        ("IMO 8132835", "8132835"),  # AM NOK GANG
        ("imo:8328197", "8328197"),  # MU DU BONG
        ("IMO 5342883", "5342883"),  # company number, other check scheme
        ("IMO9143300", "9143300"),
        ("7937318", None),  # wrong check digit
        ("793731", None),
        ("IMO 0000000", None),
        ("twelve", None),
    ],
)
def test_clean_imo(text: str, expected: str | None) -> None:
    assert clean_imo(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("445123000", "445123000"), ("MMSI 445 123 000", None), ("mmsi:445123000", "445123000"),
     ("123456789", None), ("44512300", None)],
)  # fmt: skip
def test_clean_mmsi(text: str, expected: str | None) -> None:
    assert clean_mmsi(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("654 310 123", "654310123"), ("pd-123.456", "PD123456"), ("ABCDEF", None), ("12", None)],
)
def test_clean_document_number(text: str, expected: str | None) -> None:
    assert clean_document_number(text) == expected


@pytest.mark.parametrize(("asset", "address"), ofac_addresses())
def test_ofac_addresses_are_valid(asset: str, address: str) -> None:
    cleaned = clean_crypto(address)
    assert cleaned is not None
    expected = FAMILIES.get(asset) or ("bech32" if address.startswith("bc1") else "base58")
    assert cleaned.family == expected


def test_evm_case_insensitive_and_eip55_checked() -> None:
    checksummed = "0x01e2919679362dFBC9ee1644Ba9C6da6D6245BB1"
    lower = clean_crypto(checksummed.lower())
    upper = clean_crypto("0x" + checksummed[2:].upper())
    assert lower == upper == clean_crypto(checksummed)
    assert lower is not None and lower.key == "crypto:evm:" + checksummed.lower()
    broken = checksummed[:-1] + "b"  # mixed case, wrong checksum
    assert clean_crypto(broken) is None


def test_bech32_case_insensitive_and_checked() -> None:
    address = "bc1q05aktddf9ce4p7hh3stgsf253m4vweu7nkhtmw"
    assert clean_crypto(address.upper()) == clean_crypto(address)
    assert clean_crypto(address[:-1] + "q") is None
    # bech32m (taproot), BIP-350 test vector
    taproot = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
    assert clean_crypto(taproot) == Identifier("crypto", taproot, "bech32")


def test_base58_case_sensitive_with_checksum() -> None:
    address = "123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX"
    assert clean_crypto(address) == Identifier("crypto", address, "base58")
    assert clean_crypto(address.lower()) is None
    assert clean_crypto(address[:-1] + "Y") is None


def test_cashaddr_prefix_optional() -> None:
    bare = "qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq"
    assert clean_crypto("bitcoincash:" + bare) == clean_crypto(bare.upper())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Info@Example.COM ", "info@example.com"),
        ("mailto:a.b@upbit.com", "a.b@upbit.com"),
        ("<x@bücher.de>", "x@xn--bcher-kva.de"),
        ("not an email", None),
        ("a@b", None),
    ],
)
def test_clean_email(text: str, expected: str | None) -> None:
    assert clean_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.UpBit.com/login?x=1", "upbit.com"),
        ("upbit.com.", "upbit.com"),
        ("http://user:pw@exchange.example.org:8443/a", "exchange.example.org"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("localhost", None),
        ("-bad-.com", None),
        ("kim jong un", None),
    ],
)
def test_clean_domain(text: str, expected: str | None) -> None:
    assert clean_domain(text) == expected


@pytest.mark.parametrize(
    ("query", "kind", "family"),
    [
        ("IMO 7937317", "imo", None),
        ("7937317", "imo", None),
        ("445123000", "mmsi", None),
        ("0x01e2919679362dfbc9ee1644ba9c6da6d6245bb1", "crypto", "evm"),
        ("bc1q05aktddf9ce4p7hh3stgsf253m4vweu7nkhtmw", "crypto", "bech32"),
        ("TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre", "crypto", "base58"),
        ("info@example.com", "email", None),
        ("https://upbit-login.com/", "domain", None),
        ("PD123456", "passport", None),
        ("KIM Jong Un", "name", None),
        ("김정은", "name", None),
        ("Korea Mining Development Trading Corp.", "name", None),
    ],
)
def test_guess_kind(query: str, kind: str, family: str | None) -> None:
    guess = guess_kind(query)
    assert (guess.kind, guess.family) == (kind, family)


def test_same_documents_across_kinds() -> None:
    passport = clean("passport", "654 310 123")
    other = clean("id", "654310123")
    assert passport is not None and other is not None and same(passport, other)


@pytest.mark.parametrize("query", ["", " \t ", "\x00\x1f", "x" * 10_240])
def test_guess_kind_garbage(query: str) -> None:
    with pytest.raises(InputError):
        guess_kind(query)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_cleaners_never_raise(text: str) -> None:
    for kind in ("imo", "mmsi", "crypto", "email", "domain", "passport", "id"):
        clean(kind, text)  # type: ignore[arg-type]
    with contextlib.suppress(InputError):
        guess_kind(text)
