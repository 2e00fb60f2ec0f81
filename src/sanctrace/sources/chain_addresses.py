"""One spelling per blockchain address, so that a tag, a theft seed and a transaction meet.

EVM addresses are hex and case-insensitive (the mixed case is only an EIP-55 checksum), so they
are stored in lower case. Bitcoin addresses are checked: a base58check address must carry a
valid checksum and a mainnet version byte and is kept as given (base58 is case-sensitive); a
bech32 one needs the right checksum for its witness version (BIP 173 for v0, BIP 350 bech32m
for v1 and later, which the ``bech32`` package does not know) and is stored in lower case, as
bech32 may be written in either case. Other chains get a shape check and are kept as given.
Errors are ``ValueError`` with a reason a user can act on.
"""

from __future__ import annotations

import re
from typing import Final

import base58
import bech32

EVM_CHAINS: Final = frozenset(
    {"eth", "etc", "bsc", "bep20", "matic", "polygon", "arb", "op", "base", "avax", "ftm"}
)
BITCOIN_CHAINS: Final = frozenset({"btc"})

_EVM = re.compile(r"^0x[0-9a-fA-F]{40}$")
_CHAIN = re.compile(r"^[a-z0-9_]{2,16}$")
# the characters of every address format seen in the packs (base58, bech32, hex, cashaddr)
_OTHER = re.compile(r"^[A-Za-z0-9:_-]{16,128}$")
_EOS = re.compile(r"^[a-z1-5.]{1,12}$")  # EOS accounts are names, not keys
_BECH32M = 0x2BC830A3
_P2PKH, _P2SH = 0x00, 0x05


def normalise_chain(text: str) -> str:
    """``BTC`` -> ``btc``; a chain is a short lower-case ticker or network name."""
    chain = text.strip().lower()
    if not _CHAIN.match(chain):
        raise ValueError(f"chain {text[:40]!r} is not a ticker or network name")
    return chain


def normalise(chain: str, address: str) -> str:
    """The stored spelling of ``address`` on ``chain`` (already normalised by
    ``normalise_chain``), or ``ValueError`` saying what is wrong with it."""
    text = address.strip()
    shown = repr(text[:80])
    if not text:
        raise ValueError("the address is empty")
    if _EVM.match(text):
        # a 0x-hex address is an EVM account whatever token the tag names (USDT, USDC, ...)
        return text.lower()
    if chain in EVM_CHAINS:
        raise ValueError(f"{shown} is not an EVM address (0x and 40 hex digits)")
    if chain in BITCOIN_CHAINS:
        return _check_bitcoin(text, shown)
    if chain == "eos" and _EOS.match(text):
        return text
    if not _OTHER.match(text):
        raise ValueError(f"{shown} does not look like a {chain} address")
    return text


def _check_bitcoin(text: str, shown: str) -> str:
    if text[:3].lower() == "bc1":
        _check_bech32(text, shown)
        return text.lower()
    try:
        raw = base58.b58decode_check(text)
    except ValueError:
        raise ValueError(
            f"{shown} is not a bitcoin address (bad base58 character or checksum)"
        ) from None
    if len(raw) != 21:
        raise ValueError(f"{shown} is not a bitcoin address ({len(raw)} bytes, not 21)")
    if raw[0] not in (_P2PKH, _P2SH):
        raise ValueError(f"{shown} is not a mainnet bitcoin address (version byte {raw[0]})")
    return text


def _check_bech32(text: str, shown: str) -> None:
    if text != text.lower() and text != text.upper():
        raise ValueError(f"{shown} mixes upper and lower case (bech32 allows one)")
    lowered = text.lower()
    hrp, _, body = lowered.rpartition("1")
    if hrp != "bc" or not 7 <= len(body) <= 87 or any(c not in bech32.CHARSET for c in body):
        raise ValueError(f"{shown} is not a bech32 bitcoin address")
    data = [bech32.CHARSET.find(c) for c in body]
    const = bech32.bech32_polymod(bech32.bech32_hrp_expand(hrp) + data)
    version = data[0]
    program = bech32.convertbits(data[1:-6], 5, 8, False)
    expected = 1 if version == 0 else _BECH32M
    if const != expected:
        raise ValueError(f"{shown} has a bad bech32 checksum")
    if (
        version > 16
        or program is None
        or not 2 <= len(program) <= 40
        or (version == 0 and len(program) not in (20, 32))
    ):
        raise ValueError(f"{shown} is not a valid segwit program")
