"""Every vessel seen on AIS, one row per MMSI: its latest identity, the flag its MMSI
claims, when and how often it was seen, its identity anomalies and its designated-vessel
hits (``sanctrace ais vessels``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sanctrace.maritime import designated, identity
from sanctrace.maritime.flags import flag_of

if TYPE_CHECKING:
    from sanctrace.workspace import Workspace

Step = Callable[[str], None]


@dataclass(frozen=True)
class VesselSummary:
    mmsi: str
    name: str | None  # the latest name, IMO and call sign the vessel gave
    imo: str | None
    call_sign: str | None
    flag: str | None  # ISO 3166-1 alpha-2 of the MMSI's MID; None: not allocated
    flag_name: str | None
    station: str  # ship, coast station, ... (maritime.flags)
    first_seen: datetime | None
    last_seen: datetime | None
    positions: int
    identity_reports: int
    identity_anomalies: int
    designated: list[designated.Hit] = field(default_factory=list)


def _span(ws: Workspace, table: str) -> dict[str, tuple[Any, Any, int]]:
    """Per MMSI in ``table``: the first and last report and how many there are."""
    t = ws.table(table)
    rows = (
        t.group_by("mmsi")
        .aggregate(first=t.ts.min(), last=t.ts.max(), n=t.count())
        .to_pyarrow()
        .to_pylist()
    )
    return {r["mmsi"]: (r["first"], r["last"], r["n"]) for r in rows}


def summaries(
    ws: Workspace, designated_only: bool = False, step: Step | None = None
) -> list[VesselSummary]:
    """One summary per MMSI seen (positions or identity reports), by MMSI; with
    ``designated_only`` just the vessels with a designated-vessel hit."""
    say = step or (lambda _: None)
    say("reading positions")
    seen = _span(ws, "ais_position")
    say("reading identity reports")
    static = identity.load_static(ws)
    latest: dict[str, dict[str, Any]] = {}
    for periods in identity.timeline(static).values():
        now = periods[-1]
        latest[now.mmsi] = {"name": now.name, "imo": now.imo, "call_sign": now.call_sign}
    said = _span(ws, "ais_static")
    say("identity anomalies")
    found = identity.anomalies_frames(identity.load_positions(ws), static)  # static read once
    anomalies = Counter(a.mmsi for a in found)
    say("screening against designated vessels")
    hits: dict[str, list[designated.Hit]] = {}
    for hit in designated.screen_vessels(ws):
        hits.setdefault(hit.mmsi, []).append(hit)
    out: list[VesselSummary] = []
    for mmsi in sorted(set(seen) | set(said)):
        if designated_only and mmsi not in hits:
            continue
        first = [t for t in (seen.get(mmsi, (None,))[0], said.get(mmsi, (None,))[0]) if t]
        last = [t for t in (seen.get(mmsi, (None, None))[1], said.get(mmsi, (None, None))[1]) if t]
        flag = flag_of(mmsi)
        known = latest.get(mmsi, {})
        out.append(
            VesselSummary(
                mmsi=mmsi,
                name=known.get("name"),
                imo=known.get("imo"),
                call_sign=known.get("call_sign"),
                flag=flag.country,
                flag_name=flag.name,
                station=flag.station,
                first_seen=min(first) if first else None,
                last_seen=max(last) if last else None,
                positions=int(seen.get(mmsi, (None, None, 0))[2]),
                identity_reports=int(said.get(mmsi, (None, None, 0))[2]),
                identity_anomalies=anomalies.get(mmsi, 0),
                designated=sorted(hits.get(mmsi, []), key=lambda h: -h.score),
            )
        )
    return out
