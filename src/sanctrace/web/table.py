"""The dashboard's incident table: which rows a filter selects, and the choices each filter
offers. Selection only: every figure shown comes from the engines unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctrace.incidents import Incident, Summary
from sanctrace.incidents.vocabulary import VECTORS, VICTIM_TYPES
from sanctrace.report.labels import country_name

UNKNOWN = "unknown"
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class TableQuery:
    """The filters, as the form sends them (empty: no filter)."""

    text: str = ""
    year: str = ""
    country: str = ""
    vector: str = ""
    actor: str = ""

    @property
    def active(self) -> bool:
        return any((self.text, self.year, self.country, self.vector, self.actor))


@dataclass
class Row:
    incident: Incident
    order: int  # position in the engine's date order: the date column sorts by it


@dataclass
class Options:
    years: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    vectors: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    actors: list[str] = field(default_factory=list)


@dataclass
class IncidentTable:
    rows: list[Row]
    total: int
    options: Options
    query: TableQuery


def _haystack(i: Incident) -> str:
    parts = [
        i.incident_id,
        i.date,
        i.victim,
        i.victim_type,
        VICTIM_TYPES.get(i.victim_type, ""),
        i.country or "",
        country_name(i.country) if i.country else "",
        i.vector,
        VECTORS.get(i.vector, ""),
        i.asset_class,
        *i.actors,
    ]
    return " ".join(parts).casefold()


def incident_table(incidents: list[Incident], by_year: Summary, query: TableQuery) -> IncidentTable:
    """The rows of ``incidents`` (in the engine's order) that ``query`` selects. A year is
    the set of incidents the by-year summary puts in it, so the table and the chart agree."""
    years = {str(g.key): set(g.incident_ids) for g in by_year.groups if g.incident_ids}
    words = query.text.casefold().split()
    rows = []
    for order, i in enumerate(incidents):
        if query.year and i.incident_id not in years.get(query.year, set()):
            continue
        if query.country and (i.country or UNKNOWN) != query.country:
            continue
        if query.vector and i.vector != query.vector:
            continue
        if query.actor and query.actor not in (i.actors or [UNATTRIBUTED]):
            continue
        if words:
            hay = _haystack(i)
            if not all(w in hay for w in words):
                continue
        rows.append(Row(i, order))
    options = Options(
        years=sorted(years, key=int),
        countries=sorted({i.country or UNKNOWN for i in incidents}),
        vectors=sorted(
            {(i.vector, VECTORS.get(i.vector, i.vector)) for i in incidents}, key=lambda v: v[1]
        ),
        actors=sorted({a for i in incidents for a in (i.actors or [UNATTRIBUTED])}),
    )
    return IncidentTable(rows, len(incidents), options, query)
