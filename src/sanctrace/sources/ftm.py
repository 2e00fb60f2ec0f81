"""What the sanctions-list adapters share: FollowTheMoney entities as ``entity`` rows, one
``list_snapshot`` row per file, and the dates that lists write in several ways.

Each list file is a snapshot: its rows keep their own ``source_id`` and are never replaced by
a later file, so ``screening.lists.diff`` can compare two snapshots by entity id. Entity ids
therefore come from the list's own reference (``unsc-KPi.033``, ``ofac-17069``), never from a
hash of the content.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from sanctrace.sources.base import Parsed, Row

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

SANCTION = "Sanction"

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DAY_MON_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MAX_RANGE_YEARS = 15  # a wider "born between" range says too little to list every year


def make(schema: str, entity_id: str) -> EntityProxy:
    from followthemoney import model

    entity = model.make_entity(schema)
    entity.id = entity_id
    return entity


def properties_json(entity: EntityProxy) -> str:
    """The FtM property dict as JSON, keys and values sorted, so that the same facts in
    another order give the same string (snapshots are compared on it)."""
    props: dict[str, list[str]] = entity.to_dict()["properties"]
    return json.dumps(
        {k: sorted(set(v)) for k, v in sorted(props.items())}, ensure_ascii=False, sort_keys=True
    )


def caption(entity: EntityProxy) -> str:
    if entity.schema.name == SANCTION:
        authority = entity.first("authority") or "Sanction"
        ref = entity.first("unscId") or entity.first("authorityId")
        return f"{authority} {ref}" if ref else str(authority)
    return str(entity.caption)


def entity_row(entity: EntityProxy, dataset: str) -> Row:
    return {
        "entity_id": entity.id,
        "schema": entity.schema.name,
        "caption": caption(entity),
        "properties": properties_json(entity),
        "dataset": dataset,
    }


def add_snapshot(out: Parsed, dataset: str, published: date | None) -> None:
    """One ``list_snapshot`` row; ``entities`` counts listed parties and their wallets, not
    the Sanction records that link them to the list."""
    parties = sum(1 for r in out.rows.get("entity", []) if r["schema"] != SANCTION)
    out.add("list_snapshot", {"dataset": dataset, "published": published, "entities": parties})


def fuzzy_date(text: str) -> str | None:
    """``2024-09-26``, ``1986-07``, ``1961``, ``12 Jul 1986``, ``Jul 1986`` -> ISO to the
    known precision; None when the text is none of these or not a real date."""
    text = text.strip().rstrip(".")
    m = _ISO.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        precision = 10 if m[3] else 7 if m[2] else 4
    else:
        m = _DAY_MON_YEAR.match(text)
        if not m or m[2].lower()[:3] not in _MONTHS:
            return None
        year, month, day = int(m[3]), _MONTHS[m[2].lower()[:3]], int(m[1] or 1)
        precision = 10 if m[1] else 7
    if not 1800 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()[:precision]
    except ValueError:
        return None


def year_range(start: int, end: int) -> list[str]:
    """Every year of a "between" range as an alternative birth year (FtM lists alternatives
    as separate values); a reversed or too wide range gives its two ends only."""
    if start > end or end - start > MAX_RANGE_YEARS:
        return [str(start), str(end)]
    return [str(y) for y in range(start, end + 1)]


def wallet_id(currency: str, address: str) -> str:
    """The id of a sanctioned wallet, shared by ``ofac-sdn`` (from Remarks) and
    ``ofac-addresses``, so the two lists meet on it and the SDN entry names the holder."""
    return f"ofac-wallet-{currency.lower()}-{address}"


def text_of(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())
