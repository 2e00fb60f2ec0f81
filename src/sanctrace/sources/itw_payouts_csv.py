"""``itw-payouts``: payments out to workers, one row per payout.

Columns: ``worker_id``, ``timestamp``, ``amount``, ``currency``, ``destination`` (required);
``method`` (``bank``, ``payment_account`` (PayPal, Payoneer, Wise, ...), ``wallet``, ``other``;
default ``wallet`` for a crypto currency, else ``bank``), ``destination_country``.
Amounts are exact decimals, never floats.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from sanctrace.sources.base import Parsed, Progress, Row
from sanctrace.sources.itw_common import parse_rows, parse_timestamp, required_text
from sanctrace.sources.values import parse_choice, parse_country, parse_native

REQUIRED: Final = ("worker_id", "timestamp", "amount", "currency", "destination")
OPTIONAL: Final = ("method", "destination_country")
METHODS: Final = frozenset({"bank", "payment_account", "wallet", "other"})
CRYPTO: Final = frozenset(
    {"BTC", "ETH", "USDT", "USDC", "XMR", "LTC", "TRX", "BNB", "SOL", "DAI", "BCH", "XRP"}
)
"""Currencies that are crypto assets: a payout in one is a request for payment in crypto."""
_CURRENCY = re.compile(r"^[A-Z0-9]{2,10}$")


class ItwPayoutsCsv:
    name = "itw-payouts"
    version = "1"
    description = "payouts to workers: worker_id, timestamp, amount, currency, method, destination"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return parse_rows(path, REQUIRED, OPTIONAL, "itw_payout", _convert, progress)


def _convert(row: Row) -> Row:
    currency = required_text(row, "currency").upper()
    if not _CURRENCY.match(currency):
        raise ValueError(f"currency {currency!r} is not a currency code")
    amount = parse_native(row["amount"])
    if amount is None:
        raise ValueError("amount is empty")
    default = "wallet" if currency in CRYPTO else "bank"
    return {
        "worker_id": required_text(row, "worker_id"),
        "ts": parse_timestamp(required_text(row, "timestamp")),
        "amount": amount,
        "currency": currency,
        "method": parse_choice(row.get("method", ""), "method", METHODS, default),
        "destination": required_text(row, "destination"),
        "destination_country": parse_country(row.get("destination_country", "")),
    }
