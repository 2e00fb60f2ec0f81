"""``attack``: MISP galaxy clusters (``mitre-intrusion-set``, ``threat-actor``) as actors.

MITRE ATT&CK groups carry ``meta.external_id`` (G0032). Their names and synonyms outrank the
broader MISP threat-actor synonyms when two actors claim one alias: the threat-actor galaxy
lists APT38 and Andariel as synonyms of Lazarus Group, while ATT&CK tracks them as groups of
their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined, read_text
from sanctrace.sources.values import alias_key, slug

_MITRE_ID = re.compile(r"^G\d{4}$")
_SUFFIX = re.compile(r"\s+-\s+G\d{4}$")

# alias ranks: lower wins (curated actors.csv uses 0 for everything it says)
MITRE_NAME, MITRE_SYNONYM, MISP_NAME, MISP_SYNONYM = 1, 2, 3, 4


class MispGalaxy:
    name = "attack"
    version = "1"
    description = "MISP galaxy cluster JSON (MITRE ATT&CK intrusion sets, threat actors)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        try:
            doc = json.loads(read_text(path))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}", f"not JSON: {exc.msg}") from exc
        except RecursionError:
            raise InputError(str(path), "not a MISP galaxy: JSON nested too deeply") from None
        values = doc.get("values") if isinstance(doc, dict) else None
        if not isinstance(values, list):
            raise InputError(str(path), "not a MISP galaxy cluster file: no 'values' list")
        out = Parsed()
        for i, value in enumerate(values):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            element = f"values[{i}]"
            try:
                _cluster(value, out)
            except ValueError as exc:
                out.quarantine.append(
                    Quarantined(str(exc), element=element, raw=json.dumps(value)[:2000])
                )
        return out


def _cluster(value: Any, out: Parsed) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("cluster has no 'value' name")
    meta = value.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError("'meta' is not an object")
    name = _SUFFIX.sub("", value["value"]).strip()
    if not alias_key(name):
        raise ValueError(f"cluster name {value['value']!r} has no letters or digits")
    external = meta.get("external_id")
    mitre_id = external if isinstance(external, str) and _MITRE_ID.match(external) else None
    synonyms = meta.get("synonyms") or []
    if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
        raise ValueError("'meta.synonyms' is not a list of names")
    actor_id = slug(name)
    country = meta.get("country")
    out.add(
        "actor",
        {
            "actor_id": actor_id,
            "name": name,
            "parent_id": None,
            "mitre_id": mitre_id,
            "country": country if isinstance(country, str) else None,
            "description": value.get("description")
            if isinstance(value.get("description"), str)
            else None,
        },
    )
    name_rank, synonym_rank = (MITRE_NAME, MITRE_SYNONYM) if mitre_id else (MISP_NAME, MISP_SYNONYM)
    aliases = [(name, name_rank)] + [(s, synonym_rank) for s in synonyms]
    if mitre_id:
        aliases.append((mitre_id, name_rank))
    seen: set[str] = set()
    for alias, rank in aliases:
        key = alias_key(alias)
        if key and key not in seen:
            seen.add(key)
            out.add(
                "actor_alias",
                {"alias": alias, "alias_key": key, "actor_id": actor_id, "rank": rank},
            )
