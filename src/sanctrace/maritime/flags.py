"""The flag an MMSI claims: its Maritime Identification Digits (MID), looked up in the ITU
table bundled as ``data/vessels/itu_mid.csv`` (origin in data/SOURCES.md).

An MMSI is nine digits; where the MID sits depends on what kind of station it is (ITU-R
M.585): a ship ``MIDxxxxxx`` (first digit 2 to 7), a coast station ``00MIDxxxx``, a group
``0MIDxxxxx``, a SAR aircraft ``111MIDxxx``, a handheld ``8MIDxxxxx``, a craft of a parent
ship ``98MIDxxxx``, an aid to navigation ``99MIDxxxx``; ``970``/``972``/``974`` are
distress devices (SART, MOB, EPIRB) with no flag. The flag is what the transponder claims,
not a registry's word: a vessel can transmit any MMSI, which is why flag changes and
unallocated MIDs are worth a look.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from sanctrace.data import bundled

MID_TABLE = "vessels/itu_mid.csv"


@dataclass(frozen=True)
class Flag:
    """What an MMSI says: its station kind, MID, and the MID's country (ISO 3166-1 alpha-2,
    upper case) and name; ``country`` is None for an MID the ITU has not allocated."""

    mmsi: str
    station: str  # ship, coast station, group, SAR aircraft, handheld, craft, aid to navigation,
    # distress device or invalid
    mid: str | None
    country: str | None
    name: str | None


@functools.cache
def mid_table() -> dict[str, tuple[str, str]]:
    """MID -> (ISO country code, name), from the bundled ITU table."""
    with bundled(MID_TABLE).open(encoding="utf-8", newline="") as fh:
        return {row["mid"]: (row["country"], row["name"]) for row in csv.DictReader(fh)}


def _station(mmsi: str) -> tuple[str, str | None]:
    if mmsi[0] in "234567":
        return "ship", mmsi[:3]
    if mmsi.startswith(("970", "972", "974")):
        return "distress device", None
    if mmsi.startswith("111"):
        return "SAR aircraft", mmsi[3:6]
    if mmsi.startswith("98"):
        return "craft", mmsi[2:5]
    if mmsi.startswith("99"):
        return "aid to navigation", mmsi[2:5]
    if mmsi.startswith("00"):
        return "coast station", mmsi[2:5]
    if mmsi[0] == "0":
        return "group", mmsi[1:4]
    if mmsi[0] == "8":
        return "handheld", mmsi[1:4]
    return "invalid", None


def flag_of(mmsi: str) -> Flag:
    """The flag ``mmsi`` claims (nine digits; anything else is ``invalid``)."""
    if len(mmsi) != 9 or not (mmsi.isascii() and mmsi.isdigit()):
        return Flag(mmsi, "invalid", None, None, None)
    station, mid = _station(mmsi)
    found = mid_table().get(mid) if mid else None
    return Flag(mmsi, station, mid, found[0] if found else None, found[1] if found else None)
