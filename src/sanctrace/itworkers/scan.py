"""The IT-worker scan: every rule over the records, firings grouped by worker, workers ranked
by score. ``scan`` reads a workspace; ``evaluate`` works on records (the benchmark's path)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from sanctrace.itworkers import access, identity, listed, money
from sanctrace.itworkers.firing import Firing
from sanctrace.itworkers.records import Evidence, Records, load
from sanctrace.itworkers.rules import BY_ID, FLAG_SCORE, RULES, parameters
from sanctrace.screening.index import Index
from sanctrace.workspace import Workspace

Detector = Callable[[Records, dict[str, Any]], list[Firing]]

DETECTORS: Final[dict[str, Detector]] = {
    "ITW-01": access.multi_country_logins,
    "ITW-02": access.shared_ip,
    "ITW-03": access.continuous_sessions,
    "ITW-04": access.remote_desktop,
    "ITW-05": money.shared_destination,
    "ITW-06": money.china_or_crypto,
    "ITW-07": identity.inconsistent_profiles,
    "ITW-08": identity.reused_templates,
    "ITW-09": identity.reused_photos,
    "ITW-10": money.client_boosting,
    "ITW-11": money.self_paying_client,
    "ITW-12": identity.shared_addresses,
}
"""The detector of each rule but ITW-13 and ITW-14 (sanctions lists), which need the
screening index (``listed.sanctions_matches``)."""


@dataclass
class FiredRule:
    rule_id: str
    title: str
    weight: float
    detail: str
    evidence: list[Evidence]
    evidence_total: int


@dataclass
class RankedWorker:
    rank: int
    worker_id: str
    name: str | None
    score: float
    flagged: bool
    rules: list[FiredRule]


@dataclass
class FlaggedClient:
    client_id: str
    rules: list[FiredRule]


@dataclass
class ScanResult:
    """Workers with at least one rule fired, best first; clients that rules fired for; how
    many workers each rule fired for; what was read."""

    workers: list[RankedWorker]
    clients: list[FlaggedClient]
    rule_counts: dict[str, int]
    records: dict[str, int]
    workers_total: int
    flagged: int
    flag_score: float = FLAG_SCORE
    screened: bool = False
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)


def evaluate(
    records: Records,
    overrides: dict[str, dict[str, Any]] | None = None,
    index: Index | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Run every rule over ``records``; ITW-13 and ITW-14 only with a screening ``index``."""
    params = parameters(overrides)
    firings: list[Firing] = []
    for rule_id, detect in DETECTORS.items():
        firings.extend(detect(records, params[rule_id]))
    if index is not None:
        firings.extend(listed.sanctions_matches(records, params, index, progress))
    return rank(records, firings, params, screened=index is not None)


def rank(
    records: Records,
    firings: list[Firing],
    params: dict[str, dict[str, Any]],
    screened: bool = False,
) -> ScanResult:
    """Group ``firings`` by subject: a worker scores the sum of the weights of the distinct
    rules that fired for it (one rule counts once however often it fired)."""
    by_worker: dict[str, dict[str, list[Firing]]] = defaultdict(lambda: defaultdict(list))
    by_client: dict[str, dict[str, list[Firing]]] = defaultdict(lambda: defaultdict(list))
    for f in firings:
        target = by_client if f.subject_kind == "client" else by_worker
        target[f.subject][f.rule_id].append(f)
    names = records.names()
    ranked = []
    for worker, rules in by_worker.items():
        fired = [_fired(rule_id, fs) for rule_id, fs in sorted(rules.items())]
        score = round(sum(BY_ID[r.rule_id].weight for r in fired), 2)
        ranked.append(RankedWorker(0, worker, names.get(worker), score, score >= FLAG_SCORE, fired))
    ranked.sort(key=lambda w: (-w.score, -len(w.rules), w.worker_id))
    for i, w in enumerate(ranked, 1):
        w.rank = i
    clients = [
        FlaggedClient(c, [_fired(rule_id, fs) for rule_id, fs in sorted(rules.items())])
        for c, rules in sorted(by_client.items())
    ]
    counts = Counter(r.rule_id for w in ranked for r in w.rules)
    return ScanResult(
        workers=ranked,
        clients=clients,
        rule_counts={r.id: counts.get(r.id, 0) for r in RULES},
        records={
            "profiles": len(records.profiles),
            "logins": len(records.logins),
            "payouts": len(records.payouts),
            "engagements": len(records.engagements),
        },
        workers_total=len(records.workers()),
        flagged=sum(w.flagged for w in ranked),
        screened=screened,
        parameters=params,
    )


def _fired(rule_id: str, firings: list[Firing]) -> FiredRule:
    rule = BY_ID[rule_id]
    evidence = [e for f in firings for e in f.evidence]
    return FiredRule(
        rule_id,
        rule.title,
        rule.weight,
        " | ".join(dict.fromkeys(f.detail for f in firings)),
        evidence,
        sum(f.evidence_total for f in firings),
    )


def scan(
    ws: Workspace,
    overrides: dict[str, dict[str, Any]] | None = None,
    screen: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Every rule over the IT-worker tables of ``ws``. With ``screen`` and lists loaded,
    names, emails, domains and wallets are screened too (ITW-13, ITW-14)."""
    records = load(ws)
    index = None
    if screen and ws.count("entity"):
        from sanctrace.screening.index import get_index

        index = get_index(ws)
    return evaluate(records, overrides, index, progress)


def rules_table() -> list[dict[str, Any]]:
    """The rules as rows: id, title, indicator, advisory, section, URL, weight, parameters."""
    return [
        {
            "id": r.id,
            "title": r.title,
            "indicator": r.indicator,
            "advisory": r.advisory,
            "section": r.section,
            "url": r.url,
            "weight": r.weight,
            "parameters": r.parameters,
            "see_also": list(r.see_also),
        }
        for r in RULES
    ]
