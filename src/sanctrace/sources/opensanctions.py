"""``opensanctions``: FollowTheMoney entities as JSON lines (the OpenSanctions exports, e.g.
the ``default`` dataset's ``entities.ftm.json``).

Each line is one entity ``{"id", "schema", "properties": {prop: [values]}, "datasets": [...]}``,
checked against followthemoney's model: an unknown schema or property, or a value that is
not a string, quarantines the line with the reason. Values are cleaned by FtM's types (a
value FtM cannot read, such as an impossible date, is dropped, as FtM does everywhere). The row's
``dataset`` is the entity's ``datasets`` joined with ``;``; the file is one snapshot of the
list ``opensanctions``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined, read_text
from sanctrace.sources.ftm import add_snapshot, entity_row, make

DATASET = "opensanctions"
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2}|\d{8})")


class OpenSanctions:
    name = "opensanctions"
    version = "1"
    description = "FollowTheMoney entities as JSON lines (OpenSanctions exports)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        text = read_text(path)
        if not text.strip():
            raise InputError(str(path), "the file is empty")
        out = Parsed()
        seen: set[str] = set()
        for line, body in enumerate(text.splitlines(), 1):
            if not body.strip():
                continue
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            try:
                row = _entity(body)
            except ValueError as exc:
                out.quarantine.append(Quarantined(str(exc), line=line, raw=body[:2000]))
                continue
            if row["entity_id"] in seen:
                out.quarantine.append(
                    Quarantined(f"entity {row['entity_id']!r} twice", line=line, raw=body[:2000])
                )
                continue
            seen.add(row["entity_id"])
            out.add("entity", row)
        if out.rows_read and not out.rows.get("entity") and len(out.quarantine) == out.rows_read:
            first = out.quarantine[0]
            raise InputError(
                f"{path}:{first.line}", f"not FollowTheMoney JSON lines: {first.reason}"
            )
        add_snapshot(out, DATASET, _published(path))
        return out


def _published(path: Path) -> date | None:
    m = _DATED.search(path.name)
    if not m:
        return None
    digits = m[1].replace("-", "")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _entity(body: str) -> dict[str, Any]:
    from followthemoney import model

    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg}") from None
    except RecursionError:
        raise ValueError("not JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    entity_id, schema_name = data.get("id"), data.get("schema")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise ValueError("no 'id'")
    if not isinstance(schema_name, str):
        raise ValueError("no 'schema'")
    schema = model.get(schema_name)
    if schema is None:
        raise ValueError(f"unknown FtM schema {schema_name!r}")
    if schema.abstract:
        raise ValueError(f"FtM schema {schema_name!r} is abstract: no entity can have it")
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        raise ValueError("'properties' is not an object")
    entity = make(schema.name, entity_id.strip())
    for prop, values in properties.items():
        if prop not in schema.properties:
            raise ValueError(f"unknown property {prop!r} of FtM schema {schema.name}")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"property {prop!r} is not a list of strings")
        if schema.properties[prop].stub:
            continue  # a reverse link: computed by FtM from the other side, never stored
        entity.add(prop, values)
    datasets = data.get("datasets") or [DATASET]
    if not isinstance(datasets, list) or not all(isinstance(d, str) for d in datasets):
        raise ValueError("'datasets' is not a list of names")
    return entity_row(entity, ";".join(sorted(set(datasets))))
