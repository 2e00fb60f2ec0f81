"""Sanctions lists in the workspace: their snapshots, the entities currently listed, and what
changed between two snapshots of one list.

Every list file loaded is a snapshot (``list_snapshot``) whose entities keep their own
``source_id``; ids come from the list's own reference, so two snapshots compare by entity id.
A designation is a listed party (Person, Organization, Vessel, ...). Its Sanction record and
the wallets it holds belong to it: a change there is reported as an amendment of the party
(``Sanction.program``, ``CryptoWallet``), not as a designation of its own. A wallet whose
holder is not on the list (the plain address lists) is a designation itself.

The comparison runs on Ibis tables (DuckDB or Spark): the properties, stored as sorted JSON,
compare as strings. Only the entities that differ come back to Python, where the property-by-
property detail is worked out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import ibis

from sanctrace.errors import NotFoundError
from sanctrace.workspace import Workspace

SANCTION = "Sanction"
WALLET = "CryptoWallet"
OFAC = "Office of Foreign Assets Control"


@dataclass(frozen=True)
class Snapshot:
    """One list file loaded: ``published`` is the list's own date where it carries one."""

    source_id: str
    dataset: str
    published: date | None
    entities: int
    uri: str
    loaded_at: datetime


@dataclass(frozen=True)
class Change:
    """One property of a designation that differs. ``property`` is an FtM property name, or
    ``Sanction.program`` for its Sanction's, or a schema (``CryptoWallet``) when a linked
    entity was added (``old`` empty) or removed (``new`` empty)."""

    property: str
    old: list[str]
    new: list[str]


@dataclass(frozen=True)
class Designation:
    entity_id: str
    schema: str
    caption: str
    refs: list[str]  # the list's own references: KPi.033, OFAC-17069
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class ListDiff:
    dataset: str
    old: Snapshot
    new: Snapshot
    added: list[Designation]
    removed: list[Designation]
    amended: list[Designation]
    # the programmes each snapshot lists designations under: when they differ (a DPRK-only
    # subset against a full list), added and removed may only mean "not in the other file"
    programmes_old: list[str] = field(default_factory=list)
    programmes_new: list[str] = field(default_factory=list)
    # with ``common_programmes``: designations left out because the other snapshot does not
    # cover any of their programmes
    out_of_scope: int = 0


def snapshots(ws: Workspace, dataset: str | None = None) -> list[Snapshot]:
    """Every snapshot, by dataset, oldest first (by publication date, then load time; a list
    without a date of its own counts from the day it was loaded)."""
    s, src = ws.table("list_snapshot"), ws.table("source")
    if dataset is not None:
        s = s.filter(s.dataset == dataset)
    joined = s.join(src, s.source_id == src.source_id).select(
        s.source_id, s.dataset, s.published, s.entities, src.uri, src.loaded_at
    )
    rows = [Snapshot(**r) for r in joined.to_pyarrow().to_pylist()]
    return sorted(rows, key=lambda r: (r.dataset, r.published or r.loaded_at.date(), r.loaded_at))


def latest(ws: Workspace, dataset: str | None = None) -> dict[str, Snapshot]:
    """The newest snapshot of each dataset."""
    out: dict[str, Snapshot] = {}
    for snap in snapshots(ws, dataset):
        out[snap.dataset] = snap  # sorted oldest first: the last one wins
    return out


def current_entities(ws: Workspace, dataset: str | None = None) -> ibis.Table:
    """The ``entity`` rows of the newest snapshot of each list (or of ``dataset``)."""
    e = ws.table("entity")
    ids = [s.source_id for s in latest(ws, dataset).values()]
    return e.filter(e.source_id.isin(ids)) if ids else e.filter(ibis.literal(False))


def datasets_with_history(ws: Workspace) -> list[str]:
    """Datasets with at least two snapshots: the ones a diff can be made for."""
    count: dict[str, int] = defaultdict(int)
    for snap in snapshots(ws):
        count[snap.dataset] += 1
    return sorted(d for d, n in count.items() if n > 1)


def diff(
    ws: Workspace,
    dataset: str | None = None,
    old_source_id: str | None = None,
    new_source_id: str | None = None,
    common_programmes: bool = False,
) -> ListDiff:
    """Designations added, removed and amended from one snapshot to another; by default the
    two newest of ``dataset``. The dataset may be left out when a snapshot is named.

    ``common_programmes`` compares only designations under programmes both snapshots cover,
    for a subset against a full list; it is not the default because a list that starts or
    ends a programme really adds or removes its designations."""
    old, new = _pick(ws, dataset, old_source_id, new_source_id)
    changed = _changed_rows(ws, old.source_id, new.source_id)
    context = _context(ws, old.source_id, new.source_id, changed)
    return _designations(old, new, changed, context, common_programmes)


# -- choosing the snapshots --------------------------------------------------------------


def _pick(
    ws: Workspace, dataset: str | None, old_id: str | None, new_id: str | None
) -> tuple[Snapshot, Snapshot]:
    every = snapshots(ws)
    by_id = {s.source_id: s for s in every}
    for given, flag in ((old_id, "--from"), (new_id, "--to")):
        if given is not None and given not in by_id:
            raise NotFoundError(
                f"{flag} {given}: no list snapshot with that source_id; see `sanctrace lists show`"
            )
    named = [by_id[i] for i in (old_id, new_id) if i is not None]
    if dataset is None and named:
        dataset = named[0].dataset
    if dataset is None:
        choices = datasets_with_history(ws)
        if len(choices) != 1:
            raise NotFoundError(
                "name the list to compare with --dataset: "
                + (
                    f"lists with two snapshots or more: {', '.join(choices)}"
                    if choices
                    else "no list has two snapshots loaded yet"
                )
            )
        dataset = choices[0]
    mine = [s for s in every if s.dataset == dataset]
    for snap in named:
        if snap.dataset != dataset:
            raise NotFoundError(f"snapshot {snap.source_id} is of {snap.dataset}, not {dataset}")
    if not mine:
        known = sorted({s.dataset for s in every})
        raise NotFoundError(
            f"no snapshot of list {dataset!r}; loaded lists: {', '.join(known) or 'none'}"
        )
    new = by_id[new_id] if new_id else mine[-1]
    if old_id:
        old = by_id[old_id]
    else:
        older = [s for s in mine if _order(s) < _order(new)]
        if not older:
            raise NotFoundError(
                f"no snapshot of {dataset} older than {new.source_id} to compare with; load "
                "another with `sanctrace ingest`"
            )
        old = older[-1]
    if old.source_id == new.source_id:
        raise NotFoundError(f"--from and --to are the same snapshot ({old.source_id})")
    return old, new


def _order(s: Snapshot) -> tuple[date, datetime]:
    return (s.published or s.loaded_at.date(), s.loaded_at)


# -- the comparison, on Ibis -------------------------------------------------------------

Row = dict[str, Any]


def _changed_rows(ws: Workspace, old_id: str, new_id: str) -> list[Row]:
    """Entities present in one snapshot only, or in both with other properties or schema:
    ``o_*`` and ``n_*`` columns, null on the side where the entity is absent."""
    e = ws.table("entity")
    o = e.filter(e.source_id == old_id).select(
        o_id=e.entity_id, o_schema=e["schema"], o_caption=e.caption, o_props=e.properties
    )
    n = e.filter(e.source_id == new_id).select(
        n_id=e.entity_id, n_schema=e["schema"], n_caption=e.caption, n_props=e.properties
    )
    j = o.outer_join(n, o.o_id == n.n_id)
    j = j.filter(
        j.o_id.isnull() | j.n_id.isnull() | (j.o_props != j.n_props) | (j.o_schema != j.n_schema)
    )
    return list(j.to_pyarrow().to_pylist())


@dataclass
class _Context:
    """What the changed rows need from the rest: every party's references (from its
    Sanction), and the owners of changed Sanctions and wallets that are present in either
    snapshot, with schema and caption (a wallet whose holder is not listed stands alone)."""

    refs: dict[str, list[str]]
    parties: dict[str, tuple[str, str]]  # entity_id -> (schema, caption), newest wins
    programs: dict[str, set[str]]  # party -> the programmes it is listed under
    covered: dict[str, set[str]]  # source_id -> the programmes that snapshot lists


def _context(ws: Workspace, old_id: str, new_id: str, changed: list[Row]) -> _Context:
    e = ws.table("entity")
    both = e.source_id.isin([old_id, new_id])
    refs: dict[str, set[str]] = defaultdict(set)
    programs: dict[str, set[str]] = defaultdict(set)
    covered: dict[str, set[str]] = defaultdict(set)
    sanctions = e.filter(both & (e["schema"] == SANCTION)).select("properties", "source_id")
    for r in sanctions.to_pyarrow().to_pylist():
        props = json.loads(r["properties"])
        covered[r["source_id"]].update(props.get("program", []))
        for owner in props.get("entity", []):
            refs[owner].update(_refs(props))
            programs[owner].update(props.get("program", []))
    owners = {
        o
        for r in changed
        for side in ("o", "n")
        if r[f"{side}_props"]
        for o in json.loads(r[f"{side}_props"]).get(
            "entity" if r[f"{side}_schema"] == SANCTION else "holder", []
        )
    }
    parties: dict[str, tuple[str, str]] = {}
    if owners:
        found = e.filter(both & e.entity_id.isin(sorted(owners))).select(
            "entity_id", "schema", "caption", "source_id"
        )
        for r in sorted(found.to_pyarrow().to_pylist(), key=lambda r: r["source_id"] == new_id):
            parties[r["entity_id"]] = (r["schema"], r["caption"])
    return _Context({k: sorted(v) for k, v in refs.items()}, parties, programs, covered)


def _refs(sanction: dict[str, list[str]]) -> list[str]:
    """The list's own reference for a party: the UN reference (KPi.033), ``OFAC-`` and the
    ent_num for OFAC, otherwise the authority's id."""
    if sanction.get("unscId"):
        return sanction["unscId"]
    ids = sanction.get("authorityId", [])
    if OFAC in sanction.get("authority", []):
        return [f"OFAC-{i}" for i in ids]
    return ids or sanction.get("programId", [])


# -- designations --------------------------------------------------------------------------


def _designations(
    old: Snapshot, new: Snapshot, changed: list[Row], ctx: _Context, common_programmes: bool
) -> ListDiff:
    parties: dict[str, Row] = {}
    linked: list[tuple[str, list[Change]]] = []  # owner id, changes of its Sanction or wallet
    for r in changed:
        schema = r["n_schema"] or r["o_schema"]
        link = "entity" if schema == SANCTION else "holder"
        before = json.loads(r["o_props"]) if r["o_id"] is not None else {}
        after = json.loads(r["n_props"]) if r["n_id"] is not None else {}
        owners_before = {o for o in before.get(link, []) if o in ctx.parties}
        owners_after = {o for o in after.get(link, []) if o in ctx.parties}
        if not owners_before | owners_after:
            if schema != SANCTION:
                parties[r["n_id"] or r["o_id"]] = r
            continue
        for owner in sorted(owners_before | owners_after):
            if owner not in owners_before:
                linked.append((owner, [Change(schema, [], [r["n_caption"]])]))
            elif owner not in owners_after:
                linked.append((owner, [Change(schema, [r["o_caption"]], [])]))
            else:
                linked.append((owner, _changes(r, prefix=f"{schema}.", skip=link)))
    added, removed, amended = [], [], {}
    out_of_scope: set[str] = set()
    for entity_id, r in parties.items():
        refs = ctx.refs.get(entity_id, [])
        other = ctx.covered.get(old.source_id if r["o_id"] is None else new.source_id, set())
        mine = ctx.programs.get(entity_id, set())
        one_side = r["o_id"] is None or r["n_id"] is None
        if common_programmes and one_side and other and mine and not mine & other:
            out_of_scope.add(entity_id)
            continue
        if r["o_id"] is None:
            added.append(Designation(entity_id, r["n_schema"], r["n_caption"], refs))
        elif r["n_id"] is None:
            removed.append(Designation(entity_id, r["o_schema"], r["o_caption"], refs))
        else:
            amended[entity_id] = Designation(
                entity_id, r["n_schema"], r["n_caption"], refs, _changes(r)
            )
    whole = {d.entity_id for d in added + removed} | out_of_scope
    for owner, changes in linked:
        if owner in whole:
            continue  # a new or dropped party brings or takes its Sanction and wallets
        if owner not in amended:
            schema, caption = ctx.parties.get(owner, ("", owner))
            amended[owner] = Designation(owner, schema, caption, ctx.refs.get(owner, []))
        amended[owner].changes.extend(changes)
    return ListDiff(
        old.dataset,
        old,
        new,
        sorted(added, key=_key),
        sorted(removed, key=_key),
        sorted((d for d in amended.values() if d.changes), key=_key),
        sorted(ctx.covered.get(old.source_id, set())),
        sorted(ctx.covered.get(new.source_id, set())),
        len(out_of_scope),
    )


def _key(d: Designation) -> tuple[str, str]:
    return (d.refs[0] if d.refs else "~", d.caption)


def _changes(r: Row, prefix: str = "", skip: str | None = None) -> list[Change]:
    """Property-by-property differences of an entity in both snapshots. A linked entity's
    (Sanction, wallet) property names carry its schema (``Sanction.program``); ``skip`` is
    the property that links it, which the owner already stands for."""
    old, new = json.loads(r["o_props"]), json.loads(r["n_props"])
    out = [
        Change(prefix + p, old.get(p, []), new.get(p, []))
        for p in sorted(set(old) | set(new))
        if p != skip and old.get(p, []) != new.get(p, [])
    ]
    if r["o_schema"] != r["n_schema"]:
        out.insert(0, Change(f"{prefix}schema", [r["o_schema"]], [r["n_schema"]]))
    return out


@dataclass(frozen=True)
class ListOverview:
    """What the current snapshot of one list holds.

    ``parties`` counts designations: listed parties (Person, Organization, Vessel, ...) and
    wallets that stand alone (the plain address lists); a wallet held by a listed party is
    part of that party and counted in ``held_wallets`` only. ``by_program`` counts a party
    under each program of its Sanction (so its sum may exceed ``parties``); ``by_year`` counts
    each party once, in the year of its earliest ``listingDate``. The key ``None`` (in both)
    holds the parties for which the list gives none. ``previous`` is the snapshot before the
    current one, when one is loaded (``diff`` compares the two)."""

    snapshot: Snapshot
    sha256: str
    parties: int
    by_schema: dict[str, int]  # most first
    by_program: dict[str | None, int]  # most first, None last
    by_year: dict[int | None, int]  # oldest first, None last
    held_wallets: int
    previous: Snapshot | None
    previous_sha256: str | None = None


def list_overview(ws: Workspace, dataset: str | None = None) -> list[ListOverview]:
    """The current snapshot of each list (or of ``dataset``), by dataset: parties by schema,
    program and listing year. Counts by schema run on Ibis; only the Sanction and wallet
    rows' properties come back to Python to be read."""
    every = snapshots(ws, dataset)
    current: dict[str, Snapshot] = {}
    previous: dict[str, Snapshot | None] = {}
    for snap in every:  # oldest first: the last one is the current snapshot
        previous[snap.dataset] = current.get(snap.dataset)
        current[snap.dataset] = snap
    if not current:
        return []
    ids = sorted(s.source_id for s in current.values())
    e = ws.table("entity")
    e = e.filter(e.source_id.isin(ids))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    grouped = e.group_by([e.source_id, e["schema"]]).agg(n=e.count())
    for r in grouped.to_pyarrow().to_pylist():
        counts[r["source_id"]][r["schema"]] = r["n"]
    linked = e.filter(e["schema"].isin([SANCTION, WALLET])).select(
        e.source_id, e["schema"], e.properties
    )
    # per snapshot: owner -> (programs, listing years); wallet holders named
    sanctioned: dict[str, dict[str, tuple[set[str], set[int]]]] = defaultdict(dict)
    holders: dict[str, list[str]] = defaultdict(list)
    for r in linked.to_pyarrow().to_pylist():
        props = json.loads(r["properties"])
        if r["schema"] == WALLET:
            holders[r["source_id"]].append(next(iter(props.get("holder", [])), ""))
            continue
        for owner in props.get("entity", []):
            progs, yrs = sanctioned[r["source_id"]].setdefault(owner, (set(), set()))
            progs.update(props.get("program", []))
            yrs.update(int(d[:4]) for d in props.get("listingDate", []) if d[:4].isdigit())
    named = sorted({h for hs in holders.values() for h in hs if h})
    present: set[tuple[str, str]] = set()
    if named:
        found = e.filter(e.entity_id.isin(named)).select("source_id", "entity_id")
        present = {(r["source_id"], r["entity_id"]) for r in found.to_pyarrow().to_pylist()}
    src = ws.table("source")
    files = ids + [p.source_id for p in previous.values() if p is not None]
    sha = {
        r["source_id"]: r["sha256"]
        for r in src.filter(src.source_id.isin(files))
        .select("source_id", "sha256")
        .to_pyarrow()
        .to_pylist()
    }
    out = []
    for name in sorted(current):
        snap = current[name]
        sid = snap.source_id
        held = sum(1 for h in holders[sid] if (sid, h) in present)
        by_schema = {k: v for k, v in counts[sid].items() if k != SANCTION}
        if held:
            by_schema[WALLET] -= held
        by_schema = dict(sorted(((k, v) for k, v in by_schema.items() if v), key=_most))
        parties = sum(by_schema.values())
        owners = sanctioned[sid]
        programs: dict[str | None, int] = defaultdict(int)
        years: dict[int | None, int] = defaultdict(int)
        for progs, yrs in owners.values():
            for prog in progs:
                programs[prog] += 1
            if not progs:
                programs[None] += 1
            years[min(yrs) if yrs else None] += 1
        if parties > len(owners):
            programs[None] += parties - len(owners)
            years[None] += parties - len(owners)
        out.append(
            ListOverview(
                snapshot=snap,
                sha256=sha.get(sid, ""),
                parties=parties,
                by_schema=by_schema,
                by_program=dict(
                    sorted(programs.items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or ""))
                ),
                by_year=dict(sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))),
                held_wallets=held,
                previous=previous[name],
                previous_sha256=sha.get(prev.source_id) if (prev := previous[name]) else None,
            )
        )
    return out


def _most(kv: tuple[str, int]) -> tuple[int, str]:
    return (-kv[1], kv[0])


def summary(d: ListDiff) -> dict[str, int]:
    return {"added": len(d.added), "removed": len(d.removed), "amended": len(d.amended)}


def changed_properties(d: ListDiff) -> dict[str, int]:
    """How many amended designations changed each property, most common first."""
    count: dict[str, int] = defaultdict(int)
    for des in d.amended:
        for prop in {c.property for c in des.changes}:
            count[prop] += 1
    return dict(sorted(count.items(), key=lambda kv: (-kv[1], kv[0])))
