"""Date bounds as users type them, shared by every view (``--from``/``--to``, ``?from=&to=``).

``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; as an end bound a bare year or month means its last
day, so ``--to 2019`` includes December 2019.
"""

from __future__ import annotations

from datetime import date, datetime

from sanctrace.errors import InputError


def parse_bound(text: str | None, name: str, *, end: bool = False) -> date | None:
    """``text`` as a date (None when empty); ``name`` is the option for the error message."""
    if not text:
        return None
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(text) == size:
            try:
                d = datetime.strptime(text, fmt).date()
            except ValueError:
                break
            if end and size == 4:
                return date(d.year, 12, 31)
            if end and size == 7:
                nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
                return date.fromordinal(nxt.toordinal() - 1)
            return d
    raise InputError(name, f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
