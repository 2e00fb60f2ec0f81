"""Detectors over profiles (ITW-07, ITW-08, ITW-09, ITW-12): who workers say they are, the
documents and photos they present, and where their equipment goes."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from sanctrace.itworkers.firing import Firing, address_key, fold
from sanctrace.itworkers.records import Profile, Records


def hamming(a: str, b: str) -> int:
    """Bits that differ between two perceptual hashes (hex strings of equal length)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def inconsistent_profiles(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-07: a worker's profiles disagree on name (fuzzy), nationality, claimed location,
    education or work history (fuzzy), or show photos of different people."""
    out = []
    for worker, profiles in sorted(records.by_worker().items()):
        if len(profiles) < 2:
            continue
        found: list[str] = []
        names = {fold(x.name) for x in profiles if x.name}
        if any(fuzz.token_sort_ratio(a, b) < 100 * p["name_similarity"] for a, b in _pairs(names)):
            found.append("name")
        if len({x.nationality for x in profiles if x.nationality}) > 1:
            found.append("nationality")
        for column in ("location", "education", "work_history"):
            values = {fold(getattr(x, column)) for x in profiles if getattr(x, column)}
            if any(
                fuzz.token_set_ratio(a, b) < 100 * p["text_similarity"] for a, b in _pairs(values)
            ):
                found.append(column)
        photos = {x.photo_hash for x in profiles if x.photo_hash}
        if any(hamming(a, b) > p["photo_distance"] for a, b in _pairs(photos)):
            found.append("photo")
        if not found:
            continue
        shown = [f for f in found if f != "photo"]
        details = "; ".join(
            f"{f}: " + " / ".join(sorted({str(getattr(x, f)) for x in profiles if getattr(x, f)}))
            for f in shown
        )
        if "photo" in found:
            details += ("; " if details else "") + "photos of different faces"
        out.append(
            Firing(
                "ITW-07",
                worker,
                f"{len(profiles)} profiles disagree on {', '.join(found)} ({details})",
                [
                    x.evidence(*[f if f != "photo" else "photo_hash" for f in found])
                    for x in profiles
                ],
            )
        )
    return out


def reused_templates(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-08: one document hash presented by ``min_workers`` workers or more."""
    return _shared(
        records,
        "ITW-08",
        lambda x: x.document_hash,
        p["min_workers"],
        "document template {key} is used by {n} workers: {workers}",
        "document_hash",
    )


def shared_addresses(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-12: one shipping address (compared folded, street words abbreviated) for
    ``min_workers`` workers or more."""
    return _shared(
        records,
        "ITW-12",
        lambda x: address_key(x.shipping_address) if x.shipping_address else None,
        p["min_workers"],
        "equipment for {n} workers ships to one address ({shown}): {workers}",
        "shipping_address",
    )


def reused_photos(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-09: profile photos of different workers within ``max_distance`` bits of pHash
    (the same picture, re-encoded, resized or lightly edited)."""
    seen: dict[str, list[Profile]] = defaultdict(list)
    for x in records.profiles:
        if x.photo_hash:
            seen[x.photo_hash].append(x)
    hashes = sorted(seen)
    # union-find over hashes within the distance: a reused photo forms one group. The
    # distances are computed a row at a time with numpy (all pairs of 10,000 photos: 1 s)
    parent = list(range(len(hashes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    values = np.array([int(h, 16) for h in hashes], dtype=np.uint64)
    for i in range(len(hashes) - 1):
        near = np.bitwise_count(values[i + 1 :] ^ values[i]) <= p["max_distance"]
        for j in np.flatnonzero(near):
            parent[root(i)] = root(i + 1 + int(j))
    groups: dict[int, list[Profile]] = defaultdict(list)
    for i, h in enumerate(hashes):
        groups[root(i)].extend(seen[h])
    out = []
    for profiles in groups.values():
        workers = sorted({x.worker_id for x in profiles})
        if len(workers) < 2:
            continue
        for worker in workers:
            out.append(
                Firing(
                    "ITW-09",
                    worker,
                    f"the profile photo of {worker} is the photo of {len(workers) - 1} other "
                    f"worker{'s' if len(workers) > 2 else ''}: "
                    f"{', '.join(w for w in workers if w != worker)[:300]}",
                    [x.evidence("name", "photo_hash") for x in profiles],
                )
            )
    return out


def _shared(
    records: Records,
    rule: str,
    key_of: Any,
    least: int,
    template: str,
    column: str,
) -> list[Firing]:
    groups: dict[str, list[Profile]] = defaultdict(list)
    for x in records.profiles:
        key = key_of(x)
        if key:
            groups[key].append(x)
    out = []
    for key, profiles in sorted(groups.items()):
        workers = sorted({x.worker_id for x in profiles})
        if len(workers) < least:
            continue
        shown = str(getattr(profiles[0], column))
        detail = template.format(
            key=key[:16], n=len(workers), workers=", ".join(workers[:8]), shown=shown
        )
        evidence = [x.evidence("name", column) for x in profiles]
        for worker in workers:
            out.append(Firing(rule, worker, detail, list(evidence)))
    return out


def _pairs(values: set[str]) -> list[tuple[str, str]]:
    return list(combinations(sorted(values), 2))
