"""What the four IT-worker CSV adapters share (``itw-profiles``, ``itw-logins``,
``itw-payouts``, ``itw-clients``): the cell limit, value readers, and telling the kind of a
file from its header (``sanctrace itworkers scan`` takes files without a kind).

Each format has its own module, as every other adapter does; they differ only in columns and
in how a row is read; the row loop is ``base.parse_csv_rows``.
"""

from __future__ import annotations

import csv
import io
import ipaddress
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Row, parse_csv_rows, read_text

MAX_TEXT: Final = 2_000
"""A cell longer than this is not a name, an address or a work history: it is refused."""

Convert = Callable[[Row], Row]
"""Turns one CSV row (cells stripped) into a table row; raises ``ValueError`` with a reason."""


def parse_rows(
    path: Path,
    required: Sequence[str],
    optional: Sequence[str],
    table: str,
    convert: Convert,
    progress: Progress | None = None,
) -> Parsed:
    """Every row of ``path`` through ``convert`` into ``table``, with its ``line``; a row it
    refuses, or with a cell over ``MAX_TEXT``, is quarantined with its line and reason."""

    def checked(row: Row, line: int) -> Row:
        for column, cell in row.items():
            if len(cell) > MAX_TEXT:
                raise ValueError(f"{column} is {len(cell):,} characters (at most {MAX_TEXT:,})")
        return {**convert(row), "line": line}

    return parse_csv_rows(path, required, optional, table, checked, progress)


def text(row: Row, column: str) -> str | None:
    """An optional cell: None when absent or empty."""
    value = row.get(column)
    return value if value else None


def required_text(row: Row, column: str) -> str:
    value = row.get(column) or ""
    if not value:
        raise ValueError(f"{column} is empty")
    return str(value)


def parse_timestamp(value: str, column: str = "timestamp") -> datetime:
    """ISO 8601 (``2024-03-01T08:15:00Z``, ``2024-03-01 08:15:00+09:00``) as naive UTC; a
    time without an offset is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{column} {value!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 1970 <= parsed.year <= 2100:
        raise ValueError(f"{column} {value!r} is out of range")
    return parsed


def parse_ip(value: str) -> str:
    """An IPv4 or IPv6 address in its canonical form; an IPv4-mapped IPv6 address
    (``::ffff:1.2.3.4``) as the IPv4 address it is, so that both spellings meet."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"ip {value!r} is not an IPv4 or IPv6 address") from None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def parse_port(value: str) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"port {value!r} is not a port number (1-65535)")
    return int(value)


# the columns only one kind has: enough to tell a file's kind from its header
SIGNATURES: Final[dict[str, frozenset[str]]] = {
    "itw-profiles": frozenset({"worker_id", "name"}),
    "itw-logins": frozenset({"account_id", "ip"}),
    "itw-payouts": frozenset({"worker_id", "destination", "amount"}),
    "itw-clients": frozenset({"client_id", "worker_id", "event"}),
}


def detect_kind(path: Path) -> str:
    """The IT-worker kind whose required columns the header holds; an error naming the file
    when none or several fit (then give ``--kind``)."""
    first = read_text(path).split("\n", 1)[0]
    try:
        header = {h.strip() for h in next(csv.reader(io.StringIO(first)), [])}
    except csv.Error as exc:
        raise InputError(f"{path}:1", f"unreadable CSV header: {exc}") from exc
    fits = [kind for kind, needed in SIGNATURES.items() if needed <= header]
    if len(fits) != 1:
        found = "no" if not fits else "several"
        raise InputError(
            f"{path}:1",
            f"{found} IT-worker kind fits the header {sorted(header)}; give --kind "
            f"({', '.join(SIGNATURES)})",
        )
    return fits[0]
