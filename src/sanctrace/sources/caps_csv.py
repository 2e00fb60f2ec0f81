"""``caps``: the caps on deliveries to the DPRK (UN resolution 2397): one row per commodity
and unit (crude has two, barrels or tonnes), with the date the first 12-month period starts,
the notification thresholds as shares of the limit, and the paragraph that sets them.

Columns (``docs/cap-ledger.md``): commodity (refined | crude), unit (barrels | tonnes),
limit, from (YYYY-MM-DD), and optionally to, period_months (default 12), thresholds
(``0.75;0.90;0.95`` or ``75%;90%;95%``), report_every_days, citation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sanctrace.sources.base import Parsed, Progress, Row, parse_csv_rows
from sanctrace.sources.petroleum_values import (
    UNITS,
    parse_commodity,
    parse_thresholds,
    parse_volume,
)
from sanctrace.sources.values import parse_date, parse_whole

REQUIRED = ("commodity", "unit", "limit", "from")
OPTIONAL = ("to", "period_months", "thresholds", "report_every_days", "citation")


def _day(text: str, field: str) -> date:
    d = parse_date(text)
    if d.precision != "day":
        raise ValueError(f"{field} {text!r} must be a day (YYYY-MM-DD)")
    return d.value


class CapsCsv:
    name = "caps"
    version = "1"
    description = (
        "caps on deliveries (UN resolution 2397): commodity, unit, limit, from, thresholds"
    )

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        seen: dict[tuple[str, str, date], int] = {}
        return parse_csv_rows(
            path, REQUIRED, OPTIONAL, "cap", lambda row, line: _cap(row, line, seen), progress
        )


def _cap(row: Row, line: int, seen: dict[tuple[str, str, date], int]) -> Row:
    """One row as a ``cap`` row; ``seen`` holds the line of each cap already read, so that a
    second cap for the same commodity, unit and start is refused."""
    commodity = parse_commodity(row["commodity"])
    unit = row["unit"].strip().lower()
    if unit not in UNITS:
        raise ValueError(f"unit {row['unit']!r} is not one of {', '.join(UNITS)}")
    limit = parse_volume(row["limit"], "limit")
    if not limit:
        raise ValueError("limit is empty or zero")
    start = _day(row["from"], "from")
    end = _day(row["to"], "to") if row.get("to") else None
    if end is not None and end < start:
        raise ValueError(f"to {row['to']!r} is before from {row['from']!r}")
    months = row.get("period_months") or "12"
    period_months = parse_whole(months, "period_months", maximum=120)
    if period_months == 0:
        raise ValueError("period_months is zero")
    thresholds = parse_thresholds(row.get("thresholds", ""))
    every = row.get("report_every_days", "")
    report_every = parse_whole(every, "report_every_days") if every else None
    key = (commodity, unit, start)
    if key in seen:
        raise ValueError(
            f"a second {commodity} cap in {unit} from {start}; the first is on line {seen[key]}"
        )
    seen[key] = line
    return {
        "commodity": commodity,
        "unit": unit,
        "limit": limit,
        "valid_from": start,
        "valid_to": end,
        "period_months": period_months,
        "thresholds": ";".join(str(t) for t in thresholds) or None,
        "report_every_days": report_every,
        "citation": row.get("citation") or None,
        "line": line,
    }
