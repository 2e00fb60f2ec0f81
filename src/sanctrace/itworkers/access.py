"""Detectors over log-ins (ITW-01 to ITW-04): where, from what and how long accounts are
logged into."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sanctrace.itworkers.firing import Firing
from sanctrace.itworkers.records import Login, Records


def _by_account(records: Records) -> dict[str, list[Login]]:
    out: dict[str, list[Login]] = defaultdict(list)
    for x in records.logins:
        out[x.account_id].append(x)
    for logins in out.values():
        logins.sort(key=lambda x: x.ts)
    return out


def multi_country_logins(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-01: an account logged into from ``min_countries`` countries within
    ``window_hours``; the first such window is the evidence."""
    window = timedelta(hours=p["window_hours"])
    out = []
    for account, logins in sorted(_by_account(records).items()):
        located = [x for x in logins if x.country]
        times = [x.ts for x in located]
        for i, first in enumerate(located):
            inside = located[i : bisect_right(times, first.ts + window)]
            countries = sorted({x.country for x in inside if x.country})
            if len(countries) >= p["min_countries"]:
                span = inside[-1].ts - first.ts
                out.append(
                    Firing(
                        "ITW-01",
                        records.worker(first),
                        f"account {account} logged into from {', '.join(countries)} within "
                        f"{_duration(span)}",
                        [x.evidence() for x in inside],
                    )
                )
                break
    return out


def shared_ip(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-02: one IP address used to log into ``min_accounts`` accounts or more."""
    by_ip: dict[str, list[Login]] = defaultdict(list)
    for x in records.logins:
        by_ip[x.ip].append(x)
    out = []
    for ip, logins in sorted(by_ip.items()):
        accounts = sorted({x.account_id for x in logins})
        if len(accounts) < p["min_accounts"]:
            continue
        first: dict[str, Login] = {}
        for x in logins:
            first.setdefault(x.account_id, x)
        workers = sorted({records.worker(x) for x in logins})
        for worker in workers:
            out.append(
                Firing(
                    "ITW-02",
                    worker,
                    f"IP {ip} logged into {len(accounts)} accounts ({_some(accounts)}) "
                    f"of {len(workers)} workers",
                    [first[a].evidence() for a in accounts],
                    evidence_total=len(accounts),
                )
            )
    return out


def continuous_sessions(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-03: sessions of one account that follow each other with gaps of at most
    ``max_gap_minutes`` and together last ``min_hours`` or more (sessions with an end)."""
    gap = timedelta(minutes=p["max_gap_minutes"])
    least = timedelta(hours=p["min_hours"])
    out = []
    for account, logins in sorted(_by_account(records).items()):
        run: list[Login] = []
        end = None
        longest: tuple[timedelta, list[Login]] = (timedelta(0), [])
        for x in logins:
            if x.ended is None:
                continue
            if run and end is not None and x.ts - end <= gap:
                run.append(x)
                end = max(end, x.ended)
            else:
                run, end = [x], x.ended
            span = end - run[0].ts
            if span > longest[0]:
                longest = (span, list(run))
        span, sessions = longest
        if span >= least:
            out.append(
                Firing(
                    "ITW-03",
                    records.worker(sessions[0]),
                    f"account {account} logged in for {_duration(span)} without a break "
                    f"({len(sessions)} session{'s' if len(sessions) != 1 else ''})",
                    [x.evidence("ended") for x in sessions],
                )
            )
    return out


def remote_desktop(records: Records, p: dict[str, Any]) -> list[Firing]:
    """ITW-04: a log-in that shows remote-desktop software or its port."""
    tools = [t.lower() for t in p["tools"]]
    ports = set(p["ports"])
    seen: dict[str, list[Login]] = defaultdict(list)
    what: dict[str, set[str]] = defaultdict(set)
    for x in records.logins:
        tool = x.remote_tool or ""
        hit = [t for t in tools if t in tool]
        if hit or (x.port is not None and x.port in ports):
            worker = records.worker(x)
            seen[worker].append(x)
            what[worker] |= set(hit) | ({f"port {x.port}"} if x.port in ports else set())
    return [
        Firing(
            "ITW-04",
            worker,
            f"remote-desktop tooling on {len(logins)} log-in{'s' if len(logins) != 1 else ''}: "
            f"{', '.join(sorted(what[worker]))}",
            [x.evidence("remote_tool", "port") for x in logins],
        )
        for worker, logins in sorted(seen.items())
    ]


def _duration(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def _some(items: list[str], shown: int = 5) -> str:
    head = ", ".join(items[:shown])
    return head if len(items) <= shown else f"{head}, ... {len(items) - shown} more"
