"""AIS gaps: a vessel silent for at least 12 hours far out at sea, scored as GFW scores
suspected disabling.

GFW's rules for a suspected disabling event (GFW technical documentation, "Gaps"):

1. the gap lasts at least 12 hours (about the time a sun-synchronous AIS satellite needs to
   pass over the same place again);
2. it starts and ends at least 50 nautical miles from shore (nearer shore, terrestrial
   coverage ends and satellite reception is poor, so gaps there are unreliable);
3. ``gap_score = positions_12_hours_before * min(gap_hours, 48) / 12 >= 20``: the vessel
   was heard well just before it went silent, so the silence is not the receivers'.

GFW counts satellite positions in the 12 hours before the gap; a workspace does not say
which receiver heard a message, so every position counts (terrestrial ones too). A gap is
two consecutive clean fixes of one vessel (impossible jumps set aside, ``tracks``);
``min_score`` 0 keeps every gap that passes rules 1 and 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from sanctrace.maritime.geography import distance_from_shore_nm, haversine_m
from sanctrace.maritime.runs import utc
from sanctrace.maritime.tracks import KNOT_MPS, Tracks


@dataclass(frozen=True)
class GapParams:
    """GFW's published defaults."""

    min_hours: float = 12.0
    min_shore_distance_nm: float = 50.0
    min_score: float = 20.0
    score_window_hours: float = 12.0
    score_cap_hours: float = 48.0


@dataclass(frozen=True)
class Gap:
    mmsi: str
    start: datetime  # the last fix before the silence
    end: datetime  # the first fix after it
    hours: float
    distance_m: float
    implied_speed_knots: float
    start_lat: float
    start_lon: float
    end_lat: float
    end_lon: float
    start_shore_distance_nm: float
    end_shore_distance_nm: float
    positions_12_hours_before: int
    score: float


def detect(tracks: Tracks, params: GapParams | None = None) -> list[Gap]:
    """Gaps in ``tracks`` that pass GFW's rules, sorted by start."""
    params = params or GapParams()
    n = len(tracks)
    if n < 2:
        return []
    dt = tracks.t[1:] - tracks.t[:-1]
    cand = np.flatnonzero(
        (tracks.vessel[1:] == tracks.vessel[:-1]) & (dt >= params.min_hours * 3600.0)
    )
    if not cand.size:
        return []
    a, b = cand, cand + 1
    shore_a = distance_from_shore_nm(tracks.lat[a], tracks.lon[a])
    shore_b = distance_from_shore_nm(tracks.lat[b], tracks.lon[b])
    far = (shore_a >= params.min_shore_distance_nm) & (shore_b >= params.min_shore_distance_nm)
    a, b, shore_a, shore_b = a[far], b[far], shore_a[far], shore_b[far]
    before = _positions_before(tracks, a, int(params.score_window_hours * 3600))
    hours = (tracks.t[b] - tracks.t[a]) / 3600.0
    score = before * np.minimum(hours, params.score_cap_hours) / params.score_window_hours
    metres = haversine_m(tracks.lat[a], tracks.lon[a], tracks.lat[b], tracks.lon[b])
    found = []
    for i in np.flatnonzero(score >= params.min_score):
        found.append(
            Gap(
                mmsi=str(tracks.mmsi[tracks.vessel[a[i]]]),
                start=utc(int(tracks.t[a[i]])),
                end=utc(int(tracks.t[b[i]])),
                hours=round(float(hours[i]), 2),
                distance_m=round(float(metres[i]), 0),
                implied_speed_knots=round(float(metres[i] / (hours[i] * 3600) / KNOT_MPS), 2),
                start_lat=round(float(tracks.lat[a[i]]), 5),
                start_lon=round(float(tracks.lon[a[i]]), 5),
                end_lat=round(float(tracks.lat[b[i]]), 5),
                end_lon=round(float(tracks.lon[b[i]]), 5),
                start_shore_distance_nm=round(float(shore_a[i]), 1),
                end_shore_distance_nm=round(float(shore_b[i]), 1),
                positions_12_hours_before=int(before[i]),
                score=round(float(score[i]), 2),
            )
        )
    found.sort(key=lambda g: (g.start, g.mmsi))
    return found


def _positions_before(tracks: Tracks, index: np.ndarray, window_s: int) -> np.ndarray:
    """How many fixes of the same vessel fall in [t - window, t] for each fix ``index``."""
    base = int(tracks.t.min()) - window_s - 1
    key = (tracks.vessel << 34) + (tracks.t - base)
    low = (tracks.vessel[index] << 34) + (tracks.t[index] - window_s - base)
    return np.asarray(index + 1 - np.searchsorted(key, low, side="left"), dtype=np.int64)
