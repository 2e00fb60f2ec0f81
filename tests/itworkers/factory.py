"""Records in one call each, with plausible defaults, for the detector tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sanctrace.itworkers.records import Engagement, Login, Payout, Profile, Records

T0 = datetime(2024, 3, 1, 8, 0)
_line = iter(range(2, 10**9))


def profile(worker_id: str, **fields: Any) -> Profile:
    values: dict[str, Any] = dict.fromkeys(Profile.__dataclass_fields__)
    values.update(worker_id=worker_id, name=f"Worker {worker_id}", source_id="test:p")
    values.update(line=next(_line))
    values.update(fields)
    return Profile(**values)


def login(account_id: str, hours: float = 0, **fields: Any) -> Login:
    values: dict[str, Any] = dict.fromkeys(Login.__dataclass_fields__)
    ts = T0 + timedelta(hours=hours)
    values.update(account_id=account_id, ts=ts, ended=ts + timedelta(hours=1), ip="1.1.1.1")
    values.update(country="US", source_id="test:l", line=next(_line))
    values.update(fields)
    return Login(**values)


def payout(worker_id: str, destination: str, **fields: Any) -> Payout:
    values: dict[str, Any] = dict(
        worker_id=worker_id,
        ts=T0,
        amount=Decimal(1000),
        currency="USD",
        method="bank",
        destination=destination,
        destination_country="US",
        source_id="test:$",
        line=next(_line),
    )
    values.update(fields)
    return Payout(**values)


def review(client_id: str, worker_id: str, days: float = 0, **fields: Any) -> Engagement:
    values: dict[str, Any] = dict(
        client_id=client_id,
        worker_id=worker_id,
        ts=T0 + timedelta(days=days),
        event="review",
        rating=5.0,
        payment_account=None,
        source_id="test:c",
        line=next(_line),
    )
    values.update(fields)
    return Engagement(**values)


def records(*items: Profile | Login | Payout | Engagement) -> Records:
    out = Records(
        profiles=[x for x in items if isinstance(x, Profile)],
        logins=[x for x in items if isinstance(x, Login)],
        payouts=[x for x in items if isinstance(x, Payout)],
        engagements=[x for x in items if isinstance(x, Engagement)],
    )
    for p in out.profiles:
        for account in (p.accounts or "").split(";"):
            if account:
                out.worker_of_account.setdefault(account, p.worker_id)
    return out
