"""What ``ais-nmea`` and ``ais-csv`` share: the checks every position passes, and the Arrow
tables they hand to ingest (``Parsed.arrow``; AIS files run to millions of rows).

``check_positions`` applies the same rules to all the positions of a file at once
(vectorised), in this order; the first rule a row fails is its quarantine reason:

1. position not available: latitude 91 or longitude 181, AIS' "not available" values;
2. out of range: any other latitude outside -90..90 or longitude outside -180..180, or NaN;
3. duplicate: the same MMSI, time and position as an earlier row of the file (a file
   concatenated twice), or, for NMEA, the same message (MMSI and payload) again within
   ``RELAY_WINDOW_S`` (one transmission heard by two receivers);
4. time going backwards: earlier than the same MMSI's latest time so far in the file by more
   than ``BACKWARDS_TOLERANCE_S`` (a receiver's clock reset, or rows out of order). A file
   may interleave vessels freely, but must list each vessel's reports in time order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sanctrace.schema import table_schema

BACKWARDS_TOLERANCE_S = 300
"""Receivers merged into one feed disagree by seconds, logging delays by up to a minute or
two; a clock reset or a misordered file is minutes to years."""

RELAY_WINDOW_S = 30
"""The same payload from the same MMSI within this many seconds is one transmission: a
payload carries the second of the minute, so a repeat a minute later is a new report."""

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""Times outside these are a broken clock or a misread field, not an AIS report."""

EARLIEST_US = int(EARLIEST.timestamp()) * 1_000_000
LATEST_US = int(LATEST.timestamp()) * 1_000_000
NO_TIME = np.iinfo(np.int64).min
"""``ts`` of a row without a time (microseconds since 1970 otherwise)."""


@dataclass
class Rejected:
    """Row ``index`` of the columns checked, and why it is quarantined."""

    index: int
    reason: str


def _fmt_us(us: int) -> str:
    return datetime.fromtimestamp(us / 1e6, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_positions(
    mmsi: npt.NDArray[np.generic],
    ts: npt.NDArray[np.int64],
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    line: npt.NDArray[np.int64],
    message: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.bool_], list[Rejected]]:
    """Which rows to keep, and the rejected ones with their reason (see the module
    docstring). Rows are in file order; ``line`` names the earlier row of a duplicate.
    ``message`` (NMEA only) identifies each row's message text (a hash of the payload):
    the same message again within ``RELAY_WINDOW_S`` is a duplicate too."""
    n = len(ts)
    keep = np.ones(n, dtype=np.bool_)
    rejected: list[Rejected] = []
    if n == 0:
        return keep, rejected
    unavailable = (lat == 91.0) | (lon == 181.0)
    for i in np.flatnonzero(unavailable):
        rejected.append(
            Rejected(int(i), "position not available (AIS latitude 91 / longitude 181)")
        )
    keep &= ~unavailable
    with np.errstate(invalid="ignore"):
        bad = keep & ~((np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0))
    for i in np.flatnonzero(bad):
        rejected.append(
            Rejected(int(i), f"position out of range: latitude {lat[i]}, longitude {lon[i]}")
        )
    keep &= ~bad
    frame = pd.DataFrame({"mmsi": mmsi, "ts": ts, "lat": lat, "lon": lon, "line": line})
    candidates = frame[keep]
    twice = candidates.duplicated(["mmsi", "ts", "lat", "lon"], keep="first")
    if twice.any():
        first_line = candidates.groupby(["mmsi", "ts", "lat", "lon"], sort=False)["line"].transform(
            "first"
        )
        for i in np.flatnonzero(twice.to_numpy()):
            index = int(candidates.index[int(i)])
            rejected.append(
                Rejected(
                    index,
                    f"duplicate report: same MMSI, time and position as line {first_line.iloc[i]}",
                )
            )
            keep[index] = False
    if message is not None:
        _relayed(frame.assign(message=message), keep, rejected)
    candidates = frame[keep]
    latest = candidates.groupby("mmsi", sort=False)["ts"].cummax()
    before = latest.groupby(candidates["mmsi"], sort=False).shift(1)
    back = (candidates["ts"] < before - BACKWARDS_TOLERANCE_S * 1_000_000).to_numpy()
    for i in np.flatnonzero(back):
        index = int(candidates.index[int(i)])
        rejected.append(
            Rejected(
                index,
                f"time goes backwards: {_fmt_us(int(ts[index]))} after "
                f"{_fmt_us(int(before.iloc[i]))} for this MMSI (more than "
                f"{BACKWARDS_TOLERANCE_S} s earlier)",
            )
        )
        keep[index] = False
    rejected.sort(key=lambda r: r.index)
    return keep, rejected


def _relayed(frame: pd.DataFrame, keep: npt.NDArray[np.bool_], rejected: list[Rejected]) -> None:
    """Mark as duplicates the rows whose message (same MMSI, same payload) came already
    within ``RELAY_WINDOW_S``: one transmission heard by two receivers, whose clocks or
    logging delays differ by a few seconds."""
    candidates = frame[keep].sort_values(["mmsi", "message", "ts", "line"], kind="stable")
    if len(candidates) < 2:
        return
    mmsi = candidates["mmsi"].to_numpy()
    text = candidates["message"].to_numpy()
    ts = candidates["ts"].to_numpy()
    lines = candidates["line"].to_numpy()
    again = (
        (mmsi[1:] == mmsi[:-1])
        & (text[1:] == text[:-1])
        & (ts[1:] - ts[:-1] <= RELAY_WINDOW_S * 1_000_000)
    )
    for i in np.flatnonzero(again):
        index = int(candidates.index[int(i) + 1])
        seconds = (int(ts[i + 1]) - int(ts[i])) / 1e6
        rejected.append(
            Rejected(
                index,
                f"duplicate report: the message of line {int(lines[i])} again, "
                f"{seconds:g} s later (relayed by another receiver?)",
            )
        )
        keep[index] = False


def mmsi_text(mmsi: npt.NDArray[np.int64]) -> pa.Array:
    """MMSIs as AIS sends them (30-bit integers) to the nine digits the workspace keeps."""
    return pc.utf8_lpad(pa.array(mmsi, pa.int64()).cast(pa.string()), 9, "0")


def arrow_table(name: str, columns: Mapping[str, Any]) -> pa.Table:
    """An Arrow table of workspace table ``name`` (less ``source_id``, which ingest adds);
    missing columns are null."""
    schema = table_schema(name).to_pyarrow()
    rows = len(next(iter(columns.values())))
    arrays = []
    fields = []
    for f in schema:
        if f.name == "source_id":
            continue
        value = columns.get(f.name)
        if value is None:
            arrays.append(pa.nulls(rows, f.type))
        elif isinstance(value, pa.Array):
            arrays.append(value.cast(f.type))
        else:
            arrays.append(pa.array(value, f.type, from_pandas=True))
        fields.append(pa.field(f.name, f.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))
