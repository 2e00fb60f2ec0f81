"""``ais detect``: encounters, loitering, AIS gaps, draught changes and identity anomalies
in the workspace's AIS positions (``maritime.detect``), as tables or, with ``--json``, as
``{"encounters": [...], "loitering": [...], "gaps": [...], "identity": [...], "draught":
[...]}``. ``cli/ais.py`` adds it to the ``ais`` group through ``add_commands``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from sanctrace.cli.output import console, err_console, print_json, table

if TYPE_CHECKING:  # the engine (pandas) is imported by the command itself: fast start-up
    from sanctrace.maritime.detect import Detection


def detect_cmd(
    ctx: typer.Context,
    since: str = typer.Option(None, "--since", help="From this time (ISO 8601, UTC default)."),
    until: str = typer.Option(None, "--until", help="Before this time (ISO 8601)."),
    bbox: str = typer.Option(
        None, "--bbox", help="Only positions inside W,S,E,N degrees (W > E crosses 180)."
    ),
    json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Run every detector with Global Fishing Watch's default parameters: encounters (two
    vessels within 500 m for 2 h at a median speed under 2 knots, 10 km or more from a
    port), loitering (under 2 knots for 4 h, 20 nm or more from shore), AIS gaps (12 h
    silent, both ends 50 nm or more from shore, GFW's score of 20 or more), draught changes
    across gaps and encounters, identity anomalies. MMSIs are strings."""
    from sanctrace.maritime.detect import detect
    from sanctrace.maritime.tracks import parse_bbox, parse_time

    start = parse_time(since, "--since")
    end = parse_time(until, "--until")
    box = parse_bbox(bbox) if bbox else None
    with ctx.obj.open() as ws, err_console.status("detecting") as status:
        found = detect(ws, start, end, box, steps=lambda step: status.update(f"detecting: {step}"))
    if json:
        print_json(found.as_json())
        return
    _render(found)


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _render(found: Detection) -> None:
    console.print(
        f"{found.positions:,} positions of {found.vessels:,} vessels "
        f"({found.jumps:,} impossible jumps set aside)",
        highlight=False,
        markup=False,
    )
    table(
        f"{len(found.encounters)} encounters",
        ["vessel a", "vessel b", "start", "end", "median m", "lat", "lon", "designated"],
        [
            [
                e.vessel_a,
                e.vessel_b,
                _when(e.start),
                _when(e.end),
                f"{e.median_distance_m:,.0f}",
                f"{e.lat:.4f}",
                f"{e.lon:.4f}",
                "; ".join(_caption(d) for d in e.designated),
            ]
            for e in found.encounters
        ],
        right=["median m", "lat", "lon"],
    )
    table(
        f"{len(found.loitering)} loitering",
        ["mmsi", "start", "end", "hours", "median kn", "shore nm", "lat", "lon"],
        [
            [
                x.mmsi,
                _when(x.start),
                _when(x.end),
                f"{x.hours:.1f}",
                f"{x.median_speed_knots:.1f}",
                f"{x.shore_distance_nm:.0f}",
                f"{x.lat:.4f}",
                f"{x.lon:.4f}",
            ]
            for x in found.loitering
        ],
        right=["hours", "median kn", "shore nm", "lat", "lon"],
    )
    table(
        f"{len(found.gaps)} AIS gaps",
        ["mmsi", "start", "end", "hours", "km", "shore nm (off, on)", "score"],
        [
            [
                g.mmsi,
                _when(g.start),
                _when(g.end),
                f"{g.hours:.1f}",
                f"{g.distance_m / 1000:,.1f}",
                f"{g.start_shore_distance_nm:.0f}, {g.end_shore_distance_nm:.0f}",
                f"{g.score:,.0f}",
            ]
            for g in found.gaps
        ],
        right=["hours", "km", "score"],
    )
    table(
        f"{len(found.draught)} draught changes",
        ["mmsi", "across", "start", "end", "before m", "after m", "state", "partner"],
        [
            [
                d.mmsi,
                d.event,
                _when(d.start),
                _when(d.end),
                f"{d.draught_before:.1f}",
                f"{d.draught_after:.1f}",
                d.state,
                d.partner or "",
            ]
            for d in found.draught
        ],
        right=["before m", "after m"],
    )
    table(
        f"{len(found.identity)} identity anomalies",
        ["mmsi", "kind", "start", "end", "detail"],
        [
            [
                a.get("mmsi"),
                a.get("kind"),
                (a.get("start") or "")[:16].replace("T", " "),
                (a.get("end") or "")[:16].replace("T", " "),
                ", ".join(
                    f"{k} {v}"
                    for k, v in (a.get("detail") or {}).items()
                    if not isinstance(v, dict)
                ),
            ]
            for a in found.identity
        ],
    )


def _caption(hit: Any) -> str:
    if isinstance(hit, dict):
        return str(hit.get("caption") or hit.get("entity_id") or hit)
    return str(hit)


def add_commands(app: typer.Typer) -> None:
    """Add ``detect`` to the ``ais`` group."""
    app.command("detect")(detect_cmd)
