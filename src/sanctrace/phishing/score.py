"""The phishing score: a weighted sum of explained features, and the verdict it gives.

Each feature that fires carries its weight and its evidence (the header, URL, file or phrase
that made it fire), so a verdict can always be read back to what caused it. Weights are
points; they are set so that one strong sign of deception (a brand's name on a sender who is
not the brand, a link showing one domain and going to another, a seed-phrase request, an
executable or macro attachment) makes a message suspicious, and two make it phishing:

    score >= 50   phishing
    score >= 20   suspicious
    otherwise     clean

Informational features (weight 0) are reported but move nothing: the Received chain and the
receiving server's SPF, DKIM and DMARC results in words; a defanged URL says someone already
handled the message; a missing Authentication-Results header says only that the receiving
server did not record one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

Verdict = Literal["phishing", "suspicious", "clean"]

PHISHING_AT: Final = 50.0
SUSPICIOUS_AT: Final = 20.0

# name -> (weight, what it means); the one place weights are set
WEIGHTS: Final[dict[str, tuple[float, str]]] = {
    "display_name_impersonation": (
        35,
        "the From display name names a protected brand the sender's domain is not",
    ),
    "brand_named_by_outsider": (
        10,
        "the subject or body names a protected brand; the sender is not that brand",
    ),
    "lookalike_domain": (35, "a sender or link domain imitates a protected brand's domain"),
    "reply_to_mismatch": (15, "replies go to another registered domain than From"),
    "return_path_mismatch": (
        5,
        "the envelope sender (Return-Path) is another registered domain than From",
    ),
    "spf_fail": (15, "the receiving server recorded SPF fail"),
    "spf_softfail": (8, "the receiving server recorded SPF softfail"),
    "dkim_fail": (10, "the receiving server recorded DKIM fail"),
    "dmarc_fail": (25, "the receiving server recorded DMARC fail: From is not the sender's"),
    "no_authentication_results": (0, "no Authentication-Results header from the receiving server"),
    "authentication_results": (0, "what the receiving server recorded for SPF, DKIM and DMARC"),
    "received_chain": (0, "the Received chain: hops, first external IP, times"),
    "link_text_mismatch": (25, "an HTML link's text is a URL of one domain; it goes to another"),
    "ip_address_url": (15, "a link goes to a bare IP address"),
    "punycode_domain": (10, "a link or sender domain is an internationalised (xn--) name"),
    "url_shortener": (5, "a link goes through a URL shortener that hides its target"),
    "defanged_url": (0, "a URL is defanged (hxxp, [.]): someone already handled this message"),
    "executable_attachment": (35, "an attachment Windows would run (exe, scr, js, lnk, iso, ...)"),
    "double_extension": (35, "an attachment name hides its real type (invoice.pdf.exe)"),
    "type_mismatch": (25, "an attachment's content is not what its name says"),
    "macro_attachment": (30, "an Office attachment carries VBA or XLM macros"),
    "macro_autoexec": (15, "its macros run on opening (AutoOpen, Workbook_Open, ...)"),
    "archive_with_executable": (30, "an archive holds an executable or double-extension file"),
    "encrypted_archive": (15, "a password-protected archive (hides its content from scanners)"),
    "zip_bomb": (20, "an archive that expands absurdly (a zip bomb) was not opened"),
    "seed_phrase_request": (40, "the message asks for a wallet seed or recovery phrase"),
    "seed_phrase_warning": (0, "the message warns never to share a seed phrase"),
    "wallet_address": (10, "the message names a crypto wallet address (pay here, send here)"),
    "credential_language": (10, "the message asks to log in, verify or give a code"),
    "urgency_language": (8, "the message presses for action (suspended, within 24 hours)"),
    "lure_language": (5, "the message promises money (airdrop, compensation, refund)"),
    "received_time_travel": (5, "a lower Received hop is stamped after the one above it"),
}


@dataclass(frozen=True)
class Feature:
    """A feature that fired: its ``name``, ``weight`` and ``evidence``."""

    name: str
    weight: float
    evidence: str

    @classmethod
    def of(cls, name: str, evidence: str) -> Feature:
        return cls(name, float(WEIGHTS[name][0]), evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": self.weight,
            "evidence": self.evidence,
            "meaning": WEIGHTS[self.name][1],
        }


def total(features: list[Feature]) -> float:
    """The sum of the weights, each feature name counted once (its first evidence)."""
    seen: dict[str, float] = {}
    for f in features:
        seen.setdefault(f.name, f.weight)
    return float(sum(seen.values()))


def verdict(score: float) -> Verdict:
    if score >= PHISHING_AT:
        return "phishing"
    if score >= SUSPICIOUS_AT:
        return "suspicious"
    return "clean"


def feature_docs() -> list[dict[str, Any]]:
    """Every feature with its weight and meaning (for docs and the API)."""
    return [{"name": n, "weight": float(w), "meaning": m} for n, (w, m) in WEIGHTS.items()]
