"""``actors``: the curated actor hierarchy CSV (name, parent, aliases, MITRE id, source).

Curated rows outrank the galaxies (rank 0): this is where an analyst says that BlueNoroff is
APT38 and that both sit under Lazarus Group and the Reconnaissance General Bureau.
"""

from __future__ import annotations

from pathlib import Path

from sanctrace.sources.base import Parsed, Progress, Quarantined, read_csv
from sanctrace.sources.values import alias_key, parse_country, slug

REQUIRED = ("name",)
OPTIONAL = ("parent", "aliases", "mitre_id", "country", "description", "source")


class ActorsCsv:
    name = "actors"
    version = "1"
    description = "actor hierarchy CSV: name, parent, aliases (;), mitre_id, country, source"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        out = Parsed()
        for line, row in read_csv(path, REQUIRED, OPTIONAL):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            if isinstance(row, Quarantined):
                out.quarantine.append(row)
                continue
            name = row["name"]
            try:
                if not alias_key(name):
                    raise ValueError("name is empty")
                country = parse_country(row.get("country", ""))
            except ValueError as exc:
                out.quarantine.append(Quarantined(str(exc), line=line, raw=str(row)))
                continue
            actor_id = slug(name)
            parent = row.get("parent", "")
            description = row.get("description") or ""
            if row.get("source"):
                description = f"{description} (source: {row['source']})".strip()
            out.add(
                "actor",
                {
                    "actor_id": actor_id,
                    "name": name,
                    "parent_id": slug(parent) if parent else None,
                    "mitre_id": row.get("mitre_id") or None,
                    "country": country,
                    "description": description or None,
                },
            )
            aliases = [name] + [a for a in row.get("aliases", "").split(";")]
            seen: set[str] = set()
            for alias in aliases:
                key = alias_key(alias)
                if key and key not in seen:
                    seen.add(key)
                    out.add(
                        "actor_alias",
                        {"alias": alias.strip(), "alias_key": key, "actor_id": actor_id, "rank": 0},
                    )
        return out
