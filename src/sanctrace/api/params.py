"""Query parameters shared by routers and pages: dates in the CLI's forms.

``from`` and ``to`` accept ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; ``to=2019`` means the end
of 2019 and ``to=2019-03`` the end of March, as ``--to`` does on the command line. (The CLI
has the same parsing in ``cli/incidents.py``; views do not import each other.)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query

from sanctrace.errors import InputError


def parse_date(text: str | None, name: str, *, end: bool = False) -> date | None:
    """``text`` as a date; with ``end``, the last day of a bare year or month."""
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


def date_range(
    date_from: Annotated[
        str | None,
        Query(alias="from", description="Only incidents on or after this date (YYYY[-MM[-DD]])."),
    ] = None,
    date_to: Annotated[
        str | None,
        Query(alias="to", description="Only incidents on or before this date (YYYY[-MM[-DD]])."),
    ] = None,
) -> tuple[date | None, date | None]:
    return parse_date(date_from, "from"), parse_date(date_to, "to", end=True)


DateRange = Annotated[tuple[date | None, date | None], Depends(date_range)]
