"""Analysis of one message, feature by feature: who it claims to be from and whether the
headers agree, what the receiving server verified, where its links go, what its attachments
are, and what it asks the reader to do. ``analyse`` returns plain data; views render it.

A forwarded message (a ``message/rfc822`` part, an embedded .msg) is analysed as a message of
its own: a user's report "is this phishing?" is clean, the phish inside it is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any

from sanctrace.phishing import attachments as att_engine
from sanctrace.phishing import headers as hdr
from sanctrace.phishing import language
from sanctrace.phishing.brands import Brand, load_brands, named_in, owner
from sanctrace.phishing.domains import email_domain, is_ip, registered_domain
from sanctrace.phishing.score import Feature, Verdict, total, verdict
from sanctrace.phishing.urls import FoundUrl, all_urls, message_urls, text_urls
from sanctrace.sources.email_message import Mail, body_text

# link shorteners: a hidden target (the list is short on purpose: the big public ones)
SHORTENERS = frozenset(
    [
        "bit.ly",
        "t.co",
        "tinyurl.com",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "t.ly",
        "rb.gy",
        "tiny.cc",
        "bit.do",
        "lnkd.in",
        "s.id",
        "han.gl",
        "me2.do",
        "vo.la",
        "url.kr",
    ]
)
LookalikeFn = Callable[[str], list[dict[str, Any]]]


@dataclass
class MessageAnalysis:
    """The analysis of one message (see ``to_dict`` for the JSON shape)."""

    file: str
    part: str
    key: str
    verdict: Verdict
    score: float
    features: list[Feature]
    urls: list[FoundUrl]
    domains: list[str]
    attachments: list[att_engine.AttachmentReport]
    lookalikes: list[dict[str, Any]]
    sender: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The file, and the MIME part for a forwarded message ("report.eml#2")."""
        return f"{self.file}#{self.part}" if self.part else self.file

    def to_dict(self) -> dict[str, Any]:
        """The ``phish analyze --json`` shape of one message."""
        return {
            "file": self.label,
            "verdict": self.verdict,
            "score": self.score,
            "features": [f.to_dict() for f in self.features],
            "urls": [
                {**u.to_dict(), **({"attachment": u.where} if u.where else {})} for u in self.urls
            ],
            "domains": self.domains,
            "attachments": [a.to_dict() for a in self.attachments],
            "lookalikes": self.lookalikes,
        }


def analyse_all(
    mail: Mail, brands: list[Brand] | None = None, lookalike: LookalikeFn | None = None
) -> list[MessageAnalysis]:
    """``mail`` and every message forwarded inside it, each analysed."""
    brands = load_brands() if brands is None else brands
    lookalike = default_lookalike() if lookalike is None else lookalike
    return [analyse(m, brands, lookalike) for m in mail.walk()]


def default_lookalike() -> LookalikeFn:
    """``phishing.lookalikes.match_domain`` over the bundled brands."""
    from sanctrace.phishing import lookalikes  # imported when first needed: it is slow to load

    fn: LookalikeFn = lookalikes.match_domain
    return fn


class _Features:
    """Collects evidence per feature; one feature per name, its evidence joined."""

    def __init__(self) -> None:
        self.evidence: dict[str, list[str]] = {}

    def add(self, name: str, evidence: str) -> None:
        items = self.evidence.setdefault(name, [])
        if evidence not in items:
            items.append(evidence)

    def build(self) -> list[Feature]:
        out = []
        for name, items in self.evidence.items():
            text = "; ".join(items[:8]) + (f"; and {len(items) - 8} more" if len(items) > 8 else "")
            out.append(Feature.of(name, text))
        return sorted(out, key=lambda f: (-f.weight, f.name))


def analyse(mail: Mail, brands: list[Brand], lookalike: LookalikeFn) -> MessageAnalysis:
    f = _Features()
    text = body_text(mail)
    subject = mail.subject or ""
    from_name, from_addr = mail.sender
    from_domain = email_domain(from_addr)
    _sender(mail, f, brands, from_name, from_addr, from_domain, subject + "\n" + text)
    hops = hdr.received_chain(mail.header_all("Received"))
    _auth(mail, f)
    _chain(hops, f)
    urls = message_urls(mail)
    _links(all_urls(mail), f)
    reports = [att_engine.analyse(a) for a in mail.attachments]
    _attachments(reports, f)
    _language(subject + "\n" + text, f)
    domains = sorted({u.domain for u in urls if u.domain})
    senders = [from_domain, email_domain(mail.reply_to)]
    looked = _lookalikes(domains, senders, brands, lookalike)
    live = {d for d in senders if d} | {u.domain for u in urls if u.domain and not u.defanged}
    for hit in looked:
        if hit["domain"] in live:
            what = f"{hit['domain']} imitates {hit.get('brand')} ({hit.get('kind')})"
            f.add("lookalike_domain", what)
    features = f.build()
    score = total(features)
    return MessageAnalysis(
        file=mail.file,
        part=mail.part,
        key=mail.key,
        verdict=verdict(score),
        score=score,
        features=features,
        urls=urls,
        domains=domains,
        attachments=reports,
        lookalikes=looked,
        sender={
            "from": from_addr,
            "from_name": from_name,
            "reply_to": mail.reply_to,
            "return_path": mail.return_path,
            "first_external_ip": hdr.first_external_ip(hops),
            "origin_ip": hdr.origin_ip(hops),
            "hops": len(hops),
        },
    )


def _sender(
    mail: Mail,
    f: _Features,
    brands: list[Brand],
    from_name: str,
    from_addr: str,
    from_domain: str | None,
    text: str,
) -> None:
    for brand, name in named_in(from_name, brands):
        if not brand.owns(from_domain):
            f.add(
                "display_name_impersonation",
                f"From {from_name!r} names {brand.name} ({name}) but the address is {from_addr}",
            )
    sender_brand = owner(from_domain, brands)
    if sender_brand is None and "display_name_impersonation" not in f.evidence:
        for brand, name in named_in(text, brands):
            f.add(
                "brand_named_by_outsider", f"names {brand.name} ({name}); sent from {from_domain}"
            )
    # a mailing list answers and bounces at its own domain: that is not a mismatch
    expected = {from_domain} | list_domains(mail)
    reply_domain = email_domain(mail.reply_to)
    if reply_domain and from_domain and reply_domain not in expected:
        f.add("reply_to_mismatch", f"From {from_addr}, Reply-To {mail.reply_to}")
    path_domain = email_domain(mail.return_path)
    if path_domain and from_domain and path_domain not in expected:
        f.add("return_path_mismatch", f"From {from_addr}, Return-Path {mail.return_path}")
    if from_domain and "xn--" in from_domain:
        f.add("punycode_domain", f"sender domain {from_domain}")


_LIST_ID = re.compile(r"<([^<>@\s]+)>\s*$")
_ADDRESS = re.compile(r"[\w.+=-]+@[\w-]+(?:\.[\w-]+)+")


def list_domains(mail: Mail) -> set[str]:
    """The domains of the mailing list that relayed ``mail`` (List-Id, List-Post,
    List-Unsubscribe, Mailing-List, and Sender on list mail)."""
    out: set[str] = set()
    for value in mail.header_all("List-Id"):
        m = _LIST_ID.search(value)
        domain = registered_domain(m.group(1)) if m else None
        if domain:
            out.add(domain)
    for name in ("List-Post", "List-Unsubscribe", "Mailing-List"):
        for value in mail.header_all(name):
            for addr in _ADDRESS.findall(value):
                if d := email_domain(addr):
                    out.add(d)
    if out:  # Sender names the list's own address only on list mail
        for _, addr in getaddresses(mail.header_all("Sender")):
            if d := email_domain(addr):
                out.add(d)
    return out


def _chain(hops: list[hdr.Hop], f: _Features) -> None:
    """The Received chain in words (informational), and hops stamped out of order."""
    if not hops:
        return
    first = hdr.first_external_ip(hops)
    at = next((h for h in hops if h.ip == first), None) if first else None
    parts = [f"{len(hops)} hop{'s' if len(hops) != 1 else ''}"]
    if at is not None:
        when = f" at {at.at:%Y-%m-%d %H:%M:%S} UTC" if at.at else ""
        parts.append(f"first external IP {first} (hop {at.hop}, from {at.from_host}){when}")
    else:
        parts.append("no public sending IP")
    origin = hdr.origin_ip(hops)
    if origin and origin != first:
        parts.append(f"origin {origin} (as claimed below it)")
    times = [h.at for h in hops if h.at]
    if len(times) > 1:
        parts.append(f"{(max(times) - min(times)).total_seconds():,.0f} s in transit")
    f.add("received_chain", "; ".join(parts))
    travel = hdr.time_travel(hops)
    if travel:
        f.add("received_time_travel", ", ".join(f"hop {a} after hop {b}" for a, b in travel))


def _auth(mail: Mail, f: _Features) -> None:
    auth = hdr.auth_results(mail.header_all("Authentication-Results"))
    if auth.raw is None:
        f.add("no_authentication_results", "no Authentication-Results header")
        return
    spf, dkim, dmarc = auth.get("spf"), auth.get("dkim"), auth.get("dmarc")
    recorded = ", ".join(f"{k}={v}" for k, v in auth.results.items())
    f.add("authentication_results", f"{recorded or 'no verdicts'} (the receiving server)")
    if spf in ("fail", "permerror"):
        f.add("spf_fail", f"spf={spf} ({auth.domains.get('smtp.mailfrom', '?')})")
    elif spf == "softfail":
        f.add("spf_softfail", f"spf=softfail ({auth.domains.get('smtp.mailfrom', '?')})")
    if dkim in ("fail", "permerror"):
        f.add("dkim_fail", f"dkim={dkim} ({auth.domains.get('header.d', '?')})")
    if dmarc == "fail":
        f.add("dmarc_fail", f"dmarc=fail ({auth.domains.get('header.from', '?')})")


def _links(urls: list[FoundUrl], f: _Features) -> None:
    """Link features, from live links only: a defanged URL cannot be clicked, it is an
    indicator someone reported (listed, not scored)."""
    for u in urls:
        if u.defanged:
            f.add("defanged_url", u.url)
            continue
        if u.host and is_ip(u.host):
            f.add("ip_address_url", u.url)
        if u.host and ("xn--" in u.host):
            f.add("punycode_domain", f"{u.host} in {u.url}")
        if u.domain in SHORTENERS or u.host in SHORTENERS:
            f.add("url_shortener", u.url)
        if u.origin == "html" and u.anchor_text:
            shown = _shown_domain(u.anchor_text)
            if shown and u.domain and shown != u.domain:
                f.add("link_text_mismatch", f"shows {u.anchor_text!r}, goes to {u.url}")


_SHOWS_URL = re.compile(r"^\s*(?:h(?:tt|xx)ps?://|www\.)", re.IGNORECASE)


def _shown_domain(anchor: str) -> str | None:
    """The registered domain a link's visible text shows, when that text is a URL (with a
    scheme or ``www.``): a link reading "https://upbit.com/login" promises a place, while one
    reading "Walmart.com" or "News.com: Top CIOs" names a site, and newsletters send those
    through click trackers every day."""
    if not _SHOWS_URL.match(anchor):
        return None
    found = text_urls(anchor)
    if not found:
        return None
    return found[0].domain or (found[0].host if found[0].host and is_ip(found[0].host) else None)


def _attachments(reports: list[att_engine.AttachmentReport], f: _Features) -> None:
    for r in reports:
        name = r.filename or f"part {r.part}"
        if r.double_extension:
            f.add("double_extension", name)
        if r.executable:
            f.add("executable_attachment", f"{name} ({r.content_type})")
        if r.type_mismatch:
            f.add("type_mismatch", f"{name}: {r.type_mismatch}")
        if r.macros:
            f.add("macro_attachment", name)
            auto = [k for k in r.macro_keywords if k.startswith("AutoExec")]
            if auto:
                f.add("macro_autoexec", f"{name}: {', '.join(auto[:5])}")
        if r.archive is not None:
            if r.archive.bomb:
                f.add("zip_bomb", f"{name}: {r.archive.bomb}")
            if r.archive.encrypted:
                f.add("encrypted_archive", name)
            for m in r.archive.members:
                if m["executable"] or m["double_extension"]:
                    f.add("archive_with_executable", f"{name} holds {m['name']}")


def _language(text: str, f: _Features) -> None:
    for category, feature in (
        ("urgency", "urgency_language"),
        ("credential", "credential_language"),
        ("lure", "lure_language"),
    ):
        found = language.find_phrases(text, category)
        if found:
            f.add(feature, ", ".join(repr(p) for p in found[:6]))
    for s in language.seed_mentions(text):
        if s.negated:
            f.add("seed_phrase_warning", f"{s.term!r} after {s.negated!r}")
        elif s.request:
            f.add("seed_phrase_request", f"{s.term!r} with {s.request!r}: {s.context!r}")
    for w in language.wallet_addresses(text):
        f.add("wallet_address", f"{w['family']} {w['address']}")


def _lookalikes(
    domains: list[str],
    senders: list[str | None],
    brands: list[Brand],
    lookalike: LookalikeFn,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    candidates = list(dict.fromkeys([*(d for d in senders if d), *domains]))
    for domain in candidates:
        if owner(domain, brands) is not None or registered_domain(domain) is None:
            continue
        for hit in lookalike(domain):
            out.append({"domain": domain, **hit})
    return out
