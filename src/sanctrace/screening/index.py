"""The candidate index: every listed party of the current list snapshots, prepared once, with
the retrieval keys of ``matcher``'s module docstring.

Retrieval is high-recall and cheap; scoring (``matcher.match``) decides. Keys:

- ``id:<Identifier.key>``: exact identifiers (IMO, MMSI, crypto address by family, email,
  domain; passport and other document numbers share ``id:doc:<value>``);
- ``ko:<korean key>``: Korean phonetic keys ("김:congun");
- ``t:<token>`` and ``s:<skeleton>``: distinctive name tokens and their phonetic skeletons,
  plus each pair of neighbouring tokens glued ("jong un" -> "jongun") so that glued and
  split given names meet;
- a deletion neighbourhood over the skeletons of the token vocabulary (each skeleton with
  one letter deleted, as SymSpell does), for one-letter typos and romanisation variants that
  no other key folds ("ryonbong" / "ryeonbong", "donlad" / "donald"): a dictionary look-up
  per query token instead of a scan of the vocabulary.

A candidate's retrieval weight is the sum of the inverse document frequencies of the keys it
shares with the query; the best ``max_candidates`` are scored. Identifier and Korean-key hits
are always scored. Retrieval also says which of a candidate's names share keys with the query:
only those are aligned (``Candidate.prepared``), which spares the matcher the dozens of
unrelated aliases some parties carry.

``get_index(ws)`` builds the index once per process and workspace, and again only when a
source has been loaded since.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import math
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctrace.screening import index_store, lists, names
from sanctrace.screening.entity import Prepared, prepare
from sanctrace.screening.identifiers import Identifier
from sanctrace.screening.index_store import MemoryStore, Record, Store
from sanctrace.screening.similarity import MIN_PAIR, token_similarity
from sanctrace.sources.base import Progress
from sanctrace.workspace import Workspace

PARTY_SCHEMATA = frozenset(
    {"Person", "Organization", "LegalEntity", "Company", "Vessel", "CryptoWallet", "Airplane"}
)
"""The schemata screened against; Sanction records only supply references."""

MAX_CANDIDATES = 50
"""At most this many candidates (best retrieval weight first) are scored per query."""

MIN_RELATIVE_WEIGHT = 0.25
"""Candidates whose retrieval weight is below this share of the best one are not scored."""

NAME_SHARE = 0.5
"""A candidate's name is aligned when its retrieval weight is at least this share of the
candidate's best name's."""

MIN_COVERAGE = 0.3
"""A candidate is scored only when the query tokens it shares keys with carry at least this
share of the query's retrieval mass (each token weighs its best key's inverse document
frequency; a token no entry has weighs the most). A candidate that shares only "Mohammed"
with "Mohammed Al-Farsi" cannot reach the threshold, and is not worth aligning."""

MIN_FUZZY_LENGTH = 4
"""Skeletons shorter than this get no deletion keys: "kim" less a letter is noise."""


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


@dataclass(frozen=True, slots=True)
class Candidate:
    """A retrieved entry and the form to score: its names narrowed to those that share keys
    with the query (all of them after an identifier or Korean-key hit)."""

    entry: Entry
    prepared: Prepared
    weight: float


def identifier_key(identifier: Identifier) -> str:
    """The exact-index key: passports and other document numbers meet on one key."""
    if identifier.kind in ("passport", "id"):
        return f"id:doc:{identifier.value}"
    return f"id:{identifier.key}"


def token_keys(tokens: names.NameTokens) -> set[str]:
    """Token, skeleton and glued-pair keys of one name."""
    keys: set[str] = set()
    distinctive = tokens.distinctive
    for token in distinctive:
        keys.add(f"t:{token}")
        keys.add(f"s:{names.skeleton(token)}")
    for a, b in itertools.pairwise(distinctive):
        keys.add(f"t:{a}{b}")
        keys.add(f"s:{names.skeleton(a + b)}")
    return keys


def name_keys(prepared: Prepared) -> set[str]:
    """Token, skeleton and glued-pair keys of every name."""
    keys: set[str] = set()
    for tokens in prepared.names:
        keys |= token_keys(tokens)
    return keys


def exact_keys(prepared: Prepared) -> set[str]:
    """Identifier and Korean keys: a hit on one of these is always scored."""
    keys = {identifier_key(i) for i in prepared.identifiers}
    keys.update(f"ko:{k}" for k in prepared.korean_keys)
    return keys


def deletions(text: str) -> set[str]:
    """``text`` and every form of it with one letter deleted."""
    return {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}


def _entry(record: Record) -> Entry:
    return Entry(
        entity_id=record.entity_id,
        schema=record.schema,
        caption=record.caption,
        refs=record.refs,
        lists=record.lists,
        prepared=prepare(record.entity),
        holders=record.holders,
    )


def memory_store(records: Iterable[Record], progress: Progress | None = None) -> MemoryStore:
    """Prepare every record and compute the retrieval maps (see the module docstring)."""
    kept = list(records)
    postings: dict[str, list[int]] = defaultdict(list)
    vocabulary: set[str] = set()
    for n, record in enumerate(kept):
        prepared = _entry(record).prepared
        keys = exact_keys(prepared) | name_keys(prepared)
        for key in keys:
            postings[key].append(n)
        for tokens in prepared.names:
            vocabulary.update(tokens.distinctive)
        if progress is not None:
            progress(n + 1)
    near: dict[str, list[str]] = defaultdict(list)
    for token in sorted(vocabulary):
        shape = names.skeleton(token)
        if len(shape) >= MIN_FUZZY_LENGTH and token.isalpha():
            for form in deletions(shape):
                near[form].append(token)
    return MemoryStore(
        kept,
        {k: tuple(v) for k, v in postings.items()},
        {k: tuple(v) for k, v in near.items()},
    )


class Index:
    """Listed parties with their retrieval keys; see the module docstring. Entries are
    prepared when first read, so that an index read lazily from its file costs only what a
    query touches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._entries: dict[int, tuple[Entry, tuple[frozenset[str], ...]]] = {}

    @classmethod
    def of(cls, records: Iterable[Record]) -> Index:
        """An in-memory index of ``records``."""
        return cls(memory_store(records))

    def __len__(self) -> int:
        return self.store.size

    def _get(self, n: int) -> tuple[Entry, tuple[frozenset[str], ...]]:
        found = self._entries.get(n)
        if found is None:
            entry = _entry(self.store.record(n))
            per_name = tuple(frozenset(token_keys(t)) for t in entry.prepared.names)
            found = self._entries[n] = (entry, per_name)
        return found

    @property
    def entries(self) -> list[Entry]:
        """Every entry (all are prepared: for tests and small lists, not the hot path)."""
        return [self._get(n)[0] for n in range(len(self))]

    def get(self, entity_id: str) -> Entry | None:
        """The entry of one listed party."""
        n = self.store.find(entity_id)
        return None if n is None else self._get(n)[0]

    def idf(self, key: str) -> float:
        """Inverse document frequency of a key; 0 for a key no entry has."""
        hits = len(self.store.postings(key))
        return math.log(1 + self.store.size / hits) if hits else 0.0

    def fuzzy_tokens(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary tokens whose skeleton is one deletion away from ``token``'s (either
        way, or a substitution: both less one letter), with their token similarity."""
        shape = names.skeleton(token)
        if len(shape) < MIN_FUZZY_LENGTH or not token.isalpha():
            return []
        found: set[str] = set()
        for form in deletions(shape):
            found.update(self.store.near(form))
        found.discard(token)
        out = []
        for other in sorted(found):
            similarity = token_similarity(token, other)
            if similarity >= MIN_PAIR:
                out.append((other, similarity))
        return out

    def query_keys(self, query: Prepared) -> list[tuple[tuple[str, ...], dict[str, float]]]:
        """The query's name keys, grouped by the query token (or glued pair of neighbouring
        tokens) they come from, each with its weight: the key's inverse document frequency,
        scaled by the token similarity for fuzzy hits."""
        groups: dict[tuple[str, ...], dict[str, float]] = {}
        for tokens in query.names:
            distinctive = tokens.distinctive
            for token in distinctive:
                group = groups.setdefault((token,), {})
                for key in (f"t:{token}", f"s:{names.skeleton(token)}"):
                    if idf := self.idf(key):
                        group[key] = idf
                for other, similarity in self.fuzzy_tokens(token):
                    key = f"t:{other}"
                    group[key] = max(group.get(key, 0.0), similarity * self.idf(key))
            for a, b in itertools.pairwise(distinctive):
                group = groups.setdefault((a, b), {})
                for key in (f"t:{a}{b}", f"s:{names.skeleton(a + b)}"):
                    if idf := self.idf(key):
                        group[key] = idf
        return list(groups.items())

    def retrieve(self, query: Prepared, max_candidates: int = MAX_CANDIDATES) -> list[Candidate]:
        """Candidates for ``query``: exact-key hits first, then the best ``max_candidates``
        by retrieval weight among those that cover ``MIN_COVERAGE`` of the query, each with
        the names worth aligning."""
        certain: set[int] = set()
        for key in exact_keys(query):
            certain.update(self.store.postings(key))
        groups = self.query_keys(query)
        rarest = math.log(1 + max(1, len(self)))  # a token no entry has
        mass = {
            tokens[0]: max(group.values(), default=rarest)
            for tokens, group in groups
            if len(tokens) == 1
        }
        weight: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        for tokens, group in groups:
            reach: set[int] = set()
            for key, w in group.items():
                hits = self.store.postings(key)
                reach.update(hits)
                for n in hits:
                    weight[n] += w
            credit = sum(mass[t] for t in tokens)
            for n in reach:
                covered[n] += credit
        least = MIN_COVERAGE * sum(mass.values())
        ranked = sorted(weight, key=lambda n: (-weight[n], n))
        floor = weight[ranked[0]] * MIN_RELATIVE_WEIGHT if ranked else 0.0
        chosen = sorted(certain)
        keys = {k: w for _, group in groups for k, w in group.items()}
        for n in ranked:
            if len(chosen) >= len(certain) + max_candidates or weight[n] < floor:
                break
            if n not in certain and covered[n] >= least:
                chosen.append(n)
        return [self._candidate(n, keys, n in certain, weight.get(n, 0.0)) for n in chosen]

    def _candidate(self, n: int, keys: Mapping[str, float], keep_all: bool, w: float) -> Candidate:
        entry, name_keys_of = self._get(n)
        prepared = entry.prepared
        if keep_all or len(prepared.names) < 2:
            return Candidate(entry, prepared, w)
        by_name = [sum(keys.get(k, 0.0) for k in ks) for ks in name_keys_of]
        best = max(by_name)
        keep = [
            i
            for i, (w_name, tokens) in enumerate(zip(by_name, prepared.names, strict=True))
            if w_name >= best * NAME_SHARE or (tokens.script and not tokens.tokens)
        ]
        if len(keep) == len(prepared.names):
            return Candidate(entry, prepared, w)
        narrowed = dataclasses.replace(
            prepared,
            names=tuple(prepared.names[i] for i in keep),
            weak=tuple(prepared.weak[i] for i in keep),
        )
        return Candidate(entry, narrowed, w)

    def candidates(self, query: Prepared, max_candidates: int = MAX_CANDIDATES) -> list[Entry]:
        """The entries ``retrieve`` finds."""
        return [c.entry for c in self.retrieve(query, max_candidates)]


# -- building from the workspace ---------------------------------------------------------


def _props(row: Mapping[str, Any]) -> dict[str, list[str]]:
    value = json.loads(row["properties"]) if row["properties"] else {}
    return value if isinstance(value, dict) else {}


def records(ws: Workspace) -> list[Record]:
    """The parties of the newest snapshot of every list in ``ws``, with their references."""
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
    out: list[Record] = []
    for entity_id in sorted(merged):
        row, props, datasets = merged[entity_id]
        party_refs = set(refs.get(entity_id, ()))
        party_lists = set(on_lists.get(entity_id, ())) | datasets
        holders = tuple(props.get("holder", []))
        for holder in holders:  # a wallet is listed through its holder
            party_refs.update(refs.get(holder, ()))
            party_lists.update(on_lists.get(holder, ()))
        out.append(
            Record(
                entity_id=entity_id,
                schema=row["schema"],
                caption=row["caption"],
                refs=tuple(sorted(party_refs)),
                lists=tuple(sorted(party_lists)),
                holders=tuple(captions.get(h, h) for h in holders),
                entity={"id": entity_id, "schema": row["schema"], "properties": props},
            )
        )
    return out


def build(ws: Workspace, progress: Progress | None = None) -> Index:
    """The in-memory index of the parties of the newest snapshot of every list in ``ws``."""
    return Index(memory_store(records(ws), progress))


# -- the cache: one index per process and workspace state, and a file beside the workspace


def cache_path(ws: Workspace) -> Path:
    """The index file of ``ws``: beside it, named after it."""
    return ws.path.with_name(ws.path.name + ".screening-index")


def _code_hash() -> str:
    """A hash of the screening code: an index built by other code is rebuilt."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + module.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(ws: Workspace) -> str:
    """The workspace state an index is built from: every source loaded, and the code."""
    return hashlib.sha256(f"{_code_hash()}|{ws.state()}".encode()).hexdigest()


_CACHE: dict[tuple[str, str], Index] = {}
_LOCK = threading.Lock()


def is_ready(ws: Workspace) -> bool:
    """Whether ``get_index`` will answer without building: the index is in this process,
    or its file beside the workspace is current. Views show progress when it is not."""
    key = (str(ws.path), fingerprint(ws))
    with _LOCK:
        if key in _CACHE:
            return True
    return index_store.load(cache_path(ws), key[1]) is not None


def get_index(ws: Workspace, progress: Progress | None = None) -> Index:
    """The index of ``ws``: from this process's cache, else from the file beside the
    workspace when it was built from the same state, else built (``progress`` is told how
    many parties are prepared) and saved there for the next process."""
    key = (str(ws.path), fingerprint(ws))
    with _LOCK:
        index = _CACHE.get(key)
        if index is not None:
            return index
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        path = cache_path(ws)
        stored = index_store.load(path, key[1])
        if stored is not None:
            index = Index(stored)
        else:
            memory = memory_store(records(ws), progress)
            index = Index(memory)
            # a read-only directory: the index lives in this process only
            with contextlib.suppress(OSError, sqlite3.Error):
                index_store.save(memory, path, key[1])
        _CACHE[key] = index
        return index
