"""Lookalikes of a protected domain, generated offline.

dnstwist's ``Fuzzer`` is used as a library (its addition, bitsquatting, cyrillic, homoglyph,
hyphenation, insertion, omission, plural, repetition, replacement, subdomain, transposition,
vowel-swap, dictionary, tld-swap and various permutations); on top of it, IDN homographs
from the Unicode confusables table (the ``confusables`` package): every label with one
character swapped for a confusable non-ASCII letter that IDNA 2008 accepts. Each permutation
carries its ASCII (punycode, ``xn--``) form, which is what DNS, certificates and logs show,
and its Unicode form, which is what a victim sees.

Nothing here touches the network except ``resolve``, which a user must ask for.
"""

from __future__ import annotations

import concurrent.futures
import socket
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import idna

from sanctrace.errors import InputError
from sanctrace.screening.identifiers import clean_domain

# dnstwist's fuzzers, in dnstwist's order; a domain two fuzzers produce keeps the first kind
DNSTWIST_KINDS: tuple[str, ...] = (
    "addition",
    "bitsquatting",
    "cyrillic",
    "homoglyph",
    "hyphenation",
    "insertion",
    "omission",
    "plural",
    "repetition",
    "replacement",
    "subdomain",
    "transposition",
    "vowel-swap",
    "dictionary",
    "tld-swap",
    "various",
)
IDN_HOMOGRAPH = "idn-homograph"
KINDS: tuple[str, ...] = (*DNSTWIST_KINDS, IDN_HOMOGRAPH)

# words that phishing domains pair with a brand (dnstwist's ``dictionary`` fuzzer), drawn
# from the combosquats in tests/fixtures/phishing/real_lookalikes.csv and exchange lures
DICTIONARY: tuple[str, ...] = (
    "account",
    "airdrop",
    "app",
    "auth",
    "bonus",
    "claim",
    "event",
    "exchange",
    "global",
    "help",
    "kr",
    "login",
    "pro",
    "recovery",
    "reward",
    "secure",
    "security",
    "service",
    "signin",
    "support",
    "update",
    "verify",
    "wallet",
    "web",
)

# suffixes for dnstwist's ``tld-swap``: the generic ones phishing favours, and the countries
# of the default brands' users; a lookalike under any other suffix is still matched by
# ``lookalikes.match_domain`` (same name, other suffix), only not listed here
TLDS: tuple[str, ...] = (
    "app",
    "biz",
    "cc",
    "cn",
    "co",
    "co.kr",
    "com",
    "info",
    "io",
    "jp",
    "kr",
    "live",
    "me",
    "net",
    "online",
    "org",
    "pro",
    "site",
    "top",
    "us",
    "vip",
    "xyz",
)


@dataclass(frozen=True)
class Permutation:
    """One lookalike: how it was made, its ASCII (punycode) form and its Unicode form."""

    kind: str
    domain: str
    unicode: str


def check_kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    """The permutation kinds asked for (all when None); an unknown one is an input error."""
    if kinds is None:
        return KINDS
    asked = tuple(dict.fromkeys(k.strip().lower() for k in kinds if k.strip()))
    unknown = [k for k in asked if k not in KINDS]
    if unknown:
        raise InputError(
            "--kinds", f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}"
        )
    return asked or KINDS


def protected_domain(text: str) -> str:
    """A protected domain as given (a domain or URL), in ASCII; an error when it is none."""
    domain = clean_domain(text)
    if domain is None:
        raise InputError(repr(text), "not a domain name (expected e.g. upbit.com)")
    return domain


def to_unicode(domain: str) -> str:
    """The display form of an ASCII domain: each ``xn--`` label decoded from punycode (a
    label that does not decode stays as it is, so nothing is hidden)."""
    if "xn--" not in domain:
        return domain
    return ".".join(_decode_label(label) for label in domain.split("."))


def _decode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


def to_ascii(domain: str) -> str | None:
    """The ASCII (punycode) form of a domain, or None when IDNA 2008 (with UTS 46 mapping)
    refuses it. ASCII names pass through as they are (lower-cased)."""
    if domain.isascii():
        return domain.lower()
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return None


def permutations(
    domain: str,
    kinds: Iterable[str] | None = None,
    dictionary: Sequence[str] = DICTIONARY,
    tlds: Sequence[str] = TLDS,
) -> list[Permutation]:
    """Every lookalike of ``domain`` of the given kinds (default all), sorted by kind and
    domain; the domain itself is not among them. Offline: dnstwist's fuzzers and the
    confusables table only."""
    by_kind = {k: i for i, k in enumerate(KINDS)}
    found = permutation_kinds(domain, kinds, dictionary, tlds)
    return sorted(
        (Permutation(kind, made, to_unicode(made)) for made, kind in found.items()),
        key=lambda p: (by_kind[p.kind], p.domain),
    )


def permutation_kinds(
    domain: str,
    kinds: Iterable[str] | None = None,
    dictionary: Sequence[str] = DICTIONARY,
    tlds: Sequence[str] = TLDS,
) -> dict[str, str]:
    """ASCII lookalike -> the kind that made it: ``permutations`` without display forms,
    for matching."""
    import dnstwist  # 0.15 s to import; only callers that generate pay it

    wanted = check_kinds(kinds)
    ascii_domain = protected_domain(domain)
    fuzzer = dnstwist.Fuzzer(ascii_domain, dictionary=list(dictionary), tld_dictionary=list(tlds))
    fuzzer.generate(fuzzers=[k for k in wanted if k in DNSTWIST_KINDS])
    found: dict[str, str] = {}
    by_kind = {k: i for i, k in enumerate(KINDS)}
    for item in fuzzer.permutations():
        kind, made = str(item["fuzzer"]), str(item["domain"])
        if kind not in wanted or made == ascii_domain:
            continue
        if made not in found or by_kind[kind] < by_kind[found[made]]:
            found[made] = kind
    if IDN_HOMOGRAPH in wanted:
        sub, label, tld = (str(getattr(fuzzer, n) or "") for n in ("subdomain", "domain", "tld"))
        for made in idn_homographs(label, tld, prefix=f"{sub}." if sub else ""):
            found.setdefault(made, IDN_HOMOGRAPH)
    return found


def idn_homographs(label: str, suffix: str, prefix: str = "") -> list[str]:
    """``prefix + label.suffix`` with one character replaced by a confusable letter from the Unicode
    confusables table, in punycode; only names that IDNA 2008 accepts (a registry would not
    register the others, and browsers would not show them)."""
    out: set[str] = set()
    for i, char in enumerate(label):
        for glyph in confusable_letters(char):
            made = to_ascii_strict(f"{prefix}{label[:i]}{glyph}{label[i + 1 :]}.{suffix}")
            if made is not None:
                out.add(made)
    return sorted(out)


def to_ascii_strict(domain: str) -> str | None:
    """Punycode form under IDNA 2008 without UTS 46 mapping (so upper case and compatibility
    forms are refused, as a registry refuses them)."""
    try:
        return idna.encode(domain, uts46=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return None


@lru_cache(maxsize=256)
def confusable_letters(char: str) -> tuple[str, ...]:
    """Single non-ASCII lower-case letters that the confusables table pairs with ``char``."""
    from confusables import confusable_characters

    return tuple(
        sorted(
            g
            for g in confusable_characters(char) or ()
            if len(g) == 1
            and not g.isascii()
            and g.isalpha()
            and g == g.lower()
            and unicodedata.category(g) == "Ll"
        )
    )


def resolve(
    domains: Sequence[str], timeout: float = 3.0, workers: int = 16
) -> dict[str, list[str]]:
    """NETWORK: the addresses each domain resolves to now (empty: not resolving, or no
    answer within ``timeout`` seconds). Only for a user who asked for resolution
    (``--resolve``); uses dnspython when installed, else the system resolver."""
    lookup = _dnspython_lookup(timeout) or _system_lookup
    results: dict[str, list[str]] = {d: [] for d in domains}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(lookup, d): d for d in domains}
        done, _ = concurrent.futures.wait(futures, timeout=timeout * 2 + 1)
        for future in done:
            try:
                results[futures[future]] = sorted(set(future.result()))
            except Exception:  # any resolver failure means "no answer"
                results[futures[future]] = []
    return results


def _system_lookup(domain: str) -> list[str]:
    infos = socket.getaddrinfo(domain, None, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def _dnspython_lookup(timeout: float) -> Callable[[str], list[str]] | None:
    try:
        import dns.resolver  # type: ignore[import-not-found]
    except ImportError:
        return None
    resolver = dns.resolver.Resolver()
    resolver.lifetime = timeout

    def lookup(domain: str) -> list[str]:
        out: list[str] = []
        for rtype in ("A", "AAAA"):
            try:
                out += [r.to_text() for r in resolver.resolve(domain, rtype)]
            except Exception:  # NXDOMAIN, no answer, timeout: nothing
                continue
        return out

    return lookup
