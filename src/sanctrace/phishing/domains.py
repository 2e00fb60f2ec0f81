"""Registered domains from host names, with the public suffix list shipped in tldextract.

``tldextract.TLDExtract(suffix_list_urls=())`` never goes to the network: it reads the snapshot
bundled in the package, and ``cache_dir=None`` keeps it from writing a cache anywhere. Hosts
are compared in their ASCII (punycode, ``xn--``) form, as DNS sees them.
"""

from __future__ import annotations

import ipaddress
from functools import cache, lru_cache

import tldextract


@cache
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def ascii_host(host: str) -> str | None:
    """``host`` lower case in punycode, no trailing dot; None when it is not a host name."""
    host = host.strip().strip(".").lower()
    if not host or len(host) > 253 or any(c.isspace() for c in host):
        return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host if host.isascii() else None


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str | None:
    """The domain a registrant owns ("login.upbit.com.example.co.kr" -> "example.co.kr"),
    or None for an IP address or a name under no public suffix."""
    name = ascii_host(host)
    if name is None or is_ip(name):
        return None
    parts = _extractor()(name)
    if not parts.suffix or not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}"


def has_public_suffix(host: str) -> bool:
    name = ascii_host(host)
    return bool(name) and registered_domain(name or "") is not None


def email_domain(address: str) -> str | None:
    """The registered domain of an email address's host part."""
    if "@" not in address:
        return None
    return registered_domain(address.rsplit("@", 1)[1])
