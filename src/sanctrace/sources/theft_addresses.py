"""``theft-addresses``: the addresses an incident names, the seeds of a trace.

A CSV with the header ``incident_id,chain,address,role,citation`` (citation optional): one row
per address, ``role`` one of ``theft`` (received the stolen funds), ``attacker`` (controlled
by the attacker: exploit contracts, laundering hops) or ``victim`` (the drained wallet). The
address is stored in its chain's one spelling (``sources.chain_addresses``), so a seed meets
the transactions and tags that name it.

An ``incident_id`` that the workspace does not hold is kept, not quarantined: incidents and
their addresses may come from different files loaded in any order, and the registry may add an
incident after its addresses were published (as with Bybit 2025, see ``data/SOURCES.md``).
Views join on ``incident_id`` when they ask, as they resolve actor aliases.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from sanctrace.sources.base import Parsed, Progress, Row, parse_csv_rows
from sanctrace.sources.chain_addresses import normalise, normalise_chain

REQUIRED = ("incident_id", "chain", "address", "role")
OPTIONAL = ("citation",)
ROLES: Final = frozenset({"theft", "attacker", "victim"})
# the registry's ids: ISO date to the known precision, then the victim's slug
_INCIDENT_ID = re.compile(r"^\d{4}(-\d{2}){0,2}-[a-z0-9]+(-[a-z0-9]+)*$")


class TheftAddresses:
    name = "theft-addresses"
    version = "1"
    description = "addresses an incident names (incident_id, chain, address, role, citation)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        seen: set[tuple[str, str, str, str]] = set()
        out = parse_csv_rows(
            path,
            REQUIRED,
            OPTIONAL,
            "incident_address",
            lambda row, line: _address(row, seen),
            progress,
        )
        out.replace = {"incident_address": "incident_id"}
        return out


def _address(row: Row, seen: set[tuple[str, str, str, str]]) -> Row:
    """One row as an ``incident_address`` row; ``seen`` refuses the same address named
    twice for an incident in the same role."""
    incident_id = row["incident_id"]
    if not _INCIDENT_ID.match(incident_id):
        raise ValueError(
            f"incident_id {incident_id[:60]!r} is not a registry id "
            "(date-victim, e.g. 2022-04-14-ronin-bridge)"
        )
    role = row["role"].lower()
    if role not in ROLES:
        raise ValueError(f"role {row['role'][:40]!r} is not one of {', '.join(sorted(ROLES))}")
    chain = normalise_chain(row["chain"])
    address = normalise(chain, row["address"])
    key = (incident_id, chain, address, role)
    if key in seen:
        raise ValueError(f"{chain} address {address} named twice for {incident_id} as {role}")
    seen.add(key)
    return {
        "incident_id": incident_id,
        "chain": chain,
        "address": address,
        "role": role,
        "citation": row.get("citation") or None,
    }
