"""``case-tally``: case counts reported without per-case detail (report, country, cases).

A row with an empty country is the report's total (``countries`` says over how many)."""

from __future__ import annotations

from pathlib import Path

from sanctrace.sources.base import Parsed, Progress, Quarantined, read_csv
from sanctrace.sources.values import parse_country, parse_whole

REQUIRED = ("report", "country", "cases")
OPTIONAL = ("countries", "citation")


class CaseTallyCsv:
    name = "case-tally"
    version = "1"
    description = "case counts by country from a report: report, country, cases, countries"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        out = Parsed()
        for line, row in read_csv(path, REQUIRED, OPTIONAL):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            if isinstance(row, Quarantined):
                out.quarantine.append(row)
                continue
            try:
                if not row["report"]:
                    raise ValueError("report is empty")
                country = parse_country(row["country"])
                cases = parse_whole(row["cases"], "cases")
                countries_text = row.get("countries", "")
                countries = parse_whole(countries_text, "countries") if countries_text else None
            except ValueError as exc:
                out.quarantine.append(Quarantined(str(exc), line=line, raw=",".join(row.values())))
                continue
            out.add(
                "case_tally",
                {
                    "report": row["report"],
                    "country": country,
                    "cases": cases,
                    "countries": countries,
                    "citation": row.get("citation") or None,
                },
            )
        return out
