"""The Jinja2 environment of the pages: templates from the package, autoescaped, with the
few filters that turn engine values into text (no filter computes a figure)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.responses import Response

from sanctrace.incidents.vocabulary import VECTORS, VICTIM_TYPES

_URL = re.compile(r"https?://[^\s;<>\"']+")


def usd(value: int | None) -> str:
    """``81000000`` -> ``$81,000,000``; nothing for an unknown amount."""
    return "" if value is None else f"${value:,}"


def usd_short(value: int | None) -> str:
    """``1234000000`` -> ``$1.23 bn``: for headline figures, beside the exact value."""
    if value is None:
        return ""
    for size, unit in ((10**9, "bn"), (10**6, "M"), (10**3, "k")):
        if abs(value) >= size:
            return f"${value / size:,.3g} {unit}"
    return f"${value:,}"


def linkify(text: str | None) -> Markup:
    """Escape ``text`` and make every http(s) URL in it a link (citations such as
    ``https://undocs.org/S/2019/691 @ annex 21 ; https://...``)."""
    if not text:
        return Markup("")
    out, last = [], 0
    for m in _URL.finditer(text):
        out.append(escape(text[last : m.start()]))
        url = escape(m.group(0))
        out.append(Markup(f'<a href="{url}" rel="noreferrer noopener">{url}</a>'))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def is_url(text: str | None) -> bool:
    return bool(text) and _URL.fullmatch(text or "") is not None


@pass_context
def url_for(context: Context, name: str, /, **path_params: Any) -> str:
    """The path of a named route or static file (``/static/...``): links stay on the host,
    scheme and port the browser used, behind a proxy too."""
    request: Request = context["request"]
    return request.url_for(name, **path_params).path


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sanctrace.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        usd=usd,
        usd_short=usd_short,
        linkify=linkify,
        vector=lambda v: VECTORS.get(v, v),
        victim_type=lambda v: VICTIM_TYPES.get(v, v),
    )
    env.tests["url"] = is_url
    env.globals["url_for"] = url_for  # Jinja2Templates keeps it (it only sets a default)
    return env


templates = Jinja2Templates(env=_environment())


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Render a page; ``nav`` marks the current section in the header."""
    from sanctrace.web.pages import NAV

    return templates.TemplateResponse(
        request, name, {"nav": NAV, **context}, status_code=status_code
    )
