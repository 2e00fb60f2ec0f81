"""Every behavioural detector over one set of positions, as one JSON-ready result.

``detect`` reads positions (and draught reports) from the workspace for a time window and
area, builds tracks once, and runs encounters, loitering, gaps and draught changes over
them, with the encounter join in the workspace's own backend (DuckDB or Spark). Identity
anomalies and designated-vessel screening come from ``maritime.identity`` and
``maritime.designated``. ``detect_frames`` is the same
over DataFrames, for tests, benchmarks and the generator's truth checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from sanctrace.maritime import draught as draught_engine
from sanctrace.maritime import encounters as encounter_engine
from sanctrace.maritime import gaps as gap_engine
from sanctrace.maritime import loitering as loitering_engine
from sanctrace.maritime import tracks as track_engine
from sanctrace.maritime.draught import DraughtChange, DraughtParams, EventSpan
from sanctrace.maritime.encounters import EncounterParams
from sanctrace.maritime.gaps import Gap, GapParams
from sanctrace.maritime.loitering import Loitering, LoiteringParams
from sanctrace.maritime.tracks import BBox, TrackParams
from sanctrace.schema import table_schema
from sanctrace.serialize import to_jsonable

if TYPE_CHECKING:
    from sanctrace.workspace import Workspace

Steps = Callable[[str], None]
"""Told what each step does as it starts, for progress displays."""


@dataclass(frozen=True)
class DetectParams:
    """Every detector's parameters; the defaults are GFW's published ones."""

    tracks: TrackParams = field(default_factory=TrackParams)
    encounters: EncounterParams = field(default_factory=EncounterParams)
    loitering: LoiteringParams = field(default_factory=LoiteringParams)
    gaps: GapParams = field(default_factory=GapParams)
    draught: DraughtParams = field(default_factory=DraughtParams)
    loitering_outside_encounters: bool = True
    """Drop a vessel's loitering while it is in an encounter: its partner is then visible,
    and loitering is the sign of a partner that is not."""


@dataclass(frozen=True)
class EncounterReport:
    """An encounter as ``sanctrace ais detect`` prints it (the issue's shape)."""

    vessel_a: str
    vessel_b: str
    start: datetime
    end: datetime
    median_distance_m: float
    lat: float
    lon: float
    designated: list[Any]


@dataclass(frozen=True)
class Detection:
    """What ``detect`` found. ``as_json`` is the command's JSON; the counts say what it
    looked at."""

    encounters: list[EncounterReport]
    loitering: list[Loitering]
    gaps: list[Gap]
    identity: list[dict[str, Any]]
    draught: list[DraughtChange]
    positions: int = 0
    vessels: int = 0
    jumps: int = 0

    def as_json(self) -> dict[str, Any]:
        keys = ("encounters", "loitering", "gaps", "identity", "draught")
        return {k: to_jsonable(getattr(self, k)) for k in keys}


def detect(
    ws: Workspace,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: BBox | None = None,
    params: DetectParams | None = None,
    steps: Steps | None = None,
) -> Detection:
    """All detectors over the workspace's positions in [since, until) and ``bbox``."""
    step = steps or (lambda _: None)
    step("reading positions")
    positions = track_engine.load_positions(ws, since, until, bbox)
    step("reading static reports")
    static = track_engine.load_static(ws, positions["mmsi"].unique())
    return detect_frames(positions, static, params, ws=ws, steps=steps)


def detect_frames(
    positions: pd.DataFrame,
    static: pd.DataFrame | None = None,
    params: DetectParams | None = None,
    ws: Workspace | None = None,
    steps: Steps | None = None,
) -> Detection:
    """All detectors over positions (mmsi, ts, lat, lon, sog?, cog?) and static reports
    (mmsi, ts, draught, ...); ``ws`` only chooses where the encounter join runs."""
    params = params or DetectParams()
    step = steps or (lambda _: None)
    if static is None:
        static = table_schema("ais_static").to_pyarrow().empty_table().to_pandas()
    step("building tracks")
    tracks = track_engine.build(positions, params.tracks)
    step("encounters")
    found = encounter_engine.detect(tracks, params.encounters, ws=ws)
    step("loitering")
    loitering = loitering_engine.detect(tracks, params.loitering)
    if params.loitering_outside_encounters and found:
        meetings: dict[str, list[tuple[datetime, datetime]]] = {}
        for e in found:
            for mmsi in (e.vessel_a, e.vessel_b):
                meetings.setdefault(mmsi, []).append((e.start, e.end))
        loitering = [
            event
            for event in loitering
            if not any(
                loitering_engine.overlaps(event, event.mmsi, start, end)
                for start, end in meetings.get(event.mmsi, ())
            )
        ]
    step("gaps")
    gaps = gap_engine.detect(tracks, params.gaps)
    step("draught changes")
    spans = [EventSpan(g.mmsi, "gap", g.start, g.end) for g in gaps]
    for e in found:
        spans.append(EventSpan(e.vessel_a, "encounter", e.start, e.end, e.vessel_b))
        spans.append(EventSpan(e.vessel_b, "encounter", e.start, e.end, e.vessel_a))
    changes = draught_engine.detect(static, spans, params.draught)
    step("identity")
    identity = _identity(positions, static)
    step("screening the encounters' vessels")
    designated = _designated(ws, [m for e in found for m in (e.vessel_a, e.vessel_b)])
    reports = [
        EncounterReport(
            vessel_a=e.vessel_a,
            vessel_b=e.vessel_b,
            start=e.start,
            end=e.end,
            median_distance_m=e.median_distance_m,
            lat=e.lat,
            lon=e.lon,
            designated=[designated[m] for m in (e.vessel_a, e.vessel_b) if m in designated],
        )
        for e in found
    ]
    return Detection(
        encounters=reports,
        loitering=loitering,
        gaps=gaps,
        identity=identity,
        draught=changes,
        positions=len(tracks),
        vessels=tracks.vessels,
        jumps=len(tracks.jumps),
    )


def _identity(positions: pd.DataFrame, static: pd.DataFrame) -> list[dict[str, Any]]:
    """Identity anomalies (``maritime.identity``), as JSON objects."""
    from sanctrace.maritime import identity

    # identity compares naive UTC times (the workspace's)
    naive = positions.assign(ts=pd.to_datetime(track_engine.to_seconds(positions["ts"]), unit="s"))
    return [_as_dict(a) for a in identity.anomalies_frames(naive, static)]


def _designated(ws: Workspace | None, mmsis: list[str]) -> dict[str, Any]:
    """MMSI -> its best designated-vessel hit (``maritime.designated``), for the vessels
    of the encounters; needs the workspace (its lists and what its vessels said)."""
    if ws is None or not mmsis:
        return {}
    from sanctrace.maritime import designated  # the screening engine: only when screening

    hits = designated.screen_mmsis(ws, sorted(set(mmsis)))
    return {str(k): _as_dict(v) for k, v in hits.items()}


def _as_dict(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(value)
    return value
