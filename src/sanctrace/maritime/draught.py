"""Draught changes across a gap or an encounter: a ship that went dark, or met another at
sea, and came back deeper (laden) or lighter (discharged).

AIS static reports (message 5, or a CSV's draught column: ``ais_static.draught``) carry the
draught the crew entered. For each vessel of an event, the draught in force at its start
(the last report at or before it, within ``window_hours``) is compared with the reports
from then until ``window_hours`` after its end; the first that differs by at least
``min_change_m`` is the change. Reports during the event count (a crew may enter the new
draught before the partner leaves), and a timeline that keeps only changes (as the
``ais-csv`` adapter stores identity) reads the same as one that repeats every report. The
threshold is this project's, not
GFW's (GFW publishes no draught rule): AIS draught is typed in by hand and often rounded to
0.1 m, while a tanker's laden and ballast draughts differ by several metres, so one metre
separates real loading from corrections.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from sanctrace.maritime.runs import utc
from sanctrace.maritime.tracks import to_seconds


@dataclass(frozen=True)
class DraughtParams:
    min_change_m: float = 1.0
    window_hours: float = 72.0


@dataclass(frozen=True)
class DraughtChange:
    mmsi: str
    event: str  # gap | encounter
    start: datetime
    end: datetime
    draught_before: float
    draught_after: float
    change_m: float  # after - before
    state: str  # laden (deeper after) | discharged (lighter after)
    reported_at: datetime  # when the new draught was first reported
    partner: str | None = None  # the other vessel of an encounter


@dataclass(frozen=True)
class EventSpan:
    """What a draught change is measured across: one vessel's time span in an event."""

    mmsi: str
    event: str
    start: datetime
    end: datetime
    partner: str | None = None


class DraughtIndex:
    """Draught reports per vessel, sorted by time, for look-ups before and after a time."""

    def __init__(self, static: pd.DataFrame) -> None:
        rows = static.loc[
            static["draught"].notna() & static["ts"].notna(), ["mmsi", "ts", "draught"]
        ]
        rows = rows[rows["draught"] > 0]  # 0: "not available" in AIS
        self._by: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if rows.empty:
            return
        rows = rows.assign(t=to_seconds(rows["ts"]), mmsi=rows["mmsi"].astype(str))
        for mmsi, group in rows.sort_values(["mmsi", "t"], kind="stable").groupby(
            "mmsi", sort=False
        ):
            self._by[str(mmsi)] = (
                group["t"].to_numpy(np.int64),
                group["draught"].to_numpy(np.float64),
            )

    def before(self, mmsi: str, t: int, window_s: float) -> float | None:
        got = self._by.get(mmsi)
        if got is None:
            return None
        times, values = got
        i = int(np.searchsorted(times, t, side="right")) - 1
        if i < 0 or t - times[i] > window_s:
            return None
        return float(values[i])

    def changed(
        self, mmsi: str, since: int, until: int, before: float, min_change: float
    ) -> tuple[float, int] | None:
        """The first report in (since, until] whose draught differs from ``before`` by at
        least ``min_change``: (draught, time)."""
        got = self._by.get(mmsi)
        if got is None:
            return None
        times, values = got
        lo = int(np.searchsorted(times, since, side="right"))
        hi = int(np.searchsorted(times, until, side="right"))
        differs = np.flatnonzero(np.abs(values[lo:hi] - before) >= min_change)
        if not differs.size:
            return None
        i = lo + int(differs[0])
        return float(values[i]), int(times[i])


def detect(
    static: pd.DataFrame, spans: Iterable[EventSpan], params: DraughtParams | None = None
) -> list[DraughtChange]:
    """Draught changes across ``spans`` (from gaps and encounters), in the spans' order."""
    params = params or DraughtParams()
    index = DraughtIndex(static)
    window = params.window_hours * 3600.0
    found = []
    for span in spans:
        start = int(span.start.timestamp())
        end = int(span.end.timestamp())
        before = index.before(span.mmsi, start, window)
        if before is None:
            continue
        got = index.changed(span.mmsi, start, end + int(window), before, params.min_change_m)
        if got is None:
            continue
        after, when = got
        change = after - before
        found.append(
            DraughtChange(
                mmsi=span.mmsi,
                event=span.event,
                start=span.start,
                end=span.end,
                draught_before=before,
                draught_after=after,
                change_m=round(change, 2),
                state="laden" if change > 0 else "discharged",
                reported_at=utc(when),
                partner=span.partner,
            )
        )
    return found
