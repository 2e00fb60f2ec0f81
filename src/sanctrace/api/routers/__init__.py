"""API routers, one module per capability. ``create_app`` mounts each under ``/api``.

A later capability (screening, chain, ...) adds ``routers/<name>.py`` exposing ``router`` (an
``APIRouter`` with its own prefix and tag) and appends the module's name to ``ROUTERS``. A
module may also expose ``root_router`` for paths other tools expect outside ``/api`` (yente's
``/match/{dataset}``).
"""

from __future__ import annotations

from typing import Final

ROUTERS: Final[tuple[str, ...]] = (
    "incidents",
    "actors",
    "sources",
    "screening",
    "suppressions",
    "chain",
    "claims",
    "itworkers",
    "caps",
    "maritime",
    "phishing",
)
