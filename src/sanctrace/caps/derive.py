"""Estimated deliveries from what the maritime detectors find: ship-to-ship encounters and
port calls of tankers that carry petroleum to the DPRK.

This is the method of the US estimate of 2018 (DPRK-flagged tankers' port calls, each a
delivery of the tanker's capacity at a load scenario), applied to detected events. The
output is rows of the ``deliveries`` CSV (``estimated``, one delivery each), so that derived
estimates enter the workspace through the adapter like any other file, with provenance;
capacities given as deadweight are converted there, with the named factor (``dwt-refined``:
8.33 barrels per tonne, see ``data/petroleum/factors.csv``).

Encounters are the dicts of ``sanctrace ais detect --json`` (``vessel_a``, ``vessel_b``
MMSI strings, ``start``, ``end``, ``lat``, ``lon``); port calls are dicts with ``mmsi``,
``start`` and ``port``. Which vessels are tankers, and their capacity, is the caller's
``tankers`` (by MMSI). Rules:

- an encounter delivers into the tanker of interest among its two vessels; when both are
  tankers of interest, into the smaller (no more can pass between them), counted once;
- the delivery is dated by the end of the encounter (or the start of the port call);
- a tanker's event within ``same_cargo_days`` after its last counted delivery is the same
  cargo seen again (an STS transfer, then the port call that unloads it) and is not counted
  again; the row's note names it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, Literal

from sanctrace.caps.factors import default_factor

SAME_CARGO_DAYS: Final = 14
COLUMNS: Final = (
    "kind",
    "commodity",
    "period",
    "estimator",
    "estimate",
    "deliveries",
    "vessel_imo",
    "vessel_mmsi",
    "vessel_name",
    "capacity_barrels",
    "capacity_dwt",
    "citation",
    "note",
)


@dataclass(frozen=True)
class Tanker:
    """A tanker of interest: its identity and its capacity in barrels or deadweight tonnes."""

    mmsi: str
    imo: str | None = None
    name: str | None = None
    capacity_barrels: Decimal | None = None
    dwt: Decimal | None = None

    def barrels(self, commodity: str) -> Fraction | None:
        """Capacity in barrels, deadweight converted with the commodity's dwt factor."""
        if self.capacity_barrels is not None:
            return Fraction(self.capacity_barrels)
        factor = default_factor(commodity, "dwt")
        if self.dwt is None or factor is None:
            return None
        return Fraction(self.dwt) * factor.value


@dataclass(frozen=True)
class TankerEvent:
    """A tanker seen where a delivery happens: an STS encounter or a port call."""

    kind: Literal["encounter", "port_call"]
    day: date
    tanker: Tanker
    detail: str  # where, with whom: for the row's note


@dataclass
class Derived:
    """The rows to load (``deliveries`` CSV layout) and the events not counted, and why."""

    rows: list[dict[str, str]] = field(default_factory=list)
    merged: list[tuple[TankerEvent, str]] = field(default_factory=list)
    skipped: list[tuple[Mapping[str, Any], str]] = field(default_factory=list)


def _day(value: Any) -> date:
    """An event time as a day: a datetime, a date or ISO 8601 text (``Z`` allowed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


def events_from_encounters(
    encounters: Iterable[Mapping[str, Any]],
    tankers: Mapping[str, Tanker],
    commodity: str = "refined",
    skipped: list[tuple[Mapping[str, Any], str]] | None = None,
) -> list[TankerEvent]:
    """An event for each encounter with a tanker of interest (see the module's rules)."""
    out = []
    for enc in encounters:
        try:
            pair = [
                tankers[m] for m in (str(enc["vessel_a"]), str(enc["vessel_b"])) if m in tankers
            ]
            day = _day(enc["end"])
        except (KeyError, ValueError, TypeError) as exc:
            if skipped is not None:
                skipped.append((enc, f"unreadable encounter: {exc!r}"))
            continue
        if not pair:
            if skipped is not None:
                skipped.append((enc, "neither vessel is a tanker of interest"))
            continue
        tanker = min(pair, key=lambda t: t.barrels(commodity) or Fraction(0))
        partner = enc["vessel_b"] if str(enc["vessel_a"]) == tanker.mmsi else enc["vessel_a"]
        where = f" at {enc['lat']}, {enc['lon']}" if "lat" in enc and "lon" in enc else ""
        detail = f"STS encounter with MMSI {partner}{where}, {enc['start']} to {enc['end']}"
        out.append(TankerEvent("encounter", day, tanker, detail))
    return out


def events_from_port_calls(
    port_calls: Iterable[Mapping[str, Any]],
    tankers: Mapping[str, Tanker],
    skipped: list[tuple[Mapping[str, Any], str]] | None = None,
) -> list[TankerEvent]:
    """An event for each port call of a tanker of interest."""
    out = []
    for call in port_calls:
        try:
            tanker = tankers.get(str(call["mmsi"]))
            day = _day(call["start"])
        except (KeyError, ValueError, TypeError) as exc:
            if skipped is not None:
                skipped.append((call, f"unreadable port call: {exc!r}"))
            continue
        if tanker is None:
            if skipped is not None:
                skipped.append((call, "not a tanker of interest"))
            continue
        detail = f"port call at {call.get('port') or 'an unnamed port'}, {call['start']}"
        out.append(TankerEvent("port_call", day, tanker, detail))
    return out


def estimated_deliveries(
    events: Sequence[TankerEvent],
    *,
    estimator: str,
    estimate: str,
    commodity: str = "refined",
    citation: str | None = None,
    same_cargo_days: int = SAME_CARGO_DAYS,
    derived: Derived | None = None,
) -> Derived:
    """One ``deliveries`` row per delivery counted from ``events`` (see the module's rules);
    a tanker with no capacity is listed under ``skipped``."""
    out = derived or Derived()
    last: dict[str, date] = {}
    for ev in sorted(events, key=lambda e: (e.day, e.tanker.mmsi, e.kind)):
        t = ev.tanker
        if t.capacity_barrels is None and t.dwt is None:
            out.skipped.append(({"mmsi": t.mmsi, "day": ev.day.isoformat()}, "no capacity"))
            continue
        before = last.get(t.mmsi)
        if before is not None and ev.day - before <= timedelta(days=same_cargo_days):
            out.merged.append((ev, f"same cargo as the delivery of {before.isoformat()}"))
            continue
        last[t.mmsi] = ev.day
        out.rows.append(
            {
                "kind": "estimated",
                "commodity": commodity,
                "period": ev.day.isoformat(),
                "estimator": estimator,
                "estimate": estimate,
                "deliveries": "1",
                "vessel_imo": t.imo or "",
                "vessel_mmsi": t.mmsi,
                "vessel_name": t.name or "",
                "capacity_barrels": "" if t.capacity_barrels is None else str(t.capacity_barrels),
                "capacity_dwt": ""
                if t.capacity_barrels is not None or t.dwt is None
                else str(t.dwt),
                "citation": citation or "",
                "note": ev.detail,
            }
        )
    return out


def write_deliveries_csv(rows: Sequence[Mapping[str, str]], path: Path) -> Path:
    """The rows as a ``deliveries`` CSV, for ``sanctrace ingest deliveries PATH``."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
