"""Protected brands grouped by name: exchanges whose users DPRK phishes, with every domain
that is really theirs and the other names they go by (``data/phishing/brands.csv``, read by
``sources.brands_csv``). A user's own CSV of the same shape replaces the bundled one
(``--brands FILE``). Names are matched as whole words in Latin script and as substrings in
Hangul, where particles attach to names ("업비트에서").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.phishing.domains import registered_domain
from sanctrace.sources.brands_csv import BUNDLED, read_brands


@dataclass(frozen=True)
class Brand:
    name: str
    domains: frozenset[str]  # registered domains, punycode
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def owns(self, domain: str | None) -> bool:
        return domain is not None and registered_domain(domain) in self.domains


def default_path() -> Path:
    return bundled(BUNDLED)


def load_brands(path: Path | None = None) -> list[Brand]:
    """The brands in ``path`` (the bundled list by default), one per brand name with all its
    domains, read by ``sources.brands_csv`` (the reader the lookalike engine shares); a row
    it refuses is an ``InputError`` naming the file and line, since a protected brand that
    silently drops out would stop being protected. The bundled list is read once a process
    (every analysis, export and API request wants it)."""
    return list(_read(path)) if path is not None else list(_bundled())


@cache
def _bundled() -> tuple[Brand, ...]:
    return _read(None)


def _read(path: Path | None) -> tuple[Brand, ...]:
    rows, refused = read_brands(path)
    if refused:
        source = path or default_path()
        first = refused[0]
        raise InputError(f"{source}:{first.line}", first.reason)
    domains: dict[str, set[str]] = {}
    aliases: dict[str, list[str]] = {}
    for row in rows:
        domain = registered_domain(row.domain) or row.domain
        domains.setdefault(row.name, set()).add(domain)
        names = aliases.setdefault(row.name, [])
        names.extend(a for a in row.aliases if a not in names and a != row.name)
    return tuple(Brand(b, frozenset(d), tuple(aliases.get(b, []))) for b, d in domains.items())


def _name_pattern(name: str) -> re.Pattern[str]:
    if name.isascii():
        return re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(re.escape(name))


def named_in(text: str, brands: list[Brand]) -> list[tuple[Brand, str]]:
    """The brands ``text`` names, with the name it used."""
    out = []
    for brand in brands:
        for name in brand.names:
            if _name_pattern(name).search(text):
                out.append((brand, name))
                break
    return out


def owner(domain: str | None, brands: list[Brand]) -> Brand | None:
    """The brand that owns ``domain``, if any."""
    for brand in brands:
        if brand.owns(domain):
            return brand
    return None
