"""Detectors over payouts and client events (ITW-05, ITW-06, ITW-10, ITW-11): where the money
goes, and who pays and rates whom."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sanctrace.itworkers.firing import Firing, destination_key
from sanctrace.itworkers.records import Engagement, Payout, Records
from sanctrace.sources.itw_payouts_csv import CRYPTO


def shared_destination(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-05: one bank account, payment account or wallet paid for ``min_workers`` workers
    or more."""
    by_key: dict[str, list[Payout]] = defaultdict(list)
    for x in records.payouts:
        by_key[destination_key(x.destination)].append(x)
    out = []
    for payouts in by_key.values():
        workers = sorted({x.worker_id for x in payouts})
        if len(workers) < p["min_workers"]:
            continue
        first: dict[str, Payout] = {}
        for x in payouts:
            first.setdefault(x.worker_id, x)
        kind = payouts[0].method.replace("_", " ")
        for worker in workers:
            out.append(
                Firing(
                    "ITW-05",
                    worker,
                    f"{kind} {payouts[0].destination} receives the payouts of "
                    f"{len(workers)} workers: {', '.join(workers[:8])}",
                    [first[w].evidence("destination_country") for w in workers],
                    evidence_total=len(payouts),
                )
            )
    return out


def china_or_crypto(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-06: at least ``min_share`` of a worker's payouts go to a listed country (China) or
    are paid in a crypto asset or to a wallet."""
    countries = set(p["countries"])
    by_worker: dict[str, list[Payout]] = defaultdict(list)
    for x in records.payouts:
        by_worker[x.worker_id].append(x)
    out = []
    for worker, payouts in sorted(by_worker.items()):
        routed = [x for x in payouts if x.destination_country in countries]
        crypto = [x for x in payouts if x.currency in CRYPTO or x.method == "wallet"]
        hits = [x for x in payouts if x in routed or x in crypto]
        if not hits or len(hits) / len(payouts) < p["min_share"]:
            continue
        parts = []
        if routed:
            places = sorted({x.destination_country or "" for x in routed})
            parts.append(f"{len(routed)} to {', '.join(places)}")
        if crypto:
            assets = sorted({x.currency for x in crypto})
            parts.append(f"{len(crypto)} in {', '.join(assets)}")
        out.append(
            Firing(
                "ITW-06",
                worker,
                f"{len(hits)} of {len(payouts)} payouts: {'; '.join(parts)}",
                [x.evidence("destination_country") for x in hits],
            )
        )
    return out


def client_boosting(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-10: a client that gives high ratings (or boosts) to ``min_workers`` workers within
    ``window_days``; fires for the client and for each worker it boosted."""
    window = timedelta(days=p["window_days"])
    by_client: dict[str, list[Engagement]] = defaultdict(list)
    for e in records.engagements:
        if e.event == "boost" or (
            e.event == "review" and e.rating is not None and e.rating >= p["min_rating"]
        ):
            by_client[e.client_id].append(e)
    out = []
    for client, events in sorted(by_client.items()):
        events.sort(key=lambda e: e.ts)
        times = [e.ts for e in events]
        best: list[Engagement] = []
        for i, first in enumerate(events):
            inside = events[i : bisect_right(times, first.ts + window)]
            if len({e.worker_id for e in inside}) > len({e.worker_id for e in best}):
                best = inside
        workers = sorted({e.worker_id for e in best})
        if len(workers) < p["min_workers"]:
            continue
        days = (best[-1].ts - best[0].ts).days
        detail = (
            f"client {client} rated or boosted {len(workers)} developer accounts within {days} days"
        )
        evidence = [e.evidence() for e in best]
        out.append(Firing("ITW-10", client, detail, evidence, subject_kind="client"))
        for worker in workers:
            mine = [e.evidence() for e in best if e.worker_id == worker]
            out.append(Firing("ITW-10", worker, detail, mine))
    return out


def self_paying_client(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-11: a client pays from an account that one of its workers is paid into."""
    paid_into: dict[str, list[Payout]] = defaultdict(list)
    for x in records.payouts:
        paid_into[destination_key(x.destination)].append(x)
    out = []
    seen: set[tuple[str, str]] = set()
    for e in records.engagements:
        if not e.payment_account:
            continue
        key = destination_key(e.payment_account)
        payouts = [x for x in paid_into.get(key, []) if x.worker_id == e.worker_id]
        if not payouts or (e.client_id, e.worker_id) in seen:
            continue
        seen.add((e.client_id, e.worker_id))
        detail = (
            f"client {e.client_id} pays from {e.payment_account}, the account worker "
            f"{e.worker_id} is paid into"
        )
        evidence = [e.evidence("payment_account"), payouts[0].evidence()]
        out.append(Firing("ITW-11", e.worker_id, detail, evidence))
        out.append(Firing("ITW-11", e.client_id, detail, list(evidence), subject_kind="client"))
    return out
