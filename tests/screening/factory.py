"""Build FtM-style entity dicts in one call, for the screening tests."""

from __future__ import annotations

from typing import Any


def entity(schema: str = "Person", *names: str, **props: str | list[str]) -> dict[str, Any]:
    """``entity("Person", "KIM Jong Un", birthDate="1984-01-08")``."""
    properties: dict[str, list[str]] = {"name": list(names)} if names else {}
    for key, value in props.items():
        properties[key] = [value] if isinstance(value, str) else list(value)
    return {"schema": schema, "properties": properties}
