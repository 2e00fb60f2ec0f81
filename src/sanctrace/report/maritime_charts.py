"""A map of ship behaviour (encounters, loitering, AIS gaps) as an inline SVG string.

Drawn as ``report/charts.py`` draws: Altair, rendered offline by vl-convert, so the same SVG
serves the HTML report, the PDF and the web page. There is no base map to download, so the
land is drawn from the project's own shore-distance grid (``maritime.geography``): its land
cells in the events' extent, as grey squares. Each event is a mark at its position
(encounters and loitering at their mean position, a gap at the position where the vessel
went silent, with a line to where it came back); nothing is computed here but the extent.
"""

from __future__ import annotations

from typing import Any, Final

import altair as alt
import numpy as np
import pandas as pd
import vl_convert

from sanctrace.maritime.detect import Detection
from sanctrace.maritime.geography import shore_grid

WIDTH: Final = 520
HEIGHT: Final = 360
FONT: Final = "DejaVu Sans, sans-serif"
LAND: Final = "#d9d4c7"
COLOURS: Final = {"encounter": "#c1121f", "loitering": "#f77f00", "gap": "#1d3557"}
MAX_LAND_CELLS: Final = 2500


def _points(found: Detection) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for e in found.encounters:
        rows.append(
            {
                "kind": "encounter",
                "lat": e.lat,
                "lon": e.lon,
                "label": f"{e.vessel_a} / {e.vessel_b}, {e.start:%Y-%m-%d %H:%M}",
            }
        )
    for x in found.loitering:
        rows.append(
            {
                "kind": "loitering",
                "lat": x.lat,
                "lon": x.lon,
                "label": f"{x.mmsi}, {x.hours:.1f} h from {x.start:%Y-%m-%d %H:%M}",
            }
        )
    for g in found.gaps:
        rows.append(
            {
                "kind": "gap",
                "lat": g.start_lat,
                "lon": g.start_lon,
                "label": f"{g.mmsi}, dark {g.hours:.1f} h from {g.start:%Y-%m-%d %H:%M}",
            }
        )
    return rows


def _land(s: float, n: float, w: float, e: float) -> tuple[list[dict[str, float]], float]:
    """Land cells of the shore grid inside the box, thinned to at most ``MAX_LAND_CELLS``,
    and the spacing of those kept, in degrees."""
    grid = shore_grid()
    step = grid.deg
    rows, cols = grid.nm.shape
    r0, r1 = int((s + 90) / step), int(np.ceil((n + 90) / step))
    c0, c1 = int((w + 180) / step), int(np.ceil((e + 180) / step))
    r0, r1 = max(r0, 0), min(r1, rows)
    c0, c1 = max(c0, 0), min(c1, cols)
    stride = max(1, int(np.ceil(np.sqrt((r1 - r0) * (c1 - c0) / MAX_LAND_CELLS))))
    block = grid.nm[r0:r1:stride, c0:c1:stride]
    rr, cc = np.nonzero(block == 0)
    lat = -90 + (r0 + rr * stride + 0.5) * step
    lon = -180 + (c0 + cc * stride + 0.5) * step
    cells = [{"lat": float(a), "lon": float(b)} for a, b in zip(lat, lon, strict=True)]
    return cells, step * stride


def events_map_spec(found: Detection) -> dict[str, Any] | None:
    """The Vega-Lite spec of the map; ``None`` when there is no event to draw."""
    points = _points(found)
    if not points:
        return None
    lats = [p["lat"] for p in points] + [g.end_lat for g in found.gaps]
    lons = [p["lon"] for p in points] + [g.end_lon for g in found.gaps]
    pad = max(0.5, 0.15 * max(max(lats) - min(lats), max(lons) - min(lons)))
    s, n = max(min(lats) - pad, -85.0), min(max(lats) + pad, 85.0)
    w, e = max(min(lons) - pad, -180.0), min(max(lons) + pad, 180.0)
    x = alt.X("lon:Q", title="longitude", scale=alt.Scale(domain=[w, e], nice=False))
    y = alt.Y("lat:Q", title="latitude", scale=alt.Scale(domain=[s, n], nice=False))
    cells, spacing = _land(s, n, w, e)
    side = max(1.0, min(WIDTH * spacing / (e - w), HEIGHT * spacing / (n - s)))
    land = (
        alt.Chart(pd.DataFrame(cells, columns=["lat", "lon"]))
        .mark_square(color=LAND, size=side * side * 1.3, opacity=1.0)
        .encode(x=x, y=y)
    )
    tracks = [
        {"gap": i, "lat": lat, "lon": lon}
        for i, g in enumerate(found.gaps)
        for lat, lon in ((g.start_lat, g.start_lon), (g.end_lat, g.end_lon))
    ]
    layers: list[Any] = [land]
    if tracks:
        layers.append(
            alt.Chart(pd.DataFrame(tracks, columns=["gap", "lat", "lon"]))
            .mark_line(color=COLOURS["gap"], strokeDash=[3, 3], opacity=0.6)
            .encode(x=x, y=y, detail="gap:N")
        )
    kinds = list(COLOURS)
    layers.append(
        alt.Chart(pd.DataFrame(points))
        .mark_point(filled=True, size=60, opacity=0.85)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=kinds, range=[COLOURS[k] for k in kinds]),
                legend=alt.Legend(orient="bottom"),
            ),
            shape=alt.Shape("kind:N", title=None, scale=alt.Scale(domain=kinds)),
            tooltip=["kind:N", "label:N"],
        )
    )
    chart = (
        alt.layer(*layers)
        .properties(width=WIDTH, height=HEIGHT)
        .configure(font=FONT)
        .configure_view(stroke="#999")
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def events_map_svg(found: Detection) -> str:
    """The map as SVG; empty when there is no event."""
    spec = events_map_spec(found)
    if spec is None:
        return ""
    return str(vl_convert.vegalite_to_svg(spec))
