"""Readable text of an HTML page: the article, without menus, footers and scripts.

trafilatura is the maintained reference for main-content extraction from news pages; claims
read from a site's navigation or cookie banner would be noise. A page too short or too odd
for its article heuristics falls back to all of the body's text, so nothing a user gave is
silently dropped.
"""

from __future__ import annotations

import re
import warnings

from sanctrace.errors import InputError

_HAS_ROOT = re.compile(r"<\s*(?:html|body)\b", re.IGNORECASE)


def html_to_text(markup: str, name: str) -> str:
    """The article text of ``markup``; ``InputError`` naming ``name`` when there is none."""
    import trafilatura

    fragment = not _HAS_ROOT.search(markup)
    if fragment:
        # "<p>...</p>" has no page furniture to remove: all of its text is the content
        markup = f"<html><body>{markup}</body></html>"
    try:
        with warnings.catch_warnings():
            # lxml and trafilatura warn about malformed markup they then repair; the repaired
            # text is what we want, and an unusable page ends in the error below
            warnings.simplefilter("ignore")
            text = None
            if not fragment:
                text = trafilatura.extract(
                    markup,
                    favor_recall=True,
                    include_comments=False,
                    include_tables=True,
                    deduplicate=False,
                )
            if not text or not text.strip():
                text = trafilatura.html2txt(markup)
    except (ValueError, TypeError, RecursionError, LookupError, AttributeError) as exc:
        raise InputError(name, f"broken HTML: {type(exc).__name__}: {exc}") from None
    if not text or not text.strip():
        raise InputError(name, "no readable text in the HTML (empty page or broken markup)")
    return text
