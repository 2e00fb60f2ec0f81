"""Labelled lookalike domains of protected brands, for measuring lookalike detection.

Each lookalike is made by one *technique*, written here independently of dnstwist (which
the detector uses), so that the benchmark does not only check that dnstwist's output
matches itself:

- ``homoglyph``: one or two letters replaced by a confusable non-ASCII letter from the
  Unicode confusables table that IDNA 2008 accepts, stored in punycode (``xn--``);
- ``ascii-homoglyph``: ``i``/``l``/``1``, ``o``/``0``, ``m``/``rn``, ``w``/``vv`` swapped;
- ``typo``: a human typing slip: a neighbouring key struck instead, two letters swapped, a
  letter left out or doubled; the first letter is kept (a slip there is rare, and a reader
  anchors on it);
- ``combo``: the brand's name with one or two lure words (``login``, ``airdrop``, ``kr``,
  ...), joined by a hyphen or glued, in front or behind, under a common suffix;
- ``combo-typo``: a combo whose brand name carries a typo;
- ``tld-swap``: the brand's name under another suffix that phishing uses (``SUFFIXES``);
- ``brand-in-subdomain``: the brand's name (or whole domain) in front of an unrelated
  registered domain, or of a free hosting suffix (``pages.dev``, ``web.app``).

Everything is drawn from one ``random.Random(seed)``; the same brands and seed give the same
domains in the same order. A lookalike that happens to be one of the brands' own domains is
dropped.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sanctrace.phishing.permutations import confusable_letters, to_ascii_strict
from sanctrace.sources.brands_csv import Brand

TECHNIQUES: tuple[str, ...] = (
    "homoglyph",
    "ascii-homoglyph",
    "typo",
    "combo",
    "combo-typo",
    "tld-swap",
    "brand-in-subdomain",
)

# lure words seen with exchange brands in phishing reports and blocklists
WORDS: tuple[str, ...] = (
    "login", "signin", "secure", "security", "verify", "verification", "support", "help",
    "account", "accounts", "wallet", "airdrop", "event", "events", "bonus", "reward",
    "rewards", "claim", "kr", "korea", "us", "global", "official", "app", "web", "mobile",
    "pro", "exchange", "trade", "trading", "invest", "staking", "nft", "token", "coin",
    "center", "service", "update", "auth", "recovery", "unlock", "confirm", "alert", "team",
    "online", "portal", "desk", "info", "kyc", "withdraw", "deposit", "promo", "gift",
)  # fmt: skip
SUFFIXES: tuple[str, ...] = (
    "com", "net", "org", "io", "co", "info", "xyz", "top", "online", "site", "live", "app",
    "pro", "vip", "cc", "me", "kr", "co.kr", "com.cn", "cn", "ru", "com.ru", "tk", "ga",
    "club", "shop", "support", "finance", "exchange",
)  # fmt: skip
HOSTING: tuple[str, ...] = ("pages.dev", "web.app", "firebaseapp.com", "github.io", "vercel.app")
ASCII_LOOKS: dict[str, tuple[str, ...]] = {
    "i": ("l", "1"),
    "l": ("i", "1"),
    "o": ("0",),
    "m": ("rn",),
    "w": ("vv",),
}
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class Lookalike:
    """One generated lookalike (ASCII form) with the brand domain it imitates."""

    domain: str
    brand_domain: str
    technique: str


def _neighbours(char: str) -> str:
    for r, row in enumerate(KEYBOARD_ROWS):
        c = row.find(char)
        if c >= 0:
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(KEYBOARD_ROWS):
                    near += [
                        KEYBOARD_ROWS[rr][i] for i in (c - 1, c) if 0 <= i < len(KEYBOARD_ROWS[rr])
                    ]
            return "".join(near)
    return ""


def typo(rng: random.Random, name: str) -> str:
    """One human typing slip in ``name``, never in its first letter."""
    if len(name) < 3:
        return name + name[-1]
    i = rng.randrange(1, len(name))
    slip = rng.choice(("neighbour", "swap", "omit", "double"))
    if slip == "neighbour" and _neighbours(name[i]):
        return name[:i] + rng.choice(_neighbours(name[i])) + name[i + 1 :]
    if slip == "swap" and i < len(name) - 1 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if slip == "omit" and len(name) > 4:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def homoglyph(rng: random.Random, name: str, suffix: str) -> str | None:
    """``name.suffix`` with one or two letters swapped for confusable letters, punycode."""
    positions = [i for i, c in enumerate(name) if confusable_letters(c)]
    if not positions:
        return None
    for _ in range(20):
        chars = list(name)
        for i in rng.sample(positions, min(len(positions), rng.choice((1, 1, 2)))):
            chars[i] = rng.choice(confusable_letters(name[i]))
        made = to_ascii_strict(f"{''.join(chars)}.{suffix}")
        if made is not None:
            return made
    return None


def ascii_homoglyph(rng: random.Random, name: str) -> str | None:
    positions = [i for i, c in enumerate(name) if c in ASCII_LOOKS]
    if not positions:
        return None
    i = rng.choice(positions)
    return name[:i] + rng.choice(ASCII_LOOKS[name[i]]) + name[i + 1 :]


def combo(rng: random.Random, name: str) -> str:
    words = rng.sample(WORDS, rng.choice((1, 1, 2)))
    glue = rng.choice(("-", "-", ""))
    parts = [name, *words] if rng.random() < 0.6 else [*words, name]
    return glue.join(parts)


def generate(brands: Sequence[Brand], per_brand: int = 60, seed: int = 7) -> list[Lookalike]:
    """``per_brand`` lookalikes of each brand domain, the techniques in turn."""
    rng = random.Random(seed)
    own = {b.domain for b in brands}
    out: list[Lookalike] = []
    seen: set[str] = set()
    for brand in brands:
        name, _, suffix = brand.domain.partition(".")
        made = 0
        attempts = 0
        while made < per_brand and attempts < per_brand * 20:
            technique = TECHNIQUES[attempts % len(TECHNIQUES)]
            attempts += 1
            domain = _make(rng, technique, name, suffix, brand.domain)
            if domain is None or domain in own or domain in seen:
                continue
            seen.add(domain)
            out.append(Lookalike(domain, brand.domain, technique))
            made += 1
    return out


def _make(
    rng: random.Random,
    technique: str,
    name: str,
    suffix: str,
    domain: str,
) -> str | None:
    tld = rng.choice(SUFFIXES)
    if technique == "homoglyph":
        return homoglyph(rng, name, rng.choice((suffix, tld)))
    if technique == "ascii-homoglyph":
        made = ascii_homoglyph(rng, name)
        return None if made is None else f"{made}.{rng.choice((suffix, tld))}"
    if technique == "typo":
        return f"{typo(rng, name)}.{rng.choice((suffix, tld))}"
    if technique == "combo":
        return f"{combo(rng, name)}.{tld}"
    if technique == "combo-typo":
        return f"{combo(rng, typo(rng, name))}.{tld}" if len(name) >= 5 else None
    if technique == "tld-swap":
        other = rng.choice(SUFFIXES)
        return None if other == suffix else f"{name}.{other}"
    # brand-in-subdomain
    host = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}{rng.randrange(10, 999)}"
    if rng.random() < 0.5:
        return f"{domain}.{host}.{tld}"
    return f"{name}-{rng.choice(WORDS)}.{rng.choice(HOSTING)}"
