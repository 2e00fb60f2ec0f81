"""Identifier cleaning and comparison: IMO and MMSI numbers, passport and other document
numbers, crypto addresses by chain family, emails and web domains.

Each ``clean_*`` function returns the canonical form of a value, or ``None`` when the value
is not one (wrong length, bad check digit, bad checksum): like FollowTheMoney's types, cleaning
never raises on bad data. Canonical forms are what an exact index is keyed on, so "IMO
9143300", "9143300" and "imo:9143300" meet, as do an EVM address in any case.

Crypto families and their case rules:

- ``evm``: ``0x`` and 40 hex digits (Ethereum and its forks, BSC, Arbitrum, USDT/USDC on
  them). Case-insensitive; a mixed-case address carries an EIP-55 checksum, which is
  verified (a mixed-case address with a wrong checksum is a typo, not an address).
- ``bech32``: segwit addresses (``bc1``, ``tb1``, ``ltc1``), bech32 or bech32m checksum.
  Case-insensitive (the canonical form is lower case).
- ``base58``: Base58Check addresses (Bitcoin 1.../3..., Litecoin L/M, Dash X, Zcash t1/t3,
  Dogecoin D, Tron T...): case-sensitive, checksum verified. Ripple's r... addresses use
  their own alphabet.
- ``cashaddr``: Bitcoin Cash ``q...``/``p...`` with or without ``bitcoincash:``.
- ``monero``: 95 or 106 base58 characters starting with 4 or 8 (no cheap checksum here).
- ``hex64``: 64 hex digits, optionally ``0x``: what OFAC lists for some assets (a Monero
  key, a transaction or account id on other chains). Case-insensitive.

``guess_kind(query)`` says what a free-text query is, so that ``sanctrace screen`` can take
a name, an IMO number, a wallet, an email or a domain in one argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import base58
import bech32

Kind = Literal["imo", "mmsi", "crypto", "email", "domain", "passport", "id", "name"]

# FtM property -> the identifier kind its values hold
PROPERTY_KINDS: dict[str, Kind] = {
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "passportNumber": "passport",
    "idNumber": "id",
    "registrationNumber": "id",
    "taxNumber": "id",
    "innCode": "id",
    "ogrnCode": "id",
    "swiftBic": "id",
    "publicKey": "crypto",
    "email": "email",
    "website": "domain",
}


@dataclass(frozen=True, slots=True)
class Identifier:
    """A cleaned identifier: ``kind``, canonical ``value`` and, for crypto, ``family``."""

    kind: Kind
    value: str
    family: str | None = None

    @property
    def key(self) -> str:
        """The exact-index key, e.g. ``imo:9143300`` or ``crypto:evm:0xabc...``."""
        if self.family:
            return f"{self.kind}:{self.family}:{self.value}"
        return f"{self.kind}:{self.value}"


# ---------------------------------------------------------------------------------------
# vessels

_IMO = re.compile(r"^\s*(?:imo)?[\s:#.\-]*(\d{7})\s*$", re.IGNORECASE)
_MMSI = re.compile(r"^\s*(?:mmsi)?[\s:#.\-]*(\d{9})\s*$", re.IGNORECASE)


def ship_check_digit(first_six: str) -> int:
    """A ship IMO number's seventh digit: the first six times 7..2, summed, mod 10."""
    return sum(int(d) * w for d, w in zip(first_six, range(7, 1, -1), strict=True)) % 10


def imo_check_digit_ok(digits: str) -> bool:
    """IMO numbers have two check schemes. Ships: the first six digits times 7..2, summed,
    mod 10, is the seventh (9143300). Companies and registered owners (the UN list gives
    DPRK shipping companies' numbers, 5342883): weights 8, 6, 4, 2, 9, 7, then
    (11 - sum mod 11) mod 10."""
    if len(digits) != 7 or not digits.isdigit() or digits == "0000000":
        return False
    values = [int(d) for d in digits]
    ship = ship_check_digit(digits[:6])
    company = (
        11 - sum(v * w for v, w in zip(values[:6], (8, 6, 4, 2, 9, 7), strict=True)) % 11
    ) % 10
    return values[6] in (ship, company)


def clean_imo(text: str) -> str | None:
    """Clean an IMO number: "IMO 9143300", "imo:9143300" or "9143300" -> "9143300"; None
    without a valid check digit (ship or company scheme)."""
    match = _IMO.match(text)
    if match is None or not imo_check_digit_ok(match.group(1)):
        return None
    return match.group(1)


def clean_mmsi(text: str) -> str | None:
    """Nine digits (an optional "MMSI" prefix); a ship's MMSI starts with its flag's MID,
    2 to 7."""
    match = _MMSI.match(text)
    if match is None or match.group(1)[0] not in "234567":
        return None
    return match.group(1)


# ---------------------------------------------------------------------------------------
# documents

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def clean_document_number(text: str) -> str | None:
    """Passport and other document numbers: spaces and punctuation out, upper case;
    None unless 4 to 24 characters with at least one digit."""
    value = _NOT_ALNUM.sub("", text).upper()
    if not 4 <= len(value) <= 24 or not any(c.isdigit() for c in value):
        return None
    return value


# ---------------------------------------------------------------------------------------
# crypto

_EVM = re.compile(r"^0[xX][0-9a-fA-F]{40}$")
_BECH32 = re.compile(r"^(bc|tb|ltc|tltc|bcrt)1[02-9ac-hj-np-z]{8,87}$", re.IGNORECASE)
_BASE58 = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{25,36}$")
_RIPPLE = re.compile(r"^r[1-9A-HJ-NP-Za-km-z]{24,34}$")
_CASHADDR = re.compile(r"^(?:bitcoincash:)?([qp][02-9ac-hj-np-z]{41})$", re.IGNORECASE)
_HEX64 = re.compile(r"^(?:0[xX])?[0-9a-fA-F]{64}$")
_MONERO = re.compile(r"^[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?$")
_BECH32M_CONST = 0x2BC830A3


def evm_checksum_ok(address: str) -> bool:
    """EIP-55: a mixed-case address must carry the right checksum; all-lower or all-upper
    addresses carry none and pass."""
    hex_part = address[2:]
    if hex_part == hex_part.lower() or hex_part == hex_part.upper():
        return True
    from eth_utils.address import is_checksum_address

    return bool(is_checksum_address(address))


def _bech32_ok(address: str) -> bool:
    lower = address.lower()
    hrp, _, data_part = lower.rpartition("1")
    try:
        data = [bech32.CHARSET.index(c) for c in data_part]
    except ValueError:
        return False
    polymod = bech32.bech32_polymod(bech32.bech32_hrp_expand(hrp) + data)
    return polymod in (1, _BECH32M_CONST)


def _base58_ok(address: str, alphabet: bytes = base58.BITCOIN_ALPHABET) -> bool:
    try:
        base58.b58decode_check(address, alphabet=alphabet)
    except ValueError:
        return False
    return True


def clean_crypto(text: str) -> Identifier | None:
    """A crypto address in its canonical form with its family, or None (see the module
    docstring for the families and their case rules)."""
    value = text.strip()
    if _EVM.match(value):
        if not evm_checksum_ok("0x" + value[2:]):
            return None
        return Identifier("crypto", "0x" + value[2:].lower(), "evm")
    if _BECH32.match(value):
        if value != value.lower() and value != value.upper():
            value = value.lower()  # screening is lenient about case; bech32 has one
        if _bech32_ok(value):
            return Identifier("crypto", value.lower(), "bech32")
        return None
    cash = _CASHADDR.match(value)
    if cash:
        return Identifier("crypto", cash.group(1).lower(), "cashaddr")
    if _MONERO.match(value):
        return Identifier("crypto", value, "monero")
    if _HEX64.match(value):
        return Identifier("crypto", value[-64:].lower(), "hex64")
    if _RIPPLE.match(value) and _base58_ok(value, base58.RIPPLE_ALPHABET):
        return Identifier("crypto", value, "ripple")
    if _BASE58.match(value) and _base58_ok(value):
        return Identifier("crypto", value, "base58")
    return None


# ---------------------------------------------------------------------------------------
# email and domains

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@([^@\s]{1,253})$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_LABEL = re.compile(r"^(?!-)[a-z0-9\-]{1,63}(?<!-)$")


def clean_domain(text: str) -> str | None:
    """A web domain from a domain or URL: lower case, scheme, credentials, port, path and a
    leading "www." stripped, internationalised names in punycode ("xn--...")."""
    value = _SCHEME.sub("", text.strip())
    value = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    value = value.rsplit("@", 1)[-1].split(":", 1)[0].strip(".").lower()
    if value.startswith("www."):
        value = value[4:]
    if not value or " " in value:
        return None
    try:
        ascii_value = value.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_value.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    if not re.match(r"^(xn--[a-z0-9\-]+|[a-z]{2,63})$", labels[-1]):
        return None
    return ascii_value


def clean_email(text: str) -> str | None:
    """Trimmed, lower-cased email with a punycode domain; None when not an email."""
    value = text.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    match = _EMAIL.match(value)
    if match is None:
        return None
    domain = clean_domain(match.group(1))
    if domain is None:
        return None
    local = value[: value.rindex("@")]
    return f"{local.lower()}@{domain}"


# ---------------------------------------------------------------------------------------
# by kind


def clean(kind: Kind, text: str) -> Identifier | None:
    """Clean a value of a known kind; None when it is not a valid one."""
    if kind == "crypto":
        return clean_crypto(text)
    value: str | None
    if kind == "imo":
        value = clean_imo(text)
    elif kind == "mmsi":
        value = clean_mmsi(text)
    elif kind in ("passport", "id"):
        value = clean_document_number(text)
    elif kind == "email":
        value = clean_email(text)
    elif kind == "domain":
        value = clean_domain(text)
    else:
        return None
    return None if value is None else Identifier(kind, value)


def same(a: Identifier, b: Identifier) -> bool:
    """Whether two cleaned identifiers are the same. Passport and other document numbers
    compare across the two kinds (lists file passports under idNumber too)."""
    documents = ("passport", "id")
    if a.kind in documents and b.kind in documents:
        return a.value == b.value
    return a.kind == b.kind and a.value == b.value


_DIGITS_ONLY = re.compile(r"^[\s\d:#.\-]+$")


def guess_kind(query: str) -> Identifier:
    """What a free-text query is: an IMO number, an MMSI, a crypto address (with its family),
    an email, a domain, a document number, or else a name (``kind="name"``, value the
    stripped query). Raises ``InputError`` for an empty or over-long query."""
    from sanctrace.screening.names import check_query

    text = check_query(query).strip()
    lowered = text.lower()
    if lowered.startswith("imo") or (
        _DIGITS_ONLY.match(text) and len(re.sub(r"\D", "", text)) == 7
    ):
        imo = clean_imo(text)
        if imo is not None:
            return Identifier("imo", imo)
    if lowered.startswith("mmsi") or _DIGITS_ONLY.match(text):
        mmsi = clean_mmsi(text)
        if mmsi is not None:
            return Identifier("mmsi", mmsi)
    if " " not in text:
        crypto = clean_crypto(text)
        if crypto is not None:
            return crypto
        if "@" in text:
            email = clean_email(text)
            if email is not None:
                return Identifier("email", email)
        if "." in text and not _DIGITS_ONLY.match(text):
            domain = clean_domain(text)
            if domain is not None:
                return Identifier("domain", domain)
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            document = clean_document_number(text)
            if document is not None:
                return Identifier("passport", document)
    return Identifier("name", text)
