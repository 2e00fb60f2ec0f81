"""Bundled defaults that ``sanctrace init`` loads, in order (see SOURCES.md for origins)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

# (adapter, path inside this package); actors before incidents so that aliases resolve on
# first view, although resolution happens at query time and does not depend on order
DEFAULTS: Final[tuple[tuple[str, str], ...]] = (
    ("attack", "attack/dprk_groups_subset.json"),
    ("attack", "attack/threat_actors_kp.json"),
    ("actors", "incidents/actors.csv"),
    ("incidents", "incidents/registry.csv"),
    ("estimates", "incidents/annual_estimates_by_source.csv"),
    ("case-tally", "incidents/un_panel_2019_cases.csv"),
)


def bundled(relative: str) -> Path:
    """Path of a bundled data file."""
    return Path(str(files("sanctrace.data").joinpath(relative)))
