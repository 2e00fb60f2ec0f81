"""Vessel tracks: positions per vessel in time order, cleaned and cut into segments.

The detectors need a track they can trust: AIS carries positions that no ship could reach
(a bad GPS fix, two transmitters sharing one MMSI, a corrupted message), repeats, and long
silences. ``build`` turns positions (the ``ais_position`` columns, as a DataFrame) into
``Tracks``: numpy columns sorted by vessel and time, where

- a repeated report (same vessel, same second) is kept once;
- a *spike*, a position reached and left at an implied speed over ``max_speed_knots`` while
  its neighbours are within reach of each other, is flagged and set aside (``jumps``);
- any other impossible move (the track teleports and stays) and any silence of at least
  ``segment_gap_hours`` starts a new *segment*: interpolation and runs never cross one;
- speed and course are derived from the positions where the report has none (a CSV without
  sog/cog, AIS 102.3 knots and 360 degrees "not available").

``resample`` puts each segment on a regular clock (GFW interpolates to 10 minutes before
looking for encounters), and ``load_positions`` reads positions from the workspace with the
time and area filters pushed into the query, so only what is asked for leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from sanctrace.errors import InputError
from sanctrace.maritime.geography import bearing_deg, haversine_m

if TYPE_CHECKING:
    import ibis

    from sanctrace.workspace import Workspace

KNOT_MPS: Final = 1852.0 / 3600.0
POSITION_COLUMNS: Final = ("mmsi", "ts", "lat", "lon", "sog", "cog", "heading")

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TrackParams:
    """How tracks are cleaned and segmented."""

    max_speed_knots: float = 50.0
    """Implied speeds above this are impossible for a merchant ship (the fastest ferries
    make about 40 knots)."""
    segment_gap_hours: float = 6.0
    """A silence this long ends a segment (GFW's AIS off events start at 6 hours)."""


@dataclass(frozen=True)
class Tracks:
    """Clean positions as columns sorted by (vessel, t); ``mmsi[vessel]`` names a vessel.

    ``segment`` numbers segments globally, so it increases along the arrays; ``sog`` and
    ``cog`` are as reported where known and derived from positions elsewhere
    (``sog_derived``)."""

    mmsi: npt.NDArray[np.str_]
    vessel: Ints
    t: Ints  # seconds since 1970-01-01 UTC
    lat: Floats
    lon: Floats
    sog: Floats  # knots
    cog: Floats  # degrees true
    sog_derived: Bools
    segment: Ints
    jumps: pd.DataFrame = field(repr=False)
    """Positions set aside as impossible: mmsi, ts, lat, lon, implied_speed_knots."""
    duplicates: int = 0

    def __len__(self) -> int:
        return int(self.t.size)

    @property
    def vessels(self) -> int:
        return int(self.mmsi.size)

    def segment_bounds(self) -> tuple[Ints, Ints]:
        """(first index, end index) of every segment, in array order."""
        if not self.t.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        change = np.flatnonzero(np.diff(self.segment)) + 1
        starts = np.concatenate(([0], change)).astype(np.int64)
        ends = np.concatenate((change, [self.t.size])).astype(np.int64)
        return starts, ends


def to_seconds(ts: pd.Series | npt.ArrayLike) -> Ints:
    """Timestamps (naive UTC or aware) as int64 seconds since the epoch."""
    series = pd.Series(ts)
    if not pd.api.types.is_datetime64_any_dtype(series):
        series = pd.to_datetime(series, utc=True)
    elif getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return np.asarray(series.to_numpy(dtype="datetime64[s]").astype(np.int64))


def implied_speed_knots(
    lat1: Floats, lon1: Floats, t1: Ints, lat2: Floats, lon2: Floats, t2: Ints
) -> Floats:
    """Speed needed to move between two fixes; infinite for a move in no time."""
    metres = haversine_m(lat1, lon1, lat2, lon2)
    seconds = (t2 - t1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = metres / seconds / KNOT_MPS
    return np.asarray(np.where(metres == 0.0, 0.0, np.where(seconds > 0, speed, np.inf)))


def build(positions: pd.DataFrame, params: TrackParams | None = None) -> Tracks:
    """Tracks from positions with at least mmsi, ts, lat and lon (sog, cog optional)."""
    params = params or TrackParams()
    missing = {"mmsi", "ts", "lat", "lon"} - set(positions.columns)
    if missing:
        raise InputError("positions", f"missing columns: {', '.join(sorted(missing))}")
    vessel, names = _vessel_codes(positions["mmsi"])
    t = to_seconds(positions["ts"])
    lat = positions["lat"].to_numpy(dtype=np.float64)
    lon = positions["lon"].to_numpy(dtype=np.float64)
    sog = _optional(positions, "sog")
    cog = _optional(positions, "cog")
    sog[(sog < 0) | (sog >= 102.3)] = np.nan  # 102.3: "not available" in AIS
    cog[(cog < 0) | (cog >= 360.0)] = np.nan

    order = np.lexsort((t, vessel))
    vessel, t = vessel[order], t[order]
    lat, lon, sog, cog = lat[order], lon[order], sog[order], cog[order]
    repeat = np.zeros(t.size, dtype=bool)
    repeat[1:] = (vessel[1:] == vessel[:-1]) & (t[1:] == t[:-1])
    keep = ~repeat
    duplicates = int(repeat.sum())
    vessel, t = vessel[keep], t[keep]
    lat, lon, sog, cog = lat[keep], lon[keep], sog[keep], cog[keep]

    spike = _spikes(vessel, t, lat, lon, params.max_speed_knots)
    jumps = pd.DataFrame(
        {
            "mmsi": np.asarray(names)[vessel[spike]] if spike.any() else np.array([], dtype=str),
            "ts": pd.to_datetime(t[spike], unit="s", utc=True),
            "lat": lat[spike],
            "lon": lon[spike],
        }
    )
    good = ~spike
    vessel, t = vessel[good], t[good]
    lat, lon, sog, cog = lat[good], lon[good], sog[good], cog[good]

    segment = _segments(vessel, t, lat, lon, params)
    derived = np.isnan(sog)
    dsog, dcog = _derived_motion(segment, t, lat, lon)
    sog = np.where(derived, dsog, sog)
    cog = np.where(np.isnan(cog), dcog, cog)
    return Tracks(
        mmsi=np.asarray(names, dtype=str),
        vessel=vessel,
        t=t,
        lat=lat,
        lon=lon,
        sog=sog,
        cog=cog,
        sog_derived=derived,
        segment=segment,
        jumps=jumps,
        duplicates=duplicates,
    )


def _vessel_codes(mmsi: pd.Series) -> tuple[Ints, npt.NDArray[np.str_]]:
    """Vessel numbers in MMSI order; a categorical column (10 M rows) is not expanded."""
    if isinstance(mmsi.dtype, pd.CategoricalDtype):
        used = mmsi.cat.remove_unused_categories()
        names = np.asarray(used.cat.categories.astype(str), dtype=str)
        order = np.argsort(names, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        codes = used.cat.codes.to_numpy().astype(np.int64)
        return rank[codes].astype(np.int64), names[order]
    codes, uniques = pd.factorize(mmsi.astype(str), sort=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=str)


def _optional(frame: pd.DataFrame, column: str) -> Floats:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce")
    return np.array(values.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _spikes(vessel: Ints, t: Ints, lat: Floats, lon: Floats, limit: float) -> Bools:
    """Isolated impossible fixes: reached and left too fast, while the fixes before and
    after are within reach of each other. Only the neighbourhoods of impossible moves are
    examined (a few fixes in millions), each as its own small track."""
    flagged = np.zeros(t.size, dtype=bool)
    if t.size < 3:
        return flagged
    step = implied_speed_knots(lat[:-1], lon[:-1], t[:-1], lat[1:], lon[1:], t[1:])
    bad_step = (step > limit) & (vessel[1:] == vessel[:-1])
    if not bad_step.any():
        return flagged
    near = np.zeros(t.size + 1, dtype=np.int64)  # fixes within CONTEXT of a bad move
    moves = np.flatnonzero(bad_step)
    np.add.at(near, np.maximum(moves - CONTEXT, 0), 1)
    np.add.at(near, np.minimum(moves + 1 + CONTEXT, t.size), -1)
    sub = np.flatnonzero(np.cumsum(near[:-1]) > 0)
    window = np.concatenate(([0], np.cumsum(np.diff(sub) != 1)))
    group = vessel[sub] * (int(window.max()) + 1) + window  # vessel and window apart
    flagged[sub] = _spikes_in(group, t[sub], lat[sub], lon[sub], limit)
    return flagged


CONTEXT = 12
"""Fixes on either side of an impossible move that the spike test looks at."""


def _spikes_in(vessel: Ints, t: Ints, lat: Floats, lon: Floats, limit: float) -> Bools:
    """The spike test on (short) tracks, repeated until none is left, so two bad fixes in
    a row come off one at a time; a lasting jump is not a spike (it starts a segment)."""
    flagged = np.zeros(t.size, dtype=bool)
    index = np.arange(t.size)
    for _ in range(CONTEXT):
        v, tt, la, lo = vessel[index], t[index], lat[index], lon[index]
        if v.size < 3:
            break
        same_in = v[1:-1] == v[:-2]
        same_out = v[1:-1] == v[2:]
        inbound = implied_speed_knots(la[:-2], lo[:-2], tt[:-2], la[1:-1], lo[1:-1], tt[1:-1])
        outbound = implied_speed_knots(la[1:-1], lo[1:-1], tt[1:-1], la[2:], lo[2:], tt[2:])
        skip = implied_speed_knots(la[:-2], lo[:-2], tt[:-2], la[2:], lo[2:], tt[2:])
        bad = same_in & same_out & (inbound > limit) & (outbound > limit) & (skip <= limit)
        if not bad.any():
            break
        # of two adjacent candidates only the worse comes off in this round
        score = np.where(bad, np.minimum(inbound, outbound), -1.0)
        before = np.concatenate(([-1.0], score[:-1]))
        after = np.concatenate((score[1:], [-1.0]))
        chosen = np.flatnonzero(bad & (score >= before) & (score > after))
        drop = index[chosen + 1]
        flagged[drop] = True
        index = np.setdiff1d(index, drop, assume_unique=True)
    return flagged


def _segments(vessel: Ints, t: Ints, lat: Floats, lon: Floats, params: TrackParams) -> Ints:
    if not t.size:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(t.size, dtype=bool)
    same = vessel[1:] == vessel[:-1]
    gap = (t[1:] - t[:-1]) >= params.segment_gap_hours * 3600.0
    speed = implied_speed_knots(lat[:-1], lon[:-1], t[:-1], lat[1:], lon[1:], t[1:])
    new[1:] = ~same | gap | (speed > params.max_speed_knots)
    return np.cumsum(new).astype(np.int64) - 1


def _derived_motion(segment: Ints, t: Ints, lat: Floats, lon: Floats) -> tuple[Floats, Floats]:
    """Speed and course from neighbouring fixes of the same segment: centred inside a
    segment, one-sided at its ends, unknown for a lone fix."""
    n = t.size
    sog = np.full(n, np.nan)
    cog = np.full(n, np.nan)
    if n < 2:
        return sog, cog
    prev = np.arange(n) - 1
    nxt = np.arange(n) + 1
    prev[0] = 0
    nxt[-1] = n - 1
    has_prev = np.zeros(n, dtype=bool)
    has_next = np.zeros(n, dtype=bool)
    has_prev[1:] = segment[1:] == segment[:-1]
    has_next[:-1] = segment[:-1] == segment[1:]
    a = np.where(has_prev, prev, np.arange(n))
    b = np.where(has_next, nxt, np.arange(n))
    known = a != b
    speed = implied_speed_knots(lat[a], lon[a], t[a], lat[b], lon[b], t[b])
    sog[known] = speed[known]
    course = bearing_deg(lat[a], lon[a], lat[b], lon[b])
    cog[known] = course[known]
    return sog, cog


# --- resampling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resampled:
    """Segments on a regular clock: one row per (vessel, slot), slot = t // interval."""

    interval_s: int
    vessel: Ints
    slot: Ints
    lat: Floats
    lon: Floats
    sog: Floats
    segment: Ints


def resample(tracks: Tracks, interval_s: int = 600) -> Resampled:
    """Interpolate every segment linearly onto the slots ``k * interval_s`` it spans
    (longitude across the antimeridian the short way). A segment shorter than one slot
    keeps the slot it falls on, if any."""
    starts, ends = tracks.segment_bounds()
    if not starts.size:
        empty_i = np.zeros(0, dtype=np.int64)
        empty_f = np.zeros(0)
        return Resampled(interval_s, empty_i, empty_i, empty_f, empty_f, empty_f, empty_i)
    first = -(-tracks.t[starts] // interval_s)  # ceil
    last = tracks.t[ends - 1] // interval_s
    counts = np.maximum(last - first + 1, 0)
    total = int(counts.sum())
    seg_index = np.repeat(np.arange(starts.size), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    slot = first[seg_index] + offsets
    when = slot * interval_s
    # each slot's fix interval: the last fix at or before it within its segment
    lo = starts[seg_index]
    hi = ends[seg_index]
    base = int(tracks.t.min()) - interval_s
    key_points = (tracks.segment << 34) + (tracks.t - base)  # increasing along the arrays
    key_slots = (tracks.segment[lo] << 34) + (when - base)
    right = np.searchsorted(key_points, key_slots, side="left")
    right = np.clip(right, lo, hi - 1)
    left = np.where(tracks.t[right] > when, np.maximum(right - 1, lo), right)
    t0, t1 = tracks.t[left], tracks.t[right]
    span = (t1 - t0).astype(np.float64)
    w = np.where(span > 0, (when - t0) / np.where(span > 0, span, 1.0), 0.0)
    lat = tracks.lat[left] + w * (tracks.lat[right] - tracks.lat[left])
    dlon = (tracks.lon[right] - tracks.lon[left] + 540.0) % 360.0 - 180.0
    lon = (tracks.lon[left] + w * dlon + 540.0) % 360.0 - 180.0
    s0, s1 = tracks.sog[left], tracks.sog[right]
    sog = np.where(np.isnan(s0), s1, np.where(np.isnan(s1), s0, s0 + w * (s1 - s0)))
    return Resampled(
        interval_s=interval_s,
        vessel=tracks.vessel[left],
        slot=slot.astype(np.int64),
        lat=lat,
        lon=lon,
        sog=sog,
        segment=tracks.segment[left],
    )


# --- loading from the workspace -------------------------------------------------------------

BBox = tuple[float, float, float, float]
"""West, south, east, north in degrees; west > east crosses the antimeridian."""


def parse_bbox(text: str) -> BBox:
    """``W,S,E,N`` as four numbers, checked."""
    parts = text.split(",")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise InputError("--bbox", f"{text!r}: give four numbers W,S,E,N") from None
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise InputError("--bbox", f"{text!r}: longitudes in [-180, 180], -90 <= S <= N <= 90")
    return w, s, e, n


def parse_time(text: str | None, name: str) -> datetime | None:
    """ISO 8601 (``2021-03-20``, ``2021-03-20T06:00``, ``...Z``, ``...+02:00``) as UTC;
    a time without a zone is UTC."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(name, f"{text!r} is not an ISO 8601 date or time") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def position_filter(
    table: ibis.Table,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: BBox | None = None,
) -> ibis.Table:
    """``table`` (with ts, lat, lon) restricted to [since, until) and the box, as a query."""
    if since is not None:
        table = table.filter(table.ts >= _naive_utc(since))
    if until is not None:
        table = table.filter(table.ts < _naive_utc(until))
    if bbox is not None:
        w, s, e, n = bbox
        table = table.filter((table.lat >= s) & (table.lat <= n))
        if w <= e:
            table = table.filter((table.lon >= w) & (table.lon <= e))
        else:
            table = table.filter((table.lon >= w) | (table.lon <= e))
    return table


def _naive_utc(when: datetime) -> datetime:
    """The workspace stores naive UTC timestamps."""
    if when.tzinfo is None:
        return when
    return pd.Timestamp(when).tz_convert("UTC").tz_localize(None).to_pydatetime()


def load_positions(
    ws: Workspace,
    since: datetime | None = None,
    until: datetime | None = None,
    bbox: BBox | None = None,
) -> pd.DataFrame:
    """Positions from ``ais_position`` in the window (filters run in the database)."""
    t = position_filter(ws.table("ais_position"), since, until, bbox)
    frame: pd.DataFrame = t.select(*POSITION_COLUMNS).to_pyarrow().to_pandas()
    return frame


def load_static(ws: Workspace, mmsis: npt.ArrayLike | None = None) -> pd.DataFrame:
    """Identity reports (``ais_static``) with a time, optionally of some vessels only (kept
    after reading: a list of thousands of MMSIs is slower as a query than as a filter)."""
    t = ws.table("ais_static")
    t = t.filter(t.ts.notnull())
    columns = ("mmsi", "ts", "imo", "name", "call_sign", "ship_type", "draught")
    frame: pd.DataFrame = t.select(*columns).to_pyarrow().to_pandas()
    if mmsis is not None:
        wanted = {str(m) for m in np.asarray(mmsis).tolist()}
        frame = frame[frame["mmsi"].isin(wanted)].reset_index(drop=True)
    return frame
