"""The seeded synthetic AIS generator: planted at-sea behaviours inside real traffic, with
the ground truth of what a detector should report and what it must not.

Background: the real positions of 256 vessels around the Suez Canal blockage, 20-24 March
2021 (the Ever Given data, ``data/ais/``), copied ``copies`` times, each copy shifted by
six days and given its own MMSIs, so 10 M positions keep the real density of traffic.
Planted, in every copy, in the open eastern Mediterranean (positions checked at sea on the
land mask, events at the distances from shore their rules need):

- encounters: two vessels arrive, drift together 50-300 m apart at under 1.5 knots for 3-8
  hours, and leave; some carry a draught change (one laden, one discharged);
- loitering: one vessel drifting alone for 5-10 hours, 30 nm or more from shore;
- gaps: a vessel heard every 2-4 minutes goes silent for 14-30 hours and comes back 60 nm
  or more from shore; some come back at another draught;
- identity anomalies: one MMSI in two places at once, a name change, a call-sign change,
  an IMO change, an IMO whose check digit fails;
- impossible jumps: single fixes thrown hundreds of miles off a planted track;
- near-misses, which must not be reported: encounters too short (1 h), too far apart (about
  1 km) or too fast (6 knots side by side); loitering too short (3 h), too fast (3 knots)
  or too near shore (5-12 nm); gaps too short (8 h), ending too near shore, or after too
  few positions for GFW's score.

``generate`` returns positions and static reports as DataFrames (what the detectors take)
and the truth; ``write`` adds ``positions.csv`` (the ``ais-csv`` format) and
``truth.json``. Layout and fields: docs/synthetic-ais.md.

    python -m sanctrace.synthetic.ais --seed 1 --copies 2 --out gen/
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from sanctrace.data import bundled
from sanctrace.maritime.geography import (
    destination,
    distance_from_port_m,
    distance_from_shore_nm,
    is_land,
)
from sanctrace.maritime.tracks import to_seconds
from sanctrace.screening.identifiers import ship_check_digit

BACKGROUND: Final = "ais/evergiven_boat-positions.csv.gz"
COPY_PERIOD_S: Final = 6 * 86_400
"""Each copy of the background is shifted by this: longer than the 4.5 days it spans."""
WINDOW_START: Final = pd.Timestamp("2021-03-20T00:00:00Z")
WINDOW_S: Final = int(4.5 * 86_400)
REGION: Final = (32.3, 34.0, 26.0, 31.5)
"""South, north, west, east: open eastern Mediterranean, away from the canal's traffic."""
COAST_REGION: Final = (31.0, 32.2, 25.0, 29.5)
"""Where near-shore near-misses go: off the Egyptian and Libyan coast west of Alexandria."""
KNOT: Final = 1852.0 / 3600.0
CSV_COLUMNS: Final = (
    "mmsi",
    "timestamp",
    "lat",
    "lon",
    "sog",
    "cog",
    "heading",
    "imo",
    "name",
    "call_sign",
    "ship_type",
    "draught",
)
FLAG_MIDS: Final = ("636", "352", "667", "511", "445", "577", "370", "538")
"""Maritime identification digits of planted vessels: Liberia, Panama, Sierra Leone,
Palau, DPRK, Vanuatu, Panama, Marshall Islands (flags common in STS reporting)."""


@dataclass(frozen=True)
class Config:
    """How much to plant per copy of the background."""

    seed: int
    copies: int = 1
    encounters: int = 6
    loitering: int = 6
    gaps: int = 6
    identity: int = 5
    jumps: int = 3
    near_misses: int = 2
    """Of each near-miss kind (9 kinds)."""
    report_every_s: tuple[int, int] = (120, 240)
    """Planted vessels report every 2 to 4 minutes (class A at sea reports faster; the
    detectors' cost is per position)."""


@dataclass
class Generated:
    positions: pd.DataFrame  # mmsi (category), ts (UTC), lat, lon, sog, cog, heading
    static: pd.DataFrame  # mmsi, ts, imo, name, call_sign, ship_type, draught
    truth: dict[str, Any]


@dataclass
class _Vessel:
    mmsi: str
    t: list[np.ndarray] = field(default_factory=list)
    lat: list[np.ndarray] = field(default_factory=list)
    lon: list[np.ndarray] = field(default_factory=list)
    sog: list[np.ndarray] = field(default_factory=list)
    cog: list[np.ndarray] = field(default_factory=list)


@cache
def background() -> pd.DataFrame:
    """The Ever Given positions: ID, ts (UTC), lat, lon (the file's day-first timestamps)."""
    raw = pd.read_csv(bundled(BACKGROUND), encoding="utf-8-sig")
    ts = pd.to_datetime(raw["ais_pos_timestamp"], format="%d/%m/%Y %H:%M", utc=True)
    return pd.DataFrame(
        {
            "id": raw["ID"].astype(np.int64),
            "t": to_seconds(ts),
            "lat": raw["latitude"].astype(np.float64),
            "lon": raw["longitude"].astype(np.float64),
        }
    )


class _World:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed)
        self.vessels: list[_Vessel] = []
        self.static: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.serial = 0
        self.t0 = int(WINDOW_START.timestamp())

    # -- identities ----------------------------------------------------------------------

    def _mmsi(self) -> str:
        self.serial += 1
        mid = FLAG_MIDS[self.serial % len(FLAG_MIDS)]
        return f"{mid}{self.serial:06d}"

    def _vessel(self) -> _Vessel:
        v = _Vessel(self._mmsi())
        self.vessels.append(v)
        return v

    def _identity(self, v: _Vessel) -> dict[str, Any]:
        return {
            "imo": _imo(1_000_000 + self.serial * 7 % 8_999_999),
            "name": f"SYNTH {self.serial:05d}",
            "call_sign": f"S{self.serial:05d}",
            "ship_type": 80,  # tanker
        }

    def _statics(
        self,
        v: _Vessel,
        ident: dict[str, Any],
        draught: float,
        change_at: int | None = None,
        new: dict[str, Any] | None = None,
    ) -> None:
        """An identity report with the first position of every half hour of ``v``'s track
        (so it rides on that position's CSV row); from ``change_at`` on, ``new``
        overrides fields (a draught change, a new name)."""
        t = np.concatenate(v.t)
        first = np.flatnonzero(np.diff(np.concatenate(([-1], t // 1800))) != 0)
        for when in t[first].tolist():
            row = {"mmsi": v.mmsi, "t": int(when), "draught": draught, **ident}
            if change_at is not None and when >= change_at and new:
                row.update(new)
            self.static.append(row)

    # -- motion --------------------------------------------------------------------------

    def _times(self, start: int, end: int, every: tuple[int, int] | None = None) -> np.ndarray:
        lo, hi = every or self.cfg.report_every_s
        n = int((end - start) / lo) + 2
        steps = self.rng.integers(lo, hi + 1, size=n)
        t = start + np.concatenate(([0], np.cumsum(steps)))
        return t[t <= end]

    def _leg(
        self,
        v: _Vessel,
        start: int,
        end: int,
        lat: float,
        lon: float,
        bearing: float,
        knots: float,
        every: tuple[int, int] | None = None,
        offset: tuple[float, float] = (0, 0),
    ) -> tuple[float, float]:
        """Reports from ``start`` to ``end`` moving from (lat, lon) on ``bearing`` at
        ``knots``; ``offset`` (bearing, metres) shifts the reported positions sideways, as a
        partner alongside. Returns the position at ``end`` (without the offset)."""
        t = self._times(start, end, every)
        la, lo = destination(lat, lon, bearing, (t - start) * knots * KNOT)
        if offset[1]:
            la, lo = destination(la, lo, offset[0], offset[1])
        v.t.append(t)
        v.lat.append(la)
        v.lon.append(lo)
        v.sog.append(np.round(knots + self.rng.normal(0, 0.1, t.size).clip(-0.3, 0.3), 1).clip(0))
        v.cog.append(np.full(t.size, round(bearing, 1)))
        end_lat, end_lon = destination(lat, lon, bearing, (end - start) * knots * KNOT)
        return float(end_lat), float(end_lon)

    def _spot(
        self,
        region: tuple[float, float, float, float],
        shore: tuple[float, float],
        reach_m: float = 60_000,
    ) -> tuple[float, float]:
        """A point in ``region`` whose distance from shore is within ``shore`` (nm), with
        sea all around it within ``reach_m`` (16 probes), at least 15 km from any port."""
        s, n, w, e = region
        for _ in range(500):
            lat, lon = self.rng.uniform(s, n), self.rng.uniform(w, e)
            d = float(distance_from_shore_nm(lat, lon))
            if not shore[0] <= d <= shore[1]:
                continue
            bearings = np.arange(0, 360, 22.5)
            ring = destination(np.full(16, lat), np.full(16, lon), bearings, np.full(16, reach_m))
            if is_land(*ring).any() or is_land(lat, lon).any():
                continue
            if float(distance_from_port_m(lat, lon)[0]) < 15_000:
                continue
            return float(lat), float(lon)
        raise RuntimeError(f"no sea spot found in {region} at {shore} nm from shore")

    def _start(self, copy: int, span_s: int) -> int:
        latest = max(WINDOW_S - span_s, 1)
        return self.t0 + copy * COPY_PERIOD_S + int(self.rng.integers(0, latest))

    # -- planted behaviours --------------------------------------------------------------

    def drift_pair(
        self,
        copy: int,
        kind: str,
        hours: float,
        apart_m: float,
        knots: float,
        draught: bool = False,
    ) -> None:
        """Two vessels meeting: approach 2 h, side by side for ``hours``, leave 2 h."""
        lat, lon = self._spot(REGION, (25, 200))
        span = int((hours + 4) * 3600)
        t = self._start(copy, span)
        drift_start, drift_end = t + 7200, t + 7200 + int(hours * 3600)
        heading = float(self.rng.uniform(0, 360))
        side = (heading + 90) % 360
        pair = []
        for k, arrive_from in enumerate((float(self.rng.uniform(0, 360)),) * 2):
            v = self._vessel()
            from_bearing = (arrive_from + 40 * k) % 360
            a_lat, a_lon = destination(lat, lon, from_bearing, 2 * 3600 * 11 * KNOT)
            self._leg(
                v, t, drift_start - 1, float(a_lat), float(a_lon), (from_bearing + 180) % 360, 11
            )
            offset = (side, apart_m * k)
            end_lat, end_lon = self._leg(
                v, drift_start, drift_end, lat, lon, heading, knots, offset=offset
            )
            self._leg(
                v,
                drift_end + 1,
                drift_end + 7200,
                end_lat,
                end_lon,
                (heading + 60 * (2 * k - 1)) % 360,
                11,
            )
            ident = self._identity(v)
            before = 7.5 if k == 0 else 15.1
            after = 12.8 if k == 0 else 10.0
            self._statics(v, ident, before, drift_end + 1, {"draught": after} if draught else None)
            pair.append((v.mmsi, before, after))
        event: dict[str, Any] = {
            "kind": kind,
            "vessels": sorted(m for m, _, _ in pair),
            "start": _iso(drift_start),
            "end": _iso(drift_end),
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "hours": hours,
            "apart_m": apart_m,
            "knots": knots,
            "copy": copy,
        }
        self.events.append(event)
        if draught:
            for mmsi, before, after in pair:
                self.events.append(
                    {
                        "kind": "draught",
                        "event": "encounter",
                        "vessels": [mmsi],
                        "start": event["start"],
                        "end": event["end"],
                        "draught_before": before,
                        "draught_after": after,
                        "copy": copy,
                    }
                )

    def loiter(self, copy: int, kind: str, hours: float, knots: float, near_shore: bool) -> None:
        """One vessel: transit 2 h, slow for ``hours``, transit 2 h."""
        if near_shore:
            lat, lon = self._spot(COAST_REGION, (5, 12), reach_m=5_000)
        else:
            lat, lon = self._spot(REGION, (35, 200))
        span = int((hours + 4) * 3600)
        t = self._start(copy, span)
        slow_start, slow_end = t + 7200, t + 7200 + int(hours * 3600)
        v = self._vessel()
        # near shore (the coast lies south): arrive from the open sea, drift and leave north
        come = 0.0 if near_shore else float(self.rng.uniform(0, 360))
        a_lat, a_lon = destination(lat, lon, come, 2 * 3600 * 11 * KNOT)
        self._leg(v, t, slow_start - 1, float(a_lat), float(a_lon), (come + 180) % 360, 11)
        heading = 0.0 if near_shore else float(self.rng.uniform(0, 360))
        end_lat, end_lon = self._leg(v, slow_start, slow_end, lat, lon, heading, knots)
        self._leg(v, slow_end + 1, slow_end + 7200, end_lat, end_lon, heading, 11)
        self._statics(v, self._identity(v), 9.0)
        self.events.append(
            {
                "kind": kind,
                "vessels": [v.mmsi],
                "start": _iso(slow_start),
                "end": _iso(slow_end),
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "hours": hours,
                "knots": knots,
                "copy": copy,
            }
        )

    def go_dark(
        self,
        copy: int,
        kind: str,
        hours: float,
        end_shore: tuple[float, float],
        every: tuple[int, int] | None = None,
        draught: bool = False,
    ) -> None:
        """A vessel heard for 14 h, silent for ``hours``, heard again for 4 h; it comes back
        at a spot ``end_shore`` nm from shore."""
        lat, lon = self._spot(REGION, (60, 200))
        if end_shore[0] >= 60:
            back_lat, back_lon = self._spot(REGION, end_shore)
        else:
            back_lat, back_lon = self._spot(COAST_REGION, end_shore, reach_m=5_000)
        t = self._start(copy, int((hours + 18) * 3600))
        off = t + 14 * 3600
        on = off + int(hours * 3600)
        v = self._vessel()
        # heard steaming slowly (5 knots: not loitering) towards where it goes dark, on a
        # heading whose whole leg is at sea, then silent, then back
        leg_m = 14 * 3600 * 5 * KNOT
        for _ in range(100):
            heading = float(self.rng.uniform(0, 360))
            way = destination(
                np.full(8, lat),
                np.full(8, lon),
                np.full(8, (heading + 180) % 360),
                np.linspace(0, leg_m, 8),
            )
            if not is_land(*way).any():
                break
        back_heading = 0.0 if end_shore[0] < 60 else float(self.rng.uniform(0, 360))
        start_lat, start_lon = destination(lat, lon, (heading + 180) % 360, leg_m)
        self._leg(v, t, off, float(start_lat), float(start_lon), heading, 5.0, every)
        self._leg(v, on, on + 4 * 3600, back_lat, back_lon, back_heading, 6)
        before, after = 8.2, 13.5
        self._statics(v, self._identity(v), before, on, {"draught": after} if draught else None)
        event = {
            "kind": kind,
            "vessels": [v.mmsi],
            "start": _iso(int(v.t[0][-1])),
            "end": _iso(on),
            "hours": hours,
            "copy": copy,
        }
        self.events.append(event)
        if draught:
            self.events.append(
                {
                    "kind": "draught",
                    "event": "gap",
                    "vessels": [v.mmsi],
                    "start": event["start"],
                    "end": event["end"],
                    "draught_before": before,
                    "draught_after": after,
                    "copy": copy,
                }
            )

    def identity_anomaly(self, copy: int, which: str) -> None:
        """A vessel in transit for 10 h whose identity misbehaves as ``which`` says."""
        lat, lon = self._spot(REGION, (25, 200), reach_m=80_000)
        t = self._start(copy, 10 * 3600)
        v = self._vessel()
        heading = float(self.rng.uniform(0, 360))
        self._leg(v, t, t + 10 * 3600, lat, lon, heading, 4)
        ident = self._identity(v)
        change = t + 5 * 3600
        new: dict[str, Any] | None = None
        detail: dict[str, Any] = {}
        if which == "two_places":
            # a second transmitter with the same MMSI, far away, for 3 h
            twin = _Vessel(v.mmsi)
            self.vessels.append(twin)
            s, n, w, e = REGION  # at least 2.5 degrees (about 125 nm) east or west
            far = (s, n, lon + 2.5, e) if lon < (w + e) / 2 else (s, n, w, lon - 2.5)
            far_lat, far_lon = self._spot(far, (25, 200))
            self._leg(twin, t + 3600, t + 4 * 3600, far_lat, far_lon, heading, 4)
            detail = {"start": _iso(t + 3600), "end": _iso(t + 4 * 3600)}
        elif which == "name_change":
            new = {"name": f"RENAMED {self.serial:05d}"}
        elif which == "call_sign_change":
            new = {"call_sign": f"R{self.serial:05d}"}
        elif which == "imo_change":
            new = {"imo": _imo(int(ident["imo"][:6]) + 1)}
        elif which == "imo_check_digit":
            good = ident["imo"]
            ident = {**ident, "imo": good[:6] + str((int(good[6]) + 3) % 10)}
            detail = {"imo": ident["imo"]}
        self._statics(v, ident, 9.0, change, new)
        if new:
            detail = {"at": _iso(change), **{k: str(x) for k, x in new.items()}}
        self.events.append(
            {"kind": f"identity:{which}", "vessels": [v.mmsi], "copy": copy, **detail}
        )

    def jump(self, copy: int) -> None:
        """A vessel in transit with one fix thrown 300 nm off its track (still at sea)."""
        lat, lon = self._spot(REGION, (25, 200))
        t = self._start(copy, 6 * 3600)
        v = self._vessel()
        self._leg(v, t, t + 6 * 3600, lat, lon, float(self.rng.uniform(0, 360)), 5)
        i = len(v.t[0]) // 2
        for way in (270.0, 0.0, 90.0, 180.0, 315.0, 45.0, 135.0, 225.0):  # at sea too
            bad_lat, bad_lon = destination(v.lat[0][i], v.lon[0][i], way, 300 * 1852.0)
            if not is_land(bad_lat, bad_lon).any():
                break
        v.lat[0][i], v.lon[0][i] = float(bad_lat), float(bad_lon)
        self._statics(v, self._identity(v), 9.0)
        self.events.append(
            {"kind": "jump", "vessels": [v.mmsi], "at": _iso(int(v.t[0][i])), "copy": copy}
        )


def _imo(first_six: int) -> str:
    """A 7-digit IMO number with a valid check digit (weights 7..2 over the first six)."""
    digits = f"{first_six % 1_000_000:06d}"
    if digits[0] == "0":
        digits = "9" + digits[1:]
    return digits + str(ship_check_digit(digits))


def _iso(seconds: int) -> str:
    return pd.Timestamp(int(seconds), unit="s", tz="UTC").isoformat()


def generate(cfg: Config) -> Generated:
    """Positions, static reports and truth for ``cfg`` (same seed, same output)."""
    if cfg.copies < 1:
        raise ValueError("copies must be at least 1")
    world = _World(cfg)
    near = cfg.near_misses
    for copy in range(cfg.copies):
        for i in range(cfg.encounters):
            world.drift_pair(
                copy,
                "encounter",
                float(world.rng.uniform(3, 8)),
                float(world.rng.uniform(50, 300)),
                float(world.rng.uniform(0.2, 1.2)),
                draught=i % 2 == 0,
            )
        for _ in range(cfg.loitering):
            world.loiter(
                copy,
                "loitering",
                float(world.rng.uniform(5, 10)),
                float(world.rng.uniform(0.2, 1.2)),
                False,
            )
        for i in range(cfg.gaps):
            world.go_dark(
                copy, "gap", float(world.rng.uniform(14, 30)), (60, 200), draught=i % 2 == 0
            )
        kinds = ("two_places", "name_change", "call_sign_change", "imo_change", "imo_check_digit")
        for i in range(cfg.identity):
            world.identity_anomaly(copy, kinds[i % len(kinds)])
        for _ in range(cfg.jumps):
            world.jump(copy)
        for _ in range(near):
            world.drift_pair(copy, "near-miss:encounter-too-short", 1.0, 150.0, 0.8)
            world.drift_pair(
                copy, "near-miss:encounter-too-far", 3.0, float(world.rng.uniform(900, 1500)), 0.8
            )
            world.drift_pair(copy, "near-miss:encounter-too-fast", 3.0, 150.0, 6.0)
            world.loiter(copy, "near-miss:loitering-too-short", 3.0, 0.8, False)
            world.loiter(copy, "near-miss:loitering-too-fast", 6.0, 3.0, False)
            world.loiter(copy, "near-miss:loitering-near-shore", 6.0, 0.8, True)
            world.go_dark(copy, "near-miss:gap-too-short", 8.0, (60, 200))
            world.go_dark(copy, "near-miss:gap-near-shore", 16.0, (5, 25))
            world.go_dark(copy, "near-miss:gap-low-score", 16.0, (60, 200), every=(5400, 9000))
    positions = _positions(world, cfg.copies)
    static = pd.DataFrame(world.static)
    if not static.empty:
        static["ts"] = pd.to_datetime(static.pop("t"), unit="s", utc=True)
        static = static[["mmsi", "ts", "imo", "name", "call_sign", "ship_type", "draught"]]
    truth = {
        "format": 1,
        "seed": cfg.seed,
        "copies": cfg.copies,
        "copy_period_s": COPY_PERIOD_S,
        "positions": len(positions),
        "background_positions": int(len(background()) * cfg.copies),
        "events": world.events,
    }
    return Generated(positions=positions, static=static, truth=truth)


def _positions(world: _World, copies: int) -> pd.DataFrame:
    bg = background()
    parts: list[pd.DataFrame] = []
    n = len(bg)
    ids = bg["id"].to_numpy()
    for copy in range(copies):
        parts.append(
            pd.DataFrame(
                {
                    "mmsi": np.char.add(f"2{copy:03d}", np.char.zfill(ids.astype(str), 5)),
                    "t": bg["t"].to_numpy() + copy * COPY_PERIOD_S,
                    "lat": bg["lat"].to_numpy(),
                    "lon": bg["lon"].to_numpy(),
                    "sog": np.full(n, np.nan),
                    "cog": np.full(n, np.nan),
                }
            )
        )
    for v in world.vessels:
        if not v.t:
            continue
        t = np.concatenate(v.t)
        parts.append(
            pd.DataFrame(
                {
                    "mmsi": np.full(t.size, v.mmsi),
                    "t": t,
                    "lat": np.round(np.concatenate(v.lat), 6),
                    "lon": np.round(np.concatenate(v.lon), 6),
                    "sog": np.concatenate(v.sog),
                    "cog": np.concatenate(v.cog),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.iloc[np.argsort(frame["t"].to_numpy(), kind="stable")].reset_index(drop=True)
    return pd.DataFrame(
        {
            "mmsi": frame["mmsi"].astype("category"),
            "ts": pd.to_datetime(frame["t"], unit="s", utc=True),
            "lat": frame["lat"],
            "lon": frame["lon"],
            "sog": frame["sog"],
            "cog": frame["cog"],
            "heading": frame["cog"],
        }
    )


def write(generated: Generated, out: Path) -> None:
    """``positions.csv`` in the ``ais-csv`` format (identity columns on the rows where the
    vessel reported them) and ``truth.json`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    pos = generated.positions
    rows = pd.DataFrame(
        {
            "mmsi": pos["mmsi"].astype(str),
            "timestamp": pos["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lat": pos["lat"],
            "lon": pos["lon"],
            "sog": pos["sog"],
            "cog": pos["cog"],
            "heading": pos["heading"],
        }
    )
    static = generated.static.copy()
    if not static.empty:
        static = static.assign(
            mmsi=static["mmsi"].astype(str),
            timestamp=static["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        ).drop(columns="ts")
        # an identity report rides on the vessel's position row at the same second, or
        # on the nearest later one
        rows = rows.merge(static, on=["mmsi", "timestamp"], how="left")
    for column in CSV_COLUMNS:
        if column not in rows:
            rows[column] = pd.NA
    rows["ship_type"] = rows["ship_type"].astype("Int64")
    rows[list(CSV_COLUMNS)].to_csv(out / "positions.csv", index=False, float_format="%.8g")
    (out / "truth.json").write_text(
        json.dumps(generated.truth, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sanctrace.synthetic.ais", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--copies", type=int, default=1, help="copies of the background")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generated = generate(Config(seed=args.seed, copies=args.copies))
    write(generated, args.out)
    seconds = time.perf_counter() - started
    events = len(generated.truth["events"])
    print(
        f"{len(generated.positions):,} positions, {events} planted events "
        f"in {seconds:.1f} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# --- scoring detections against the truth -------------------------------------------------

DETECTORS: Final = ("encounters", "loitering", "gaps", "draught")
_KIND: Final = {
    "encounters": "encounter",
    "loitering": "loitering",
    "gaps": "gap",
    "draught": "draught",
}


def _found(
    detection: dict[str, Any], detector: str
) -> list[tuple[frozenset[str], pd.Timestamp, pd.Timestamp]]:
    out = []
    for item in detection[detector]:
        if detector == "encounters":
            vessels = frozenset((item["vessel_a"], item["vessel_b"]))
        else:
            vessels = frozenset((item["mmsi"],))
        out.append((vessels, pd.Timestamp(item["start"]), pd.Timestamp(item["end"])))
    return out


def score(
    detection: dict[str, Any], truth: dict[str, Any], background: dict[str, Any] | None = None
) -> dict[str, dict[str, float | int]]:
    """Recall and precision per detector of ``detection`` (``Detection.as_json()``) against
    the planted events of ``truth``. A detection matches a planted event of its kind with
    the same vessels and overlapping times. Detections that the background alone produces
    (``background``: the detectors' output on the background copies, where nothing was
    planted) are real traffic, not planted and not wrong: they are counted apart and left
    out of precision. Planted near-misses, matched the same way, are false positives.
    ``identity`` (the anomalies of ``maritime.identity``) matches by MMSI and kind."""
    result: dict[str, dict[str, float | int]] = {}
    for detector in DETECTORS:
        kind = _KIND[detector]
        planted = [e for e in truth["events"] if e["kind"] == kind]
        known = set() if background is None else set(_found(background, detector))
        found = [f for f in _found(detection, detector) if f not in known]
        result[detector] = _tally(
            planted,
            found,
            len(_found(detection, detector)) - len(found),
            lambda event, f: (
                frozenset(event["vessels"]) == f[0]
                and pd.Timestamp(event["start"]) <= f[2]
                and f[1] <= pd.Timestamp(event["end"])
            ),
        )
    planted = [e for e in truth["events"] if e["kind"].startswith("identity:")]
    anomalies = [(a["mmsi"], "identity:" + a["kind"]) for a in detection.get("identity", [])]
    result["identity"] = _tally(
        planted, anomalies, 0, lambda event, f: event["vessels"] == [f[0]] and event["kind"] == f[1]
    )
    return result


def _tally(
    planted: list[dict[str, Any]],
    found: list[Any],
    from_background: int,
    matches: Any,
) -> dict[str, float | int]:
    matched: set[int] = set()
    true_pos = false_pos = 0
    for item in found:
        hit = next((i for i, event in enumerate(planted) if matches(event, item)), None)
        if hit is None:
            false_pos += 1
        else:
            true_pos += 1
            matched.add(hit)
    return {
        "planted": len(planted),
        "found": len(found),
        "matched": len(matched),
        "false_positives": false_pos,
        "background": from_background,
        "recall": len(matched) / len(planted) if planted else 1.0,
        "precision": true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0,
    }


def background_positions(copies: int) -> pd.DataFrame:
    """The background alone, as ``generate`` lays it out (for ``score``'s ``background``)."""
    world = _World(Config(seed=0, copies=copies))
    return _positions(world, copies)
