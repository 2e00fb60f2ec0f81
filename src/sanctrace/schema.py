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
UNITS = "decimal(38, 0)"
"""On-chain amounts in the chain's smallest unit (satoshi, wei, a token's base unit): exact
integers up to 10^38, which holds every native balance and all but absurd token amounts."""

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
    # -- evidence intake (intake/): a report or news text as read, and the claims in it ----
    "document": {
        "source_id": "!string",  # one document per loaded file
        "name": "!string",  # the file name as given
        "kind": "!string",  # text | html | pdf
        "sha256": "!string",  # of the bytes as read
        "size": "!int64",
        "text": "!string",  # the text claim spans index (readable text of HTML and PDF)
    },
    # one row per claim an extraction rule found; never changed once written
    "claim": {
        "claim_id": "!string",  # stable: hash of (document sha256, span, rule)
        "source_id": "!string",
        "type": "!string",  # intake.CLAIM_TYPES: money, count, country, actor, victim, ...
        "text": "!string",  # exactly document.text[span_start:span_end]
        "span_start": "!int64",
        "span_end": "!int64",
        "sentence_start": "!int64",  # the sentence the claim sits in, for context and links
        "sentence_end": "!int64",
        "value": "!string",  # normalised: a number as exact decimal text, ISO name, actor name
        "number": NATIVE,  # the value again as a number, for money, counts, quantities, caps
        "unit": "string",  # ISO currency, counted thing, physical unit, ISO country code
        "subject": "string",
        "confidence": "!float64",
        "rule": "!string",
        "attrs": "!string",  # JSON object
    },
    # append-only: every accept and reject of a claim, with who, why and what it wrote
    "claim_review": {
        "event_id": "!int64",
        "claim_id": "!string",
        "at": "!timestamp",  # UTC
        "analyst": "!string",
        "action": "!string",  # accept | reject
        "target": "string",  # amount | attribution | incident | case_tally | evidence
        "incident_id": "string",
        "reason": "string",
        "detail": "string",  # JSON: the registry rows the decision wrote
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
    # -- blockchains (chain/): one row per transaction, UTXO and account chains alike ----------
    "chain_tx": {
        "chain": "!string",  # btc, bch, ltc, doge, zec, eth, ... (lower case)
        "tx_hash": "!string",  # as the chain writes it; EVM hashes lower case
        "block_number": "int64",
        "block_hash": "string",
        "block_time": "timestamp",  # UTC
        "tx_index": "int32",  # position in its block
        "fee": UNITS,  # null where the export does not give it
        "is_coinbase": "!boolean",
        "sender": "string",  # account chains: who signed it and paid the fee; UTXO: null
        "source_id": "!string",
    },
    # UTXO chains: every output ...
    "chain_output": {
        "chain": "!string",
        "tx_hash": "!string",
        "n": "!int32",  # output index
        "address": "string",  # null for OP_RETURN and non-standard scripts
        "value": f"!{UNITS}",
        "script_type": "string",  # pubkeyhash, scripthash, witness_v0_keyhash, ...
        "source_id": "!string",
    },
    # ... and every input, with the output it spends (null for a coinbase input)
    "chain_input": {
        "chain": "!string",
        "tx_hash": "!string",
        "n": "!int32",  # input index
        "spent_tx_hash": "string",
        "spent_n": "int32",
        "address": "string",
        "value": UNITS,
        "source_id": "!string",
    },
    # account chains: every movement of value, ordered within its transaction by ``seq``:
    # the transaction's own value (kind native), internal calls from traces (internal),
    # token transfers from logs (token)
    "chain_transfer": {
        "chain": "!string",
        "tx_hash": "!string",
        "seq": "!int32",
        "kind": "!string",  # native | internal | token
        "asset": "!string",  # the chain's coin ("eth") or the token contract, lower case
        "from_address": "!string",  # EVM addresses lower case
        "to_address": "!string",
        "value": f"!{UNITS}",
        "block_number": "int64",
        "block_time": "timestamp",  # UTC
        "source_id": "!string",
    },
    # attribution tags on addresses (GraphSense TagPacks, OFAC addresses, theft addresses)
    "chain_tag": {
        "chain": "!string",  # the tag's currency/network, lower case (btc, eth, ...)
        "address": "!string",
        "label": "!string",
        "category": "string",  # GraphSense taxonomy: exchange, mixing_service, defi_bridge, ...
        "abuse": "string",  # GraphSense abuse concept: sanction, service_hack, ransomware, ...
        "confidence": "string",  # GraphSense confidence id: ownership, forensic, web_crawl, ...
        "confidence_level": "int32",  # 0-100, from the confidence taxonomy
        "is_cluster_definer": "!boolean",
        "actor": "string",
        "tag_source": "string",  # where the tag's claim comes from (a URL)
        "tagpack": "!string",  # the pack's title
        "source_id": "!string",
    },
    # addresses an incident names: where the stolen funds went first (trace seeds)
    "incident_address": {
        "incident_id": "!string",
        "chain": "!string",
        "address": "!string",
        "role": "!string",  # theft (received the stolen funds) | attacker | victim
        "citation": "string",
        "source_id": "!string",
    },
    # -- email (phishing/): one row per message; a forwarded message (message/rfc822 part) is
    # a message of its own with ``parent_key``. Keys are SHA-256 prefixes of the raw bytes
    "email_message": {
        "message_key": "!string",
        "file": "!string",  # the file's name as given
        "part": "!string",  # "" for the file's own message, else the MIME part path ("2.1")
        "parent_key": "string",
        "format": "!string",  # eml | msg
        "message_id": "string",  # the Message-ID header
        "subject": "string",
        "from_addr": "string",
        "from_name": "string",
        "reply_to": "string",
        "return_path": "string",
        "to_addrs": "string",  # comma-separated
        "sent_at": "timestamp",  # Date header, UTC
        "auth_results": "string",  # Authentication-Results headers, newline-joined
        "body_text": "string",  # plain parts, else HTML as text; bounded (email_message)
        "problems": "string",  # JSON list of what was odd (bad charset, MIME defects, limits)
        "source_id": "!string",
    },
    # every URL found in a message (text, HTML href, text-bearing attachments), defanged too
    "email_url": {
        "message_key": "!string",
        "url": "!string",  # refanged: hxxp -> http, [.] -> .
        "host": "string",
        "domain": "string",  # registered domain (public suffix list, offline)
        "origin": "!string",  # text | html | attachment
        "anchor_text": "string",  # HTML: the visible text of the link
        "defanged": "!boolean",
        "source_id": "!string",
    },
    # attachments: metadata and hashes only; the bytes are never written anywhere
    "email_attachment": {
        "message_key": "!string",
        "part": "!string",
        "filename": "string",
        "content_type": "!string",
        "size": "!int64",
        "md5": "!string",
        "sha1": "!string",
        "sha256": "!string",
        "source_id": "!string",
    },
    # the Received chain, hop 0 nearest the recipient (the header on top)
    "email_hop": {
        "message_key": "!string",
        "hop": "!int32",
        "from_host": "string",
        "by_host": "string",
        "ip": "string",  # the sending IP the receiving server recorded
        "at": "timestamp",  # UTC
        "raw": "!string",
        "source_id": "!string",
    },
    # the latest phishing analysis of each message (phishing.analysis), replaced on re-analysis
    "phish_verdict": {
        "message_key": "!string",
        "verdict": "!string",  # phishing | suspicious | clean
        "score": "!float64",
        "features": "!string",  # JSON list of {name, weight, evidence}
        "analysed_at": "!timestamp",  # UTC
    },
    # an analyst's attribution of a phishing campaign to an incident-registry actor; the
    # member messages are kept so that it follows the campaign as new messages join it
    "campaign_attribution": {
        "campaign_id": "!string",
        "actor_id": "!string",
        "message_keys": "!string",  # JSON list, as grouped when attributed
        "analyst": "!string",
        "note": "string",
        "created_at": "!timestamp",  # UTC
    },
    # -- IT workers (itworkers/): contractor profiles, log-ins, payouts and client events, as
    # platforms and HR systems export them (sources/itw_*_csv.py; columns in docs/itworkers.md)
    "itw_profile": {
        "worker_id": "!string",  # the worker as the platform or HR system keys them
        "profile_id": "string",  # one worker may have several profiles (platforms, resumes)
        "platform": "string",
        "name": "string",
        "email": "string",  # lower case
        "phone": "string",
        "nationality": "string",  # ISO 3166-1 alpha-2
        "location": "string",  # the claimed location, as given
        "education": "string",
        "work_history": "string",
        "photo_hash": "string",  # perceptual hash (imagehash pHash, 16 hex digits)
        "document_hash": "string",  # hash of the resume or bid document template
        "accounts": "string",  # platform account ids, ';'-joined
        "shipping_address": "string",  # where equipment (laptops) is sent, as given
        "source_id": "!string",
        "line": "int64",
    },
    "itw_login": {
        "account_id": "!string",
        "worker_id": "string",  # when the export names the worker; else via itw_profile.accounts
        "ts": "!timestamp",  # UTC
        "ended": "timestamp",  # UTC; the session's end when known
        "ip": "!string",  # normalised (ipaddress)
        "country": "string",  # ISO 3166-1 alpha-2 of the IP, as the export gives it
        "user_agent": "string",
        "remote_tool": "string",  # remote-desktop software seen (lower case), when known
        "port": "int32",  # a notable open port (3389: RDP), when known
        "source_id": "!string",
        "line": "int64",
    },
    "itw_payout": {
        "worker_id": "!string",
        "ts": "!timestamp",  # UTC
        "amount": NATIVE,
        "currency": "!string",  # upper case: USD, EUR, USDT, BTC, ...
        "method": "!string",  # bank | payment_account | wallet | other
        "destination": "!string",  # account number, payment account or wallet address
        "destination_country": "string",  # ISO 3166-1 alpha-2
        "source_id": "!string",
        "line": "int64",
    },
    "itw_engagement": {
        "client_id": "!string",
        "worker_id": "!string",
        "ts": "!timestamp",  # UTC
        "event": "!string",  # hire | review | boost | payment | other
        "rating": "float64",  # 0-5, for reviews
        "payment_account": "string",  # the account the client paid from
        "source_id": "!string",
        "line": "int64",
    },
    # -- petroleum caps (caps/): UN resolution 2397's caps, one row per commodity and unit;
    # crude has two (barrels or tonnes). Limits and figures are exact decimals, never floats
    "cap": {
        "commodity": "!string",  # refined | crude
        "unit": "!string",  # barrels | tonnes
        "limit": "!decimal(18, 3)",
        "valid_from": "!date",  # the first 12-month period starts here
        "valid_to": "date",  # null: still in force
        "period_months": "!int32",
        "thresholds": "string",  # shares of the limit, "0.75;0.90;0.95"; null: none
        "report_every_days": "int32",
        "citation": "string",
        "source_id": "!string",
        "line": "int64",
    },
    # deliveries to the DPRK: reported by a supplier, or estimated from tanker deliveries x
    # capacity x load; one row per line of a ``deliveries`` file
    "delivery": {
        "kind": "!string",  # reported | estimated
        "commodity": "!string",
        "period_start": "!date",
        "period_end": "!date",
        "period_text": "!string",  # as written
        "supplier": "string",
        "estimator": "string",
        "estimate": "string",  # estimated rows of one estimate share this id
        "deliveries": "int32",
        "barrels": "decimal(18, 3)",  # reported, or the estimator's published figure
        "tonnes": "decimal(18, 3)",
        "converted": "string",  # barrels | tonnes: which figure the factor computed
        "factor": "string",  # the named factor used (data/petroleum/factors.csv)
        "barrels_per_tonne": "string",  # the factor's value as written ("8.33", "160/21")
        "vessel_imo": "string",
        "vessel_mmsi": "string",
        "vessel_name": "string",
        "capacity_barrels": "decimal(18, 3)",
        "capacity_dwt": "decimal(18, 3)",
        "load_scenario": "decimal(5, 4)",  # the load of the published figure (0.5)
        "citation": "string",
        "note": "string",
        "source_id": "!string",
        "line": "int64",
    },
    # -- ships (maritime/): AIS reports, decoded. Positions and identity are separate tables
    # because class A ships send them in different messages (1-3 vs 5) at different rates
    "ais_position": {
        "mmsi": "!string",  # 9 digits as sent, kept as text (leading zeros matter)
        "ts": "!timestamp",  # UTC: the tag block's or the CSV's time
        "lat": "!float64",  # WGS84 degrees
        "lon": "!float64",
        "sog": "float64",  # knots; null when not available (AIS 102.3)
        "cog": "float64",  # degrees true; null when not available (360)
        "heading": "float64",  # degrees true; null when not available (511)
        "nav_status": "int32",
        "msg_type": "int32",  # AIS message type; null for CSV rows
        "source_id": "!string",
        "line": "int64",
    },
    # what a vessel says it is, each time it says it (AIS 5, 19, 24; CSV identity columns)
    "ais_static": {
        "mmsi": "!string",
        "ts": "timestamp",  # UTC; null when the source gives no time
        "imo": "string",  # 7 digits as sent, check digit not yet verified
        "name": "string",
        "call_sign": "string",
        "ship_type": "int32",  # AIS ship and cargo type code
        "draught": "float64",  # metres
        "destination": "string",
        "source_id": "!string",
        "line": "int64",
    },
}


def table_schema(name: str) -> sch.Schema:
    """The Ibis schema of a workspace table."""
    return ibis.schema(TABLES[name])
