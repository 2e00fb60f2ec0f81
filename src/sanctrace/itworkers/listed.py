"""ITW-13 and ITW-14: workers' emails, email domains and payout wallets (ITW-13) and profile
names (ITW-14) screened against the sanctions lists in the workspace through the screening
engine (the same index and matcher as ``sanctrace screen``). Wallets meet the OFAC
digital-currency addresses loaded there (the ``ofac-addresses`` and ``ofac-sdn`` adapters
store them as CryptoWallet parties)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, Final

from sanctrace.errors import InputError
from sanctrace.itworkers.firing import Firing
from sanctrace.itworkers.records import Evidence, Records
from sanctrace.screening.index import Index
from sanctrace.screening.screen import query_entity, screen_entity

FREE_MAIL: Final = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "proton.me",
        "protonmail.com",
        "icloud.com",
        "mail.ru",
        "qq.com",
        "163.com",
        "naver.com",
    }
)
"""Mail providers: their domains say nothing about the worker and are not screened."""


def queries(records: Records) -> dict[str, dict[tuple[str, str | None], list[Evidence]]]:
    """worker -> (text, schema) -> the rows it comes from: profile names (Person), emails,
    email domains (outside ``FREE_MAIL``) and payout wallets."""
    out: dict[str, dict[tuple[str, str | None], list[Evidence]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for x in records.profiles:
        if x.name:
            out[x.worker_id][(x.name, "Person")].append(x.evidence("name"))
        if x.email:
            out[x.worker_id][(x.email, None)].append(x.evidence("email"))
            domain = x.email.rpartition("@")[2]
            if domain and domain not in FREE_MAIL:
                out[x.worker_id][(domain, None)].append(x.evidence("email"))
    for p in records.payouts:
        if p.method == "wallet":
            out[p.worker_id][(p.destination, None)].append(p.evidence())
    return out


def sanctions_matches(
    records: Records,
    params: dict[str, dict[str, Any]],
    index: Index,
    progress: Callable[[int], None] | None = None,
) -> list[Firing]:
    """ITW-13 for identifiers and ITW-14 for names, each at its rule's ``threshold``
    against ``index``: one firing per worker and rule naming the listed parties matched and
    the query behind each."""
    out = []
    done = 0
    for worker, asked in sorted(queries(records).items()):
        hits: dict[str, list[str]] = defaultdict(list)
        evidence: dict[str, list[Evidence]] = defaultdict(list)
        for (text, schema), rows in sorted(asked.items(), key=lambda kv: kv[0][0]):
            done += 1
            if progress:
                progress(done)
            rule = "ITW-14" if schema == "Person" else "ITW-13"
            try:
                entity = query_entity(text, schema)
            except InputError:
                continue  # not screenable (punctuation only, an unreadable identifier)
            result = screen_entity(index, entity, params[rule]["threshold"], limit=3, label=text)
            for m in result.matches:
                hits[rule].append(f"{text!r} ~ {m.caption} ({m.entity_id}, {m.score:.2f})")
                evidence[rule].extend(
                    {**row, "matched": m.entity_id, "score": round(m.score, 3)} for row in rows
                )
        for rule, found in sorted(hits.items()):
            out.append(Firing(rule, worker, "on a list: " + "; ".join(found[:5]), evidence[rule]))
    return out
