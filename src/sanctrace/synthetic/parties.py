"""The listed parties of a workspace as the generators take them (``name_variants.Party``):
the current snapshot of every list, one party per entity id with its names and identifiers
as the list writes them (not cleaned, so that variants start from the listed form)."""

from __future__ import annotations

import json
from collections import defaultdict

from sanctrace.screening import lists
from sanctrace.synthetic.name_variants import Party
from sanctrace.workspace import Workspace

NAME_PROPERTIES = ("name", "alias", "previousName")
"""Names a query is expected to find; weak aliases ("THIRD FLOOR") are left out."""

IDENTIFIER_PROPERTIES = ("imoNumber", "publicKey", "passportNumber", "idNumber")

SCHEMATA = (
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "Vessel",
    "CryptoWallet",
    "Airplane",
)


def listed_parties(ws: Workspace) -> list[Party]:
    """Every listed party of the current snapshots, by entity id; a party on several lists
    (a wallet on the SDN list and on the address list) once, its values merged."""
    rows = (
        lists.current_entities(ws)
        .select("entity_id", "schema", "properties")
        .to_pyarrow()
        .to_pylist()
    )
    schema_of: dict[str, str] = {}
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["schema"] not in SCHEMATA:
            continue
        props = json.loads(row["properties"]) if row["properties"] else {}
        schema_of.setdefault(row["entity_id"], row["schema"])
        kept = values[row["entity_id"]]
        for prop in (*NAME_PROPERTIES, *IDENTIFIER_PROPERTIES):
            kept[prop].extend(v for v in props.get(prop, []) if v not in kept[prop])
    return [
        Party(
            entity_id=entity_id,
            schema=schema_of[entity_id],
            names=tuple(n for p in NAME_PROPERTIES for n in values[entity_id][p]),
            identifiers=tuple((p, v) for p in IDENTIFIER_PROPERTIES for v in values[entity_id][p]),
        )
        for entity_id in sorted(schema_of)
    ]
