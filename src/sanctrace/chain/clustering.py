"""Address clustering for UTXO chains: which addresses one owner controls.

- **Multi-input**: every input address of a transaction belongs to one owner (Nakamoto 2008,
  section 10; Meiklejohn et al. 2013), except in CoinJoins (``coinjoin.detect``), which join
  the inputs of several owners and are left out.
- **Change** (reported as ``ChangeLink``s with a confidence; merged only at or above
  ``ClusterConfig.change_threshold``, off by default, because a wrong change guess merges two
  owners): one-time change (Meiklejohn et al. 2013: the only output to an address never seen
  before and never paid again), script type (Möser & Narayanan, "Resurrecting address
  clustering in Bitcoin", 2022: the only output whose address type matches every input's) and
  round value (Androulaki et al. 2013; Möser & Narayanan: of two outputs, the payment is the
  round one). When two heuristics point at different outputs of one transaction, both links
  are marked conflicting and never merged.
- **Collapse guard** (``ClusterConfig.collapse_limit``, off by default): one undetected
  CoinJoin or wrong change link can merge two large entities into one giant cluster, the
  "cluster collapse" seen on real chains. A merge that would join two clusters both larger
  than the limit is refused unless ``confirmations`` distinct transactions link the same two
  clusters (as they stand when each link arrives): repeated, independent evidence is unlikely
  to be one mistake. Refused merges that never happened are reported.

Addresses become integer ids once (in sorted order, so the smallest id of a cluster is its
smallest address, which is the cluster's stable id). Without the guard the components come
from scipy's compiled connected components (``connected_labels``); with it, merges are
decided one by one in transaction order by ``UnionFind``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from sanctrace.chain.coinjoin import CoinJoin, Tx, detect

IntArray = npt.NDArray[np.int64]

ONE_TIME_CHANGE = 0.6
"""Confidence of the one-time change heuristic: wallets that reuse addresses, or pay fresh
addresses that are never paid again, fool it."""
SCRIPT_TYPE = 0.7
"""Confidence of the script-type heuristic: a wallet's change keeps its own address type."""
ROUND_VALUE = 0.5
"""Confidence of the round-value heuristic: round change happens, round payments in fiat do
not show as round in satoshi."""
ROUND_UNIT = 100_000
"""A value is round when it is a multiple of this (0.001 BTC)."""


@dataclass(frozen=True)
class ClusterConfig:
    """How far clustering goes beyond the multi-input heuristic."""

    change_threshold: float | None = None
    """Merge change links of at least this confidence; None: report them, merge none."""
    collapse_limit: int | None = None
    """Refuse merges joining two clusters both larger than this; None: no guard."""
    confirmations: int = 2
    """Distinct transactions linking the same two large clusters that lift the guard."""
    round_unit: int = ROUND_UNIT


class ChangeLink(NamedTuple):
    """A change guess: output ``n`` of ``tx_hash`` (to ``address``) returns to the sender."""

    tx_hash: str
    n: int
    address: str
    heuristic: str  # one_time | script_type | round_value
    confidence: float
    conflicting: bool  # another heuristic picked another output of the same transaction


class RefusedMerge(NamedTuple):
    """A merge the collapse guard refused: two addresses from the clusters it would join."""

    tx_hash: str
    evidence: str  # multi_input | change:<heuristic>
    left: str
    right: str
    left_size: int
    right_size: int


@dataclass(frozen=True)
class Clustering:
    """Addresses to clusters, and the evidence that was and was not used."""

    cluster_of: dict[str, str]
    """Address -> cluster id (the cluster's smallest address)."""
    sizes: dict[str, int]
    """Cluster id -> number of addresses."""
    coinjoins: dict[str, CoinJoin]
    """Transaction hash -> the CoinJoin it was taken for (left out of clustering)."""
    change_links: list[ChangeLink] = field(default_factory=list)
    change_merged: int = 0
    """Change links at or above the threshold, not conflicting, that were merged."""
    refused: list[RefusedMerge] = field(default_factory=list)


def cluster(txs: Iterable[Tx], config: ClusterConfig | None = None) -> Clustering:
    """Cluster the addresses of ``txs`` (in chain order: one-time change depends on it)."""
    config = config or ClusterConfig()
    txs = list(txs)
    addresses = sorted(_addresses(txs))
    ids = {a: i for i, a in enumerate(addresses)}
    coinjoins = {tx.tx_hash: cj for tx in txs if (cj := detect(tx)) is not None}
    links = change_links(txs, coinjoins, config.round_unit)
    threshold = config.change_threshold
    merging = {
        (link.tx_hash, link.n): link
        for link in links
        if threshold is not None and link.confidence >= threshold and not link.conflicting
    }
    edges: list[tuple[int, int, int, str]] = []  # left, right, tx position, evidence
    for position, tx in enumerate(txs):
        if tx.tx_hash in coinjoins:
            continue
        spent = sorted({ids[i.address] for i in tx.inputs if i.address is not None})
        edges.extend((spent[0], other, position, "multi_input") for other in spent[1:])
        if not spent:
            continue
        for out in tx.outputs:
            link = merging.get((tx.tx_hash, out.n))
            if link is not None and out.address is not None:
                edges.append((spent[0], ids[out.address], position, f"change:{link.heuristic}"))
    change_merged = len(merging)
    refused: list[RefusedMerge] = []
    if config.collapse_limit is None:
        left = np.fromiter((e[0] for e in edges), np.int64, len(edges))
        right = np.fromiter((e[1] for e in edges), np.int64, len(edges))
        labels = connected_labels(len(addresses), left, right)
    else:
        labels, refused_edges = _guarded(len(addresses), edges, config)
        for a, b, position, evidence, size_a, size_b in refused_edges:
            refused.append(
                RefusedMerge(
                    txs[position].tx_hash, evidence, addresses[a], addresses[b], size_a, size_b
                )
            )
    sizes = np.bincount(labels, minlength=len(addresses))
    cluster_of = {a: addresses[label] for a, label in zip(addresses, labels.tolist(), strict=True)}
    return Clustering(
        cluster_of=cluster_of,
        sizes={addresses[i]: int(sizes[i]) for i in np.flatnonzero(sizes).tolist()},
        coinjoins=coinjoins,
        change_links=links,
        change_merged=change_merged,
        refused=refused,
    )


def change_links(
    txs: Sequence[Tx], coinjoins: Mapping[str, CoinJoin], round_unit: int = ROUND_UNIT
) -> list[ChangeLink]:
    """Every change guess in ``txs`` (chain order), CoinJoins and coinbases left out."""
    first_seen: dict[str, int] = {}
    receipts: Counter[str] = Counter()
    for position, tx in enumerate(txs):
        for a in [i.address for i in tx.inputs] + [o.address for o in tx.outputs]:
            if a is not None:
                first_seen.setdefault(a, position)
        receipts.update({o.address for o in tx.outputs if o.address is not None})
    links: list[ChangeLink] = []
    for position, tx in enumerate(txs):
        if tx.tx_hash in coinjoins or len(tx.outputs) < 2:
            continue
        spent = [i.address for i in tx.inputs]
        if not spent or None in spent:
            continue
        found: list[tuple[int, str, str, float]] = []  # n, address, heuristic, confidence
        fresh = [
            o
            for o in tx.outputs
            if o.address is not None
            and o.address not in spent
            and first_seen[o.address] == position
            and receipts[o.address] == 1
        ]
        if len(fresh) == 1:
            found.append((fresh[0].n, fresh[0].address or "", "one_time", ONE_TIME_CHANGE))
        kinds = {address_type(a) for a in spent if a is not None}
        if len(kinds) == 1 and None not in kinds:
            kind = kinds.pop()
            same = [
                o for o in tx.outputs if o.address is not None and address_type(o.address) == kind
            ]
            if len(same) == 1 and all(o.address is not None for o in tx.outputs):
                found.append((same[0].n, same[0].address or "", "script_type", SCRIPT_TYPE))
        if len(tx.outputs) == 2:
            first, second = tx.outputs
            round_first, round_second = (o.value % round_unit == 0 for o in (first, second))
            if round_first != round_second:
                change = second if round_first else first
                if change.address is not None:
                    found.append((change.n, change.address, "round_value", ROUND_VALUE))
        conflicting = len({n for n, _, _, _ in found}) > 1
        links.extend(
            ChangeLink(tx.tx_hash, n, address, heuristic, confidence, conflicting)
            for n, address, heuristic, confidence in found
        )
    return links


def address_type(address: str) -> str | None:
    """The script type an address pays to, read from its encoding (inputs carry no script
    type in the workspace, so both sides are read the same way); None when unknown."""
    if address.startswith("multisig:"):
        return "multisig"
    if ":" in address:  # cashaddr: the type is the first character of the payload
        return {"q": "p2pkh", "p": "p2sh"}.get(address.split(":", 1)[1][:1])
    lower = address.lower()
    hrp, sep, data = lower.rpartition("1")
    if sep and hrp in {"bc", "tb", "bcrt", "ltc", "tltc"} and data:
        if data[0] == "q":
            return {39: "p2wpkh", 59: "p2wsh"}.get(len(data))
        return "p2tr" if data[0] == "p" else None
    if address.startswith(("t1",)):
        return "p2pkh"
    if address.startswith(("t3",)):
        return "p2sh"
    return _BASE58_TYPES.get(address[:1])


_BASE58_TYPES = {
    "1": "p2pkh",  # btc, bch legacy
    "L": "p2pkh",  # ltc
    "D": "p2pkh",  # doge
    "X": "p2pkh",  # dash
    "3": "p2sh",  # btc, ltc (old)
    "M": "p2sh",  # ltc
    "A": "p2sh",  # doge
    "9": "p2sh",  # doge
    "7": "p2sh",  # dash
}


class UnionFind:
    """Disjoint sets over 0..n-1: union by size, iterative find with full path compression."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        """Join the sets of ``a`` and ``b``; the root of the joined set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra

    def labels(self) -> IntArray:
        """Each element's set as the smallest element of that set."""
        roots = np.fromiter((self.find(x) for x in range(len(self.parent))), np.int64)
        smallest = np.arange(len(roots), dtype=np.int64)
        np.minimum.at(smallest, roots, np.arange(len(roots), dtype=np.int64))
        return smallest[roots]


def connected_labels(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Connected components of the graph on 0..n-1 with edges ``left[i]-right[i]``, each
    vertex labelled by the smallest vertex of its component (the cluster's stable id).

    The components are scipy's (``csgraph.connected_components``, a compiled breadth-first
    search); only the relabelling to each component's smallest vertex is done here."""
    # imported here: scipy would add to the start-up of every CLI command
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    left, right = np.asarray(left, np.int64), np.asarray(right, np.int64)
    ones = np.ones(len(left), dtype=np.int8)
    graph = coo_matrix((ones, (left, right)), shape=(n, n)).tocsr()
    _, component = connected_components(graph, directed=False)
    # vertices come in increasing order, so a label's first vertex is its smallest
    _, smallest = np.unique(component, return_index=True)
    return np.asarray(smallest[component], np.int64)


def _guarded(
    n: int, edges: Sequence[tuple[int, int, int, str]], config: ClusterConfig
) -> tuple[IntArray, list[tuple[int, int, int, str, int, int]]]:
    """Merge ``edges`` in order, refusing those the collapse guard stops."""
    assert config.collapse_limit is not None
    limit, needed = config.collapse_limit, max(1, config.confirmations)
    sets = UnionFind(n)
    pending: dict[tuple[int, int], set[int]] = {}
    refused: list[tuple[int, int, int, str, int, int]] = []
    for a, b, position, evidence in edges:
        ra, rb = sets.find(a), sets.find(b)
        if ra == rb:
            continue
        size_a, size_b = sets.size[ra], sets.size[rb]
        if size_a > limit and size_b > limit:
            seen = pending.setdefault((min(ra, rb), max(ra, rb)), set())
            seen.add(position)
            if len(seen) < needed:
                refused.append((a, b, position, evidence, size_a, size_b))
                continue
        sets.union(ra, rb)
    still_apart = [r for r in refused if sets.find(r[0]) != sets.find(r[1])]
    return sets.labels(), still_apart


def _addresses(txs: Iterable[Tx]) -> set[str]:
    found: set[str] = set()
    for tx in txs:
        found.update(i.address for i in tx.inputs if i.address is not None)
        found.update(o.address for o in tx.outputs if o.address is not None)
    return found


class Tag(Protocol):
    """What tag propagation needs of a tag (a ``chain_tag`` row fits)."""

    @property
    def is_cluster_definer(self) -> bool: ...


TagT = TypeVar("TagT", bound=Tag)


@dataclass(frozen=True)
class ClusterTags(Generic[TagT]):
    """Tags seen through clusters: a definer tag labels its whole cluster, any other tag only
    its own address (an exchange's hot wallet defines the exchange; a deposit address tagged
    by a victim's report says nothing about the exchange's other addresses)."""

    cluster_of: Mapping[str, str]
    by_cluster: dict[str, list[TagT]]
    """Cluster id -> the definer tags of any of its addresses."""
    by_address: dict[str, list[TagT]]
    """Address -> its own non-definer tags."""

    def cluster(self, address: str) -> str:
        """The address's cluster id; an address no transaction names is its own cluster."""
        return self.cluster_of.get(address, address)

    def for_address(self, address: str) -> list[TagT]:
        """The tags that apply to ``address``: its cluster's, then its own."""
        return self.by_cluster.get(self.cluster(address), []) + self.by_address.get(address, [])


def propagate_tags(
    cluster_of: Mapping[str, str], tags: Mapping[str, Iterable[TagT]]
) -> ClusterTags[TagT]:
    """Spread address tags over clusters, honouring ``is_cluster_definer``."""
    view: ClusterTags[TagT] = ClusterTags(cluster_of, {}, {})
    for address in sorted(tags):
        for tag in tags[address]:
            if tag.is_cluster_definer:
                view.by_cluster.setdefault(view.cluster(address), []).append(tag)
            else:
                view.by_address.setdefault(address, []).append(tag)
    return view
