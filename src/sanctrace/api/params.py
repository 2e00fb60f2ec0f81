"""Query parameters shared by routers and pages: ``from`` and ``to`` as ``--from`` and
``--to`` take them on the command line (``sanctrace.dates``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from sanctrace.dates import parse_bound


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
    return parse_bound(date_from, "from"), parse_bound(date_to, "to", end=True)


DateRange = Annotated[tuple[date | None, date | None], Depends(date_range)]
