"""Where a position is: on land or at sea, how far from shore, how far from a port.

Land and sea come from roaring-landmask (GSHHG full resolution, shipped inside the wheel),
through its 15-arc-second raster (``is_land``).
It answers only "land or sea?" for a point, so distance from shore is derived once, offline,
into a grid that ships with the package (``data/geography/shore_distance.npz``):

- the world is cut into cells of ``GRID_DEG`` (0.05 degrees, 7200 x 3600 cells); a cell is
  land when any of four points inside it (a 2 x 2 pattern, 0.025 degrees apart) is land on
  roaring-landmask's 15-arc-second mask, so islands of a few kilometres count as shore;
- every sea cell gets the great-circle distance from its centre to the nearest centre of a
  coastal land cell (a land cell with a sea neighbour), through a k-d tree on the unit
  sphere, capped at ``CAP_NM`` and rounded to whole nautical miles (uint8);
- a position's distance is the bilinear interpolation of the four cell centres around it.

Error: a cell centre lies at most half a cell diagonal (about 2.1 nm at the equator, less in
longitude further north) from the coast point it stands for, and the four-point test moves
a coast by at most one sample spacing (1.5 nm), so distances are within about 3.5 nm of the
true GSHHG distance, plus 0.5 nm of rounding; islands smaller than the sample spacing can
be missed. Only thresholds matter here ("at least 20 nm", "at least 50 nm"): a position
within a few miles of a threshold can fall either side. ``build_shore_grid`` rebuilds the
file (a few minutes); ``tests/maritime/test_geography.py`` measures the error against
dense probing of the land mask.

Ports: ``data/ports/ports.csv``, 3,962 ports with their UN/LOCODE (SOURCES.md), used as
the anchorage list: GFW measures encounters against its own anchorage points, which are
not public as a file; a port's listed position is the nearest public stand-in.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from sanctrace.data import bundled

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EARTH_RADIUS_M: Final = 6_371_008.8
"""The mean Earth radius (IUGG), used for every distance in maritime/."""
METRES_PER_NM: Final = 1852.0
GRID_DEG: Final = 0.05
CAP_NM: Final = 255
SHORE_GRID: Final = "geography/shore_distance.npz"
PORTS: Final = "ports/ports.csv"


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in metres, elementwise."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def bearing_deg(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Initial great-circle bearing from point 1 to point 2, degrees true in [0, 360)."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.asarray(np.degrees(np.arctan2(y, x)) % 360.0)


def destination(
    lat: npt.ArrayLike, lon: npt.ArrayLike, bearing: npt.ArrayLike, distance_m: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The point ``distance_m`` away from (lat, lon) on the initial ``bearing`` (degrees)."""
    p1 = np.radians(np.asarray(lat, dtype=np.float64))
    l1 = np.radians(np.asarray(lon, dtype=np.float64))
    b = np.radians(np.asarray(bearing, dtype=np.float64))
    d = np.asarray(distance_m, dtype=np.float64) / EARTH_RADIUS_M
    p2 = np.arcsin(np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(b))
    l2 = l1 + np.arctan2(np.sin(b) * np.sin(d) * np.cos(p1), np.cos(d) - np.sin(p1) * np.sin(p2))
    return np.degrees(p2), (np.degrees(l2) + 540.0) % 360.0 - 180.0


def _unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    p = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    return np.column_stack((np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)))


def _chord_to_m(chord: FloatArray) -> FloatArray:
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.clip(chord / 2, 0.0, 1.0)))


# --- land and shore ----------------------------------------------------------------------


@cache
def _landmask() -> object:
    """roaring-landmask's raster of GSHHG at 15 arc-seconds (about 460 m). It is the
    library's first pass: a cell that holds any land is land, so it never calls land sea;
    its exact polygon test takes many seconds to load and is not needed at this scale."""
    from roaring_landmask import LandmaskProvider, RoaringMask

    return RoaringMask.new(LandmaskProvider.Gshhg)


def is_land(lat: npt.ArrayLike, lon: npt.ArrayLike) -> BoolArray:
    """True where a point is on land, or within one 15-arc-second cell of it."""
    la = np.ascontiguousarray(np.asarray(lat, dtype=np.float64).ravel())
    lo = np.ascontiguousarray(np.asarray(lon, dtype=np.float64).ravel())
    if not la.size:
        return np.zeros(0, dtype=bool)
    found = _landmask().contains_many(lo, la)  # type: ignore[attr-defined]
    return np.asarray(found, dtype=bool)


@dataclass(frozen=True)
class ShoreGrid:
    """Distance from shore in whole nautical miles on a regular grid (row 0 at the south)."""

    nm: npt.NDArray[np.uint8]
    deg: float

    def distance_nm(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
        """Bilinear interpolation between the four cell centres around each point."""
        la = np.asarray(lat, dtype=np.float64)
        lo = np.asarray(lon, dtype=np.float64)
        rows, cols = self.nm.shape
        y = np.clip((la + 90.0) / self.deg - 0.5, 0.0, rows - 1.0)
        x = (lo + 180.0) / self.deg - 0.5
        y0 = np.minimum(np.floor(y).astype(np.int64), rows - 2)
        x0 = np.floor(x).astype(np.int64)
        fy, fx = y - y0, x - x0
        x0w, x1w = x0 % cols, (x0 + 1) % cols  # the grid wraps at the antimeridian
        grid = self.nm
        v00 = grid[y0, x0w].astype(np.float64)
        v01 = grid[y0, x1w].astype(np.float64)
        v10 = grid[y0 + 1, x0w].astype(np.float64)
        v11 = grid[y0 + 1, x1w].astype(np.float64)
        top = v00 * (1 - fx) + v01 * fx
        bottom = v10 * (1 - fx) + v11 * fx
        return np.asarray(top * (1 - fy) + bottom * fy)


@cache
def shore_grid() -> ShoreGrid:
    """The bundled grid (see the module docstring)."""
    with np.load(bundled(SHORE_GRID)) as data:
        return ShoreGrid(nm=np.asarray(data["nm"]), deg=float(data["deg"]))


def distance_from_shore_nm(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Approximate distance from the nearest shore in nautical miles (0 on land, at most
    ``CAP_NM``); within about 4 nm of GSHHG's (module docstring)."""
    return shore_grid().distance_nm(lat, lon)


def build_shore_grid(out: Path, deg: float = GRID_DEG, cap_nm: int = CAP_NM) -> Path:
    """Rebuild the shore-distance grid from roaring-landmask into ``out`` (.npz).

    Minutes of CPU, once: it probes the land mask at four points per cell (100 M probes at
    0.05 degrees) and queries a k-d tree for every sea cell."""
    from scipy.spatial import cKDTree

    mask: Any = _landmask()
    rows, cols = round(180 / deg), round(360 / deg)
    lats = -90.0 + (np.arange(rows) + 0.5) * deg
    lons = -180.0 + (np.arange(cols) + 0.5) * deg
    land = np.zeros((rows, cols), dtype=bool)
    quarter = deg / 4
    for r in range(rows):  # a row at a time keeps memory flat
        row = np.zeros(cols, dtype=bool)
        for dy in (-quarter, quarter):
            lat = np.full(cols, np.clip(lats[r] + dy, -89.999, 89.999))
            for dx in (-quarter, quarter):
                row |= np.asarray(mask.contains_many(lons + dx, lat), dtype=bool)
        land[r] = row
    sea = ~land
    coastal = land.copy()
    neighbour_sea = np.zeros_like(land)
    neighbour_sea[1:] |= sea[:-1]
    neighbour_sea[:-1] |= sea[1:]
    neighbour_sea |= np.roll(sea, 1, axis=1) | np.roll(sea, -1, axis=1)
    coastal &= neighbour_sea
    cr, cc = np.nonzero(coastal)
    tree = cKDTree(_unit_vectors(lats[cr], lons[cc]))
    nm = np.zeros((rows, cols), dtype=np.uint8)
    cap_chord = 2 * np.sin(cap_nm * METRES_PER_NM / EARTH_RADIUS_M / 2)
    for r in range(rows):
        sea_cols = np.nonzero(sea[r])[0]
        if not sea_cols.size:
            continue
        points = _unit_vectors(np.full(sea_cols.size, lats[r]), lons[sea_cols])
        chord, _ = tree.query(points, distance_upper_bound=cap_chord, workers=-1)
        metres = _chord_to_m(np.where(np.isfinite(chord), chord, cap_chord))
        nm[r, sea_cols] = np.clip(np.rint(metres / METRES_PER_NM), 1, cap_nm).astype(np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, nm=nm, deg=np.float64(deg))
    return out


# --- ports and anchorages ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # hashed by identity, for the cached tree
class Ports:
    """The bundled port list (UN/LOCODE, name, country, position) and a k-d tree over it."""

    locode: tuple[str, ...]
    name: tuple[str, ...]
    country: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray

    def nearest(
        self, lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[FloatArray, npt.NDArray[np.int64]]:
        """(distance in metres, index) of the nearest port to each point."""
        la = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        lo = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        if not la.size:
            return np.zeros(0), np.zeros(0, dtype=np.int64)
        chord, index = _port_tree(self).query(_unit_vectors(la, lo), workers=-1)
        return _chord_to_m(np.asarray(chord)), np.asarray(index, dtype=np.int64)


@cache
def _port_tree(ports: Ports) -> Any:
    from scipy.spatial import cKDTree

    return cKDTree(_unit_vectors(ports.lat, ports.lon))


@cache
def ports() -> Ports:
    """The bundled port list (``data/ports/ports.csv``)."""
    with bundled(PORTS).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return Ports(
        locode=tuple(r["locode"] for r in rows),
        name=tuple(r["name"] for r in rows),
        country=tuple(r["country"] for r in rows),
        lat=np.array([float(r["lat"]) for r in rows]),
        lon=np.array([float(r["lon"]) for r in rows]),
    )


def distance_from_port_m(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Great-circle distance to the nearest bundled port, in metres."""
    return ports().nearest(lat, lon)[0]
