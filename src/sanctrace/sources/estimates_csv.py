"""``estimates``: independent yearly totals of DPRK theft (year, source, value, incidents)."""

from __future__ import annotations

import re
from pathlib import Path

from sanctrace.sources.base import Parsed, Progress, Row, parse_csv_rows
from sanctrace.sources.values import parse_usd, parse_whole

REQUIRED = ("year", "source", "value_stolen_usd")
OPTIONAL = ("incidents", "citation")
_YEAR = re.compile(r"[0-9]{4}")


class EstimatesCsv:
    name = "estimates"
    version = "1"
    description = "yearly theft totals by estimator: year, source, value_stolen_usd, incidents"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return parse_csv_rows(path, REQUIRED, OPTIONAL, "estimate", _convert, progress)


def _convert(row: Row, line: int) -> Row:
    year = row["year"]
    usd = parse_usd(row["value_stolen_usd"])
    incidents = row.get("incidents", "")
    if not _YEAR.fullmatch(year):
        raise ValueError(f"year {year!r} is not a four-digit year")
    if not row["source"]:
        raise ValueError("source is empty")
    if usd.value is None:
        raise ValueError(f"value_stolen_usd {usd.text!r} is {usd.status}")
    return {
        "year": int(year),
        "estimator": row["source"],
        "value_usd": usd.value,
        "incidents": parse_whole(incidents, "incidents") if incidents else None,
        "citation": row.get("citation") or None,
    }
