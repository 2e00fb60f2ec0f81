"""Pages for people, one module per page (or group of pages), each exposing ``router``.

A later capability adds ``pages/<name>.py`` with its routes (named ``web.<name>``; templates
in ``templates/``, extending ``base.html``), appends the module to ``PAGES`` and, for a place in
the header, a ``(label, route name)`` entry to ``NAV``. Pages read the workspace through
``sanctrace.api.deps.Access`` and call engines only.
"""

from __future__ import annotations

from typing import Final

PAGES: Final[tuple[str, ...]] = (
    "dashboard",
    "incidents",
    "actors",
    "sources",
    "docs",
    "trace",
    "claims",
    "cap",
    "maritime",
)

NAV: Final[tuple[tuple[str, str], ...]] = (
    ("Dashboard", "web.dashboard"),
    ("Actors", "web.actors"),
    ("Sources", "web.sources"),
    ("Trace", "web.trace"),
    ("Claims", "web.claims"),
    ("Cap", "web.cap"),
    ("Ships", "web.maritime"),
    ("API", "web.docs"),
)
