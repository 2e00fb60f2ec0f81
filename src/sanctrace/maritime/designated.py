"""Designated-vessel screening: every vessel seen on AIS, by IMO, MMSI and name, against the
vessels on sanctions lists.

The candidates are the ``Vessel`` parties of the newest snapshot of every list in the
workspace (the UN and OFAC lists as loaded, ``screening.index.records``), plus the 105 OFAC
DPRK-program vessels bundled as ``data/vessels/ofac_dprk_vessels.csv`` so that screening
works before any list is loaded; a bundled vessel that a loaded list also holds (same
``ofac-<ent_num>`` id) is taken from the list. Matching is the screening engine's own
(``screening.screen.screen_entity``: exact IMO and MMSI keys, fuzzy and Korean-aware names,
a penalty when both sides have different IMO numbers), so a vessel scores here as it does in
``sanctrace screen``; a hit on the name alone must score ``NAME_THRESHOLD`` (0.9), since
vessel names are short and generic. A hit says which of the vessel's keys matched: ``imo``,
``mmsi`` or ``name`` (identifiers first).
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sanctrace.data import bundled
from sanctrace.screening.entity import prepare
from sanctrace.screening.identifiers import clean_imo, clean_mmsi
from sanctrace.screening.index import Index, records
from sanctrace.screening.index_store import Record
from sanctrace.screening.matcher import DEFAULT_THRESHOLD
from sanctrace.screening.screen import screen_entity

if TYPE_CHECKING:
    from sanctrace.workspace import Workspace

NAME_THRESHOLD = 0.9
"""The score a hit on the name alone needs (an IMO or MMSI hit needs the screening default,
0.7). Vessel names are short and generic: at 0.7 a ship called "STAR" or "JIN" meets
"STAR 18" and "JIN TAI", and about half of 2,000 random names made of common vessel-name
words hit a listed vessel; an exact or near-exact name scores 0.9 or more."""

BUNDLED = "vessels/ofac_dprk_vessels.csv"
BUNDLED_LIST = "us_ofac_sdn (bundled DPRK vessels)"


@dataclass(frozen=True)
class Vessel:
    """What AIS said about one MMSI: every name and IMO number it gave."""

    mmsi: str
    names: tuple[str, ...] = ()
    imos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A vessel seen that matches a designated vessel."""

    mmsi: str
    entity_id: str
    caption: str
    lists: list[str]
    key: str  # imo | mmsi | name: which of the vessel's keys matched
    value: str  # the vessel's IMO, MMSI or name that matched
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)


def bundled_records() -> list[Record]:
    """The bundled OFAC DPRK vessels as screening records (FtM Vessel entities)."""
    out: list[Record] = []
    with bundled(BUNDLED).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entity_id = f"ofac-{row['ent_num'].strip()}"
            props: dict[str, list[str]] = {"name": [row["name"].strip()]}
            if row.get("imo", "").strip():
                props["imoNumber"] = [f"IMO{row['imo'].strip()}"]
            if row.get("vessel_type", "").strip():
                props["type"] = [row["vessel_type"].strip()]
            out.append(
                Record(
                    entity_id=entity_id,
                    schema="Vessel",
                    caption=row["name"].strip(),
                    refs=(),
                    lists=(BUNDLED_LIST,),
                    holders=(),
                    entity={"id": entity_id, "schema": "Vessel", "properties": props},
                )
            )
    return out


def candidates(ws: Workspace | None) -> list[Record]:
    """The designated vessels: the workspace lists' Vessel parties, then the bundled ones
    that no loaded list holds."""
    listed = [r for r in records(ws) if r.schema == "Vessel"] if ws is not None else []
    held = {r.entity_id for r in listed}
    return [*listed, *(r for r in bundled_records() if r.entity_id not in held)]


@dataclass(frozen=True)
class VesselIndex:
    """The screening index of the designated vessels, and their entities by id."""

    index: Index
    entities: dict[str, dict[str, Any]]


_CACHE: dict[tuple[str, str], VesselIndex] = {}
_LOCK = threading.Lock()


def vessel_index(ws: Workspace | None) -> VesselIndex:
    """The designated vessels' index, built once per workspace state."""
    key = (str(ws.path), ws.state()) if ws is not None else ("", "")
    with _LOCK:
        found = _CACHE.get(key)
        if found is None:
            listed = candidates(ws)
            found = VesselIndex(Index.of(listed), {r.entity_id: r.entity for r in listed})
            _CACHE[key] = found
        return found


def _matched_key(vessel: Vessel, candidate: dict[str, Any]) -> tuple[str, str]:
    props = candidate.get("properties", {})
    listed_imos = {clean_imo(str(v)) for v in props.get("imoNumber", [])}
    for imo in vessel.imos:
        if clean_imo(imo) in listed_imos - {None}:
            return "imo", imo
    listed_mmsis = {clean_mmsi(str(v)) for v in props.get("mmsi", [])}
    if clean_mmsi(vessel.mmsi) in listed_mmsis - {None}:
        return "mmsi", vessel.mmsi
    return "name", vessel.names[0] if vessel.names else ""


def screen_vessel(
    index: VesselIndex,
    vessel: Vessel,
    threshold: float = DEFAULT_THRESHOLD,
    name_threshold: float = NAME_THRESHOLD,
) -> list[Hit]:
    """The designated vessels ``vessel`` matches, best first (a hit on the name alone needs
    ``name_threshold``)."""
    props: dict[str, list[str]] = {"mmsi": [vessel.mmsi]}
    if vessel.names:
        props["name"] = list(vessel.names)
    if vessel.imos:
        props["imoNumber"] = list(vessel.imos)
    prepared = prepare({"schema": "Vessel", "properties": props})
    if not prepared.names and not prepared.identifiers:
        return []
    result = screen_entity(index.index, prepared, threshold, limit=5, label=vessel.mmsi)
    hits: list[Hit] = []
    for match in result.matches:
        if match.schema != "Vessel":
            continue
        key, value = _matched_key(vessel, index.entities.get(match.entity_id, {}))
        if key == "name" and match.score < name_threshold:
            continue
        hits.append(
            Hit(
                mmsi=vessel.mmsi,
                entity_id=match.entity_id,
                caption=match.caption,
                lists=match.lists,
                key=key,
                value=value,
                score=round(match.score, 3),
                explanation=match.explanation,
            )
        )
    return hits


def vessels_seen(ws: Workspace, mmsis: Iterable[str] | None = None) -> list[Vessel]:
    """Every MMSI with positions or identity reports, with every name and IMO it gave."""
    static = ws.table("ais_static")
    positions = ws.table("ais_position")
    wanted = None if mmsis is None else sorted(set(mmsis))
    if wanted is not None:
        static = static.filter(static.mmsi.isin(wanted))
        positions = positions.filter(positions.mmsi.isin(wanted))
    names: dict[str, set[str]] = {}
    imos: dict[str, set[str]] = {}
    rows = static.select("mmsi", "name", "imo").distinct().to_pyarrow().to_pylist()
    for row in rows:
        names.setdefault(row["mmsi"], set())
        imos.setdefault(row["mmsi"], set())
        if row["name"]:
            names[row["mmsi"]].add(row["name"])
        if row["imo"]:
            imos[row["mmsi"]].add(row["imo"])
    seen = set(names) | set(
        positions.select("mmsi").distinct().to_pyarrow().column("mmsi").to_pylist()
    )
    return [
        Vessel(m, tuple(sorted(names.get(m, ()))), tuple(sorted(imos.get(m, ()))))
        for m in sorted(seen)
    ]


def screen_vessels(
    ws: Workspace, mmsis: Sequence[str] | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[Hit]:
    """Every hit of every vessel seen (or of ``mmsis``), by MMSI then score."""
    index = vessel_index(ws)
    hits: list[Hit] = []
    for vessel in vessels_seen(ws, mmsis):
        hits.extend(screen_vessel(index, vessel, threshold))
    return hits


def screen_mmsis(ws: Workspace, mmsis: Sequence[str]) -> dict[str, Hit]:
    """MMSI -> its best hit, for the vessels among ``mmsis`` that have one (encounter
    partners of designated vessels are flagged from this)."""
    best: dict[str, Hit] = {}
    for hit in screen_vessels(ws, mmsis):
        if hit.mmsi not in best or hit.score > best[hit.mmsi].score:
            best[hit.mmsi] = hit
    return best
