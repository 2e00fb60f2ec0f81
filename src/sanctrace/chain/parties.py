"""Every address's service, computed for the whole chain at once: the exits of a trace and the
counterparties of exposure.

``attribution.Attribution.service`` answers one address at a time, which is right for
explaining an exit (which tag, which cluster, which sweep) but costs a walk through the
address's outputs per address: a full haircut trace asks it for hundreds of thousands. Here
the same rules run on the store's arrays:

- a cluster with a cluster-defining service tag: every address of it (the first such tag in
  the cluster's tag order);
- otherwise an address's own service tag;
- otherwise an exchange deposit: the first output paying the address (chain order) whose
  spending transaction is a sweep, i.e. spends from at least two addresses and pays only
  addresses tagged with one exchange's label.

``tests/chain/test_parties.py`` checks that this equals ``Attribution.service`` for every
address of a generated chain. One column per (label, category, confidence): a ``Party``.
The result is saved beside the chain's store and memory-mapped, like the store.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from sanctrace.chain.attribution import EXCHANGE, SWEEP_INPUTS, Attribution, is_service
from sanctrace.chain.store import Store, code_hash, read_array, read_manifest, write_folder
from sanctrace.sources.tagpack import is_a

FORMAT: Final = 1
Array = npt.NDArray[Any]
DEPOSIT: Final = " (deposit)"
"""What an exchange deposit's exit label adds (as ``Attribution.label``)."""


@dataclass(frozen=True)
class Party:
    """A service as a counterparty: one column of the exposure matrices."""

    label: str
    category: str
    confidence: int | None


@dataclass(frozen=True)
class Parties:
    parties: tuple[Party, ...]
    addr_party: Array  # per address id: its party, -1 for none
    deposit: Array  # per address id: the party comes from a sweep, not a tag

    def exit_label(self, aid: int | None) -> str | None:
        """The label a trace reports for the address, None when it is no service."""
        if aid is None or aid < 0:
            return None
        column = int(self.addr_party[aid])
        if column < 0:
            return None
        return self.parties[column].label + (DEPOSIT if self.deposit[aid] else "")


def build(store: Store, services: Attribution) -> Parties:
    """The parties of every address of ``store`` (module docstring)."""
    found: dict[Party, int] = {}

    def column(party: Party) -> int:
        return found.setdefault(party, len(found))

    by_cluster = np.full(store.n_addresses, -1, np.int64)
    for cluster_id, tags in services.view.by_cluster.items():
        cid = store.address_id(cluster_id)
        tag = next((t for t in tags if is_service(t.category)), None)
        if cid is not None and tag is not None and tag.category is not None:
            by_cluster[cid] = column(Party(tag.label, tag.category, tag.confidence_level))
    addr_party = by_cluster[np.asarray(store.addr_cluster)]
    for address, tags in services.view.by_address.items():
        aid = store.address_id(address)
        tag = next((t for t in tags if is_service(t.category)), None)
        if aid is None or addr_party[aid] >= 0 or tag is None or tag.category is None:
            continue
        addr_party[aid] = column(Party(tag.label, tag.category, tag.confidence_level))
    parties = tuple(sorted(found, key=found.__getitem__))
    deposit = _deposits(store, addr_party, parties)
    addr_party = np.where(deposit >= 0, deposit, addr_party)
    return Parties(parties, addr_party, deposit >= 0)


def _deposits(store: Store, addr_party: Array, parties: tuple[Party, ...]) -> Array:
    """Per address: the exchange party a sweep moved its coins into, -1 for none."""
    n_tx = store.n_tx
    none = np.full(store.n_addresses, -1, np.int64)
    if not parties:
        return none
    label_id = {label: i for i, label in enumerate(sorted({p.label for p in parties}))}
    party_label = np.array([label_id[p.label] for p in parties], np.int64)
    out_tx, out_addr = np.asarray(store.out_tx), np.asarray(store.out_addr)
    paid = out_addr >= 0
    tx_of = out_tx[paid]
    party = addr_party[out_addr[paid]]
    tagged = party >= 0
    has_untagged = np.zeros(n_tx, bool)
    has_untagged[tx_of[~tagged]] = True
    low = np.full(n_tx, np.iinfo(np.int64).max)
    high = np.full(n_tx, -1)
    np.minimum.at(low, tx_of[tagged], party_label[party[tagged]])
    np.maximum.at(high, tx_of[tagged], party_label[party[tagged]])
    first = np.full(n_tx, np.iinfo(np.int64).max)  # the sweep's party: its lowest column
    np.minimum.at(first, tx_of[tagged], party[tagged])
    one_label = (high >= 0) & (low == high) & ~has_untagged
    exchange = np.array([is_a(p.category, EXCHANGE) for p in parties])
    sweep = one_label & exchange[np.where(one_label, first, 0)]
    sweep &= _distinct_inputs(store) >= SWEEP_INPUTS
    # each untagged address: the first output paying it that a sweep spends
    spender = np.asarray(store.out_spender)
    order = np.asarray(store.addr_out_ids)
    owner = out_addr[order]
    by = spender[order]
    swept = (by >= 0) & (addr_party[owner] < 0)
    swept[swept] = sweep[by[swept]]
    hits = order[swept]
    if not len(hits):
        return none
    owners = out_addr[hits]
    firsts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])  # grouped by address
    none[owners[firsts]] = first[spender[hits[firsts]]]
    return none


def _distinct_inputs(store: Store) -> Array:
    """Per transaction: how many distinct input addresses it spends from (unknown counts as
    one address, as in ``Attribution``)."""
    in_tx = np.repeat(np.arange(store.n_tx), np.diff(np.asarray(store.tx_in)))
    pairs = np.unique(in_tx * (store.n_addresses + 1) + (np.asarray(store.in_addr) + 1))
    return np.bincount(pairs // (store.n_addresses + 1), minlength=store.n_tx)


# --- beside the store -----------------------------------------------------------------------


def save(found: Parties, path: Path, key: str) -> None:
    parties = [[p.label, p.category, p.confidence] for p in found.parties]
    manifest = {"format": FORMAT, "fingerprint": key, "parties": parties}
    write_folder(path, manifest, {"addr_party": found.addr_party, "deposit": found.deposit})


def load(path: Path, key: str) -> Parties | None:
    manifest = read_manifest(path, key, FORMAT)
    if manifest is None:
        return None
    try:
        return Parties(
            tuple(Party(label, cat, conf) for label, cat, conf in manifest["parties"]),
            read_array(path, "addr_party"),
            read_array(path, "deposit"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


_CACHE: dict[tuple[str, str], Parties] = {}
_LOCK = threading.Lock()


def get_parties(store: Store, services: Attribution) -> Parties:
    """The parties of ``store``: from this process, from its folder, or built and saved."""
    key = f"{store.key}|{code_hash(FORMAT, 'parties.py', 'attribution.py')}"
    cache_key = (str(store.folder or id(store)), key)
    with _LOCK:
        found = _CACHE.get(cache_key)
        if found is not None:
            return found
        path = None if store.folder is None else store.folder / "parties"
        found = None if path is None else load(path, key)
        if found is None:
            found = build(store, services)
            if path is not None:
                with contextlib.suppress(OSError):
                    save(found, path, key)
        for old in [k for k in _CACHE if k[0] == cache_key[0]]:
            del _CACHE[old]
        _CACHE[cache_key] = found
        return found
