"""Readers for ``sanctrace cap derive``: the tankers of interest (a CSV: mmsi, imo, name,
capacity_barrels or dwt) and the encounters and port calls to derive deliveries from (the
JSON that ``sanctrace ais detect --json`` prints, ``{"encounters": [...], ...}``, optionally
with ``"port_calls": [{"mmsi", "start", "port"}]``).

They are not ``ingest`` adapters: what they read becomes a ``deliveries`` file, which is
ingested with its provenance. A bad tanker row or event is returned with its reason, never
dropped silently; an unreadable file is an ``InputError`` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctrace.caps.derive import Tanker
from sanctrace.errors import InputError
from sanctrace.sources.base import Quarantined, read_csv, read_text
from sanctrace.sources.deliveries_csv import parse_imo, parse_mmsi
from sanctrace.sources.petroleum_values import parse_volume

TANKER_REQUIRED = ("mmsi",)
TANKER_OPTIONAL = ("imo", "name", "capacity_barrels", "dwt", "note")
EVENT_KEYS = {
    "encounters": ("vessel_a", "vessel_b", "start", "end"),
    "port_calls": ("mmsi", "start"),
}


@dataclass
class Tankers:
    by_mmsi: dict[str, Tanker] = field(default_factory=dict)
    quarantine: list[Quarantined] = field(default_factory=list)


@dataclass
class Events:
    encounters: list[dict[str, Any]] = field(default_factory=list)
    port_calls: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[Quarantined] = field(default_factory=list)


def read_tankers(path: Path) -> Tankers:
    """The tankers CSV: one row per tanker, capacity in barrels or deadweight tonnes."""
    out = Tankers()
    for line, row in read_csv(path, TANKER_REQUIRED, TANKER_OPTIONAL):
        if isinstance(row, Quarantined):
            out.quarantine.append(row)
            continue
        try:
            mmsi = parse_mmsi(row["mmsi"], "mmsi")
            if mmsi is None:
                raise ValueError("mmsi is empty")
            if mmsi in out.by_mmsi:
                raise ValueError(f"MMSI {mmsi} is listed twice")
            capacity = parse_volume(row.get("capacity_barrels", ""), "capacity_barrels")
            dwt = parse_volume(row.get("dwt", ""), "dwt")
            if capacity is None and dwt is None:
                raise ValueError("neither capacity_barrels nor dwt is given")
            if capacity is not None and dwt is not None:
                raise ValueError("give capacity_barrels or dwt, not both")
            out.by_mmsi[mmsi] = Tanker(
                mmsi, parse_imo(row.get("imo", ""), "imo"), row.get("name") or None, capacity, dwt
            )
        except ValueError as exc:
            out.quarantine.append(Quarantined(str(exc), line=line, raw=",".join(row.values())))
    return out


def read_events(path: Path) -> Events:
    """Encounters (and port calls) from a detector's JSON; an event lacking a key is set
    aside with its place (``encounters[3]``) and reason."""
    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}", f"not JSON: {exc.msg}") from exc
    if not isinstance(doc, dict) or not any(k in doc for k in EVENT_KEYS):
        raise InputError(
            str(path), "expected an object with encounters (as `sanctrace ais detect --json`)"
        )
    out = Events()
    for key, needed in EVENT_KEYS.items():
        items = doc.get(key, [])
        if not isinstance(items, list):
            raise InputError(f"{path}: {key}", "is not a list")
        for i, item in enumerate(items):
            missing = [k for k in needed if not isinstance(item, dict) or item.get(k) in (None, "")]
            if missing:
                out.quarantine.append(
                    Quarantined(f"missing {', '.join(missing)}", element=f"{key}[{i}]")
                )
                continue
            getattr(out, key).append(item)
    return out
