"""The cap ledger's chart: reported and estimated deliveries per cap year against the cap.

Drawn as ``report.charts`` draws (Altair, rendered offline to inline SVG by vl-convert),
from ledger results as the engine gives them: no figure is computed here.
"""

from __future__ import annotations

from typing import Any, Final

import altair as alt

from sanctrace.caps.ledger import LOADS, CapStatus
from sanctrace.report.charts import BAR, RANGE, WIDTH, _spec, _svg

CAP: Final = "#c1121f"
THRESHOLD: Final = "#9aa5b1"


def ledger_rows(statuses: list[CapStatus], unit: str = "barrels") -> list[dict[str, Any]]:
    """One row per year and series: reported, each load's largest estimate, and estimates
    published without a load (amounts as numbers for the chart only; the table shows the
    exact figures)."""
    rows: list[dict[str, Any]] = []
    for s in statuses:
        for u in s.ledgers:
            if u.unit != unit:
                continue
            year = str(s.year)
            if u.reported_rows:  # no bar at zero for a year nobody reported
                reported = float(u.reported.amount)
                rows.append({"year": year, "series": "reported", "value": reported})
            for r in u.estimated:
                load = f"estimated at {int(r.load * 100)}%"
                rows.append({"year": year, "series": load, "value": float(r.figure.amount)})
            for e in u.estimates:
                if e.published_only is not None:
                    value = float(e.published_only.amount)
                    rows.append(
                        {"year": year, "series": "published, load not given", "value": value}
                    )
    return rows


def cap_chart_spec(statuses: list[CapStatus], unit: str = "barrels") -> dict[str, Any]:
    """Bars for the reported total; a line from the lowest to the highest load's estimate,
    with a point at each load; diamonds for estimates published without a load; a red rule
    at the cap and grey rules at its notification thresholds."""
    rows = ledger_rows(statuses, unit)
    limits = [u for s in statuses for u in s.ledgers if u.unit == unit]
    limit = float(limits[0].limit) if limits else 0.0
    thresholds = [float(t) * limit for t in (limits[0].thresholds if limits else [])]
    base = alt.Chart(alt.InlineData(values=rows))
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=unit, axis=alt.Axis(format=",.0f"))
    reported = (
        base.transform_filter(alt.datum.series == "reported")
        .mark_bar(color=BAR, width=alt.RelativeBandSize(0.5))
        .encode(x=x, y=y)
    )
    estimated = base.transform_filter(alt.expr.indexof(alt.datum.series, "estimated") == 0)
    spread = estimated.mark_rule(color=RANGE, strokeWidth=1.5).encode(
        x=x, y=alt.Y("min(value):Q", title=unit), y2=alt.Y2("max(value):Q")
    )
    points = estimated.mark_point(filled=True, color=RANGE, size=40).encode(
        x=x,
        y=y,
        shape=alt.Shape(
            "series:N",
            title=None,
            legend=alt.Legend(orient="bottom"),
            sort=[f"estimated at {int(x * 100)}%" for x in LOADS],
        ),
    )
    published = (
        base.transform_filter(alt.datum.series == "published, load not given")
        .mark_point(shape="diamond", filled=True, color=CAP, size=60)
        .encode(x=x, y=y)
    )
    marks = alt.Chart(
        alt.InlineData(
            values=[{"value": limit, "label": "cap"}]
            + [{"value": t, "label": "threshold"} for t in thresholds]
        )
    )
    cap_rule = (
        marks.transform_filter(alt.datum.label == "cap")
        .mark_rule(color=CAP, strokeWidth=1.5)
        .encode(y="value:Q")
    )
    threshold_rules = (
        marks.transform_filter(alt.datum.label == "threshold")
        .mark_rule(color=THRESHOLD, strokeDash=[4, 3])
        .encode(y="value:Q")
    )
    chart = (threshold_rules + cap_rule + reported + spread + points + published).properties(
        width=WIDTH,
        height=260,
        title=f"Deliveries against the cap ({unit})",
        description="Reported deliveries (bars) and estimated deliveries at each load "
        "scenario (points on a line) per cap year, against the cap (red) and its thresholds",
    )
    return _spec(chart)


def cap_chart_svg(statuses: list[CapStatus], unit: str = "barrels") -> str:
    return _svg(cap_chart_spec(statuses, unit))
