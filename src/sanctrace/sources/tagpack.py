"""``tagpack``: GraphSense TagPacks (YAML), one ``chain_tag`` row per address tag.

A TagPack is a header (``title``, ``creator``, ``description``, ``is_public``) and a list of
``tags``; every tag field (``currency``/``network``, ``label``, ``category``, ``abuse``,
``confidence``, ``source``, ``actor``, ``is_cluster_definer``, ...) may also be given once in
the header, and a tag that does not set it inherits it. The pack is read as data only
(``yaml.SafeLoader``, what ``yaml.safe_load`` uses, kept at node level so a quarantined tag can
be named by its line), and anchors/aliases may not expand a small file into a large one.

Values are checked against GraphSense's own vocabularies, bundled in ``data/tags``: a
``confidence`` id gets its level (0-100) from the confidence table, ``category`` and ``abuse``
must be concepts of the taxonomy. A tag with an unknown concept, confidence or field is
quarantined with the reason rather than kept: a misspelt ``category: exchagne`` kept as is
would silently stop being a service where tracing ends. A tag without ``confidence`` is kept
with none (the OFAC pack gives none): readers must not invent one. Tags that name only a
``tx_hash`` are quarantined: ``chain_tag`` holds addresses.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined, Row, read_text
from sanctrace.sources.chain_addresses import normalise, normalise_chain

HEADER_ONLY: Final = frozenset({"title", "creator", "description", "is_public", "owner", "tags"})
TAG_FIELDS: Final = frozenset(
    {
        "label",
        "source",
        "currency",
        "network",
        "context",
        "confidence",
        "is_cluster_definer",
        "lastmod",
        "category",
        "abuse",
        "address",
        "tx_hash",
        "actor",
        "concepts",
        "tag_type",
    }
)
# given per tag only: a pack-wide address would tag one address many times
PER_TAG_ONLY: Final = frozenset({"address", "tx_hash"})
# an alias may repeat a node; a document may expand to at most this many times its own nodes
_EXPANSION = 4
_EXPANSION_FLOOR = 10_000


@cache
def confidence_levels() -> dict[str, int]:
    """GraphSense confidence id -> level (0-100), from the bundled confidence table."""
    with bundled("tags/graphsense_confidence.csv").open(encoding="utf-8", newline="") as fh:
        return {row["id"]: int(row["level"]) for row in csv.DictReader(fh)}


@cache
def concepts() -> dict[str, str | None]:
    """GraphSense concept id -> its broader concept (``exchange`` -> ``service``)."""
    with bundled("tags/graphsense_concepts.csv").open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row["broader"] or None for row in csv.DictReader(fh)}


def is_a(concept: str, ancestor: str) -> bool:
    """Whether ``concept`` is ``ancestor`` or narrower (``defi_bridge`` is a ``service``)."""
    known = concepts()
    seen: set[str] = set()
    current: str | None = concept
    while current is not None and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        current = known.get(current)
    return False


class TagPack:
    name = "tagpack"
    version = "1"
    description = "GraphSense TagPack YAML: attribution tags for addresses (label, category, ...)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        document, lines = _load(path)
        defaults, title = _header(path, document)
        out = Parsed(replace={"chain_tag": "tagpack"})
        seen: set[tuple[str, str, str, str | None]] = set()
        for i, tag in enumerate(document["tags"]):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            line, element = lines[i], f"tags[{i}]"
            try:
                row = _tag(tag, defaults, title)
            except ValueError as exc:
                out.quarantine.append(
                    Quarantined(str(exc), line=line, element=element, raw=_raw(tag))
                )
                continue
            key = (row["chain"], row["address"], row["label"], row["tag_source"])
            if key in seen:
                out.quarantine.append(
                    Quarantined(
                        f"{row['chain']} address {row['address']} tagged {row['label']!r} twice",
                        line=line,
                        element=element,
                        raw=_raw(tag),
                    )
                )
                continue
            seen.add(key)
            out.add("chain_tag", row)
        return out


def _load(path: Path) -> tuple[dict[str, Any], list[int | None]]:
    """The document, and the line of each tag; ``InputError`` if it is no TagPack."""
    text = read_text(path)
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = None
    try:
        # the pure-Python reader rejects control characters as it is built
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            raise InputError(str(path), "the file holds no YAML document")
        _check_expansion(path, node)
        document = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(where, f"not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML: {exc}") from exc
    except (ValueError, OverflowError) as exc:
        # a scalar that the YAML resolver types but Python cannot build (2022-13-45, a huge int)
        raise InputError(str(path), f"unreadable YAML value: {exc}") from exc
    except RecursionError as exc:
        raise InputError(str(path), "the YAML is nested too deeply") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(document, dict):
        raise InputError(
            str(path), f"not a TagPack: the document is a {_kind(document)}, not a mapping"
        )
    if "tags" not in document:
        hint = " (this is an ActorPack)" if "actors" in document else ""
        raise InputError(str(path), f"not a TagPack: there is no 'tags' list{hint}")
    tags = document["tags"]
    if not isinstance(tags, list):
        raise InputError(str(path), f"not a TagPack: 'tags' is a {_kind(tags)}, not a list")
    if not tags:
        raise InputError(str(path), "the TagPack has no tags")
    return document, _tag_lines(node, len(tags))


def _tag_lines(root: yaml.Node, count: int) -> list[int | None]:
    """The line where each tag starts; None where the tags came through a YAML merge key."""
    if isinstance(root, yaml.MappingNode):
        # the last 'tags' key wins, as it does when the mapping is built
        for key, value in reversed(root.value):
            if key.value == "tags" and isinstance(value, yaml.SequenceNode):
                if len(value.value) == count:
                    return [item.start_mark.line + 1 for item in value.value]
                break
    return [None] * count


def _check_expansion(path: Path, root: yaml.Node) -> None:
    """Refuse documents whose aliases repeat nodes far beyond the document's size (the
    'billion laughs'), or loop: constructing them is cheap, reading them is not."""
    distinct: set[int] = set()
    visits = 0
    stack = [root]
    while stack:
        node = stack.pop()
        visits += 1
        distinct.add(id(node))
        if visits > _EXPANSION * len(distinct) + _EXPANSION_FLOOR:
            raise InputError(
                str(path), "YAML aliases expand the document too far (an alias bomb or a loop)"
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def _header(path: Path, document: dict[Any, Any]) -> tuple[dict[str, Any], str]:
    """The values every tag inherits, and the pack's title."""
    unknown = sorted(repr(k) for k in document if k not in HEADER_ONLY | TAG_FIELDS)
    if unknown:
        raise InputError(
            str(path),
            f"unknown TagPack field(s) {', '.join(unknown)}; expected "
            f"{', '.join(sorted(HEADER_ONLY | TAG_FIELDS))}",
        )
    per_tag = sorted(k for k in document if k in PER_TAG_ONLY)
    if per_tag:
        raise InputError(str(path), f"{', '.join(per_tag)} belong(s) in a tag, not the header")
    fields = {}
    for field in ("title", "creator"):
        try:
            value = _text(document.get(field), field)
        except ValueError as exc:
            raise InputError(str(path), str(exc)) from None
        if value is None:
            raise InputError(str(path), f"not a TagPack: the header has no {field!r}")
        fields[field] = value
    defaults = {k: v for k, v in document.items() if k in TAG_FIELDS}
    return defaults, fields["title"]


def _tag(tag: Any, defaults: dict[str, Any], title: str) -> Row:
    """A tag with what it inherits, as a ``chain_tag`` row; ``ValueError`` says why not."""
    if not isinstance(tag, dict):
        raise ValueError(f"a tag must be a mapping, not a {_kind(tag)}")
    unknown = sorted(repr(k) for k in tag if k not in TAG_FIELDS)
    if unknown:
        raise ValueError(f"unknown tag field(s) {', '.join(unknown)}")
    merged = {**defaults, **tag}
    raw_address = merged.get("address")
    if raw_address is None:
        if merged.get("tx_hash") is not None:
            raise ValueError("a transaction tag (tx_hash, no address): chain_tag holds addresses")
        raise ValueError("the tag has no address")
    if isinstance(raw_address, int) and not isinstance(raw_address, bool):
        raise ValueError("the address was read as a number: quote it ('0x...')")
    address = _text(raw_address, "address")
    chain_text = _text(merged.get("network"), "network") or _text(
        merged.get("currency"), "currency"
    )
    if chain_text is None:
        raise ValueError("the tag has no currency or network")
    chain = normalise_chain(chain_text)
    address = normalise(chain, address or "")
    label = _text(merged.get("label"), "label")
    if label is None:
        raise ValueError("the tag has no label")
    category = _concept(merged.get("category"), "category")
    abuse = _concept(merged.get("abuse"), "abuse")
    confidence = _text(merged.get("confidence"), "confidence")
    level = None
    if confidence is not None:
        levels = confidence_levels()
        if confidence not in levels:
            raise ValueError(
                f"unknown confidence {confidence!r}; GraphSense's are {', '.join(levels)}"
            )
        level = levels[confidence]
    definer = merged.get("is_cluster_definer")
    if definer is not None and not isinstance(definer, bool):
        raise ValueError(f"is_cluster_definer must be true or false, not {_short(definer)}")
    return {
        "chain": chain,
        "address": address,
        "label": label,
        "category": category,
        "abuse": abuse,
        "confidence": confidence,
        "confidence_level": level,
        "is_cluster_definer": bool(definer),
        "actor": _text(merged.get("actor"), "actor"),
        "tag_source": _text(merged.get("source"), "source"),
        "tagpack": title,
    }


def _concept(value: Any, field: str) -> str | None:
    text = _text(value, field)
    if text is None:
        return None
    concept = text.lower()
    if concept not in concepts():
        raise ValueError(f"unknown {field} {text!r}: not a concept of GraphSense's taxonomy")
    return concept


def _text(value: Any, field: str) -> str | None:
    """A scalar field as stripped text (None when absent or empty); lists, mappings and
    booleans are not text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise ValueError(f"{field} must be text, not {_short(value)}")
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text.strip() or None


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "mapping", list: "list", str: "string"}
    return names.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"a {_kind(value)}"
    return repr(value)[:60]


def _raw(tag: Any) -> str:
    """The tag's scalar fields as JSON, for the quarantine (nested values are left out: they
    may be large or shared through aliases)."""
    if not isinstance(tag, dict):
        return f"<a {_kind(tag)}>"
    scalars = {
        str(k): v
        for k, v in tag.items()
        if v is None or isinstance(v, str | int | float | bool | date)
    }
    return json.dumps(scalars, default=str, ensure_ascii=False)[:2000]
