"""The incident registry: thefts from banks and crypto businesses, attributed to actors, with
amounts as ranges and every field traced to its sources. Pure functions over a workspace."""

from sanctrace.incidents.actors import Actor, actors, resolve_actor
from sanctrace.incidents.registry import (
    Incident,
    IncidentDetail,
    get_incident,
    incident_details,
    list_incidents,
)
from sanctrace.incidents.summary import GROUP_KEYS, Group, Range, Summary, summarize

__all__ = [
    "GROUP_KEYS",
    "Actor",
    "Group",
    "Incident",
    "IncidentDetail",
    "Range",
    "Summary",
    "actors",
    "get_incident",
    "incident_details",
    "list_incidents",
    "resolve_actor",
    "summarize",
]
