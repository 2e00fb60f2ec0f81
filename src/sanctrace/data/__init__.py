"""Bundled defaults that ``sanctrace init`` loads, in order (see SOURCES.md for origins)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

# the DPRK-relevant GraphSense TagPacks bundled under tags/ (SOURCES.md)
TAGPACKS: Final[tuple[str, ...]] = (
    "lazarus",
    "lazarus2",
    "ronin_bridge",
    "hacks",
    "ofac",
    "tornado_cash",
    "sinbad_io",
    "blender_io",
    "exchange-wallets-binance",
    "exchange-wallets-bybit",
    "exchange-wallets-huobi",
    "exchange-wallets-kucoin",
    "exchange-wallets-okx",
)

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
    # GraphSense TagPacks (address tags) and the addresses incidents name (trace seeds)
    *(("tagpack", f"tags/{name}.yaml") for name in TAGPACKS),
    ("theft-addresses", "tags/theft_addresses.csv"),
    # the petroleum caps of resolution 2397, and reported and estimated deliveries
    ("caps", "petroleum/caps.csv"),
    ("deliveries", "petroleum/reported_deliveries.csv"),
    ("deliveries", "petroleum/estimates.csv"),
)


def bundled(relative: str) -> Path:
    """Path of a bundled data file."""
    return Path(str(files("sanctrace.data").joinpath(relative)))
