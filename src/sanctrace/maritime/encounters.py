"""Encounters: two vessels side by side, slow, away from port (a possible ship-to-ship transfer).

GFW's definition (Miller et al. 2018, GFW's published encounter events): two vessels within
500 m of each other for at least 2 hours, at a median speed under 2 knots, at least 10 km
from a coastal anchorage. As GFW does, tracks are first put on a 10-minute clock
(``tracks.resample``) so that two vessels are compared at the same instants.

Finding pairs is a space-time join, written once as an Ibis expression
(``candidate_pairs``) so that it runs on DuckDB and unchanged on Spark: every resampled
position falls in a cell (its 10-minute slot, a latitude band of ``max_distance_m`` and a
longitude cell at least that wide at the data's highest latitude); one side of the join is
copied into its own cell and the four neighbours on one side (``HALF``), so two positions
within the distance always meet exactly once, and the great-circle distance is computed in
the query. Pairs across the antimeridian (longitude +-180) are not found. The runs of
consecutive slots per pair, and their medians, are numpy over the (few) close pairs that
come back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

import ibis
import numpy as np
import pyarrow as pa

from sanctrace.maritime.geography import EARTH_RADIUS_M, distance_from_port_m
from sanctrace.maritime.runs import runs, utc
from sanctrace.maritime.tracks import Resampled, Tracks, resample

if TYPE_CHECKING:
    from sanctrace.workspace import Workspace

METRES_PER_DEG: Final = EARTH_RADIUS_M * math.pi / 180.0
POINT_SCHEMA: Final = pa.schema(
    [
        ("vessel", pa.int64()),
        ("slot", pa.int64()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("sog", pa.float64()),
    ]
)


@dataclass(frozen=True)
class EncounterParams:
    """GFW's published defaults."""

    max_distance_m: float = 500.0
    min_hours: float = 2.0
    max_median_speed_knots: float = 2.0
    min_anchorage_distance_m: float = 10_000.0
    interval_s: int = 600
    """The resampling clock (GFW: 10 minutes)."""


@dataclass(frozen=True)
class Encounter:
    vessel_a: str  # MMSI; vessel_a < vessel_b
    vessel_b: str
    start: datetime
    end: datetime
    median_distance_m: float
    lat: float  # mean position of both vessels over the encounter
    lon: float
    median_speed_knots: float
    anchorage_distance_m: float


def lon_cell_deg(max_abs_lat: float, params: EncounterParams) -> float:
    """A longitude cell width that spans at least ``max_distance_m`` at every latitude up to
    ``max_abs_lat`` (plus a band): one width for the whole query keeps the join integer
    arithmetic; it is wider than needed near the equator, which only adds candidates."""
    band = params.max_distance_m / METRES_PER_DEG
    edge = min(abs(max_abs_lat) + 2 * band, 89.9)
    return min(band / math.cos(math.radians(edge)), 360.0)


HALF: Final = ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1))
"""The cell itself and the neighbours on one side: every pair of neighbouring cells is
covered once, whichever of the two points is copied."""


def candidate_pairs(points: ibis.Table, params: EncounterParams, lon_cell: float) -> ibis.Table:
    """Pairs of positions of different vessels in the same slot within
    ``params.max_distance_m``: (slot, vessel_a, vessel_b, distance_m, lat_a, lon_a, sog_a,
    lat_b, lon_b, sog_b) with vessel_a < vessel_b, as an Ibis expression over ``points``
    (vessel, slot, lat, lon, sog) for any backend. Cells are ``max_distance_m`` of latitude
    by ``lon_cell`` degrees of longitude (``lon_cell_deg``)."""
    band = params.max_distance_m / METRES_PER_DEG
    cells = points.mutate(
        cell_row=(points.lat / band).floor().cast("int64"),
        cell_col=((points.lon + 180.0) / lon_cell).floor().cast("int64"),
    )
    home = cells.select(
        slot=cells.slot,
        v_h=cells.vessel,
        lat_h=cells.lat,
        lon_h=cells.lon,
        sog_h=cells.sog,
        row_h=cells.cell_row,
        col_h=cells.cell_col,
    )
    shifts = ibis.memtable({"d_row": [d[0] for d in HALF], "d_col": [d[1] for d in HALF]})
    spread = cells.cross_join(shifts)
    visiting = spread.select(
        slot_v=spread.slot,
        v_v=spread.vessel,
        lat_v=spread.lat,
        lon_v=spread.lon,
        sog_v=spread.sog,
        row_v=spread.cell_row + spread.d_row,
        col_v=spread.cell_col + spread.d_col,
        own_cell=(spread.d_row == 0) & (spread.d_col == 0),
    )
    joined = home.join(
        visiting,
        (home.slot == visiting.slot_v)
        & (home.row_h == visiting.row_v)
        & (home.col_h == visiting.col_v),
    )
    # in its own cell a pair meets twice (each point copied onto the other): keep one
    joined = joined.filter(
        ibis.ifelse(joined.own_cell, joined.v_h < joined.v_v, joined.v_h != joined.v_v)
    )
    p1, p2 = joined.lat_h.radians(), joined.lat_v.radians()
    dl = (joined.lon_v - joined.lon_h).radians()
    h = ((p2 - p1) / 2).sin() ** 2 + p1.cos() * p2.cos() * (dl / 2).sin() ** 2
    distance = 2 * EARTH_RADIUS_M * ibis.least(h, 1.0).sqrt().asin()
    first = joined.v_h < joined.v_v
    pairs = joined.select(
        slot=joined.slot,
        vessel_a=ibis.least(joined.v_h, joined.v_v),
        vessel_b=ibis.greatest(joined.v_h, joined.v_v),
        distance_m=distance,
        lat_a=ibis.ifelse(first, joined.lat_h, joined.lat_v),
        lon_a=ibis.ifelse(first, joined.lon_h, joined.lon_v),
        sog_a=ibis.ifelse(first, joined.sog_h, joined.sog_v),
        lat_b=ibis.ifelse(first, joined.lat_v, joined.lat_h),
        lon_b=ibis.ifelse(first, joined.lon_v, joined.lon_h),
        sog_b=ibis.ifelse(first, joined.sog_v, joined.sog_h),
    )
    return pairs.filter(pairs.distance_m <= params.max_distance_m)


def points_table(points: Resampled) -> pa.Table:
    return pa.table(
        {
            "vessel": points.vessel,
            "slot": points.slot,
            "lat": points.lat,
            "lon": points.lon,
            "sog": points.sog,
        },
        schema=POINT_SCHEMA,
    )


def close_pairs(
    points: Resampled, params: EncounterParams, ws: Workspace | None = None
) -> pa.Table:
    """Run ``candidate_pairs`` where the data is: in the workspace's backend (DuckDB or
    Spark) when one is given, else in an in-process DuckDB."""
    table = points_table(points)
    lon_cell = lon_cell_deg(float(np.abs(points.lat).max()) if points.lat.size else 0.0, params)
    if ws is None:
        con = ibis.duckdb.connect()
        try:
            t = con.create_table("ais_points", table, temp=True)
            return con.to_pyarrow(candidate_pairs(t, params, lon_cell))
        finally:
            con.disconnect()
    from sanctrace.chain.relational import _scratch  # the project's way to stage rows

    with _scratch(ws) as scratch:
        t = scratch.put(table, "ais_points")
        return ws.con.to_pyarrow(candidate_pairs(t, params, lon_cell))


def detect(
    tracks: Tracks,
    params: EncounterParams | None = None,
    ws: Workspace | None = None,
    resampled: Resampled | None = None,
) -> list[Encounter]:
    """Encounters in ``tracks`` (see the module docstring), sorted by start."""
    params = params or EncounterParams()
    points = resampled if resampled is not None else resample(tracks, params.interval_s)
    if not points.slot.size:
        return []
    pairs = close_pairs(points, params, ws)
    if not pairs.num_rows:
        return []
    col = {name: pairs.column(name).to_numpy() for name in pairs.column_names}
    order = np.lexsort((col["slot"], col["vessel_b"], col["vessel_a"]))
    col = {k: v[order] for k, v in col.items()}
    same_pair = (col["vessel_a"][1:] == col["vessel_a"][:-1]) & (
        col["vessel_b"][1:] == col["vessel_b"][:-1]
    )
    starts, ends = runs(same_pair & (np.diff(col["slot"]) == 1), col["slot"].size)
    interval = params.interval_s
    long_enough = (
        col["slot"][ends - 1] - col["slot"][starts]
    ) * interval >= params.min_hours * 3600
    found: list[Encounter] = []
    kept = [(s, e) for s, e in zip(starts[long_enough], ends[long_enough], strict=True)]
    if not kept:
        return []
    means = np.array(
        [
            _mean_position(
                np.concatenate((col["lat_a"][s:e], col["lat_b"][s:e])),
                np.concatenate((col["lon_a"][s:e], col["lon_b"][s:e])),
            )
            for s, e in kept
        ]
    )
    port_m = distance_from_port_m(means[:, 0], means[:, 1])
    for (s, e), (lat, lon), anchorage in zip(kept, means, port_m, strict=True):
        speeds = np.concatenate((col["sog_a"][s:e], col["sog_b"][s:e]))
        speeds = speeds[~np.isnan(speeds)]
        median_speed = float(np.median(speeds)) if speeds.size else math.nan
        if not median_speed < params.max_median_speed_knots:
            continue
        if anchorage < params.min_anchorage_distance_m:
            continue
        found.append(
            Encounter(
                vessel_a=str(tracks.mmsi[col["vessel_a"][s]]),
                vessel_b=str(tracks.mmsi[col["vessel_b"][s]]),
                start=utc(int(col["slot"][s]) * interval),
                end=utc(int(col["slot"][e - 1]) * interval),
                median_distance_m=round(float(np.median(col["distance_m"][s:e])), 1),
                lat=round(float(lat), 5),
                lon=round(float(lon), 5),
                median_speed_knots=round(median_speed, 2),
                anchorage_distance_m=round(float(anchorage), 0),
            )
        )
    found.sort(key=lambda x: (x.start, x.vessel_a, x.vessel_b))
    return found


def _mean_position(lat: np.ndarray, lon: np.ndarray) -> tuple[float, float]:
    """Mean of nearby points, longitude unwrapped around the first one."""
    rel = (lon - lon[0] + 540.0) % 360.0 - 180.0
    return float(lat.mean()), float((lon[0] + rel.mean() + 540.0) % 360.0 - 180.0)
