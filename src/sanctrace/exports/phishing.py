"""Phishing indicators as STIX 2.1 and as MISP attributes.

What is exported: the messages analysed as phishing or suspicious (``include_clean`` for all
ingested ones), and from each its sender address, live and defanged URLs, their registered
domains, the first external sending IP and the attachment hashes. A protected brand's own
domains (and ubiquitous ones, ``campaigns.COMMON_DOMAINS``) are never exported: phish link
to the real site to look genuine, and an indicator for it would block the brand itself.

STIX 2.1 (built and validated with the ``stix2`` library): one ``observed-data`` per message
(first/last observed at its Date, its cyber observables as ``object_refs``: email-message,
email-addr, url, domain-name, ipv4/ipv6-addr, file with MD5, SHA-1 and SHA-256), one
``indicator`` per distinct indicator value (STIX patterns), one ``campaign`` per campaign
with ``indicates`` relationships from its indicators and ``attributed-to`` the actor's
``intrusion-set`` (the same id ``exports/stix.py`` gives that actor, so the two bundles join).
Ids of observables follow STIX's UUIDv5 rule (stix2 computes them); ids of other objects are
``exports.stix.stix_id`` over sanctrace's keys, and every time stamp comes from the messages'
dates, never from the clock: the same workspace gives the same bytes.

MISP: one event whose attributes are the indicators (``url``, ``domain``, ``ip-src``,
``email-src``, ``email-subject``, ``filename|sha256``, ``md5``, ``sha1``), each with
``to_ids`` set except subjects, and a comment naming the messages it came from.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import stix2

from sanctrace.exports.misp import (
    ANALYSIS_ONGOING,
    DISTRIBUTION_ALL,
    DISTRIBUTION_INHERIT,
    THREAT_LEVEL_MEDIUM,
    misp_uuid,
)
from sanctrace.exports.stix import NAMESPACE, stix_id
from sanctrace.phishing.brands import Brand, load_brands, owner
from sanctrace.phishing.campaigns import COMMON_DOMAINS, find_campaigns
from sanctrace.phishing.domains import email_domain
from sanctrace.phishing.headers import Hop, first_external_ip
from sanctrace.workspace import Workspace

EPOCH = datetime(1970, 1, 1)


@dataclass
class Message:
    key: str
    file: str
    subject: str | None
    sent_at: datetime
    sender: str | None
    verdict: str | None
    urls: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ip: str | None = None
    files: list[dict[str, Any]] = field(default_factory=list)


def _rows(ws: Workspace, table: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ws.table(table).to_pyarrow().to_pylist()
    return rows


def _benign(domain: str | None, brands: list[Brand]) -> bool:
    """A protected brand's own domain or a ubiquitous one: phish link to the real site to
    look genuine, and exporting it as an indicator would block the brand itself."""
    return domain is not None and (domain in COMMON_DOMAINS or owner(domain, brands) is not None)


def read_messages(
    ws: Workspace, include_clean: bool = False, brands: list[Brand] | None = None
) -> list[Message]:
    """The messages to export, each with its indicators (the brands' own and ubiquitous
    domains left out), oldest first."""
    brands = load_brands() if brands is None else brands
    verdicts = {r["message_key"]: r["verdict"] for r in _rows(ws, "phish_verdict")}
    out: dict[str, Message] = {}
    for r in _rows(ws, "email_message"):
        verdict = verdicts.get(r["message_key"])
        if not include_clean and verdict not in ("phishing", "suspicious"):
            continue
        out[r["message_key"]] = Message(
            r["message_key"],
            r["file"],
            r["subject"],
            r["sent_at"] or EPOCH,
            None if _benign(email_domain(r["from_addr"] or ""), brands) else r["from_addr"],
            verdict,
        )
    for r in _rows(ws, "email_url"):
        m = out.get(r["message_key"])
        if m is not None and not _benign(r["domain"], brands):
            if r["url"] not in m.urls:
                m.urls.append(r["url"])
            if r["domain"] and r["domain"] not in m.domains:
                m.domains.append(r["domain"])
    hops: dict[str, list[Hop]] = defaultdict(list)
    for r in _rows(ws, "email_hop"):
        hops[r["message_key"]].append(Hop(r["hop"], None, None, r["ip"], None, ""))
    for key, chain in hops.items():
        if key in out:
            out[key].ip = first_external_ip(sorted(chain, key=lambda h: h.hop))
    for r in _rows(ws, "email_attachment"):
        m = out.get(r["message_key"])
        if m is not None:
            m.files.append(r)
    return sorted(out.values(), key=lambda m: (m.sent_at, m.key))


def _ts(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _ip_type(ip: str) -> str:
    return "ipv6-addr" if ipaddress.ip_address(ip).version == 6 else "ipv4-addr"


def indicators_of(m: Message) -> list[tuple[str, str, str]]:
    """(kind, value, STIX pattern) for each indicator of one message."""
    out = []
    if m.sender:
        out.append(("email-src", m.sender, f"[email-addr:value = '{_quote(m.sender)}']"))
    for u in m.urls:
        out.append(("url", u, f"[url:value = '{_quote(u)}']"))
    for d in m.domains:
        out.append(("domain", d, f"[domain-name:value = '{_quote(d)}']"))
    if m.ip:
        out.append(("ip-src", m.ip, f"[{_ip_type(m.ip)}:value = '{m.ip}']"))
    for f in m.files:
        out.append(("sha256", f["sha256"], f"[file:hashes.'SHA-256' = '{f['sha256']}']"))
    return out


def stix_bundle(ws: Workspace, include_clean: bool = False) -> dict[str, Any]:
    """The indicators as one STIX 2.1 bundle (a plain dict, ready for ``json.dumps``)."""
    brands = load_brands()
    messages = read_messages(ws, include_clean, brands)
    as_of = max((m.sent_at for m in messages), default=EPOCH)
    objects: dict[str, Any] = {}
    first_seen: dict[str, datetime] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    patterns: dict[str, str] = {}

    def add(obj: Any) -> str:
        objects.setdefault(obj.id, obj)
        return str(obj.id)

    for m in messages:
        refs = [add(o) for o in _observables(m)]
        add(
            stix2.ObservedData(
                id=stix_id("observed-data", m.key),
                created=_ts(m.sent_at),
                modified=_ts(m.sent_at),
                first_observed=_ts(m.sent_at),
                last_observed=_ts(m.sent_at),
                number_observed=1,
                object_refs=refs,
                labels=[m.verdict or "unanalysed"],
            )
        )
        for kind, value, pattern in indicators_of(m):
            key = f"{kind}:{value}"
            patterns[key] = pattern
            first_seen[key] = min(first_seen.get(key, m.sent_at), m.sent_at)
            sources[key].add(m.file)
    indicator_ids: dict[str, str] = {}
    for key in sorted(patterns):
        kind, _, value = key.partition(":")
        indicator_ids[key] = add(
            stix2.Indicator(
                id=stix_id("indicator", key),
                created=_ts(first_seen[key]),
                modified=_ts(as_of),
                name=f"phishing {kind} {value}"[:250],
                description="seen in " + ", ".join(sorted(sources[key])[:20]),
                indicator_types=["malicious-activity"],
                pattern=patterns[key],
                pattern_type="stix",
                valid_from=_ts(first_seen[key]),
            )
        )
    for c in find_campaigns(ws, include_clean=include_clean, brands=brands):
        members = {mm.message_key for mm in c.members}
        msgs = [m for m in messages if m.key in members]
        if not msgs:
            continue
        start = min(m.sent_at for m in msgs)
        cid = add(
            stix2.Campaign(
                id=stix_id("campaign", c.campaign_id),
                created=_ts(start),
                modified=_ts(as_of),
                name=c.campaign_id,
                description="shares "
                + "; ".join(f"{k}: {', '.join(v[:5])}" for k, v in c.evidence.items()),
                first_seen=_ts(start),
                last_seen=_ts(max(m.sent_at for m in msgs)),
            )
        )
        keys = {f"{k}:{v}" for m in msgs for k, v, _ in indicators_of(m)}
        for key in sorted(keys):
            add(_relationship("indicates", indicator_ids[key], cid, start))
        if c.actor_id:
            add(_relationship("attributed-to", cid, stix_id("intrusion-set", c.actor_id), start))
    ordered = sorted(objects.values(), key=lambda o: (_ORDER.get(o.type, 9), o.id))
    plain = [json.loads(o.serialize()) for o in ordered]
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()
    return {"type": "bundle", "id": f"bundle--{uuid.uuid5(NAMESPACE, digest)}", "objects": plain}


_ORDER = {"campaign": 0, "indicator": 1, "observed-data": 2, "relationship": 3}


def _relationship(kind: str, source: str, target: str, when: datetime) -> Any:
    return stix2.Relationship(
        id=stix_id("relationship", f"{kind}|{source}|{target}"),
        created=_ts(when),
        modified=_ts(when),
        relationship_type=kind,
        source_ref=source,
        target_ref=target,
        allow_custom=False,
    )


def _observables(m: Message) -> list[Any]:
    out: list[Any] = []
    sender = stix2.EmailAddress(value=m.sender) if m.sender else None
    if sender is not None:
        out.append(sender)
    email = stix2.EmailMessage(
        is_multipart=bool(m.files),
        subject=m.subject,
        from_ref=sender.id if sender is not None else None,
        date=_ts(m.sent_at),
    )
    out.append(email)
    out.extend(stix2.URL(value=u) for u in m.urls)
    out.extend(stix2.DomainName(value=d) for d in m.domains)
    if m.ip:
        cls = stix2.IPv6Address if _ip_type(m.ip) == "ipv6-addr" else stix2.IPv4Address
        out.append(cls(value=m.ip))
    for f in m.files:
        hashes = {"MD5": f["md5"], "SHA-1": f["sha1"], "SHA-256": f["sha256"]}
        out.append(
            stix2.File(
                hashes=hashes, name=f["filename"], size=f["size"], mime_type=f["content_type"]
            )
            if f["filename"]
            else stix2.File(hashes=hashes, size=f["size"], mime_type=f["content_type"])
        )
    return out


# ---------------------------------------------------------------------------------------
# MISP

_MISP_CATEGORY = {
    "url": "Network activity",
    "domain": "Network activity",
    "ip-src": "Network activity",
    "email-src": "Payload delivery",
    "email-subject": "Payload delivery",
    "filename|sha256": "Payload delivery",
    "md5": "Payload delivery",
    "sha1": "Payload delivery",
}


def misp_event(ws: Workspace, include_clean: bool = False) -> dict[str, Any]:
    """The indicators as one MISP event (a plain dict, ready for ``json.dumps``)."""
    messages = read_messages(ws, include_clean)
    as_of = max((m.sent_at for m in messages), default=EPOCH)
    values: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in messages:
        for kind, value, _ in indicators_of(m):
            if kind != "sha256":
                values[(kind, value)].append(m.file)
        if m.subject:
            values[("email-subject", m.subject)].append(m.file)
        for f in m.files:
            name = f["filename"] or f"part-{f['part']}"
            values[("filename|sha256", f"{name}|{f['sha256']}")].append(m.file)
            values[("md5", f["md5"])].append(m.file)
            values[("sha1", f["sha1"])].append(m.file)
    attributes = []
    for (kind, value), files in sorted(values.items()):
        attributes.append(
            {
                "uuid": misp_uuid(f"phish:{kind}:{value}"),
                "type": kind,
                "category": _MISP_CATEGORY[kind],
                "value": value,
                "to_ids": kind != "email-subject",
                "distribution": DISTRIBUTION_INHERIT,
                "comment": "seen in " + ", ".join(sorted(set(files))[:20]),
                "disable_correlation": False,
            }
        )
    verdicts: dict[str, int] = defaultdict(int)
    for m in messages:
        verdicts[m.verdict or "unanalysed"] += 1
    info = "sanctrace phishing indicators: " + ", ".join(
        f"{n} {v}" for v, n in sorted(verdicts.items())
    )
    event = {
        "uuid": misp_uuid("event:phishing"),
        "info": info if messages else "sanctrace phishing indicators: none",
        "date": as_of.date().isoformat(),
        "timestamp": str(int(as_of.replace(tzinfo=UTC).timestamp())),
        "published": False,
        "threat_level_id": THREAT_LEVEL_MEDIUM,
        "analysis": ANALYSIS_ONGOING,
        "distribution": DISTRIBUTION_ALL,
        "Tag": [
            {"name": "tlp:white"},
            {"name": 'misp-galaxy:mitre-attack-pattern="Phishing - T1566"'},
        ],
        "Attribute": attributes,
    }
    return {"Event": event}
