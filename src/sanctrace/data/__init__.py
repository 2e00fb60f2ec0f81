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
    # sanctions lists, DPRK entries only (SOURCES.md says how each was filtered); the OFAC
    # SDN file brings its alt/add companions, which sit beside it under the same name
    ("un-list", "sanctions/un_consolidated_2024-09-26_kp.xml"),
    ("ofac-sdn", "sanctions/ofac_sdn_dprk_2024-05-03.csv"),
    ("ofac-addresses", "sanctions/ofac_crypto_addresses.csv"),
)


def bundled(relative: str) -> Path:
    """Path of a bundled data file."""
    return Path(str(files("sanctrace.data").joinpath(relative)))
