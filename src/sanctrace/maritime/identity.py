"""Vessel identity from AIS: IMO check digits, each MMSI's identity over time, and the
identity anomalies that sanctions evasion leaves (the issue's ``identity`` detector).

Anomalies (``Anomaly``, JSON-ready; ``kind`` is one of ``KINDS``):

- ``two_places``: one MMSI reported from places no ship could link: consecutive reports at
  most ``max_gap_s`` apart, at least ``min_distance_m`` apart, at an implied speed of at
  least ``max_speed_knots``; at least ``min_jumps`` such jumps, merged into one anomaly
  while less than ``merge_s`` apart. Two transmitters sharing an MMSI (a cloned identity)
  give A B A B ...: three jumps or more. One bad fix (A B A) is two jumps, and the track
  engine's spike, not an identity.
- ``name_change``, ``imo_change``, ``call_sign_change``: one MMSI reporting another value
  than before (blank reports say nothing and change nothing; names compared in upper case
  with spaces collapsed). ``start`` is the last report of the old value, ``end`` the first
  of the new: the change happened in between.
- ``flag_change``: one IMO number transmitted under MMSIs of different flags (the MID,
  ``maritime.flags``) over time, i.e. a re-flagging; ``mmsi`` is the new one.
- ``imo_check_digit``: an IMO number that fails the ship check digit (seven digits, the
  first six weighted 7..2, summed, mod 10) from ``start`` to ``end``.

Pure functions over DataFrames (``anomalies_frames``) and the workspace reader over them
(``anomalies``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from sanctrace.maritime.flags import flag_of
from sanctrace.maritime.geography import haversine_m
from sanctrace.screening.identifiers import ship_check_digit

if TYPE_CHECKING:
    from sanctrace.workspace import Workspace

KINDS: Final = (
    "two_places",
    "name_change",
    "imo_change",
    "call_sign_change",
    "flag_change",
    "imo_check_digit",
)
KNOT_MPS: Final = 1852.0 / 3600.0
CHANGE_FIELDS: Final = ("name", "imo", "call_sign")


@dataclass(frozen=True)
class IdentityParams:
    """When reports of one MMSI are from two places at once (see the module docstring)."""

    max_speed_knots: float = 50.0  # the fastest merchant ships make about 40
    min_distance_m: float = 10_000.0  # further apart than GPS error and harbour moves
    max_gap_s: float = 3600.0  # "at once": reports at most an hour apart
    min_jumps: int = 3
    merge_s: float = 6 * 3600.0


@dataclass(frozen=True)
class Anomaly:
    mmsi: str
    kind: str
    start: datetime | None
    end: datetime | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IdentityPeriod:
    """One stretch of an MMSI's timeline with one identity (the latest non-blank value of
    each field); ``reports`` counts the identity reports in it."""

    mmsi: str
    start: datetime | None
    end: datetime | None
    imo: str | None
    name: str | None
    call_sign: str | None
    ship_type: int | None
    reports: int


# -- IMO numbers -----------------------------------------------------------------------


def imo_problem(imo: str) -> str | None:
    """Why ``imo`` is not a valid ship IMO number, or None when it is."""
    if not (imo.isascii() and imo.isdigit()) or len(imo) != 7:
        return f"{imo!r} is not 7 digits"
    expected = ship_check_digit(imo[:6])
    if int(imo[6]) != expected:
        return f"check digit {imo[6]}, the first six digits give {expected}"
    return None


def imo_valid(imo: str) -> bool:
    """A ship IMO number: seven digits whose last is the check digit (9074729 is valid)."""
    return imo_problem(imo) is None


# -- the timeline ----------------------------------------------------------------------


def _key(field_name: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if field_name == "name":
        return " ".join(str(value).upper().split()) or None
    return str(value).strip().upper() or None


def _dt(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _sorted_static(static: pd.DataFrame) -> pd.DataFrame:
    frame = static.copy()
    for column in ("mmsi", "ts", "imo", "name", "call_sign", "ship_type"):  # empty frames too
        if column not in frame:
            frame[column] = None
    frame["mmsi"] = frame["mmsi"].astype(str)
    frame["ts"] = pd.to_datetime(frame["ts"])
    return frame.sort_values(["mmsi", "ts"], kind="stable", na_position="first")


def timeline(static: pd.DataFrame) -> dict[str, list[IdentityPeriod]]:
    """Each MMSI's identity over time, from identity reports (``ais_static`` columns),
    oldest first; a new period starts when a name, IMO or call sign changes."""
    out: dict[str, list[IdentityPeriod]] = {}
    for mmsi, group in _sorted_static(static).groupby("mmsi", sort=True):
        periods: list[IdentityPeriod] = []
        current: dict[str, Any] = {}
        start: Any = None
        end: Any = None
        count = 0
        for row in group.itertuples(index=False):
            said = {f: getattr(row, f) for f in (*CHANGE_FIELDS, "ship_type")}
            said = {f: v for f, v in said.items() if _key(f, v) is not None}
            changed = any(
                f in current and _key(f, current[f]) != _key(f, said[f])
                for f in CHANGE_FIELDS
                if f in said
            )
            if changed:
                periods.append(_period(str(mmsi), start, end, current, count))
                count = 0
            if count == 0:
                start = row.ts
            current.update(said)
            end = row.ts
            count += 1
        periods.append(_period(str(mmsi), start, end, current, count))
        out[str(mmsi)] = periods
    return out


def _period(mmsi: str, start: Any, end: Any, values: dict[str, Any], count: int) -> IdentityPeriod:
    ship_type = values.get("ship_type")
    return IdentityPeriod(
        mmsi=mmsi,
        start=_dt(start),
        end=_dt(end),
        imo=None if values.get("imo") is None else str(values["imo"]),
        name=values.get("name"),
        call_sign=values.get("call_sign"),
        ship_type=None if ship_type is None else int(ship_type),
        reports=count,
    )


# -- anomalies -------------------------------------------------------------------------


def field_changes(static: pd.DataFrame) -> list[Anomaly]:
    """``name_change``, ``imo_change`` and ``call_sign_change`` (dated reports only)."""
    frame = _sorted_static(static)
    frame = frame[frame["ts"].notna()]
    found: list[Anomaly] = []
    for mmsi, group in frame.groupby("mmsi", sort=True):
        for name in CHANGE_FIELDS:
            held: Any = None
            last_seen: Any = None
            for ts, value in zip(group["ts"], group[name], strict=True):
                key = _key(name, value)
                if key is None:
                    continue
                if held is not None and _key(name, held) != key:
                    found.append(
                        Anomaly(
                            str(mmsi),
                            f"{name}_change",
                            _dt(last_seen),
                            _dt(ts),
                            {"field": name, "from": str(held), "to": str(value)},
                        )
                    )
                held, last_seen = value, ts
    return found


def imo_failures(static: pd.DataFrame) -> list[Anomaly]:
    """``imo_check_digit``: each MMSI and IMO number that fails the check, with when."""
    frame = _sorted_static(static)
    frame = frame[frame["imo"].notna()]
    found: list[Anomaly] = []
    for (mmsi, imo), group in frame.groupby(["mmsi", "imo"], sort=True):
        problem = imo_problem(str(imo))
        if problem:
            seen = group["ts"].dropna()
            found.append(
                Anomaly(
                    str(mmsi),
                    "imo_check_digit",
                    _dt(seen.min()) if len(seen) else None,
                    _dt(seen.max()) if len(seen) else None,
                    {"imo": str(imo), "reason": problem, "reports": len(group)},
                )
            )
    return found


def flag_changes(static: pd.DataFrame) -> list[Anomaly]:
    """``flag_change``: one valid IMO number under MMSIs of different flags over time."""
    frame = _sorted_static(static)
    frame = frame[frame["imo"].notna() & frame["ts"].notna()]
    frame = frame[np.array([imo_valid(str(v)) for v in frame["imo"]], dtype=np.bool_)]
    found: list[Anomaly] = []
    for imo, group in frame.groupby("imo", sort=True):
        if group["mmsi"].nunique() < 2:
            continue
        spans = group.groupby("mmsi")["ts"].agg(["min", "max"]).sort_values("min")
        previous: tuple[str, Any] | None = None
        for mmsi, row in spans.iterrows():
            if previous is not None:
                old_mmsi, old_last = previous
                old, new = flag_of(old_mmsi), flag_of(str(mmsi))
                if old.country != new.country:
                    found.append(
                        Anomaly(
                            str(mmsi),
                            "flag_change",
                            _dt(old_last),
                            _dt(row["min"]),
                            {
                                "imo": str(imo),
                                "from_mmsi": old_mmsi,
                                "to_mmsi": str(mmsi),
                                "from_flag": old.country,
                                "to_flag": new.country,
                            },
                        )
                    )
            previous = (str(mmsi), row["max"])
    return found


def two_places(positions: pd.DataFrame, params: IdentityParams | None = None) -> list[Anomaly]:
    """``two_places``: see the module docstring. Vectorised over all positions."""
    params = params or IdentityParams()
    if len(positions) < 2:
        return []
    frame = positions[["mmsi", "ts", "lat", "lon"]].copy()
    frame["mmsi"] = frame["mmsi"].astype(str)
    frame["ts"] = pd.to_datetime(frame["ts"])
    frame = frame.sort_values(["mmsi", "ts"], kind="stable")
    mmsi = frame["mmsi"].to_numpy()
    seconds = frame["ts"].to_numpy().astype("datetime64[ms]").astype(np.int64) / 1000.0
    lat = frame["lat"].to_numpy(dtype=np.float64)
    lon = frame["lon"].to_numpy(dtype=np.float64)
    same = mmsi[1:] == mmsi[:-1]
    dt = seconds[1:] - seconds[:-1]
    metres = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    knots = metres / np.maximum(dt, 1.0) / KNOT_MPS
    jump = (
        same
        & (dt <= params.max_gap_s)
        & (metres >= params.min_distance_m)
        & (knots >= params.max_speed_knots)
    )
    found: list[Anomaly] = []
    events: dict[str, list[int]] = defaultdict(list)
    for j in np.flatnonzero(jump).tolist():
        events[str(mmsi[j])].append(int(j))
    times = frame["ts"].to_numpy()
    for vessel, pairs in sorted(events.items()):
        run: list[int] = []
        for i in [*pairs, -1]:
            if run and (i < 0 or seconds[i] - seconds[run[-1] + 1] > params.merge_s):
                if len(run) >= params.min_jumps:
                    worst = max(run, key=lambda j: metres[j])
                    found.append(
                        Anomaly(
                            vessel,
                            "two_places",
                            _dt(times[run[0]]),
                            _dt(times[run[-1] + 1]),
                            {
                                "jumps": len(run),
                                "max_distance_km": round(float(metres[worst]) / 1000, 1),
                                "max_speed_knots": round(float(max(knots[j] for j in run)), 1),
                                "a": _where(times, lat, lon, worst),
                                "b": _where(times, lat, lon, worst + 1),
                            },
                        )
                    )
                run = []
            if i >= 0:
                run.append(i)
    return found


def _where(times: Any, lat: Any, lon: Any, i: int) -> dict[str, Any]:
    return {"ts": _dt(times[i]), "lat": float(lat[i]), "lon": float(lon[i])}


def anomalies_frames(
    positions: pd.DataFrame, static: pd.DataFrame, params: IdentityParams | None = None
) -> list[Anomaly]:
    """Every identity anomaly of positions (mmsi, ts, lat, lon) and identity reports
    (``ais_static`` columns), by MMSI, then time, then kind."""
    found = [
        *two_places(positions, params),
        *field_changes(static),
        *flag_changes(static),
        *imo_failures(static),
    ]
    found.sort(key=lambda a: (a.mmsi, a.start or datetime.min, KINDS.index(a.kind)))
    return found


def load_static(ws: Workspace) -> pd.DataFrame:
    """Every identity report of the workspace (undated ones too)."""
    columns = ("mmsi", "ts", "imo", "name", "call_sign", "ship_type", "draught", "destination")
    frame: pd.DataFrame = ws.table("ais_static").select(*columns).to_pyarrow().to_pandas()
    return frame


def load_positions(ws: Workspace) -> pd.DataFrame:
    """Every position of the workspace, with the columns ``two_places`` reads."""
    frame: pd.DataFrame = (
        ws.table("ais_position").select("mmsi", "ts", "lat", "lon").to_pyarrow().to_pandas()
    )
    return frame


def anomalies(ws: Workspace, params: IdentityParams | None = None) -> list[Anomaly]:
    """Every identity anomaly in the workspace."""
    return anomalies_frames(load_positions(ws), load_static(ws), params)
