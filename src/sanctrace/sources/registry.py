"""The adapters by name: ``sanctrace ingest KIND PATH`` looks KIND up here.

Modules are imported on first use, so a format's heavy dependencies load only when needed.
"""

from __future__ import annotations

import importlib
from typing import Final

from sanctrace.errors import InputError
from sanctrace.sources.base import Adapter

ADAPTERS: Final[dict[str, str]] = {
    "incidents": "sanctrace.sources.incidents_csv:IncidentsCsv",
    "attack": "sanctrace.sources.misp_galaxy:MispGalaxy",
    "actors": "sanctrace.sources.actors_csv:ActorsCsv",
    "estimates": "sanctrace.sources.estimates_csv:EstimatesCsv",
    "case-tally": "sanctrace.sources.case_tally_csv:CaseTallyCsv",
    "stix": "sanctrace.sources.stix_bundle:StixBundle",
    "un-list": "sanctrace.sources.un_list:UnList",
    "ofac-sdn": "sanctrace.sources.ofac_sdn:OfacSdn",
    "ofac-sdn-xml": "sanctrace.sources.ofac_sdn_xml:OfacSdnXml",
    "ofac-addresses": "sanctrace.sources.ofac_addresses:OfacAddresses",
    "opensanctions": "sanctrace.sources.opensanctions:OpenSanctions",
    "tagpack": "sanctrace.sources.tagpack:TagPack",
    "theft-addresses": "sanctrace.sources.theft_addresses:TheftAddresses",
    "bitcoin-etl": "sanctrace.sources.bitcoin_etl:BitcoinEtl",
    "ethereum-etl": "sanctrace.sources.ethereum_etl:EthereumEtl",
    "text": "sanctrace.sources.text_document:TextDocument",
    "caps": "sanctrace.sources.caps_csv:CapsCsv",
    "deliveries": "sanctrace.sources.deliveries_csv:DeliveriesCsv",
    "ais-nmea": "sanctrace.sources.ais_nmea:AisNmea",
    "ais-csv": "sanctrace.sources.ais_csv:AisCsv",
    "email": "sanctrace.sources.email_message:EmailMessage",
    "itw-profiles": "sanctrace.sources.itw_profiles_csv:ItwProfilesCsv",
    "itw-logins": "sanctrace.sources.itw_logins_csv:ItwLoginsCsv",
    "itw-payouts": "sanctrace.sources.itw_payouts_csv:ItwPayoutsCsv",
    "itw-clients": "sanctrace.sources.itw_clients_csv:ItwClientsCsv",
}


def get_adapter(kind: str) -> Adapter:
    try:
        target = ADAPTERS[kind]
    except KeyError:
        raise InputError(
            kind, f"no adapter of that name; known kinds: {', '.join(sorted(ADAPTERS))}"
        ) from None
    module, _, cls = target.partition(":")
    adapter: Adapter = getattr(importlib.import_module(module), cls)()
    return adapter
