"""Threat actors: any alias resolves to one actor (curated beats ATT&CK beats MISP), and each
actor knows its place in the hierarchy under the Reconnaissance General Bureau."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctrace.incidents import Actor, actors, resolve_actor
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.factory import csv_text, write

RGB = "Reconnaissance General Bureau"


@pytest.fixture(scope="module")
def registry(bundled_ws: Workspace) -> dict[str, Actor]:
    return actors(bundled_ws)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("Lazarus", "Lazarus Group"),
        ("LAZARUS GROUP", "Lazarus Group"),
        ("lazarus-group", "Lazarus Group"),
        ("Hidden Cobra", "Lazarus Group"),
        ("G0032", "Lazarus Group"),
        ("BlueNoroff", "APT38"),
        ("Bluenoroff", "APT38"),
        ("APT 38", "APT38"),  # MISP lists it under Lazarus; ATT&CK and the curated file win
        ("G0082", "APT38"),
        ("Silent Chollima", "Andariel"),  # a MISP cluster name of its own, curated as Andariel
        ("Jade Sleet", "TraderTraitor"),
        ("정찰총국", "Reconnaissance General Bureau"),  # Hangul: a key of its own, not dropped
        ("UNC4899", "TraderTraitor"),
        ("APT43", "Kimsuky"),
        ("RGB", RGB),
        ("Contagious Interview", "Contagious Interview"),  # known to ATT&CK only
    ],
)
def test_every_alias_resolves(bundled_ws: Workspace, alias: str, name: str) -> None:
    actor = resolve_actor(bundled_ws, alias)
    assert actor is not None and actor.name == name


@pytest.mark.parametrize("name", ["Cobalt Spider", "", "---"])
def test_unknown_names_resolve_to_nothing(bundled_ws: Workspace, name: str) -> None:
    assert resolve_actor(bundled_ws, name) is None


@pytest.mark.parametrize(
    ("actor_id", "lineage"),
    [
        ("reconnaissance-general-bureau", [RGB]),
        ("lazarus-group", [RGB, "Lazarus Group"]),
        ("apt38", [RGB, "Lazarus Group", "APT38"]),
        ("andariel", [RGB, "Lazarus Group", "Andariel"]),
        ("tradertraitor", [RGB, "Lazarus Group", "TraderTraitor"]),
        ("kimsuky", [RGB, "Kimsuky"]),
        ("apt37", ["APT37"]),  # no curated parent
    ],
)
def test_hierarchy(registry: dict[str, Actor], actor_id: str, lineage: list[str]) -> None:
    assert registry[actor_id].lineage == lineage


@pytest.mark.parametrize(
    ("actor_id", "mitre_id"),
    [
        ("lazarus-group", "G0032"),
        ("apt38", "G0082"),
        ("kimsuky", "G0094"),
        ("andariel", "G0138"),
        ("tradertraitor", None),
        ("reconnaissance-general-bureau", None),
    ],
)
def test_mitre_ids(registry: dict[str, Actor], actor_id: str, mitre_id: str | None) -> None:
    assert registry[actor_id].mitre_id == mitre_id


def test_curated_values_come_first(registry: dict[str, Actor]) -> None:
    apt38 = registry["apt38"]
    assert (apt38.parent_id, apt38.country) == ("lazarus-group", "KP")
    assert apt38.description and apt38.description.startswith("Sub-group of Lazarus Group")


def test_aliases_are_listed_under_the_actor_they_resolve_to(registry: dict[str, Actor]) -> None:
    assert {"BlueNoroff", "Bluenoroff", "G0082", "Stardust Chollima"} <= set(
        registry["apt38"].aliases
    )
    lazarus = set(registry["lazarus-group"].aliases)
    assert {"HIDDEN COBRA", "Hidden Cobra", "G0032", "Diamond Sleet"} <= lazarus
    assert not {"BlueNoroff", "Bluenoroff", "APT38", "Andariel"} & lazarus
    assert "Lazarus Group" not in lazarus  # the name is not its own alias


def test_alias_ties_go_to_the_smallest_id(empty_ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "actors.csv",
        csv_text(["name", "aliases"], [["Zeta", "Shared Name"], ["Alpha", "Shared Name"]]),
    )
    ingest(empty_ws, "actors", path)
    actor = resolve_actor(empty_ws, "shared name")
    assert actor is not None and actor.actor_id == "alpha"


def test_parent_cycle_ends(empty_ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "actors.csv", csv_text(["name", "parent"], [["A", "B"], ["B", "A"]]))
    ingest(empty_ws, "actors", path)
    found = actors(empty_ws)
    assert (found["a"].lineage, found["b"].lineage) == (["B", "A"], ["A", "B"])
