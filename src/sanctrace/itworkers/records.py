"""The IT-worker tables as plain records, and the evidence row each one becomes.

Contractor populations are thousands of workers and their log-ins, not billions of rows: the
detectors group and compare in Python over these records (pairwise photo distances and fuzzy
name comparisons do not fit SQL anyway). The workspace is read once, through Ibis.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sanctrace.workspace import Workspace

Evidence = dict[str, Any]
"""One row behind a firing: its table, file (``source_id``) and line, and the fields that
matter, so that an analyst can find it in the file they loaded."""


@dataclass(frozen=True)
class Profile:
    worker_id: str
    profile_id: str | None
    platform: str | None
    name: str | None
    email: str | None
    phone: str | None
    nationality: str | None
    location: str | None
    education: str | None
    work_history: str | None
    photo_hash: str | None
    document_hash: str | None
    accounts: str | None
    shipping_address: str | None
    source_id: str
    line: int | None

    def evidence(self, *fields: str) -> Evidence:
        return _evidence("itw_profile", self, ("worker_id", "profile_id", "platform", *fields))


@dataclass(frozen=True)
class Login:
    account_id: str
    worker_id: str | None
    ts: datetime
    ended: datetime | None
    ip: str
    country: str | None
    user_agent: str | None
    remote_tool: str | None
    port: int | None
    source_id: str
    line: int | None

    def evidence(self, *fields: str) -> Evidence:
        return _evidence("itw_login", self, ("account_id", "ts", "ip", "country", *fields))


@dataclass(frozen=True)
class Payout:
    worker_id: str
    ts: datetime
    amount: Decimal
    currency: str
    method: str
    destination: str
    destination_country: str | None
    source_id: str
    line: int | None

    def evidence(self, *fields: str) -> Evidence:
        return _evidence(
            "itw_payout",
            self,
            ("worker_id", "ts", "amount", "currency", "method", "destination", *fields),
        )


@dataclass(frozen=True)
class Engagement:
    client_id: str
    worker_id: str
    ts: datetime
    event: str
    rating: float | None
    payment_account: str | None
    source_id: str
    line: int | None

    def evidence(self, *fields: str) -> Evidence:
        return _evidence(
            "itw_engagement", self, ("client_id", "worker_id", "ts", "event", "rating", *fields)
        )


def _evidence(table: str, record: Any, fields: tuple[str, ...]) -> Evidence:
    out: Evidence = {"table": table, "source_id": record.source_id, "line": record.line}
    for name in dict.fromkeys(fields):
        out[name] = getattr(record, name)
    return out


@dataclass
class Records:
    """Everything the detectors read. ``worker_of_account`` maps platform accounts to
    workers: from the log-in row when it names the worker, else from the profiles' account
    lists; an account nobody claims stands for a worker of its own (its id)."""

    profiles: list[Profile] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    worker_of_account: dict[str, str] = field(default_factory=dict)

    def worker(self, login: Login) -> str:
        return login.worker_id or self.worker_of_account.get(login.account_id, login.account_id)

    def names(self) -> dict[str, str]:
        """Each worker's first profile name (for display)."""
        out: dict[str, str] = {}
        for p in self.profiles:
            if p.name and p.worker_id not in out:
                out[p.worker_id] = p.name
        return out

    def workers(self) -> set[str]:
        """Every worker any table names."""
        found = {p.worker_id for p in self.profiles}
        found |= {self.worker(x) for x in self.logins}
        found |= {p.worker_id for p in self.payouts}
        found |= {e.worker_id for e in self.engagements}
        return found

    def by_worker(self) -> dict[str, list[Profile]]:
        out: dict[str, list[Profile]] = defaultdict(list)
        for p in self.profiles:
            out[p.worker_id].append(p)
        return out


def load(ws: Workspace) -> Records:
    """The four tables of ``ws``, in file and line order."""

    def rows(table: str) -> list[dict[str, Any]]:
        t = ws.table(table)
        rows: list[dict[str, Any]] = t.order_by(["source_id", "line"]).to_pyarrow().to_pylist()
        return rows

    records = Records(
        profiles=[Profile(**r) for r in rows("itw_profile")],
        logins=[Login(**r) for r in rows("itw_login")],
        payouts=[Payout(**r) for r in rows("itw_payout")],
        engagements=[Engagement(**r) for r in rows("itw_engagement")],
    )
    for p in records.profiles:
        for account in (p.accounts or "").split(";"):
            if account:
                records.worker_of_account.setdefault(account, p.worker_id)
    for x in records.logins:
        if x.worker_id:
            records.worker_of_account.setdefault(x.account_id, x.worker_id)
    return records
