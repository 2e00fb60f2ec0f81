"""Exports of the incident registry for threat-intelligence tools: STIX 2.1 and MISP.

The builders (``stix.build_bundle``, ``misp.build_event``) read the workspace through the
incident engines and return plain dicts; only ``write_export`` touches a file. Output is
written with sorted keys, so the same registry always gives the same bytes.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

__all__ = ["FORMATS", "dumps", "write_export"]

FORMATS: Final[tuple[str, ...]] = ("stix", "misp")


def dumps(doc: Any) -> str:
    """The one serialisation of every export: sorted keys, two-space indent, UTF-8 text."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _build(format: str) -> Callable[[Workspace], dict[str, Any]]:
    if format == "stix":
        from sanctrace.exports.stix import build_bundle

        return build_bundle
    if format == "misp":
        from sanctrace.exports.misp import build_event

        return build_event
    raise InputError(
        "--format", f"{format!r} is not an export format; use one of {', '.join(FORMATS)}"
    )


def _counts(format: str, doc: dict[str, Any]) -> dict[str, int]:
    if format == "stix":
        return dict(sorted(Counter(o["type"] for o in doc["objects"]).items()))
    event = doc["Event"]
    return {"event": 1, "attribute": len(event["Attribute"]), "object": len(event["Object"])}


def write_export(ws: Workspace, format: str, out: Path) -> dict[str, int]:
    """Write the registry to ``out`` as ``format`` (stix or misp); return objects by type.

    The file is replaced atomically, so a failed export never leaves half a file behind.
    """
    build = _build(format)
    doc = build(ws)
    out = Path(out)
    # a sibling temporary file (created with the user's umask, unlike mkstemp's 0600)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(doc))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(str(out), f"cannot write the export: {exc.strerror or exc}") from exc
    return _counts(format, doc)
