"""``itw-clients``: what clients did with workers on a platform, one row per event: hiring,
reviews (with a rating), boosts, payments.

Columns: ``client_id``, ``worker_id``, ``timestamp``, ``event`` (required: ``hire``,
``review``, ``boost``, ``payment``, ``other``); ``rating`` (0-5, for reviews),
``payment_account`` (the account the client paid from).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

from sanctrace.sources.base import Parsed, Progress, Row
from sanctrace.sources.itw_common import parse_rows, parse_timestamp, required_text, text
from sanctrace.sources.values import parse_choice

REQUIRED: Final = ("client_id", "worker_id", "timestamp", "event")
OPTIONAL: Final = ("rating", "payment_account")
EVENTS: Final = frozenset({"hire", "review", "boost", "payment", "other"})


class ItwClientsCsv:
    name = "itw-clients"
    version = "1"
    description = "client engagements: client_id, worker_id, timestamp, event, rating"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return parse_rows(path, REQUIRED, OPTIONAL, "itw_engagement", _convert, progress)


def _convert(row: Row) -> Row:
    rating_text = text(row, "rating")
    rating = None
    if rating_text is not None:
        try:
            rating = float(rating_text)
        except ValueError:
            raise ValueError(f"rating {rating_text!r} is not a number") from None
        if not math.isfinite(rating) or not 0 <= rating <= 5:
            raise ValueError(f"rating {rating_text!r} is not between 0 and 5")
    return {
        "client_id": required_text(row, "client_id"),
        "worker_id": required_text(row, "worker_id"),
        "ts": parse_timestamp(required_text(row, "timestamp")),
        "event": parse_choice(required_text(row, "event"), "event", EVENTS, "other"),
        "rating": rating,
        "payment_account": text(row, "payment_account"),
    }
