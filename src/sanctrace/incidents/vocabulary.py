"""The incident registry's controlled vocabularies, with the labels views show."""

from __future__ import annotations

from typing import Final

VICTIM_TYPES: Final[dict[str, str]] = {
    "bank": "Bank",
    "exchange": "Exchange",
    "defi_protocol": "DeFi protocol",
    "bridge": "Bridge",
    "wallet_provider": "Wallet provider",
    "payment_processor": "Payment processor",
    "gambling": "Gambling platform",
    "company": "Company",
    "individual": "Individual",
    "unknown": "Unknown",
}

VECTORS: Final[dict[str, str]] = {
    "swift_fraud": "SWIFT fraud",
    "atm_cashout": "ATM cash-out",
    "card_fraud": "Card fraud",
    "private_key_compromise": "Private-key compromise",
    "hot_wallet_compromise": "Hot-wallet compromise",
    "supply_chain": "Supply chain",
    "social_engineering": "Social engineering",
    "fake_job_offer": "Fake job offer",
    "phishing": "Phishing",
    "smart_contract_exploit": "Smart-contract exploit",
    "cryptojacking": "Cryptojacking",
    "ransomware": "Ransomware",
    "unknown": "Unknown",
}

CONFIDENCE: Final[tuple[str, ...]] = ("high", "medium", "low")
ASSET_CLASSES: Final[tuple[str, ...]] = ("crypto", "fiat")
AMOUNT_KINDS: Final[tuple[str, ...]] = ("attempted", "stolen")
