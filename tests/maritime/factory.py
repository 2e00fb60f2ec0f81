"""Tracks built in one call, and positions written into a workspace, for the maritime tests.

Positions are written straight into ``ais_position``/``ais_static`` (as the AIS adapters
would leave them), so the engines are tested without the adapters.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from sanctrace.maritime.geography import destination
from sanctrace.schema import table_schema
from sanctrace.workspace import Workspace

KNOT = 1852.0 / 3600.0
T0 = datetime(2021, 3, 21, tzinfo=UTC)
OPEN_SEA = (33.2, 28.5)
"""Eastern Mediterranean, about 100 nm from any shore."""


def track(
    mmsi: str,
    lat: float,
    lon: float,
    *,
    hours: float,
    knots: float = 0.0,
    bearing: float = 90.0,
    start: datetime = T0,
    every_s: int = 180,
    sog: bool = True,
    offset: tuple[float, float] = (0.0, 0.0),
) -> pd.DataFrame:
    """A vessel moving from (lat, lon) on ``bearing`` at ``knots`` for ``hours``, a report
    every ``every_s`` seconds; ``offset`` (bearing, metres) moves every fix sideways."""
    seconds = np.arange(0, int(hours * 3600) + 1, every_s)
    la, lo = destination(lat, lon, bearing, seconds * knots * KNOT)
    if offset[1]:
        la, lo = destination(la, lo, offset[0], offset[1])
    return pd.DataFrame(
        {
            "mmsi": mmsi,
            "ts": pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"),
            "lat": la,
            "lon": lo,
            "sog": np.full(seconds.size, float(knots)) if sog else np.nan,
            "cog": np.full(seconds.size, float(bearing)) if sog else np.nan,
        }
    )


def positions(*tracks: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(tracks, ignore_index=True)


def static(mmsi: str, rows: list[tuple[datetime, float]]) -> pd.DataFrame:
    """Identity reports of one vessel: (time, draught)."""
    return pd.DataFrame(
        {
            "mmsi": [mmsi] * len(rows),
            "ts": [pd.Timestamp(t) for t, _ in rows],
            "imo": None,
            "name": None,
            "call_sign": None,
            "ship_type": None,
            "draught": [d for _, d in rows],
        }
    )


def load(ws: Workspace, pos: pd.DataFrame, stat: pd.DataFrame | None = None) -> None:
    """Write positions (and static reports) into the workspace under one test source."""
    source = "test:ais"
    with ws.writing() as w:
        w.insert(
            "source",
            [
                {
                    "source_id": source,
                    "uri": "test",
                    "sha256": "0" * 64,
                    "adapter": "test",
                    "adapter_version": "1",
                    "loaded_at": datetime(2024, 1, 1),
                    "rows_read": len(pos),
                    "rows_quarantined": 0,
                }
            ],
        )
        w.insert_arrow("ais_position", _arrow("ais_position", pos, source))
        if stat is not None and len(stat):
            w.insert_arrow("ais_static", _arrow("ais_static", stat, source))


def _arrow(table: str, frame: pd.DataFrame, source: str) -> pa.Table:
    schema = table_schema(table).to_pyarrow()
    data = frame.copy()
    data["ts"] = pd.to_datetime(data["ts"], utc=True).dt.tz_localize(None)
    data["mmsi"] = data["mmsi"].astype(str)
    data["source_id"] = source
    data["line"] = np.arange(len(data), dtype=np.int64)
    columns = {}
    for name in schema.names:
        if name in data:
            columns[name] = pa.array(
                data[name].tolist(), type=schema.field(name).type, from_pandas=True
            )
        else:
            columns[name] = pa.nulls(len(data), type=schema.field(name).type)
    return pa.table(columns, schema=schema)
