"""Protected brands for lookalike detection: a CSV ``brand,domain,aliases``.

One row per legitimate domain of a brand (UPbit has ``upbit.com`` and ``dunamu.com``);
``aliases`` are other names of the brand separated by ``|`` (``Upbit|업비트|Dunamu``), which
an internationalised domain may spell out. The bundled list is
``sanctrace/data/phishing/brands.csv``; a compliance team protecting its own brand passes its
own file. A row without a brand or with a domain that is not a domain is quarantined.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sanctrace.data import bundled
from sanctrace.screening.identifiers import clean_domain
from sanctrace.sources.base import Quarantined, read_csv

REQUIRED = ("brand", "domain")
OPTIONAL = ("aliases",)
BUNDLED = "phishing/brands.csv"


@dataclass(frozen=True)
class Brand:
    """A protected brand's legitimate domain (ASCII form) and the brand's other names."""

    name: str
    domain: str
    aliases: tuple[str, ...] = ()


def read_brands(path: Path | None = None) -> tuple[list[Brand], list[Quarantined]]:
    """The brands of ``path`` (default: the bundled list), and the rows that were refused."""
    source = path or bundled(BUNDLED)
    brands: list[Brand] = []
    refused: list[Quarantined] = []
    for line, row in read_csv(source, REQUIRED, OPTIONAL):
        if isinstance(row, Quarantined):
            refused.append(row)
            continue
        domain = clean_domain(row["domain"])
        if not row["brand"]:
            refused.append(Quarantined("brand is empty", line=line, raw=",".join(row.values())))
        elif domain is None:
            refused.append(
                Quarantined(
                    f"domain {row['domain']!r} is not a domain name",
                    line=line,
                    raw=",".join(row.values()),
                )
            )
        else:
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            brands.append(Brand(row["brand"], domain, aliases))
    return brands, refused
