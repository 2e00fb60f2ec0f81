"""The report's section on ship behaviour at sea: encounters (possible ship-to-ship
transfers), loitering (a transfer with a partner that does not transmit), AIS gaps (going
dark far out at sea), with the draught changes across them, as a map and a table.

Every figure is the detectors' (``sanctrace.maritime.detect``, Global Fishing Watch's default
parameters) as they return them; this builder only lays out and footnotes. The events are
footnoted to the AIS files they come from (URI and SHA-256, as the provenance annex lists
them) and to the method. Where no AIS position is loaded, or nothing is detected, there is no
section.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from markupsafe import Markup

from sanctrace.maritime.detect import Detection, detect
from sanctrace.report.chain_sections import file_notes
from sanctrace.report.maritime_charts import events_map_svg
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

SECTION: Final = "ship-behaviour"
TOP: Final = 25  # rows of the events table; the rest are counted under it
METHOD: Final = (
    "Detected from AIS positions with Global Fishing Watch's published parameters: an "
    "encounter is two vessels within 500 m of each other for at least 2 hours at a median "
    "speed under 2 knots, at least 10 km from a port; loitering is one vessel under 2 knots "
    "for at least 4 hours at least 20 nautical miles from shore, outside any encounter; an AIS "
    "gap is a silence of at least 12 hours that starts and ends at least 50 nautical miles "
    "from shore after good reception (GFW's gap score of at least 20). A draught change is "
    "a draught reported at least 1 m deeper (laden) or shallower (discharged) after the event "
    "than before it. Distances from shore are within about 4 nautical miles."
)


def detection_of(ws: Workspace, ctx: ReportContext) -> Detection:
    """Every detector over the workspace's AIS, once per report."""
    return ctx.memo("maritime.detect", lambda: detect(ws))


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _rows(found: Detection) -> list[dict[str, Any]]:
    laden = {(d.mmsi, d.start): d for d in found.draught}
    rows: list[dict[str, Any]] = []
    for e in found.encounters:
        changes = [laden[m, e.start] for m in (e.vessel_a, e.vessel_b) if (m, e.start) in laden]
        rows.append(
            {
                "kind": "encounter",
                "vessels": f"{e.vessel_a}, {e.vessel_b}",
                "start": e.start,
                "end": e.end,
                "where": f"{e.lat:.3f}, {e.lon:.3f}",
                "detail": "; ".join(
                    [f"median {e.median_distance_m:,.0f} m apart"]
                    + [
                        f"{d.mmsi} {d.state} ({d.draught_before} to {d.draught_after} m)"
                        for d in changes
                    ]
                    + [f"designated: {h.get('caption', h)}" for h in e.designated]
                ),
            }
        )
    for x in found.loitering:
        rows.append(
            {
                "kind": "loitering",
                "vessels": x.mmsi,
                "start": x.start,
                "end": x.end,
                "where": f"{x.lat:.3f}, {x.lon:.3f}",
                "detail": f"{x.hours:.1f} h at a median {x.median_speed_knots:.1f} knots, "
                f"{x.shore_distance_nm:.0f} nm from shore",
            }
        )
    for g in found.gaps:
        change = laden.get((g.mmsi, g.start))
        rows.append(
            {
                "kind": "AIS gap",
                "vessels": g.mmsi,
                "start": g.start,
                "end": g.end,
                "where": f"{g.start_lat:.3f}, {g.start_lon:.3f}",
                "detail": f"dark {g.hours:.1f} h, back {g.distance_m / 1852:,.0f} nm away, "
                f"score {g.score:,.0f}"
                + (
                    f"; {change.state} ({change.draught_before} to {change.draught_after} m)"
                    if change
                    else ""
                ),
            }
        )
    rows.sort(key=lambda r: (r["start"], r["kind"], r["vessels"]))
    return [{**r, "start": _when(r["start"]), "end": _when(r["end"])} for r in rows]


def behaviour_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Encounters, loitering and AIS gaps: a map and the events."""
    if ws.count("ais_position") == 0:
        return None
    found = detection_of(ws, ctx)
    if not (found.encounters or found.loitering or found.gaps):
        return None
    sources = ws.table("ais_position").select("source_id").distinct().to_pyarrow()
    fn = ctx.footnotes
    refs = fn.refs([*file_notes(ws, ctx, sources.column("source_id").to_pylist()), fn.note(METHOD)])
    rows = _rows(found)
    body = ctx.render(
        "maritime/behaviour.html.j2",
        found=found,
        refs=refs,
        figure=ctx.figure(),
        svg=Markup(events_map_svg(found)),
        table=ctx.table(),
        rows=rows[:TOP],
        more=max(0, len(rows) - TOP),
    )
    return Section(SECTION, "Ship behaviour at sea", body)


BUILDERS: Final[list[SectionBuilder]] = [behaviour_section]
