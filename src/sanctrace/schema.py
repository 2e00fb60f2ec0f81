"""Workspace tables, declared once as data.

Every table is typed; every ingested row carries ``source_id`` into ``source``. Amounts are
exact: USD as whole dollars in ``int64`` (the public sources report no cents), native assets as
``decimal(38, 18)`` (wide enough for wei). ``Workspace.create`` builds these tables on DuckDB;
the Spark backend reads the same tables from Parquet.
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.schema as sch

NATIVE = "decimal(38, 18)"

TABLES: Final[dict[str, dict[str, str]]] = {
    # provenance: one row per file loaded
    "source": {
        "source_id": "!string",
        "uri": "!string",
        "sha256": "!string",
        "adapter": "!string",
        "adapter_version": "!string",
        "loaded_at": "!timestamp",
        "rows_read": "!int64",
        "rows_quarantined": "!int64",
    },
    # rows an adapter could not accept, with where and why
    "quarantine": {
        "source_id": "!string",
        "uri": "!string",
        "line": "int64",
        "element": "string",
        "reason": "!string",
        "raw": "string",
    },
    "incident": {
        "incident_id": "!string",
        "date": "date",
        "date_precision": "!string",  # day | month | year
        "date_text": "!string",
        "year": "int32",
        "victim": "!string",
        "victim_type": "!string",
        "country": "string",  # ISO 3166-1 alpha-2, upper case; null when unknown
        "vector": "!string",
        "asset_class": "!string",  # crypto | fiat
        "note": "string",
        "source_id": "!string",
        "line": "int64",
    },
    # attempted and stolen amounts; one incident may have several, each with its source
    "amount": {
        "incident_id": "!string",
        "kind": "!string",  # attempted | stolen
        "asset": "string",
        "amount_native": NATIVE,
        "amount_usd": "int64",
        "usd_text": "string",  # as reported, kept verbatim
        "status": "!string",  # reported | unknown | malformed
        "citation": "string",
        "source_id": "!string",
    },
    "attribution": {
        "incident_id": "!string",
        "actor_text": "!string",  # as the source names it
        "actor_key": "!string",  # normalised alias key, joined to actor_alias.alias_key
        "confidence": "!string",  # high | medium | low
        "citation": "string",
        "source_id": "!string",
    },
    # where each field of an incident comes from
    "citation": {
        "incident_id": "!string",
        "field": "!string",  # incident | amount | country | victim_type | vector | attribution
        "document": "!string",
        "locator": "string",
        "source_id": "!string",
    },
    "actor": {
        "actor_id": "!string",
        "name": "!string",
        "parent_id": "string",
        "mitre_id": "string",
        "country": "string",
        "description": "string",
        "source_id": "!string",
    },
    "actor_alias": {
        "alias": "!string",
        "alias_key": "!string",
        "actor_id": "!string",
        "rank": "!int32",  # lower wins when two actors claim one alias
        "source_id": "!string",
    },
    # independent yearly totals (Chainalysis, TRM, ...) that the registry is compared with
    "estimate": {
        "year": "!int32",
        "estimator": "!string",
        "value_usd": "!int64",
        "incidents": "int32",
        "citation": "string",
        "source_id": "!string",
    },
    # parties on sanctions lists, as FollowTheMoney entities: one row per entity per list
    # snapshot, so that snapshots can be compared; ``properties`` is the FtM property dict
    # as JSON ({"name": [...], "birthDate": [...], ...}); Sanction entities are rows too
    "entity": {
        "entity_id": "!string",
        "schema": "!string",  # FtM schema: Person, Organization, Vessel, CryptoWallet, ...
        "caption": "!string",
        "properties": "!string",
        "dataset": "!string",  # un_sc_sanctions, us_ofac_sdn, opensanctions, ...
        "source_id": "!string",
    },
    # one row per list file loaded: which list, published when, how many entities
    "list_snapshot": {
        "source_id": "!string",
        "dataset": "!string",
        "published": "date",
        "entities": "!int64",
    },
    # counts of cases reported without per-case detail (the Panel's country breakdown)
    "case_tally": {
        "report": "!string",
        "country": "string",  # null: the report's total
        "cases": "!int32",
        "countries": "int32",
        "citation": "string",
        "source_id": "!string",
    },
    # an analyst's decision that a query's match with a listed party is a false positive;
    # never deleted: revoking fills the revoked_* columns. ``fingerprint`` hashes the party's
    # listing (properties, refs, lists) as reviewed, so the suppression lapses when it changes
    "suppression": {
        "suppression_id": "!string",
        "query_key": "!string",  # screening.suppressions.query_key: folded query (+ |schema)
        "query": "!string",  # as typed
        "entity_id": "!string",
        "fingerprint": "!string",
        "reason": "!string",
        "analyst": "!string",
        "created_at": "!timestamp",  # UTC
        "revoked_at": "timestamp",
        "revoked_by": "string",
        "revoke_reason": "string",
    },
    # append-only: every suppress and revoke, in order, with who and why
    "audit_log": {
        "event_id": "!int64",
        "at": "!timestamp",  # UTC
        "analyst": "!string",
        "action": "!string",  # suppress | revoke
        "suppression_id": "!string",
        "query_key": "!string",
        "entity_id": "!string",
        "reason": "!string",
    },
}


def table_schema(name: str) -> sch.Schema:
    """The Ibis schema of a workspace table."""
    return ibis.schema(TABLES[name])
