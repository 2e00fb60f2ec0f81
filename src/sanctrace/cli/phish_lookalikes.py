"""``phish lookalikes``: the lookalikes of a protected domain, or which observed domains are.

``cli/phish.py`` calls ``add_commands`` on its ``phish`` group. Without ``--observed`` the
command lists generated permutations (offline); with ``--observed FILE`` it scores the
file's domains (text, CSV, JSON, certificate-transparency exports: ``sources.domain_list``)
against the domain's brand. DNS is asked only with ``--resolve``, and says so on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from sanctrace.cli.output import err_console, print_json, progress, table
from sanctrace.errors import InputError

if TYPE_CHECKING:  # the engines are imported by the commands that run them (fast start-up)
    from sanctrace.sources.base import Quarantined

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")


def _kinds(values: list[str] | None, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--kinds`` as given (repeated or comma-separated), checked against ``allowed``."""
    if not values:
        return None
    asked = tuple(k.strip().lower() for v in values for k in v.split(",") if k.strip())
    unknown = [k for k in asked if k not in allowed]
    if unknown:
        raise InputError(
            "--kinds", f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(allowed)}"
        )
    return asked


def _resolve(names: list[str]) -> dict[str, list[str]]:
    from sanctrace.phishing import permutations

    err_console.print(
        f"resolving {len(names):,} names over the network (DNS; --resolve was given)",
        highlight=False,
        markup=False,
    )
    with err_console.status("resolving"):
        return permutations.resolve(names)


def _say_quarantine(path: Path, refused: list[Quarantined]) -> None:
    if not refused:
        return
    shown = "; ".join(
        f"{'line ' + str(q.line) + ': ' if q.line else ''}{q.reason}" for q in refused[:3]
    )
    more = f" (and {len(refused) - 3:,} more)" if len(refused) > 3 else ""
    err_console.print(
        f"{path}: {len(refused):,} entries not read: {shown}{more}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def lookalikes_cmd(
    domain: str = typer.Argument(..., help="The protected domain, e.g. upbit.com."),
    observed: Path = typer.Option(
        None,
        "--observed",
        help="Score the domains in FILE (one per line, CSV, JSON, CT export) instead.",
        dir_okay=False,
    ),
    kinds: list[str] = typer.Option(
        None,
        "--kinds",
        help="Only these kinds (repeat or comma-separate), e.g. --kinds homoglyph,tld-swap.",
    ),
    resolve: bool = typer.Option(
        False, "--resolve", help="NETWORK: also look the names up in DNS (off by default)."
    ),
    json: bool = JSON,
) -> None:
    """Lookalike domains of DOMAIN: generated permutations (dnstwist's algorithms and IDN
    homographs, with punycode), or, with --observed, the observed domains that imitate it,
    scored and explained. Offline unless --resolve."""
    if observed is None:
        _generated(domain, kinds, resolve, json)
    else:
        _observed(domain, observed, kinds, resolve, json)


def _generated(domain: str, kinds: list[str] | None, resolve: bool, json: bool) -> None:
    from sanctrace.phishing import permutations

    made = permutations.permutations(domain, _kinds(kinds, permutations.KINDS))
    addresses = _resolve([p.domain for p in made]) if resolve else None
    rows: list[dict[str, Any]] = [
        {"kind": p.kind, "domain": p.unicode, "punycode": p.domain}
        | ({"addresses": addresses[p.domain]} if addresses is not None else {})
        for p in made
    ]
    if json:
        print_json(
            {
                "domain": permutations.protected_domain(domain),
                "count": len(rows),
                "resolved": resolve,
                "permutations": rows,
            }
        )
        return
    columns = ["kind", "domain", "punycode"] + (["addresses"] if resolve else [])
    table(
        f"{len(rows):,} lookalikes of {permutations.protected_domain(domain)}",
        columns,
        [
            [r["kind"], r["domain"], r["punycode"] if r["punycode"] != r["domain"] else ""]
            + ([" ".join(r["addresses"])] if resolve else [])
            for r in rows
        ],
    )


def _observed(domain: str, path: Path, kinds: list[str] | None, resolve: bool, json: bool) -> None:
    from sanctrace.phishing import lookalikes, permutations
    from sanctrace.sources.domain_list import read_domains

    wanted = _kinds(kinds, (*permutations.KINDS, *lookalikes.MATCH_KINDS))
    brand = lookalikes.brand_for(domain)
    listing = read_domains(path)
    _say_quarantine(path, listing.quarantine)
    names = [d.domain for d in listing.domains]
    with progress(f"scoring {path.name}", total=len(names)) as advance:
        scored = lookalikes.score_domains(names, [brand], progress=advance)
    matches = [m for m in scored.matches if wanted is None or m.kind.split(":")[-1] in wanted]
    addresses = _resolve([m.domain for m in matches]) if resolve else None
    if json:
        print_json(
            {
                "domain": brand.domain,
                "brand": brand.name,
                "observed": str(path),
                "format": listing.format,
                "domains": scored.domains,
                "legitimate": scored.legitimate,
                "quarantined": listing.quarantine,
                "resolved": resolve,
                "matches": [
                    {"domain": m.domain, "unicode": m.unicode, **m.as_dict()}
                    | ({"addresses": addresses[m.domain]} if addresses is not None else {})
                    for m in matches
                ],
            }
        )
        return
    table(
        f"{len(matches):,} of {scored.domains:,} observed domains imitate {brand.domain}"
        f" ({scored.legitimate:,} are its own)",
        ["score", "domain", "shown as", "kind", "why"] + (["addresses"] if resolve else []),
        [
            [f"{m.score:.2f}", m.domain, m.unicode if m.unicode != m.domain else "", m.kind]
            + [m.explanation]
            + ([" ".join(addresses[m.domain])] if addresses is not None else [])
            for m in matches
        ],
        right=["score"],
    )


def add_commands(app: typer.Typer) -> None:
    """Add ``lookalikes`` to the ``phish`` group."""
    app.command("lookalikes")(lookalikes_cmd)
