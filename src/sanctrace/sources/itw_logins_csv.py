"""``itw-logins``: log-ins to platform or company accounts, one row per log-in (a session).

Columns: ``account_id``, ``timestamp``, ``ip`` (required); ``worker_id``, ``ended`` (the
session's end), ``country`` (of the IP, as the export gives it), ``user_agent``,
``remote_tool`` (remote-desktop software seen: AnyDesk, TeamViewer, RDP, ...), ``port`` (a
notable open port, such as 3389 for RDP).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from sanctrace.sources.base import Parsed, Progress, Row
from sanctrace.sources.itw_common import (
    parse_ip,
    parse_port,
    parse_rows,
    parse_timestamp,
    required_text,
    text,
)
from sanctrace.sources.values import parse_country

REQUIRED: Final = ("account_id", "timestamp", "ip")
OPTIONAL: Final = ("worker_id", "ended", "country", "user_agent", "remote_tool", "port")


class ItwLoginsCsv:
    name = "itw-logins"
    version = "1"
    description = "account log-ins: account_id, timestamp, ip, country, user_agent, remote_tool"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return parse_rows(path, REQUIRED, OPTIONAL, "itw_login", _convert, progress)


def _convert(row: Row) -> Row:
    ts = parse_timestamp(required_text(row, "timestamp"), "timestamp")
    ended_text = text(row, "ended")
    ended = parse_timestamp(ended_text, "ended") if ended_text else None
    if ended is not None and ended < ts:
        raise ValueError(f"ended {ended_text!r} is before the timestamp")
    tool = text(row, "remote_tool")
    return {
        "account_id": required_text(row, "account_id"),
        "worker_id": text(row, "worker_id"),
        "ts": ts,
        "ended": ended,
        "ip": parse_ip(required_text(row, "ip")),
        "country": parse_country(row.get("country", "")),
        "user_agent": text(row, "user_agent"),
        "remote_tool": tool.lower() if tool else None,
        "port": parse_port(row.get("port", "")),
    }
