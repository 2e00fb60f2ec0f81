"""Charts of engine results as inline SVG strings.

The SVG is rendered here, in Python, by vl-convert (Vega-Lite compiled and drawn by an
embedded engine, offline), so the same string works in the HTML report without JavaScript,
in the PDF through WeasyPrint, and in the web pages. Each function takes an engine result as
it is and plots what it holds: no figure is computed here, only sorted and labelled.
"""

from __future__ import annotations

from typing import Any, Final

import altair as alt
import vl_convert

from sanctrace.incidents import Summary
from sanctrace.incidents.summary import UNKNOWN
from sanctrace.report.labels import group_label, list_name
from sanctrace.screening.lists import ListOverview

__all__ = [
    "cases_bar_spec",
    "cases_bar_svg",
    "listing_years_spec",
    "listing_years_svg",
    "proceeds_by_year_spec",
    "proceeds_by_year_svg",
]

# Muted colours in the manner of UN documents; the range bars are darker than the bars so
# they stay visible where the range is narrow.
BAR: Final = "#5b92e5"
RANGE: Final = "#1d3557"
UNKNOWN_BAR: Final = "#b8c2cc"  # cases without the attribute: shown, but set apart
# the keys the engine gives cases without the attribute (no country, vector, actor, ...)
UNSET_KEYS: Final = (UNKNOWN, "unattributed")
WIDTH: Final = 520
# fonts that WeasyPrint and vl-convert both find on Debian (fonts-dejavu), then any sans
FONT: Final = "DejaVu Sans, sans-serif"
# axis labels in millions of US dollars with thousands separators: "1,650 M"
_MILLIONS: Final = "format(datum.value / 1000000, ',.0f') + ' M'"


def proceeds_by_year_svg(summary: Summary) -> str:
    """Bars for the central proceeds per year, with a range bar from low to high.

    ``summary`` must be grouped by year. The range bar is the engine's low..high, which by
    year also spans the independent yearly totals; years with an estimate but no incident
    show a range without a bar, as the engine reports them.
    """
    return _svg(proceeds_by_year_spec(summary))


def cases_bar_svg(summary: Summary, title: str) -> str:
    """Horizontal bars of the cases per group, most cases first, each bar labelled.

    Works for any grouping but year (country, vector, actor, victim type); keys are shown by
    their names (``KR`` as South Korea), and ``unknown`` (``unattributed`` by actor) stays a
    bar of its own, in grey, so that cases without the attribute are seen, not dropped.
    """
    return _svg(cases_bar_spec(summary, title))


def proceeds_by_year_spec(summary: Summary) -> dict[str, Any]:
    """The Vega-Lite spec behind ``proceeds_by_year_svg`` (for a page that draws it with
    vega-embed instead, and for tests: its data are the engine's figures, unchanged)."""
    if summary.by != "year":
        raise ValueError(f"proceeds_by_year_svg needs a summary by year, not by {summary.by}")
    rows = [
        {
            "year": str(g.key),
            "low": g.stolen_usd.low,
            "central": g.stolen_usd.central,
            "high": g.stolen_usd.high,
            "cases": g.cases,
        }
        for g in summary.groups
    ]
    base = alt.Chart(alt.InlineData(values=rows))
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    title = "US$"
    y_axis = alt.Axis(labelExpr=_MILLIONS, title=title)
    bars = base.mark_bar(color=BAR, width=alt.RelativeBandSize(0.6)).encode(
        x=x, y=alt.Y("central:Q", axis=y_axis)
    )
    ranges = base.mark_errorbar(ticks={"size": 12}, color=RANGE, thickness=1.5).encode(
        x=x, y=alt.Y("low:Q", title=title), y2=alt.Y2("high:Q")
    )
    chart = (bars + ranges).properties(
        width=WIDTH,
        height=240,
        title="Proceeds by year (US$)",
        description="Proceeds by year: central estimate with the range from low to high",
    )
    return _spec(chart)


def cases_bar_spec(summary: Summary, title: str) -> dict[str, Any]:
    """The Vega-Lite spec behind ``cases_bar_svg``."""
    rows = [
        {"label": group_label(summary.by, g.key), "cases": g.cases, "key": str(g.key)}
        for g in summary.groups
    ]
    base = alt.Chart(alt.InlineData(values=rows))
    y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("cases", order="descending"))
    unset = alt.FieldOneOfPredicate(field="key", oneOf=list(UNSET_KEYS))
    colour = alt.condition(unset, alt.value(UNKNOWN_BAR), alt.value(BAR))
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("cases:Q", title="cases", axis=alt.Axis(format="d", tickMinStep=1)),
        color=colour,
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(
        y=y, x="cases:Q", text=alt.Text("cases:Q", format="d")
    )
    chart = (bars + labels).properties(
        width=WIDTH - 120,
        height=alt.Step(16),
        title=title,
        description=f"{title}: cases per {summary.by}",
    )
    return _spec(chart)


def listing_years_svg(lists: list[ListOverview]) -> str:
    """Bars of the parties listed each year, one colour per list, stacked.

    Plots each list's ``by_year`` as the engine gives it; parties without a listing date
    (``None``) are left out of the chart (the table beside it counts them), and a list that
    gives no date at all has no bar.
    """
    return _svg(listing_years_spec(lists))


def listing_years_spec(lists: list[ListOverview]) -> dict[str, Any]:
    """The Vega-Lite spec behind ``listing_years_svg``."""
    rows = [
        {
            "year": str(year),
            "parties": n,
            "list": list_name(o.snapshot.dataset),
        }
        for o in lists
        for year, n in o.by_year.items()
        if year is not None
    ]
    base = alt.Chart(alt.InlineData(values=rows))
    bars = base.mark_bar(width=alt.RelativeBandSize(0.7)).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(parties):Q", title="parties", axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color(
            "list:N",
            title=None,
            scale=alt.Scale(range=[BAR, RANGE, UNKNOWN_BAR]),
            legend=alt.Legend(orient="bottom", labelLimit=0),
        ),
    )
    chart = bars.properties(
        width=WIDTH,
        height=200,
        title="Parties by year of listing",
        description="Parties on the sanctions lists by the year they were first listed",
    )
    return _spec(chart)


def _spec(chart: alt.Chart | alt.LayerChart) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec.setdefault("config", {})["font"] = FONT
    return spec


def _svg(spec: dict[str, Any]) -> str:
    """Render offline: inline data only, no base URL may be fetched."""
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg
