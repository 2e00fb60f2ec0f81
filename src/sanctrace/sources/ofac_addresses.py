"""``ofac-addresses``: OFAC-sanctioned digital currency addresses as plain lists.

Two shapes are read:

- one asset per file, one address per line, named ``sanctioned_addresses_XBT.txt``: the shape
  github.com/0xB10C/ofac-sanctioned-digital-currency-addresses publishes nightly from the SDN
  list. Each such file is a list of its own: dataset ``us_ofac_addresses_xbt``.
- all assets in one CSV with the header ``currency,address`` (the bundled default, made by
  concatenating those files): dataset ``us_ofac_addresses``.

Each address becomes a CryptoWallet (``currency``, ``publicKey``) with the same id as the
wallet that ``ofac-sdn`` reads from an SDN entry's Remarks, so the holder is known wherever
the SDN list is loaded too; these files do not name it.
"""

from __future__ import annotations

import re
from pathlib import Path

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined, read_csv, read_text
from sanctrace.sources.ftm import add_snapshot, entity_row, make, wallet_id

DATASET = "us_ofac_addresses"
_PER_ASSET = re.compile(r"sanctioned_addresses_([A-Za-z0-9]{2,10})\.txt$")
# the characters of every address format on the lists (base58, bech32, hex, Monero, XRP)
_ADDRESS = re.compile(r"^[A-Za-z0-9:]{20,120}$")
_CURRENCY = re.compile(r"^[A-Z0-9]{2,10}$")


class OfacAddresses:
    name = "ofac-addresses"
    version = "1"
    description = "OFAC-sanctioned digital currency addresses (sanctioned_addresses_XBT.txt)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        m = _PER_ASSET.search(path.name)
        if m:
            currency = m[1].upper()
            dataset = f"{DATASET}_{currency.lower()}"
            lines = self._lines(path, currency)
        else:
            dataset = DATASET
            lines = self._csv(path)
        out = Parsed()
        seen: set[str] = set()
        for line, item in lines:
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            if isinstance(item, Quarantined):
                out.quarantine.append(item)
                continue
            currency, address = item
            raw = f"{currency},{address}"
            if not _CURRENCY.match(currency):
                out.quarantine.append(
                    Quarantined(f"currency {currency!r} is not a ticker", line=line, raw=raw)
                )
                continue
            if not _ADDRESS.match(address):
                out.quarantine.append(
                    Quarantined(
                        f"{address[:80]!r} does not look like a {currency} address",
                        line=line,
                        raw=raw[:2000],
                    )
                )
                continue
            wallet = make("CryptoWallet", wallet_id(currency, address))
            if wallet.id in seen:
                out.quarantine.append(
                    Quarantined(f"{currency} address listed twice", line=line, raw=raw)
                )
                continue
            seen.add(str(wallet.id))
            wallet.add("currency", currency)
            wallet.add("publicKey", address)
            wallet.add("topics", "sanction")
            out.add("entity", entity_row(wallet, dataset))
        add_snapshot(out, dataset, None)
        return out

    @staticmethod
    def _lines(path: Path, currency: str) -> list[tuple[int, tuple[str, str] | Quarantined]]:
        text = read_text(path)
        if not text.strip():
            raise InputError(str(path), "the file is empty")
        return [
            (i, (currency, line.strip()))
            for i, line in enumerate(text.splitlines(), 1)
            if line.strip()
        ]

    @staticmethod
    def _csv(path: Path) -> list[tuple[int, tuple[str, str] | Quarantined]]:
        if path.suffix.lower() == ".txt":
            raise InputError(
                str(path),
                "a one-asset list must be named sanctioned_addresses_<TICKER>.txt (the name "
                "says the currency); or give a CSV with the header currency,address",
            )
        return [
            (
                line,
                row if isinstance(row, Quarantined) else (row["currency"].upper(), row["address"]),
            )
            for line, row in read_csv(path, ("currency", "address"))
        ]
