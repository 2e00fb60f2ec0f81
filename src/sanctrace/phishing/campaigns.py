"""Phishing campaigns: messages that share infrastructure, grouped, with what they share.

Two messages are linked when they share a key: the first external sending IP of their
Received chains, a registered domain their links or senders use (not a protected brand's own,
which phish quote to look real, nor a ubiquitous one), an attachment's SHA-256, or a body
template (a 64-bit SimHash of words and word pairs, digits and URLs masked, within
``TEMPLATE_DISTANCE`` bits). A campaign is a connected component of two or more messages; its
evidence is every key at least two of its messages share. By default only messages analysed
as phishing or suspicious take part (legitimate newsletters share infrastructure too).

A campaign's id comes from its earliest member key (``camp-`` + 10 hex digits): stable while
it grows, changing only when two campaigns merge. An attribution to an incident-registry
actor stores the member keys, so it follows the campaign as new messages join.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sanctrace.errors import NotFoundError
from sanctrace.phishing.brands import Brand, load_brands, owner
from sanctrace.phishing.domains import email_domain
from sanctrace.phishing.headers import Hop, first_external_ip
from sanctrace.workspace import Workspace

TEMPLATE_DISTANCE = 8  # bits of 64: one template with other names, places, links
MIN_TEMPLATE_WORDS = 12  # shorter bodies ("see attached") match by accident
# infrastructure everyone uses: sharing it says nothing about who sent a message
COMMON_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "kakao.com",
        "icloud.com",
        "proton.me",
        "protonmail.com",
        "google.com",
        "gstatic.com",
        "googleapis.com",
        "microsoft.com",
        "office.com",
        "live.com",
        "apple.com",
        "w3.org",
        "schemas.microsoft.com",
        "example.com",
        "example.org",
        "example.net",
    }
)


@dataclass
class Member:
    message_key: str
    file: str
    subject: str | None
    sent_at: datetime | None
    from_addr: str | None
    verdict: str | None
    score: float | None


@dataclass
class Campaign:
    campaign_id: str
    members: list[Member]
    evidence: dict[str, list[str]]  # kind (ip, domain, sha256, template) -> shared values
    first_seen: datetime | None
    last_seen: datetime | None
    actor_id: str | None = None
    actor_name: str | None = None
    attributions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "messages": len(self.members),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "evidence": self.evidence,
            "actor_id": self.actor_id,
            "actor": self.actor_name,
            "attributions": self.attributions,
            "members": [m.__dict__ for m in self.members],
        }


# ---------------------------------------------------------------------------------------
# templates

_URLISH = re.compile(r"\S+://\S+|\S+\.\S+/\S*")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+", re.UNICODE)


def simhash(text: str) -> int | None:
    """A 64-bit SimHash of words and word pairs, or None for a body too short to compare.

    Words and pairs, not the usual longer shingles: phishing bodies are short, and one
    changed name or place moves every longer shingle that spans it. On the fixtures, two
    sends of one template are 6 bits apart, unrelated messages 19 or more; two random
    hashes are 8 bits or closer about once in a billion pairs."""
    norm = _DIGITS.sub("0", _URLISH.sub(" URL ", text.lower()))
    words = _WORD.findall(norm)
    if len(words) < MIN_TEMPLATE_WORDS:
        return None
    counts = [0] * 64
    grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    for gram in grams:
        digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "big")
        for bit in range(64):
            counts[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if counts[bit] > 0)


def _bands(h: int) -> list[str]:
    """Nine 7-bit bands: two hashes within 8 bits agree on at least one (pigeonhole)."""
    return [f"{i}:{(h >> (7 * i)) & 0x7F:02x}" for i in range(9)]


# ---------------------------------------------------------------------------------------
# grouping


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _rows(ws: Workspace, table: str, columns: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ws.table(table).select(*columns).to_pyarrow().to_pylist()
    return rows


def infrastructure(
    ws: Workspace, brands: list[Brand]
) -> tuple[dict[str, Member], dict[str, set[str]], dict[str, int]]:
    """(members by key, keys of each message, SimHash of each message)."""
    verdicts = {
        r["message_key"]: r for r in _rows(ws, "phish_verdict", ["message_key", "verdict", "score"])
    }
    members: dict[str, Member] = {}
    keys: dict[str, set[str]] = defaultdict(set)
    hashes: dict[str, int] = {}
    cols = ["message_key", "file", "subject", "sent_at", "from_addr", "reply_to", "body_text"]
    for r in _rows(ws, "email_message", cols):
        k = r["message_key"]
        v = verdicts.get(k, {})
        members[k] = Member(
            k,
            r["file"],
            r["subject"],
            r["sent_at"],
            r["from_addr"],
            v.get("verdict"),
            v.get("score"),
        )
        for addr in (r["from_addr"], r["reply_to"]):
            d = email_domain(addr or "")
            if d and d not in COMMON_DOMAINS and owner(d, brands) is None:
                keys[k].add(f"domain:{d}")
        h = simhash(r["body_text"] or "")
        if h is not None:
            hashes[k] = h
    for r in _rows(ws, "email_url", ["message_key", "domain"]):
        d = r["domain"]
        if d and d not in COMMON_DOMAINS and owner(d, brands) is None:
            keys[r["message_key"]].add(f"domain:{d}")
    for r in _rows(ws, "email_attachment", ["message_key", "sha256", "size"]):
        if r["size"] >= 64:  # empty and trivial files are shared by chance
            keys[r["message_key"]].add(f"sha256:{r['sha256']}")
    hops: dict[str, list[Hop]] = defaultdict(list)
    for r in _rows(ws, "email_hop", ["message_key", "hop", "ip"]):
        hops[r["message_key"]].append(Hop(r["hop"], None, None, r["ip"], None, ""))
    for k, chain in hops.items():
        ip = first_external_ip(sorted(chain, key=lambda h: h.hop))
        if ip:
            keys[k].add(f"ip:{ip}")
    return members, keys, hashes


def find_campaigns(
    ws: Workspace, include_clean: bool = False, brands: list[Brand] | None = None
) -> list[Campaign]:
    """The campaigns in the workspace, largest first (see the module docstring)."""
    brands = load_brands() if brands is None else brands
    members, keys, hashes = infrastructure(ws, brands)
    chosen = {
        k for k, m in members.items() if include_clean or m.verdict in ("phishing", "suspicious")
    }
    union = _Union()
    holders: dict[str, list[str]] = defaultdict(list)
    for k in sorted(chosen):
        union.find(k)
        for key in keys.get(k, ()):
            holders[key].append(k)
    for held in holders.values():
        for other in held[1:]:
            union.union(held[0], other)
    # templates: candidates share a band, then the full distance decides
    by_band: dict[str, list[str]] = defaultdict(list)
    for k in sorted(chosen & hashes.keys()):
        for band in _bands(hashes[k]):
            by_band[band].append(k)
    template_pairs: list[tuple[str, str]] = []
    for group in by_band.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if bin(hashes[a] ^ hashes[b]).count("1") <= TEMPLATE_DISTANCE:
                    union.union(a, b)
                    template_pairs.append((a, b))
    components: dict[str, list[str]] = defaultdict(list)
    for k in chosen:
        components[union.find(k)].append(k)
    attributions = _attributions(ws)
    out = []
    for root, ks in components.items():
        if len(ks) < 2:
            continue
        ks.sort()
        evidence: dict[str, list[str]] = defaultdict(list)
        for key, held in holders.items():
            if len([h for h in held if h in ks]) >= 2:
                kind, _, value = key.partition(":")
                evidence[kind].append(value)
        templates = {f"{hashes[a]:016x}" for a, b in template_pairs if a in ks}
        templates |= {f"{hashes[b]:016x}" for a, b in template_pairs if a in ks}
        if templates:
            evidence["template"] = sorted(templates)
        times = [t for k in ks if (t := members[k].sent_at) is not None]
        campaign = Campaign(
            campaign_id="camp-" + hashlib.sha256(root.encode()).hexdigest()[:10],
            members=sorted((members[k] for k in ks), key=lambda m: m.sent_at or datetime.min),
            evidence={kind: sorted(values) for kind, values in sorted(evidence.items())},
            first_seen=min(times) if times else None,
            last_seen=max(times) if times else None,
        )
        _attach_actor(campaign, set(ks), attributions)
        out.append(campaign)
    return sorted(out, key=lambda c: (-len(c.members), c.campaign_id))


def _attributions(ws: Workspace) -> list[dict[str, Any]]:
    cols = ["campaign_id", "actor_id", "message_keys", "analyst", "note", "created_at"]
    rows = _rows(ws, "campaign_attribution", cols)
    if not rows:
        return rows
    from sanctrace.incidents.actors import actors

    known = actors(ws)
    for r in rows:
        r["message_keys"] = set(json.loads(r["message_keys"]))
        actor = known.get(r["actor_id"])
        r["actor_name"] = actor.name if actor else r["actor_id"]
    return sorted(rows, key=lambda r: r["created_at"])


def _attach_actor(campaign: Campaign, keys: set[str], attributions: list[dict[str, Any]]) -> None:
    """The latest attribution whose messages overlap the campaign's names its actor."""
    for r in attributions:
        if r["message_keys"] & keys:
            campaign.actor_id = r["actor_id"]
            campaign.actor_name = r["actor_name"]
            campaign.attributions.append(
                {
                    "actor_id": r["actor_id"],
                    "actor": r["actor_name"],
                    "analyst": r["analyst"],
                    "note": r["note"],
                    "created_at": r["created_at"],
                    "as_campaign": r["campaign_id"],
                }
            )


def attribute(
    ws: Workspace,
    campaign_id: str,
    actor: str,
    analyst: str,
    note: str | None = None,
    include_clean: bool = False,
) -> Campaign:
    """Attribute campaign ``campaign_id`` to ``actor`` (any alias in the incident registry)."""
    from sanctrace.incidents.actors import resolve_actor

    found = resolve_actor(ws, actor)
    if found is None:
        raise NotFoundError(
            f"{actor}: no such actor in the incident registry (see `sanctrace actors list`)"
        )
    campaigns = {c.campaign_id: c for c in find_campaigns(ws, include_clean=include_clean)}
    campaign = campaigns.get(campaign_id)
    if campaign is None:
        known = ", ".join(sorted(campaigns)) or "none"
        raise NotFoundError(f"{campaign_id}: no such campaign (campaigns now: {known})")
    with ws.writing() as w:
        w.insert(
            "campaign_attribution",
            [
                {
                    "campaign_id": campaign_id,
                    "actor_id": found.actor_id,
                    "message_keys": json.dumps(sorted(m.message_key for m in campaign.members)),
                    "analyst": analyst,
                    "note": note,
                    "created_at": datetime.now(UTC).replace(tzinfo=None),
                }
            ],
        )
    return {c.campaign_id: c for c in find_campaigns(ws, include_clean=include_clean)}[campaign_id]
