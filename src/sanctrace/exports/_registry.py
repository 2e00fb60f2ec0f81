"""What an export needs, read once: every incident with the rows behind it, and the actors."""

from __future__ import annotations

from dataclasses import dataclass

from sanctrace.incidents import Actor, IncidentDetail, actors
from sanctrace.incidents.registry import incident_details
from sanctrace.workspace import Workspace


@dataclass
class Registry:
    """The incidents in date order and every actor by id."""

    records: list[IncidentDetail]
    actors: dict[str, Actor]


def read_registry(ws: Workspace) -> Registry:
    return Registry(incident_details(ws), actors(ws))
