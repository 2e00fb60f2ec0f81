"""``ais-csv``: decoded AIS positions with a header (docs/ais-formats.md lists the columns).

Required: ``mmsi``, ``timestamp``, ``lat``, ``lon``. Optional: ``sog``, ``cog``, ``heading``,
``nav_status``, ``imo``, ``name``, ``call_sign``, ``ship_type``, ``draught``,
``destination``. Header names are matched without regard to case, spaces or a leading
``#``, and the spellings of the common public exports are accepted (``ALIASES``): NOAA
MarineCadastre (``MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,
VesselType,Status,...``; its ``Length``, ``Width``, ``Cargo`` and ``TransceiverClass``
are read and not stored) and the VesselsValue Ever Given file (``ID,ais_pos_timestamp,
longitude,latitude``, whose ``ID`` is an anonymised vessel number, stored zero-padded
like an MMSI: ``1`` -> ``000000001``). Any other column is an error (a typo would lose
data).

Values: an MMSI of 1 to 9 digits (zero-padded to 9); times in ISO 8601 (``2021-03-23T05:40:00Z``,
an offset converted to UTC, no zone meaning UTC) or day first (``23/03/2021 05:40[:00]``,
as the Ever Given file writes them); AIS' "not available" values (speed 102.3,
course 360, heading 511, ship type and draught 0, empty cells) become null; other values out
of range quarantine the row with the reason. Then every position passes
``ais_common.check_positions`` (latitude 91 / longitude 181, out of range, duplicate, time
going backwards). Speed and course are stored only where the file gives them: the track
engine derives them from positions.

A row with identity values (``imo``, ``name``, ...) also gives an ``ais_static`` row when
they first appear for its MMSI or differ from the MMSI's previous ones in the file: exports
repeat a vessel's name on every row, and the identity timeline needs only the changes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sanctrace.errors import InputError
from sanctrace.sources.ais_common import (
    EARLIEST,
    LATEST,
    arrow_table,
    check_positions,
)
from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.chain_common import read_csv_rows

REQUIRED = ("mmsi", "timestamp", "lat", "lon")
OPTIONAL = (
    "sog",
    "cog",
    "heading",
    "nav_status",
    "imo",
    "name",
    "call_sign",
    "ship_type",
    "draught",
    "destination",
)
ALIASES: dict[str, tuple[str, ...]] = {
    "mmsi": ("mmsi", "id", "userid", "user_id"),
    "timestamp": ("timestamp", "ts", "time", "datetime", "basedatetime", "ais_pos_timestamp"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "sog": ("sog", "speed"),
    "cog": ("cog", "course"),
    "heading": ("heading", "true_heading"),
    "nav_status": ("nav_status", "status", "navigational_status"),
    "imo": ("imo", "imo_number"),
    "name": ("name", "vesselname", "vessel_name", "shipname", "ship_name"),
    "call_sign": ("call_sign", "callsign"),
    "ship_type": ("ship_type", "vesseltype", "vessel_type", "shiptype"),
    "draught": ("draught", "draft"),
    "destination": ("destination",),
}
"""Accepted header spellings per column, after ``_normal`` (lower case, spaces as ``_``)."""

NOT_STORED = frozenset({"length", "width", "cargo", "transceiverclass", "transceiver_class"})
"""Columns of NOAA's export that are read and not stored."""

IDENTITY = ("imo", "name", "call_sign", "ship_type", "draught", "destination")
PROGRESS_EVERY = 1 << 14

_DAY_FIRST = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$"
)


def _normal(header: str) -> str:
    return "_".join(header.strip().lstrip("#").strip().lower().split())


def column_map(path: Path, header: list[str]) -> dict[str, str]:
    """The file's header names by canonical column; an error naming the file for a missing,
    unknown or doubled column."""
    lookup = {alias: canonical for canonical, names in ALIASES.items() for alias in names}
    found: dict[str, str] = {}
    unknown: list[str] = []
    for name in header:
        key = _normal(name)
        canonical = lookup.get(key)
        if canonical is None:
            if key not in NOT_STORED:
                unknown.append(name)
            continue
        if canonical in found:
            raise InputError(
                f"{path}:1", f"columns {found[canonical]!r} and {name!r} both give {canonical}"
            )
        found[canonical] = name
    if unknown:
        raise InputError(
            f"{path}:1",
            f"unknown column(s) {', '.join(unknown)}; accepted: "
            + "; ".join(f"{c} ({'/'.join(ALIASES[c])})" for c in (*REQUIRED, *OPTIONAL)),
        )
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputError(
            f"{path}:1",
            f"missing column(s) {', '.join(missing)} (accepted spellings: "
            + "; ".join(f"{'/'.join(ALIASES[c])}" for c in missing)
            + f"); the header is {header}",
        )
    return found


def parse_time(text: str) -> datetime:
    """ISO 8601 or day-first ``dd/mm/yyyy hh:mm[:ss]``, as naive UTC."""
    text = text.strip()
    match = _DAY_FIRST.match(text)
    try:
        if match:
            d, mo, y, h, mi, s, frac = match.groups()
            value = datetime(
                int(y),
                int(mo),
                int(d),
                int(h),
                int(mi),
                int(s or 0),
                int((frac or "0").ljust(6, "0")),
            )
        else:
            value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"timestamp {text[:40]!r} is not ISO 8601 (2021-03-23T05:40:00Z) or dd/mm/yyyy hh:mm"
        ) from None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if not EARLIEST.replace(tzinfo=None) <= value < LATEST.replace(tzinfo=None):
        raise ValueError(f"timestamp {text[:40]!r} is before 1990 or after 2100")
    return value


def _number(text: str, what: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text[:40]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{what} {text[:40]!r} is not a number")
    return value


def _bounded(
    text: str, what: str, low: float, high: float, unavailable: float | None
) -> float | None:
    """A number in [low, high), None when empty or AIS' "not available" value."""
    value = _number(text, what)
    if value is None or value == unavailable:
        return None
    if not low <= value < high:
        raise ValueError(f"{what} {text[:40]!r} is outside {low:g} to {high:g}")
    return value


def _whole(text: str, what: str, high: int) -> int | None:
    value = _number(text, what)
    if value is None:
        return None
    if value != int(value) or not 0 <= value <= high:
        raise ValueError(f"{what} {text[:40]!r} is not a whole number from 0 to {high}")
    return int(value)


def _mmsi(text: str) -> str:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and 1 <= len(digits) <= 9):
        raise ValueError(f"MMSI {text[:40]!r} is not 1 to 9 digits")
    return digits.zfill(9)


def _imo(text: str) -> str | None:
    digits = text.strip().upper().removeprefix("IMO").strip()
    if not digits or set(digits) == {"0"}:
        return None
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 10):
        raise ValueError(f"IMO {text[:40]!r} is not a number")
    return digits


def _text(text: str) -> str | None:
    return " ".join(text.split()) or None


def _row(row: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(position columns, identity columns) of one row; ValueError names a bad cell."""
    position = {
        "mmsi": _mmsi(row["mmsi"]),
        "ts": parse_time(row["timestamp"]),
        "lat": _number(row["lat"], "lat"),
        "lon": _number(row["lon"], "lon"),
        "sog": _bounded(row.get("sog", ""), "sog", 0, 102.3, 102.3),
        "cog": _bounded(row.get("cog", ""), "cog", 0, 360, 360),
        "heading": _bounded(row.get("heading", ""), "heading", 0, 360, 511),
        "nav_status": _whole(row.get("nav_status", ""), "nav_status", 15),
    }
    if position["lat"] is None or position["lon"] is None:
        raise ValueError("lat or lon is empty")
    ship_type = _whole(row.get("ship_type", ""), "ship_type", 255)
    draught = _bounded(row.get("draught", ""), "draught", 0, 100, 0)
    identity = {
        "imo": _imo(row.get("imo", "")),
        "name": _text(row.get("name", "")),
        "call_sign": _text(row.get("call_sign", "")),
        "ship_type": ship_type or None,
        "draught": draught,
        "destination": _text(row.get("destination", "")),
    }
    return position, identity


class AisCsv:
    name = "ais-csv"
    version = "1"
    description = "decoded AIS positions: mmsi, timestamp, lat, lon (+ sog, cog, imo, name, ...)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        out = Parsed()
        header, rows = read_csv_rows(path)
        names = column_map(path, header)
        positions: dict[str, list[Any]] = {
            c: []
            for c in ("mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "nav_status", "line")
        }
        static: dict[str, list[Any]] = {c: [] for c in ("mmsi", "ts", *IDENTITY, "line")}
        last_identity: dict[str, tuple[Any, ...]] = {}
        raw_of: dict[int, str] = {}
        for line, row in rows:
            out.rows_read += 1
            if progress and out.rows_read % PROGRESS_EVERY == 0:
                progress(out.rows_read)
            if isinstance(row, Quarantined):
                out.quarantine.append(row)
                continue
            cells = {c: row[name] for c, name in names.items()}
            try:
                position, identity = _row(cells)
            except ValueError as exc:
                out.quarantine.append(
                    Quarantined(str(exc), line=line, raw=",".join(row.values())[:2000])
                )
                continue
            raw_of[line] = ",".join(row.values())[:2000]
            for column, value in position.items():
                positions[column].append(value)
            positions["line"].append(line)
            said = tuple(identity[c] for c in IDENTITY)
            if any(v is not None for v in said) and last_identity.get(position["mmsi"]) != said:
                last_identity[position["mmsi"]] = said
                static["mmsi"].append(position["mmsi"])
                static["ts"].append(position["ts"])
                for column in IDENTITY:
                    static[column].append(identity[column])
                static["line"].append(line)
        if progress:
            progress(out.rows_read)
        self._positions(out, positions, raw_of)
        out.arrow["ais_static"] = arrow_table("ais_static", static)
        out.quarantine.sort(key=lambda q: q.line or 0)
        return out

    def _positions(
        self, out: Parsed, positions: dict[str, list[Any]], raw_of: dict[int, str]
    ) -> None:
        ts = pa.array(positions["ts"], pa.timestamp("us"))
        ts_us = np.asarray(ts.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
        line = np.array(positions["line"], dtype=np.int64)
        keep, rejected = check_positions(
            np.array(positions["mmsi"], dtype=object),
            ts_us,
            np.array(positions["lat"], dtype=np.float64),
            np.array(positions["lon"], dtype=np.float64),
            line,
        )
        for r in rejected:
            n = int(line[r.index])
            out.quarantine.append(Quarantined(r.reason, line=n, raw=raw_of.get(n)))
        kept = {
            c: [v for v, k in zip(values, keep, strict=True) if k]
            for c, values in positions.items()
        }
        out.arrow["ais_position"] = arrow_table("ais_position", kept)
