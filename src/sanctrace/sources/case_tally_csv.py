"""``case-tally``: case counts reported without per-case detail (report, country, cases).

A row with an empty country is the report's total (``countries`` says over how many)."""

from __future__ import annotations

from pathlib import Path

from sanctrace.sources.base import Parsed, Progress, Row, parse_csv_rows
from sanctrace.sources.values import parse_country, parse_whole

REQUIRED = ("report", "country", "cases")
OPTIONAL = ("countries", "citation")


class CaseTallyCsv:
    name = "case-tally"
    version = "1"
    description = "case counts by country from a report: report, country, cases, countries"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return parse_csv_rows(path, REQUIRED, OPTIONAL, "case_tally", _convert, progress)


def _convert(row: Row, line: int) -> Row:
    if not row["report"]:
        raise ValueError("report is empty")
    country = parse_country(row["country"])
    cases = parse_whole(row["cases"], "cases")
    countries_text = row.get("countries", "")
    return {
        "report": row["report"],
        "country": country,
        "cases": cases,
        "countries": parse_whole(countries_text, "countries") if countries_text else None,
        "citation": row.get("citation") or None,
    }
