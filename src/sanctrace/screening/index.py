"""The candidate index: every listed party of the current list snapshots, prepared once, with
the retrieval keys of ``matcher``'s module docstring.

Retrieval is high-recall and cheap; scoring (``matcher.match``) decides. Keys:

- ``id:<Identifier.key>``: exact identifiers (IMO, MMSI, crypto address by family, email,
  domain; passport and other document numbers share ``id:doc:<value>``);
- ``ko:<korean key>``: Korean phonetic keys ("김:congun");
- ``t:<token>`` and ``s:<skeleton>``: distinctive name tokens and their phonetic skeletons,
  plus each pair of neighbouring tokens glued ("jong un" -> "jongun") so that glued and
  split given names meet;
- a trigram index over the token vocabulary, for one-letter typos and romanisation variants
  that no other key folds ("ryonbong" / "ryeonbong").

A candidate's retrieval weight is the sum of the inverse document frequencies of the keys it
shares with the query; the best ``max_candidates`` are scored. Identifier and Korean-key hits
are always scored.

``get_index(ws)`` builds the index once per process and workspace, and again only when a
source has been loaded since.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sanctrace.screening import lists, names
from sanctrace.screening.entity import Prepared, prepare
from sanctrace.screening.identifiers import Identifier
from sanctrace.workspace import Workspace

PARTY_SCHEMATA = frozenset(
    {"Person", "Organization", "LegalEntity", "Company", "Vessel", "CryptoWallet", "Airplane"}
)
"""The schemata screened against; Sanction records only supply references."""

MAX_CANDIDATES = 50
"""At most this many candidates (best retrieval weight first) are scored per query."""

MIN_RELATIVE_WEIGHT = 0.25
"""Candidates whose retrieval weight is below this share of the best one are not scored."""

TRIGRAM_DICE = 0.5
"""A vocabulary token counts as a fuzzy hit when its trigrams overlap the query token's by
at least this Dice coefficient."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One listed party: what a match reports, and its prepared form."""

    entity_id: str
    schema: str
    caption: str
    refs: tuple[str, ...]
    lists: tuple[str, ...]
    prepared: Prepared = field(repr=False, compare=False)
    holders: tuple[str, ...] = ()
    """For a wallet: the captions of the parties that hold it."""


def identifier_key(identifier: Identifier) -> str:
    """The exact-index key: passports and other document numbers meet on one key."""
    if identifier.kind in ("passport", "id"):
        return f"id:doc:{identifier.value}"
    return f"id:{identifier.key}"


def name_keys(prepared: Prepared) -> set[str]:
    """Token, skeleton and glued-pair keys of every name."""
    keys: set[str] = set()
    for tokens in prepared.names:
        distinctive = tokens.distinctive
        for token in distinctive:
            keys.add(f"t:{token}")
            keys.add(f"s:{names.skeleton(token)}")
        for a, b in itertools.pairwise(distinctive):
            keys.add(f"t:{a}{b}")
            keys.add(f"s:{names.skeleton(a + b)}")
    return keys


def exact_keys(prepared: Prepared) -> set[str]:
    """Identifier and Korean keys: a hit on one of these is always scored."""
    keys = {identifier_key(i) for i in prepared.identifiers}
    keys.update(f"ko:{k}" for k in prepared.korean_keys)
    return keys


def trigrams(token: str) -> frozenset[str]:
    padded = f"_{token}_"
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


class Index:
    """Listed parties with their retrieval keys; see the module docstring."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        postings: dict[str, list[int]] = defaultdict(list)
        for n, entry in enumerate(self.entries):
            for key in exact_keys(entry.prepared) | name_keys(entry.prepared):
                postings[key].append(n)
        self.postings: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in postings.items()}
        total = max(1, len(self.entries))
        self.idf: dict[str, float] = {
            k: math.log(1 + total / len(v)) for k, v in self.postings.items()
        }
        grams: dict[str, list[str]] = defaultdict(list)
        self._vocab_grams: dict[str, int] = {}
        for key in self.postings:
            if key.startswith("t:") and len(key) > 4:
                token = key[2:]
                tg = trigrams(token)
                self._vocab_grams[token] = len(tg)
                for g in tg:
                    grams[g].append(token)
        self.grams: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in grams.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def _fuzzy_tokens(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary tokens close to ``token`` by trigram Dice, with the coefficient."""
        tg = trigrams(token)
        overlap: dict[str, int] = defaultdict(int)
        for g in tg:
            for other in self.grams.get(g, ()):
                overlap[other] += 1
        out = []
        for other, shared in overlap.items():
            dice = 2 * shared / (len(tg) + self._vocab_grams[other])
            if dice >= TRIGRAM_DICE and other != token:
                out.append((other, dice))
        return out

    def candidates(self, query: Prepared, max_candidates: int = MAX_CANDIDATES) -> list[Entry]:
        """Entries that share a key with the query: exact-key hits first, then the best
        ``max_candidates`` by retrieval weight."""
        weight: dict[int, float] = defaultdict(float)
        certain: set[int] = set()
        for key in exact_keys(query):
            certain.update(self.postings.get(key, ()))
        keys = name_keys(query)
        for key in keys:
            for n in self.postings.get(key, ()):
                weight[n] += self.idf[key]
        for tokens in query.names:
            for token in tokens.distinctive:
                if len(token) < 3:
                    continue
                for other, dice in self._fuzzy_tokens(token):
                    key = f"t:{other}"
                    if key in keys:
                        continue
                    for n in self.postings[key]:
                        weight[n] += dice * self.idf[key]
        ranked = sorted(weight, key=lambda n: (-weight[n], n))
        floor = weight[ranked[0]] * MIN_RELATIVE_WEIGHT if ranked else 0.0
        chosen = list(certain)
        seen = set(certain)
        for n in ranked:
            if len(chosen) >= len(certain) + max_candidates or weight[n] < floor:
                break
            if n not in seen:
                chosen.append(n)
                seen.add(n)
        return [self.entries[n] for n in chosen]


# -- building from the workspace ---------------------------------------------------------


def _props(row: Mapping[str, Any]) -> dict[str, list[str]]:
    value = json.loads(row["properties"]) if row["properties"] else {}
    return value if isinstance(value, dict) else {}


def build(ws: Workspace) -> Index:
    """The index of the parties of the newest snapshot of every list in ``ws``."""
    rows = (
        lists.current_entities(ws)
        .select("entity_id", "schema", "caption", "properties", "dataset")
        .to_pyarrow()
        .to_pylist()
    )
    refs: dict[str, set[str]] = defaultdict(set)
    on_lists: dict[str, set[str]] = defaultdict(set)
    parties: list[tuple[dict[str, Any], dict[str, list[str]]]] = []
    for row in rows:
        props = _props(row)
        if row["schema"] == lists.SANCTION:
            for owner in props.get("entity", []):
                refs[owner].update(lists._refs(props))
                on_lists[owner].add(row["dataset"])
        elif row["schema"] in PARTY_SCHEMATA:
            parties.append((row, props))
    # one entity id may be on several lists (a wallet on the SDN list and on the address
    # list): one entry, its properties merged
    merged: dict[str, tuple[dict[str, Any], dict[str, list[str]], set[str]]] = {}
    for row, props in parties:
        entity_id = row["entity_id"]
        if entity_id not in merged:
            merged[entity_id] = (row, {k: list(v) for k, v in props.items()}, set())
        kept = merged[entity_id][1]
        for prop, values in props.items():
            kept.setdefault(prop, []).extend(v for v in values if v not in kept[prop])
        merged[entity_id][2].add(row["dataset"])
    captions = {k: row["caption"] for k, (row, _, _) in merged.items()}
    entries: dict[str, Entry] = {}
    for entity_id, (row, props, datasets) in merged.items():
        party_refs = set(refs.get(entity_id, ()))
        party_lists = set(on_lists.get(entity_id, ())) | datasets
        holders = tuple(props.get("holder", []))
        for holder in holders:  # a wallet is listed through its holder
            party_refs.update(refs.get(holder, ()))
            party_lists.update(on_lists.get(holder, ()))
        entity = {"id": entity_id, "schema": row["schema"], "properties": props}
        entries[entity_id] = Entry(
            entity_id=entity_id,
            schema=row["schema"],
            caption=row["caption"],
            refs=tuple(sorted(party_refs)),
            lists=tuple(sorted(party_lists)),
            prepared=prepare(entity),
            holders=tuple(captions.get(h, h) for h in holders),
        )
    return Index(entries[k] for k in sorted(entries))


_CACHE: dict[tuple[str, datetime | None], Index] = {}
_LOCK = threading.Lock()


def get_index(ws: Workspace) -> Index:
    """The index of ``ws``, built once per process and rebuilt when a source is loaded."""
    src = ws.table("source")
    loaded = src.loaded_at.max().to_pyarrow().as_py() if ws.count("source") else None
    key = (str(ws.path), loaded)
    with _LOCK:
        index = _CACHE.get(key)
        if index is None:
            for old in [k for k in _CACHE if k[0] == key[0]]:
                del _CACHE[old]
            index = build(ws)
            _CACHE[key] = index
        return index
