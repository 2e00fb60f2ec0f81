"""Labels for group keys and cap figures, shared by the charts, the report, the web pages
and the CLI.

Engines keep codes (``KR``, ``swift_fraud``); readers want names. Only the label changes: a
key the vocabularies do not know is shown as it is, so nothing is hidden by a missing label.
Engines keep exact decimals; ``volume`` and ``share`` write them the one way every view shows
them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from sanctrace.incidents.vocabulary import VECTORS, VICTIM_TYPES
from sanctrace.sources.values import country_caption


def country_name(code: str | None) -> str:
    """``KR`` -> ``South Korea``; the code itself when FtM has no name for it."""
    if not code:
        return "unknown"
    return country_caption(code) or code


def group_label(by: str, key: str | int) -> str:
    """The reader's name for a summary group key (``by`` is one of ``GROUP_KEYS``)."""
    text = str(key)
    if by == "country":
        return "unknown" if text == "unknown" else country_name(text)
    if by == "vector":
        return VECTORS.get(text, text)
    if by == "victim-type":
        return VICTIM_TYPES.get(text, text)
    return text


def volume(value: Decimal | None) -> str:
    """``1519587`` -> ``1,519,587``; decimals kept where there are any; empty for none."""
    if value is None:
        return ""
    value = value.normalize()
    return f"{value:,f}" if value != value.to_integral_value() else f"{int(value):,}"


def share(value: Decimal) -> str:
    """``0.9`` -> ``90%``, ``0.9525`` -> ``95.25%``."""
    return f"{(value * 100).normalize():f}%"


ESTIMATORS: Final[dict[str, str]] = {
    "chainalysis": "Chainalysis",
    "trm": "TRM Labs",
    "tayvano_repo": "tayvano repository",
}


def estimator_name(estimator: str) -> str:
    """The publisher of an independent yearly total, as readers know it."""
    return ESTIMATORS.get(estimator, estimator)


LISTS: Final[dict[str, str]] = {
    "un_sc_sanctions": "UN Security Council Consolidated List",
    "us_ofac_sdn": "OFAC Specially Designated Nationals (SDN) List",
    "us_ofac_addresses": "OFAC sanctioned digital currency addresses",
    "opensanctions": "OpenSanctions",
}
SCHEMAS: Final[dict[str, str]] = {
    "Person": "Individuals",
    "Organization": "Organizations",
    "Company": "Companies",
    "LegalEntity": "Legal entities",
    "Vessel": "Vessels",
    "Airplane": "Aircraft",
    "CryptoWallet": "Crypto wallets",
}


def list_name(dataset: str) -> str:
    """``us_ofac_sdn`` -> the list's name; the dataset name itself when unknown."""
    return LISTS.get(dataset, dataset)


def schema_label(schema: str) -> str:
    """An FtM schema as a kind of listed party (``Person`` -> ``Individuals``)."""
    return SCHEMAS.get(schema, schema)
