"""The report's sections on the incident registry: key figures, proceeds by year, cases by
country, vector, actor and victim type, the incident table, and the amounts left out.

Every figure comes from ``sanctrace.incidents`` as the engine returns it; these builders only
choose, label and footnote. Each table row carries a "Notes" cell: first a note listing the
incidents behind the row (linked to the incident table), then the documents that support the
field the row is about (its country, vector or attribution) and the amounts summed. Values
that come from elsewhere (independent yearly totals, the Panel's tallies) carry their own
citation where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from markupsafe import Markup

from sanctrace.incidents import (
    Group,
    Incident,
    IncidentDetail,
    Summary,
    actors,
    incident_details,
    list_incidents,
    summarize,
)
from sanctrace.incidents.actors import Actor
from sanctrace.incidents.summary import UNKNOWN
from sanctrace.report.charts import UNSET_KEYS, cases_bar_svg, proceeds_by_year_svg
from sanctrace.report.labels import country_name, estimator_name, group_label
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

# the citation fields that support a grouping's key; amounts are cited wherever USD is shown
FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "year": ("amount",),
    "country": ("country", "amount"),
    "vector": ("vector", "amount"),
    "actor": ("attribution", "amount"),
    "victim-type": ("victim_type", "amount"),
}
NOT_COUNTED: Final = "amounts-not-counted"


# -- engine results, once per report ------------------------------------------------------


def summary_of(ws: Workspace, ctx: ReportContext, by: str) -> Summary:
    return ctx.memo(
        f"incidents.summarize:{by}", lambda: summarize(ws, by, ctx.date_from, ctx.date_to)
    )


def incidents_of(ws: Workspace, ctx: ReportContext) -> list[Incident]:
    return ctx.memo(
        "incidents.list_incidents", lambda: list_incidents(ws, ctx.date_from, ctx.date_to)
    )


def details_of(ws: Workspace, ctx: ReportContext) -> dict[str, IncidentDetail]:
    """Every incident's amounts, attributions and citations, read once per report."""
    return ctx.memo(
        "incidents.details",
        lambda: {
            d.incident.incident_id: d
            for d in incident_details(ws, date_from=ctx.date_from, date_to=ctx.date_to)
        },
    )


def actors_of(ws: Workspace, ctx: ReportContext) -> dict[str, Actor]:
    return ctx.memo("incidents.actors", lambda: actors(ws))


# -- footnotes ------------------------------------------------------------------------------


def incident_links(ids: Iterable[str]) -> Markup:
    """Incident ids linked to their rows in the incident table."""
    return Markup(", ").join(Markup('<a href="#inc-{0}">{0}</a>').format(i) for i in ids)


def basis_note(ws: Workspace, ctx: ReportContext, label: str, ids: list[str]) -> int:
    """A note naming the incidents behind a figure, and those whose amount is not summed."""
    if not ids:
        return ctx.footnotes.note(f"{label}: no incident in the registry.", "basis")
    unknown = {i.incident_id for i in incidents_of(ws, ctx) if i.stolen_usd is None}
    flagged = [i for i in ids if i in unknown]
    body = Markup("{}: {} registry incident{}: {}.").format(
        label, len(ids), "" if len(ids) == 1 else "s", incident_links(ids)
    )
    if flagged:
        body += Markup(
            " Stolen amount unknown or malformed (counted as a case, left out of every sum; "
            'see <a href="#{}">amounts not counted</a>): {}.'
        ).format(NOT_COUNTED, incident_links(flagged))
    return ctx.footnotes.note(body, "basis")


def field_notes(
    ws: Workspace, ctx: ReportContext, ids: list[str], fields: Iterable[str]
) -> list[int]:
    """Source notes for the citation rows of ``ids`` on ``fields`` (deduplicated by the
    footnote numbering: the same document and locator is one note)."""
    details = details_of(ws, ctx)
    wanted = set(fields)
    return [
        ctx.footnotes.source(c["document"], c["locator"])
        for incident_id in sorted(set(ids))
        for c in details[incident_id].citations
        if c["field"] in wanted
    ]


def group_notes(ws: Workspace, ctx: ReportContext, by: str, group: Group, label: str) -> Markup:
    numbers = [basis_note(ws, ctx, label, group.incident_ids)]
    numbers += field_notes(ws, ctx, group.incident_ids, FIELDS[by])
    return ctx.footnotes.refs(numbers)


def estimate_cells(ctx: ReportContext, group: Group) -> list[dict[str, Any]]:
    """Each independent yearly total with its own citation."""
    return [
        {
            "name": estimator_name(e.estimator),
            "value": e.value_usd,
            "refs": ctx.footnotes.refs(ctx.footnotes.sources(e.citation)),
        }
        for e in group.estimates
    ]


def tally_cells(ctx: ReportContext, group: Group) -> list[dict[str, Any]]:
    """Each case tally a report gives for the group's country, with its citation."""
    return [
        {
            "report": t["report"],
            "cases": t["cases"],
            "refs": ctx.footnotes.refs(ctx.footnotes.sources(t["citation"])),
        }
        for t in group.reported_cases
    ]


# -- sections -------------------------------------------------------------------------------


def summary_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Key figures: incidents, countries, proceeds as a range, amounts left out, and the
    Panel's own tallies beside the registry's count."""
    by_year = summary_of(ws, ctx, "year")
    by_country = summary_of(ws, ctx, "country")
    total = by_year.total
    report_totals = by_country.total.reported_cases
    if total.cases == 0 and not by_year.groups and not report_totals:
        return None
    fn = ctx.footnotes
    all_ids = total.incident_ids
    every = basis_note(ws, ctx, "All incidents in this report", all_ids)
    no_country = next((g for g in by_country.groups if g.key == UNKNOWN), None)
    estimate_notes = [
        n for g in by_year.groups for e in g.estimates for n in fn.sources(e.citation)
    ]
    flagged_ids = [i.incident_id for i in incidents_of(ws, ctx) if i.stolen_usd is None]
    rows: list[dict[str, Any]] = [
        {
            "label": "Incidents in the registry",
            "value": f"{total.cases:,}",
            "refs": fn.refs([every]),
        },
        {
            "label": "Countries of the victims, where recorded",
            "value": f"{total.countries:,}",
            "refs": fn.refs([every, *field_notes(ws, ctx, all_ids, ["country"])]),
        },
    ]
    if no_country is not None:
        rows.append(
            {
                "label": "Incidents with no recorded country",
                "value": f"{no_country.cases:,}",
                "refs": fn.refs(
                    [basis_note(ws, ctx, "No recorded country", no_country.incident_ids)]
                ),
            }
        )
    amount_notes = field_notes(ws, ctx, all_ids, ["amount"])
    rows += [
        {
            "label": "Proceeds, central estimate (US$)",
            "value": f"{total.stolen_usd.central:,}",
            "refs": fn.refs([every, *amount_notes]),
        },
        {
            "label": "Proceeds, range low to high (US$)",
            "value": f"{total.stolen_usd.low:,} to {total.stolen_usd.high:,}",
            "refs": fn.refs([every, *amount_notes, *estimate_notes]),
        },
        {
            "label": "Incidents whose stolen amount is unknown or malformed",
            "value": f"{total.unknown_amount_cases:,}",
            "refs": fn.refs([basis_note(ws, ctx, "Amount not counted", flagged_ids)]),
        },
    ]
    tallies = [{**t, "refs": fn.refs(fn.sources(t["citation"]))} for t in report_totals]
    years = [g.key for g in by_year.groups if g.cases]
    body = ctx.render(
        "incidents/summary.html.j2",
        table=ctx.table(),
        rows=rows,
        tallies=tallies,
        total=total,
        first_year=years[0] if years else None,
        last_year=years[-1] if years else None,
        not_counted=NOT_COUNTED,
    )
    return Section("summary", "Summary", body)


def figure_notes(ws: Workspace, ctx: ReportContext, s: Summary, fields: Iterable[str]) -> list[int]:
    """A chart's notes: the incidents it draws on and the sources of the field it shows."""
    return [
        basis_note(ws, ctx, "All incidents in this report", s.total.incident_ids),
        *field_notes(ws, ctx, s.total.incident_ids, fields),
    ]


def proceeds_by_year_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Proceeds per year as a range, with the independent yearly totals it takes in."""
    s = summary_of(ws, ctx, "year")
    if not s.groups:
        return None
    fn = ctx.footnotes
    figure = ctx.figure()
    figure_refs = fn.refs(
        [
            *figure_notes(ws, ctx, s, ["amount"]),
            *[n for g in s.groups for e in g.estimates for n in fn.sources(e.citation)],
        ]
    )
    rows = [
        {
            "group": g,
            "label": str(g.key),
            "estimates": estimate_cells(ctx, g),
            "refs": group_notes(ws, ctx, "year", g, f"Year {g.key}"),
        }
        for g in s.groups
    ]
    body = ctx.render(
        "incidents/by_year.html.j2",
        figure=figure,
        figure_refs=figure_refs,
        svg=Markup(proceeds_by_year_svg(s)),
        table=ctx.table(),
        rows=rows,
        total=s.total,
        total_refs=fn.refs(
            [basis_note(ws, ctx, "All incidents in this report", s.total.incident_ids)]
        ),
        methods=_methods(s),
    )
    return Section("proceeds-by-year", "Proceeds by year", body)


def cases_by(by: str, title: str, key_heading: str) -> SectionBuilder:
    """A builder for cases and proceeds grouped by ``by`` (country, vector, actor, victim
    type), with a bar chart, a table and, by country, the Panel's tallies beside."""

    def build(ws: Workspace, ctx: ReportContext) -> Section | None:
        s = summary_of(ws, ctx, by)
        if not s.groups:
            return None
        fn = ctx.footnotes
        figure = ctx.figure()
        figure_refs = fn.refs(figure_notes(ws, ctx, s, FIELDS[by][:1]))
        known = {a.name: a for a in actors_of(ws, ctx).values()} if by == "actor" else {}
        rows = []
        for g in s.groups:
            label = group_label(by, g.key)
            if by == "country" and g.key != UNKNOWN:
                label = f"{country_name(str(g.key))} ({g.key})"
            actor = known.get(str(g.key))
            rows.append(
                {
                    "group": g,
                    "label": label,
                    "detail": _actor_detail(actor) if actor else "",
                    "tallies": tally_cells(ctx, g),
                    "refs": group_notes(ws, ctx, by, g, label),
                }
            )
        body = ctx.render(
            "incidents/by_group.html.j2",
            by=by,
            title=title,
            key_heading=key_heading,
            figure=figure,
            figure_refs=figure_refs,
            svg=Markup(cases_bar_svg(s, title)),
            table=ctx.table(),
            rows=rows,
            total=s.total,
            with_tallies=any(g.reported_cases for g in s.groups),
            unset_key=next((str(g.key) for g in s.groups if g.key in UNSET_KEYS), None),
            methods=_methods(s),
        )
        return Section(f"cases-by-{by}", title, body)

    build.__name__ = build.__qualname__ = f"cases_by_{by.replace('-', '_')}"
    build.__doc__ = f"{title}: chart, table and notes."
    return build


def incident_table_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Every incident with its amounts, attribution and the documents behind each field."""
    rows = incidents_of(ws, ctx)
    if not rows:
        return None
    details = details_of(ws, ctx)
    fn = ctx.footnotes
    out = []
    for i in rows:
        d = details[i.incident_id]
        stolen = next((a for a in d.amounts if a["kind"] == "stolen"), None)
        out.append(
            {
                "i": i,
                "country": country_name(i.country) if i.country else "",
                "type": group_label("victim-type", i.victim_type),
                "vector": group_label("vector", i.vector),
                "status": stolen["status"] if stolen and i.stolen_usd is None else None,
                "confidence": ", ".join(sorted({a["confidence"] for a in d.attributions})),
                "refs": fn.refs(fn.source(c["document"], c["locator"]) for c in d.citations),
            }
        )
    body = ctx.render(
        "incidents/table.html.j2", table=ctx.table(), rows=out, not_counted=NOT_COUNTED
    )
    return Section("incidents", "Incidents", body)


def amounts_not_counted_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """The stolen amounts that are unknown or could not be read, kept as reported."""
    details = details_of(ws, ctx)
    fn = ctx.footnotes
    rows = []
    for i in incidents_of(ws, ctx):
        if i.stolen_usd is not None:
            continue
        for a in details[i.incident_id].amounts:
            if a["kind"] == "stolen" and a["status"] != "reported":
                rows.append({"i": i, "a": a, "refs": fn.refs(fn.sources(a["citation"]))})
    if not rows:
        return None
    body = ctx.render("incidents/not_counted.html.j2", table=ctx.table(), rows=rows)
    return Section(NOT_COUNTED, "Amounts not counted", body)


def _actor_detail(actor: Actor) -> str:
    parts = [" > ".join(actor.lineage)] if len(actor.lineage) > 1 else []
    if actor.mitre_id:
        parts.append(f"MITRE ATT&CK {actor.mitre_id}")
    return "; ".join(parts)


def _methods(s: Summary) -> list[str]:
    """The engine's own statements of method: the total's, and by year the one for a year
    that takes in independent totals (the groups' statements differ only in counts)."""
    out = [s.total.method]
    example = next((g for g in s.groups if g.estimates), None)
    if example is not None:
        out.append(f"Per year, for example {example.key}: {example.method}")
    return out


BUILDERS: Final[tuple[SectionBuilder, ...]] = (
    summary_section,
    proceeds_by_year_section,
    cases_by("country", "Cases by country", "Country"),
    cases_by("vector", "Cases by attack vector", "Vector"),
    cases_by("actor", "Cases by actor", "Actor"),
    cases_by("victim-type", "Cases by type of victim", "Type of victim"),
    incident_table_section,
    amounts_not_counted_section,
)
"""The registry's sections, in report order."""
