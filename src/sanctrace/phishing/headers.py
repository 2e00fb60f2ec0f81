"""What a message's headers say about where it came from: the Received chain, the receiving
server's Authentication-Results, and whether From, Reply-To and Return-Path agree.

Received headers are added on top by each server, so hop 0 is the recipient's own server and
the last hop is nearest the sender. The "first external IP" is the first public address met
walking down from the top: the machine that handed the message to the recipient's
infrastructure, the one hop a sender cannot forge (everything below it can be made up).
Authentication-Results are read from the topmost header only, for the same reason: it is the
one the receiving server wrote.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_FROM = re.compile(r"\bfrom\s+(\S+)", re.IGNORECASE)
_BY = re.compile(r"\bby\s+(\S+)", re.IGNORECASE)
_BRACKET_IP = re.compile(r"\[(?:IPv6:)?([0-9a-fA-F:.]{3,45})\]")
_BARE_IP = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.])")
_AUTH = re.compile(r"\b(spf|dkim|dmarc|arc|compauth)\s*=\s*([a-z]+)", re.IGNORECASE)
_AUTH_PROP = re.compile(r"\b(header\.d|header\.from|smtp\.mailfrom|header\.i)\s*=\s*([^\s;]+)")


@dataclass(frozen=True)
class Hop:
    """One Received header: who handed it over (``from_host``, ``ip``), who took it
    (``by_host``), and when."""

    hop: int
    from_host: str | None
    by_host: str | None
    ip: str | None
    at: datetime | None  # UTC, naive
    raw: str


def _ip(text: str) -> str | None:
    for m in list(_BRACKET_IP.finditer(text)) + list(_BARE_IP.finditer(text)):
        try:
            return str(ipaddress.ip_address(m.group(1)))
        except ValueError:
            continue
    return None


def _when(text: str) -> datetime | None:
    if ";" not in text:
        return None
    try:
        when = parsedate_to_datetime(text.rsplit(";", 1)[1].strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def received_chain(values: list[str]) -> list[Hop]:
    """The Received headers (in file order, top first) as hops."""
    hops = []
    for i, raw in enumerate(values):
        text = " ".join(raw.split())
        head = text.rsplit(";", 1)[0]
        by_at = re.search(r"\bby\s", head, re.IGNORECASE)
        from_clause = head[: by_at.start()] if by_at else head
        fm, bm = _FROM.search(from_clause), _BY.search(head)
        hops.append(
            Hop(
                hop=i,
                from_host=fm.group(1).strip("()[];").lower() if fm else None,
                by_host=bm.group(1).strip("()[];").lower() if bm else None,
                ip=_ip(from_clause),
                at=_when(text),
                raw=text,
            )
        )
    return hops


def is_public(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False


def first_external_ip(hops: list[Hop]) -> str | None:
    """The first public sending IP from the top of the chain (see the module docstring)."""
    for hop in hops:
        if hop.ip and is_public(hop.ip):
            return hop.ip
    return None


def origin_ip(hops: list[Hop]) -> str | None:
    """The public IP nearest the sender (the lowest hop): forgeable, but telling."""
    for hop in reversed(hops):
        if hop.ip and is_public(hop.ip):
            return hop.ip
    return None


def time_travel(hops: list[Hop], tolerance_s: int = 300) -> list[tuple[int, int]]:
    """Pairs of hops where the later (higher) hop is stamped after the one above it by more
    than ``tolerance_s``: clocks drift a little, forged headers a lot."""
    out = []
    for upper, lower in itertools.pairwise(hops):
        if upper.at and lower.at and (lower.at - upper.at).total_seconds() > tolerance_s:
            out.append((lower.hop, upper.hop))
    return out


@dataclass(frozen=True)
class AuthResults:
    """The receiving server's verdicts (``spf``, ``dkim``, ``dmarc``: pass, fail, softfail,
    none, ...) and the domains they were about."""

    results: dict[str, str]
    domains: dict[str, str]
    raw: str | None

    def get(self, mechanism: str) -> str | None:
        return self.results.get(mechanism)


def auth_results(values: list[str]) -> AuthResults:
    """Parse the topmost Authentication-Results header (RFC 8601); later ones are earlier
    servers' claims, forgeable by the sender."""
    if not values:
        return AuthResults({}, {}, None)
    raw = " ".join(values[0].split())
    results: dict[str, str] = {}
    for m in _AUTH.finditer(raw):
        results.setdefault(m.group(1).lower(), m.group(2).lower())
    domains: dict[str, str] = {}
    for m in _AUTH_PROP.finditer(raw):
        domains.setdefault(m.group(1).lower(), m.group(2).strip("<>\"'").lower())
    return AuthResults(results, domains, raw)
