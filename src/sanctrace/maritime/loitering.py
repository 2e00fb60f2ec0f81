"""Loitering: one vessel drifting slowly far from shore, the trace of a transfer with a
partner that does not transmit (a "dark" STS).

GFW's published definition: under 2 knots for at least 4 hours, at least 20 nautical miles
from shore. A run is a stretch of consecutive fixes of one segment (``tracks``: no gap of 6
hours or more inside) whose speed (reported, or derived from positions) is under the limit;
its duration runs from its first fix to its last; its distance from shore is that of its
mean position. ``detect`` in ``maritime.detect`` drops the loitering of a vessel while it is
in an encounter with a vessel that does transmit (``exclude`` here), since the partner is
then not dark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from sanctrace.maritime.geography import distance_from_shore_nm
from sanctrace.maritime.runs import runs, utc
from sanctrace.maritime.tracks import Tracks


@dataclass(frozen=True)
class LoiteringParams:
    """GFW's published defaults."""

    max_speed_knots: float = 2.0
    min_hours: float = 4.0
    min_shore_distance_nm: float = 20.0


@dataclass(frozen=True)
class Loitering:
    mmsi: str
    start: datetime
    end: datetime
    hours: float
    lat: float  # mean position
    lon: float
    median_speed_knots: float
    shore_distance_nm: float


def detect(tracks: Tracks, params: LoiteringParams | None = None) -> list[Loitering]:
    """Loitering events in ``tracks``, sorted by start."""
    params = params or LoiteringParams()
    if not len(tracks):
        return []
    slow = tracks.sog < params.max_speed_knots  # NaN (a lone fix) is not slow
    same = (tracks.segment[1:] == tracks.segment[:-1]) & slow[1:] & slow[:-1]
    starts, ends = runs(same, len(tracks))
    chosen = slow[starts] & ((tracks.t[ends - 1] - tracks.t[starts]) >= params.min_hours * 3600.0)
    starts, ends = starts[chosen], ends[chosen]
    if not starts.size:
        return []
    lat = np.array([tracks.lat[s:e].mean() for s, e in zip(starts, ends, strict=True)])
    lon = np.array([_mean_lon(tracks.lon[s:e]) for s, e in zip(starts, ends, strict=True)])
    shore = distance_from_shore_nm(lat, lon)
    found = []
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        if shore[i] < params.min_shore_distance_nm:
            continue
        hours = (tracks.t[e - 1] - tracks.t[s]) / 3600.0
        found.append(
            Loitering(
                mmsi=str(tracks.mmsi[tracks.vessel[s]]),
                start=utc(int(tracks.t[s])),
                end=utc(int(tracks.t[e - 1])),
                hours=round(float(hours), 2),
                lat=round(float(lat[i]), 5),
                lon=round(float(lon[i]), 5),
                median_speed_knots=round(float(np.median(tracks.sog[s:e])), 2),
                shore_distance_nm=round(float(shore[i]), 1),
            )
        )
    found.sort(key=lambda x: (x.start, x.mmsi))
    return found


def _mean_lon(lon: np.ndarray) -> float:
    rel = (lon - lon[0] + 540.0) % 360.0 - 180.0
    return float((lon[0] + rel.mean() + 540.0) % 360.0 - 180.0)


def overlaps(event: Loitering, mmsi: str, start: datetime, end: datetime) -> bool:
    """Whether ``event`` is vessel ``mmsi``'s and overlaps [start, end] in time."""
    return event.mmsi == mmsi and event.start <= end and start <= event.end
