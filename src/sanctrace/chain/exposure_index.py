"""Exposure precomputed for every transaction, so that an address's exposure is a look-up.

A live exposure runs haircut traces from an address's coins (``exposure.live``): fine for one
address, too slow for an exchange screening every deposit. Haircut is linear, so the same
numbers come out of a few sparse matrix products over the whole chain, once per load:

- inbound: for every transaction T, the share of T's coins that came from each service
  within h hops, going backward: ``G_h = B + A G_(h-1)``, where ``B[T, s]`` is the share of
  T's inputs spending outputs paid to service s, and ``A[T, T']`` the share of T's inputs
  spending non-service outputs of T'. A coin inherits its creating transaction's shares.
- outbound: for every transaction T, the share of what T spends that reaches each service
  within h hops, going forward: the same recurrence over T's outputs (their share of T's
  inputs, the fee being the rest) and the transactions that spend them. A coin takes the
  shares of the transaction that spends it.

Counterparties are services as ``attribution`` names them (tags, cluster-defining tags,
exchange deposits swept into a tagged exchange), one column per ``parties.Party``. Each coin
the address received is taken on its own ("per coin", as transfer-level KYT scores are):
coins that pass through the address twice count twice. Hops count paths: a service reached
by paths of 3 and of 7 transactions counts only the share that came the short way when
``hops`` is 5 (the taint engine instead counts a transaction's fewest hops and carries all
its taint from there; with hops enough to reach every service the two agree to the unit,
which ``tests/chain/test_exposure_index.py`` checks, with a path-by-path reference for
smaller hops).

The matrices are kept for 1 hop (direct) and ``hops`` (direct plus indirect), in float64
(the shares are ratios; amounts are rounded to the unit at the end), saved beside the
chain's store and memory-mapped, keyed by the store's fingerprint.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sanctrace.chain.attribution import Attribution
from sanctrace.chain.parties import Party, get_parties
from sanctrace.chain.store import (
    Store,
    StoredGraph,
    code_hash,
    ranges,
    read_array,
    read_manifest,
    write_folder,
)
from sanctrace.chain.taint import Direction

FORMAT: Final = 1
HOPS: Final = 5
"""The hop limit precomputed by default (``exposure``'s default)."""
Array = npt.NDArray[Any]
Matrix: TypeAlias = Any  # scipy.sparse.csr_matrix (scipy ships no type hints)
Steps = Callable[[str], None]


@dataclass(frozen=True)
class ExposureIndex:
    hops: int
    parties: tuple[Party, ...]
    addr_party: Array  # per address id: its party's column, -1 for none
    inbound: tuple[Matrix, Matrix]  # (1 hop, ``hops``), n_tx x parties
    outbound: tuple[Matrix, Matrix]


# --- the matrices ---------------------------------------------------------------------------


def build(
    store: Store, services: Attribution, hops: int = HOPS, steps: Steps | None = None
) -> ExposureIndex:
    """Inbound and outbound shares of every transaction (module docstring)."""
    step = steps or (lambda _: None)
    step("naming counterparties")
    named = get_parties(store, services)
    addr_party, parties = named.addr_party, named.parties
    n_tx, n_out, width = store.n_tx, len(store.out_value), max(1, len(parties))
    in_tx = np.repeat(np.arange(n_tx), np.diff(store.tx_in))
    value_in = np.zeros(n_tx)
    np.add.at(value_in, in_tx, store.in_value.astype(np.float64))
    out_party = np.where(store.out_addr >= 0, addr_party[np.maximum(store.out_addr, 0)], -1)
    service = out_party >= 0
    outs = np.arange(n_out)
    to_party = sp.csr_matrix(
        (np.ones(int(service.sum())), (outs[service], out_party[service])), shape=(n_out, width)
    )

    step("inbound shares")
    linked = (store.in_spent >= 0) & (value_in[in_tx] > 0)
    spend = sp.csr_matrix(
        (
            store.in_value[linked] / value_in[in_tx[linked]],
            (in_tx[linked], store.in_spent[linked]),
        ),
        shape=(n_tx, n_out),
    )
    plain = ~service
    created = sp.csr_matrix(
        (np.ones(int(plain.sum())), (outs[plain], store.out_tx[plain])), shape=(n_out, n_tx)
    )
    inbound = _iterate((spend @ created).tocsr(), (spend @ to_party).tocsr(), hops, step)

    step("outbound shares")
    funded = value_in[store.out_tx] > 0
    pay = sp.csr_matrix(
        (
            store.out_value[funded] / value_in[store.out_tx[funded]],
            (store.out_tx[funded], outs[funded]),
        ),
        shape=(n_tx, n_out),
    )
    onward = plain & (store.out_spender >= 0)
    spent_by = sp.csr_matrix(
        (np.ones(int(onward.sum())), (outs[onward], store.out_spender[onward])),
        shape=(n_out, n_tx),
    )
    outbound = _iterate((pay @ spent_by).tocsr(), (pay @ to_party).tocsr(), hops, step)
    return ExposureIndex(hops, parties, addr_party, inbound, outbound)


def _iterate(step_matrix: Matrix, direct: Matrix, hops: int, step: Steps) -> tuple[Matrix, Matrix]:
    """``(G_1, G_hops)`` of ``G_h = direct + step_matrix @ G_(h-1)``."""
    total = direct
    for h in range(2, hops + 1):
        step(f"hop {h} of {hops}")
        total = (direct + step_matrix @ total).tocsr()
    return direct.tocsr(), total.tocsr()


# --- look-ups -------------------------------------------------------------------------------


def own_parties(index: ExposureIndex, store: Store, aid: int) -> set[int]:
    """The party columns of ``aid``'s own cluster: never its own counterparty."""
    members = cluster_members(store, int(store.addr_cluster[aid]))
    found = np.asarray(index.addr_party[members])
    return {int(c) for c in np.unique(found[found >= 0])}


def cluster_members(store: Store, cluster: int) -> Array:
    """The address ids of cluster ``cluster`` (its smallest address id)."""
    order, starts = _members(store)
    return np.asarray(order[starts[cluster] : starts[cluster + 1]])


_MEMBERS: dict[int, tuple[Array, Array]] = {}


def _members(store: Store) -> tuple[Array, Array]:
    """Addresses grouped by cluster (CSR over cluster ids), computed once per store."""
    found = _MEMBERS.get(id(store))
    if found is None:
        order = np.argsort(store.addr_cluster, kind="stable")
        starts = np.searchsorted(store.addr_cluster[order], np.arange(store.n_addresses + 1))
        found = (order, starts)
        _MEMBERS.clear()  # one store at a time: the arrays are as large as the chain
        _MEMBERS[id(store)] = found
    return found


def _rows(store: Store, outputs: Array, direction: Direction) -> tuple[Array, Array]:
    """The transactions whose shares each coin takes, and the coins' values."""
    values = np.asarray(store.out_value[outputs], dtype=np.float64)
    if direction == "backward":
        return np.asarray(store.out_tx[outputs]), values
    spender = np.asarray(store.out_spender[outputs])
    spent = spender >= 0
    return spender[spent], values[spent]


def amounts(
    index: ExposureIndex, store: Store, outputs: Array, direction: Direction
) -> tuple[dict[int, int], dict[int, int]]:
    """Per party column: the amount of ``outputs``' coins within 1 hop and within
    ``index.hops``, rounded to the unit."""
    rows, values = _rows(store, outputs, direction)
    near, far = index.inbound if direction == "backward" else index.outbound
    found: list[dict[int, int]] = []
    for matrix in (near, far):
        summed = _weighted_rows(matrix, rows, values, len(index.parties))
        found.append({int(c): round(float(summed[c])) for c in np.flatnonzero(summed >= 0.5)})
    return found[0], found[1]


def _weighted_rows(matrix: Matrix, rows: Array, weights: Array, width: int) -> Array:
    """``weights @ matrix[rows]`` read straight from the CSR arrays: scipy's fancy indexing
    builds a new matrix per call, which costs more than the whole look-up should."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    if not lengths.sum():
        return np.zeros(width)
    at = ranges(starts, ends)
    scaled = matrix.data[at] * np.repeat(weights, lengths)
    return np.bincount(matrix.indices[at], weights=scaled, minlength=width)


def _column(matrix: Matrix, rows: Array, column: int) -> Array:
    """``matrix[rows, column]`` as a dense vector, gathered from the CSR arrays."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    out = np.zeros(len(rows))
    if not lengths.sum():
        return out
    at = ranges(starts, ends)
    hit = matrix.indices[at] == column
    owner = np.repeat(np.arange(len(rows)), lengths)
    out[owner[hit]] = matrix.data[at[hit]]
    return out


def explain(
    index: ExposureIndex, graph: StoredGraph, outputs: Array, column: int, direction: Direction
) -> tuple[tuple[str, ...], int] | None:
    """One path from the address's coins to the party ``column``, in chain order, with the
    amount that path alone carries: from the coin with the largest share, each step to the
    neighbour coin with the largest share of that party still ahead, until a coin paid to
    the party is reached. Shares are non-zero all along, so on a chain (a DAG) the walk
    always ends at the party."""
    store = graph.store
    far = (index.inbound if direction == "backward" else index.outbound)[1]
    rows, values = _rows(store, outputs, direction)
    if not len(rows):
        return None
    weights = _column(far, rows, column) * values
    if weights.max(initial=0) <= 0:
        return None
    tx, carried = int(rows[int(weights.argmax())]), float(values[int(weights.argmax())])
    path = [tx]
    while len(path) <= 4 * index.hops + 4:
        step = _next(index, store, tx, column, direction, far)
        if step is None:
            return None
        share, following = step
        carried *= share
        if following < 0:  # reached the party
            break
        tx = following
        path.append(tx)
    else:
        return None
    ordered = path if direction == "forward" else path[::-1]
    return tuple(store.tx_hash_of(t) for t in ordered), round(carried)


def _next(
    index: ExposureIndex,
    store: Store,
    tx: int,
    column: int,
    direction: Direction,
    far: Matrix,
) -> tuple[float, int] | None:
    """The best step from ``tx``: (share of ``tx``'s coins it carries, next transaction or
    -1 when the step pays the party itself). Plain Python over the few coins of one
    transaction: numpy's per-call cost is larger than the work here."""
    start, end = int(store.tx_in[tx]), int(store.tx_in[tx + 1])
    whole = float(sum(store.in_value[start:end].tolist()))
    if whole <= 0:
        return None
    if direction == "backward":
        coins = store.in_spent[start:end].tolist()
        values = store.in_value[start:end].tolist()
    else:
        first, last = int(store.tx_out[tx]), int(store.tx_out[tx + 1])
        coins = list(range(first, last))
        values = store.out_value[first:last].tolist()
    hit: tuple[float, int] | None = None
    onward: list[tuple[float, int]] = []
    for coin, value in zip(coins, values, strict=True):
        if coin < 0:
            continue
        addr = int(store.out_addr[coin])
        party = int(index.addr_party[addr]) if addr >= 0 else -1
        share = value / whole
        if party == column:
            if hit is None or share > hit[0]:
                hit = (share, -1)
        elif party < 0:
            neighbour = int(
                store.out_tx[coin] if direction == "backward" else store.out_spender[coin]
            )
            if neighbour >= 0:
                onward.append((share, neighbour))
    if hit is not None:
        return hit
    if not onward:
        return None
    ahead = _column(far, np.array([n for _, n in onward], np.int64), column)
    scores = [share * float(x) for (share, _), x in zip(onward, ahead.tolist(), strict=True)]
    best = max(range(len(scores)), key=scores.__getitem__)
    return None if scores[best] <= 0 else onward[best]


# --- files beside the store -----------------------------------------------------------------


def _path(root: Path, hops: int) -> Path:
    return root / f"exposure-{hops}"


_MATRICES: Final = ("inbound_1", "inbound_n", "outbound_1", "outbound_n")


def save(index: ExposureIndex, root: Path, key: str) -> None:
    matrices = dict(zip(_MATRICES, (*index.inbound, *index.outbound), strict=True))
    manifest = {
        "format": FORMAT,
        "fingerprint": key,
        "hops": index.hops,
        "shape": [matrices["inbound_1"].shape[0], len(index.parties)],
        "parties": [[p.label, p.category, p.confidence] for p in index.parties],
    }
    arrays = {
        f"{name}.{part}": getattr(m, part)
        for name, m in matrices.items()
        for part in ("data", "indices", "indptr")
    }
    write_folder(_path(root, index.hops), manifest, arrays)


def load(root: Path, hops: int, key: str, addr_party: Array) -> ExposureIndex | None:
    path = _path(root, hops)
    manifest = read_manifest(path, key, FORMAT)
    if manifest is None:
        return None
    try:
        shape = (int(manifest["shape"][0]), max(1, int(manifest["shape"][1])))
        m = [
            sp.csr_matrix(
                tuple(read_array(path, f"{name}.{part}") for part in ("data", "indices", "indptr")),
                shape=shape,
            )
            for name in _MATRICES
        ]
        return ExposureIndex(
            int(manifest["hops"]),
            tuple(Party(label, cat, conf) for label, cat, conf in manifest["parties"]),
            addr_party,
            (m[0], m[1]),
            (m[2], m[3]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


_CACHE: dict[tuple[str, int, str], ExposureIndex] = {}
_LOCK = threading.Lock()


def get_index(
    store: Store, services: Attribution, hops: int = HOPS, steps: Steps | None = None
) -> ExposureIndex:
    """The exposure index of ``store``, valid while the store's fingerprint and this code
    stay: from this process, from the store's folder, or built (``steps`` told each step)
    and saved there."""
    key = f"{store.key}|{code_hash(FORMAT, 'exposure_index.py', 'attribution.py')}"
    cache_key = (str(store.folder or id(store)), hops, key)
    with _LOCK:
        found = _CACHE.get(cache_key)
        if found is not None:
            return found
        named = get_parties(store, services)
        found = None if store.folder is None else load(store.folder, hops, key, named.addr_party)
        if found is None:
            found = build(store, services, hops, steps)
            if store.folder is not None:
                with contextlib.suppress(OSError):
                    save(found, store.folder, key)
        for old in [k for k in _CACHE if k[:2] == cache_key[:2]]:
            del _CACHE[old]
        _CACHE[cache_key] = found
        return found
