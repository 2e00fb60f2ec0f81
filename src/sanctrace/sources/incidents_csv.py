"""``incidents``: the registry's incident CSV (columns in docs/incidents-csv.md)."""

from __future__ import annotations

from pathlib import Path

from sanctrace.incidents.vocabulary import ASSET_CLASSES, CONFIDENCE, VECTORS, VICTIM_TYPES
from sanctrace.sources.base import Parsed, Progress, Quarantined, Row, read_csv
from sanctrace.sources.values import (
    alias_key,
    parse_choice,
    parse_citations,
    parse_country,
    parse_date,
    parse_native,
    parse_usd,
    slug,
)

REQUIRED = ("date", "victim")
OPTIONAL = (
    "incident_id",
    "victim_type",
    "country",
    "vector",
    "asset_class",
    "asset",
    "amount_attempted_native",
    "amount_attempted_usd",
    "amount_stolen_native",
    "amount_stolen_usd",
    "amount_source",
    "actor",
    "attribution_confidence",
    "attribution_source",
    "country_source",
    "victim_type_source",
    "vector_source",
    "sources",
    "note",
)
CITED_FIELDS = ("country", "victim_type", "vector")
PER_INCIDENT = ("incident", "amount", "attribution", "citation")


class IncidentsCsv:
    name = "incidents"
    version = "1"
    description = "incident registry CSV (docs/incidents-csv.md)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        out = Parsed(replace={table: "incident_id" for table in PER_INCIDENT}, primary="incident")
        seen: set[str] = set()
        for line, row in read_csv(path, REQUIRED, OPTIONAL):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            if isinstance(row, Quarantined):
                out.quarantine.append(row)
                continue
            try:
                records = _incident(row, line)
            except ValueError as exc:
                out.quarantine.append(Quarantined(str(exc), line=line, raw=_raw(row)))
                continue
            incident_id = records[0][1]["incident_id"]
            if incident_id in seen:
                out.quarantine.append(
                    Quarantined(f"duplicate incident_id {incident_id!r}", line=line, raw=_raw(row))
                )
                continue
            seen.add(incident_id)
            for table, record in records:
                out.add(table, record)
        return out


def _raw(row: Row) -> str:
    return ",".join(str(v) for v in row.values())


def _incident(row: Row, line: int) -> list[tuple[str, Row]]:
    """All records of one CSV row; ``ValueError`` quarantines the row with its reason."""
    when = parse_date(row["date"])
    victim = row["victim"]
    if not victim:
        raise ValueError("victim is empty")
    incident_id = row.get("incident_id") or f"{when.iso()}-{slug(victim)}"
    records: list[tuple[str, Row]] = [
        (
            "incident",
            {
                "incident_id": incident_id,
                "date": when.value,
                "date_precision": when.precision,
                "date_text": when.text,
                "year": when.value.year,
                "victim": victim,
                "victim_type": parse_choice(
                    row.get("victim_type", ""), "victim_type", frozenset(VICTIM_TYPES), "unknown"
                ),
                "country": parse_country(row.get("country", "")),
                "vector": parse_choice(
                    row.get("vector", ""), "vector", frozenset(VECTORS), "unknown"
                ),
                "asset_class": parse_choice(
                    row.get("asset_class", ""), "asset_class", frozenset(ASSET_CLASSES), "crypto"
                ),
                "note": row.get("note") or None,
                "line": line,
            },
        )
    ]
    amount_cite = row.get("amount_source") or None
    for kind in ("attempted", "stolen"):
        usd_text = row.get(f"amount_{kind}_usd", "")
        native = parse_native(row.get(f"amount_{kind}_native", ""))
        if kind == "attempted" and not usd_text and native is None:
            # an absent attempted amount is no fact; an unknown stolen amount is, and is flagged
            continue
        usd = parse_usd(usd_text)
        records.append(
            (
                "amount",
                {
                    "incident_id": incident_id,
                    "kind": kind,
                    "asset": row.get("asset") or None,
                    "amount_native": native,
                    "amount_usd": usd.value,
                    "usd_text": usd.text or None,
                    "status": usd.status,
                    "citation": amount_cite,
                },
            )
        )
    actor = row.get("actor", "")
    if actor:
        key = alias_key(actor)
        if not key:
            raise ValueError(f"actor {actor!r} has no letters or digits")
        records.append(
            (
                "attribution",
                {
                    "incident_id": incident_id,
                    "actor_text": actor,
                    "actor_key": key,
                    "confidence": parse_choice(
                        row.get("attribution_confidence", ""),
                        "attribution_confidence",
                        frozenset(CONFIDENCE),
                        "low",
                    ),
                    "citation": row.get("attribution_source") or None,
                },
            )
        )
    cited = [
        ("incident", row.get("sources", "")),
        ("amount", amount_cite or ""),
        ("attribution", row.get("attribution_source", "")),
    ]
    cited += [(f, row.get(f"{f}_source", "")) for f in CITED_FIELDS]
    for field, text in cited:
        for c in parse_citations(text):
            records.append(
                (
                    "citation",
                    {
                        "incident_id": incident_id,
                        "field": field,
                        "document": c.document,
                        "locator": c.locator,
                    },
                )
            )
    return records
