"""``estimates``: independent yearly totals of DPRK theft (year, source, value, incidents)."""

from __future__ import annotations

from pathlib import Path

from sanctrace.sources.base import Parsed, Progress, Quarantined, read_csv
from sanctrace.sources.values import parse_usd

REQUIRED = ("year", "source", "value_stolen_usd")
OPTIONAL = ("incidents", "citation")


class EstimatesCsv:
    name = "estimates"
    version = "1"
    description = "yearly theft totals by estimator: year, source, value_stolen_usd, incidents"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        out = Parsed()
        for line, row in read_csv(path, REQUIRED, OPTIONAL):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            if isinstance(row, Quarantined):
                out.quarantine.append(row)
                continue
            reason = None
            year = row["year"]
            usd = parse_usd(row["value_stolen_usd"])
            incidents = row.get("incidents", "")
            if not (year.isdigit() and len(year) == 4):
                reason = f"year {year!r} is not a four-digit year"
            elif not row["source"]:
                reason = "source is empty"
            elif usd.value is None:
                reason = f"value_stolen_usd {usd.text!r} is {usd.status}"
            elif incidents and not incidents.isdigit():
                reason = f"incidents {incidents!r} is not a whole number"
            if reason:
                out.quarantine.append(Quarantined(reason, line=line, raw=",".join(row.values())))
                continue
            out.add(
                "estimate",
                {
                    "year": int(year),
                    "estimator": row["source"],
                    "value_usd": usd.value,
                    "incidents": int(incidents) if incidents else None,
                    "citation": row.get("citation") or None,
                },
            )
        return out
