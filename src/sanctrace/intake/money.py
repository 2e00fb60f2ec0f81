"""Money: a number with a currency before it (``$2 bln``, ``US$ 81 million``) or after it
(``two billion USA dollars``, ``342,000 ETH``), and the bound a writer puts on it ("up to",
"at least"), because the Panel's figures are mostly bounds, not point values."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from sanctrace.intake.claims import Mention
from sanctrace.intake.numbers import Number, as_value

# written before the number; longest first so "US$" wins over "$"
_PREFIX: Final[dict[str, str]] = {
    "US$": "USD",
    "$US": "USD",  # the Australian and New Zealand press: "$US3 billion"
    "A$": "AUD",
    "U.S.$": "USD",
    "USD": "USD",
    "C$": "CAD",
    "HK$": "HKD",
    "S$": "SGD",
    "NT$": "TWD",
    "T$": "TWD",
    "NZ$": "NZD",
    "$": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "₩": "KRW",
    "KRW": "KRW",
    "CNY": "CNY",
    "RMB": "CNY",
    "CHF": "CHF",
    # ISO 4217 codes of the currencies DPRK theft reporting gives amounts in
    "INR": "INR",
    "AUD": "AUD",
    "CAD": "CAD",
    "HKD": "HKD",
    "SGD": "SGD",
    "TWD": "TWD",
    "RUB": "RUB",
    "VND": "VND",
    "PHP": "PHP",
    "BDT": "BDT",
    "MYR": "MYR",
    "CLP": "CLP",
    "AED": "AED",
}
# written after the number (lower case keys; matched case-insensitively)
_SUFFIX: Final[dict[str, str]] = {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "usa dollars": "USD",
    "american dollars": "USD",
    "united states dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "usd": "USD",
    "hong kong dollars": "HKD",
    "singapore dollars": "SGD",
    "australian dollars": "AUD",
    "canadian dollars": "CAD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "pounds sterling": "GBP",
    "british pounds": "GBP",
    "won": "KRW",
    "south korean won": "KRW",
    "korean won": "KRW",
    "krw": "KRW",
    "yen": "JPY",
    "japanese yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "swiss francs": "CHF",
    "bitcoin": "BTC",
    "bitcoins": "BTC",
    "btc": "BTC",
    "ether": "ETH",
    "eth": "ETH",
    "ethereum": "ETH",  # the network's name, used in news for its coin ("401,000 Ethereum")
    "usdt": "USDT",
    "tether": "USDT",
    "usdc": "USDC",
    "usd coin": "USDC",
    "inr": "INR",
    "rupees": "INR",
    "indian rupees": "INR",
    "monero": "XMR",
    "xmr": "XMR",
}
_PREFIX_RE = re.compile(
    "(?:" + "|".join(re.escape(p) for p in sorted(_PREFIX, key=len, reverse=True)) + r")\s?$"
)
# "billion-dollars" (KBS) is an amount; "billion-dollar heist" is an adjective, not one
_SUFFIX_RE = re.compile(
    r"^(?:\s+(?:in\s+)?|-(?=dollars\b))("
    + "|".join(re.escape(s) for s in sorted(_SUFFIX, key=len, reverse=True))
    + r")(?![\w$])",
    re.IGNORECASE,
)
# crypto tickers written in capitals after a number ("5.43 trillion SHIB tokens", "640.27
# billion $PEPE"): capitals only, since "gala", "dot" and "link" are also words
TICKERS: Final[frozenset[str]] = frozenset(
    {
        "SHIB", "MATIC", "POL", "PEPE", "GALA", "BNB", "SOL", "TRX", "DAI", "WBTC", "WETH", "XRP",
        "ADA", "DOGE", "LTC", "AVAX", "DOT", "LINK", "BUSD", "FTM", "ARB", "UNI", "AAVE",
        "SUSHI", "FRAX", "TON", "BCH", "ETC", "XLM", "ATOM", "NEAR", "APT", "SUI", "TUSD",
    }
)  # fmt: skip
_TICKER_RE = re.compile(r"^\s+\$?([A-Z]{2,5})\b(?![.$])")
# two amounts of one currency joined as a range: "US$7 million to $31 million"
_RANGE_RE = re.compile(r"\s*(?:to|-|–)\s*")
_BETWEEN_RE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_BOUNDS: Final[dict[str, str]] = {
    "up to": "at_most",
    "as much as": "at_most",
    "less than": "at_most",
    "under": "at_most",
    "no more than": "at_most",
    "at least": "at_least",
    "more than": "at_least",
    "over": "at_least",
    "in excess of": "at_least",
    "upwards of": "at_least",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "some": "about",
    "an estimated": "about",
    "estimated at": "about",
    "estimated": "about",
}
_BOUND_RE = re.compile(
    r"\b(" + "|".join(sorted(_BOUNDS, key=len, reverse=True)) + r")\s+$", re.IGNORECASE
)


def bound_before(text: str, start: int) -> str | None:
    """``at_most`` for "up to 2 billion", ``at_least`` for "at least 35", or ``None``."""
    m = _BOUND_RE.search(text[max(0, start - 25) : start])
    return _BOUNDS[m.group(1).lower()] if m else None


def find_money(text: str, numbers: list[Number]) -> list[Mention]:
    """Each number with a currency beside it becomes a money mention."""
    out: list[Mention] = []
    for n in numbers:
        start, end, unit, rule, confidence = n.start, n.end, None, "", 0.0
        prefix = _PREFIX_RE.search(text[max(0, n.start - 5) : n.start])
        if prefix and not n.words:
            symbol = prefix.group(0).strip()
            unit = _PREFIX[symbol]
            start = n.start - len(prefix.group(0))
            rule = "money.symbol_before"
            # a bare "$" is US dollars in the news this project reads, but not always
            confidence = 0.85 if symbol == "$" else 0.95
        else:
            suffix = _SUFFIX_RE.match(text[n.end : n.end + 40])
            ticker = _TICKER_RE.match(text[n.end : n.end + 12])
            if suffix is None and ticker and ticker.group(1) in TICKERS:
                unit = ticker.group(1)
                end = n.end + ticker.end()
                rule = "money.currency_after"
                confidence = 0.9
            elif suffix:
                unit = _SUFFIX[suffix.group(1).lower()]
                end = n.end + suffix.end()
                rule = "money.currency_after"
                # plain "dollars" may be another dollar; "US dollars", "euros", "ETH" may not
                confidence = 0.85 if suffix.group(1).lower() in {"dollars", "dollar"} else 0.95
        if unit is None:
            continue
        attrs: dict[str, str] = {}
        bound = bound_before(text, start)
        if bound:
            attrs["bound"] = bound
        if n.words:
            attrs["written"] = "words"
        if n.high is not None:
            attrs["high"] = str(as_value(n.high))
        out.append(Mention("money", start, end, as_value(n.value), unit, rule, confidence, attrs))
    return _money_ranges(text, out)


def _money_ranges(text: str, found: list[Mention]) -> list[Mention]:
    """ "US$7 million to $31 million" and "between $630 million and $1 billion" are one range
    (the lower figure, ``high`` the upper) of one currency, not two amounts."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and prev.unit == m.unit and "high" not in prev.attrs:
            gap = text[prev.end : m.start]
            joined = _RANGE_RE.fullmatch(gap) or (
                gap.strip() == "and"
                and _BETWEEN_RE.search(text[max(0, prev.start - 12) : prev.start])
            )
            low, high = Decimal(prev.value), Decimal(m.value)
            if joined and low < high:
                attrs = {**prev.attrs, "high": str(m.value)}
                out[-1] = Mention("money", prev.start, m.end, prev.value, prev.unit, prev.rule,
                                  min(prev.confidence, m.confidence), attrs)  # fmt: skip
                continue
        out.append(m)
    return out
