"""Who controls an address, as far as the tags and the clusters say: the services where a
trace stops.

An address belongs to a service when a tag whose category is a GraphSense ``service``
(exchange, mixing_service, defi_bridge, ...) applies to it: its own tag, or a cluster-defining
tag of any address in its cluster (``clustering.propagate_tags``). Abuse tags (sanction,
service_hack) and actor tags never stop a trace: they describe whose money it is, not who
took it over.

Exchange deposit addresses are rarely tagged: exchanges give every customer a fresh one and
sweep many of them at once into a hot wallet later. So an untagged address whose coins are
moved on by a sweep (a transaction with inputs from several addresses paying only addresses
of one tagged exchange) is taken for that exchange's deposit address, and says so
("Binance (deposit)", evidence "swept by ..."). The sweep is evidence after the fact, which
is how investigators read exchange deposits too. Only exchanges sweep: an address paying a
bridge or a mixer is its user, not the service.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from sanctrace.chain.clustering import ClusterTags, propagate_tags
from sanctrace.chain.taint import Graph
from sanctrace.sources.tagpack import is_a
from sanctrace.workspace import Workspace

SERVICE = "service"
"""The GraphSense concept under which every category that ends a trace falls."""
EXCHANGE = "exchange"
SWEEP_INPUTS = 2
"""A sweep spends deposits from at least this many addresses."""


@dataclass(frozen=True)
class AddressTag:
    """One ``chain_tag`` row, as attribution reads it."""

    address: str
    label: str
    category: str | None
    abuse: str | None
    confidence_level: int | None
    is_cluster_definer: bool
    tagpack: str


@dataclass(frozen=True)
class Service:
    """The service an address belongs to, and how that is known."""

    label: str
    category: str
    evidence: str  # "tag", "cluster" or "deposit"
    detail: str
    confidence: int | None = None  # 0-100, the tag's (GraphSense confidence level)


def tags(ws: Workspace, chain: str) -> dict[str, list[AddressTag]]:
    """The tags on ``chain``'s addresses, by address."""
    t = ws.table("chain_tag")
    rows = (
        t.filter(t.chain == chain)
        .select(
            "address",
            "label",
            "category",
            "abuse",
            "confidence_level",
            "is_cluster_definer",
            "tagpack",
        )
        .to_pyarrow()
        .to_pylist()
    )
    out: dict[str, list[AddressTag]] = defaultdict(list)
    for row in rows:
        out[row["address"]].append(AddressTag(**row))
    return dict(out)


@lru_cache(maxsize=256)
def is_service(category: str | None) -> bool:
    return category is not None and is_a(category, SERVICE)


class Attribution:
    """Answers ``service(address)`` from tags, clusters and sweeps (module docstring)."""

    def __init__(
        self,
        graph: Graph,
        cluster_of: Mapping[str, str],
        address_tags: dict[str, list[AddressTag]],
    ) -> None:
        self.graph = graph
        self.view: ClusterTags[AddressTag] = propagate_tags(cluster_of, address_tags)
        self._own = address_tags
        self._cache: dict[str, Service | None] = {}

    def cluster(self, address: str) -> str:
        return self.view.cluster(address)

    def tagged(self, address: str) -> Service | None:
        """The service a tag names for ``address`` (its own first, then its cluster's)."""
        own = {id(t) for t in self._own.get(address, [])}
        for tag in self.view.for_address(address):
            if is_service(tag.category) and tag.category is not None:
                evidence = "tag" if id(tag) in own else "cluster"
                detail = f"{tag.tagpack}" + (
                    f" (via {tag.address})" if evidence == "cluster" else ""
                )
                return Service(tag.label, tag.category, evidence, detail, tag.confidence_level)
        return None

    def service(self, address: str) -> Service | None:
        """Tagged, or a deposit address swept into one service (see the module docstring)."""
        if address in self._cache:
            return self._cache[address]
        found = self.tagged(address) or self._deposit(address)
        self._cache[address] = found
        return found

    def _deposit(self, address: str) -> Service | None:
        graph = self.graph
        for outpoint in graph.paying(address):
            spender = graph.spender(outpoint)
            if spender is None:
                continue
            tx = graph.tx(spender)
            if tx is None or len({i.address for i in tx.inputs}) < SWEEP_INPUTS:
                continue
            paid = [o.address for o in tx.outputs if o.address is not None]
            services = {self.tagged(a) for a in paid}
            if paid and None not in services and len({s.label for s in services if s}) == 1:
                service = next(s for s in services if s is not None)
                if not is_a(service.category, EXCHANGE):
                    continue
                return Service(
                    service.label,
                    service.category,
                    "deposit",
                    f"swept by {spender} into {service.label}",
                    service.confidence,
                )
        return None

    def label(self, address: str) -> str | None:
        """The exit predicate for ``taint.trace``: a readable label, or None."""
        service = self.service(address)
        if service is None:
            return None
        suffix = "" if service.evidence != "deposit" else " (deposit)"
        return f"{service.label}{suffix}"


def attribute(
    ws: Workspace, chain: str, graph: Graph, cluster_of: Mapping[str, str]
) -> Attribution:
    """The attribution of ``chain``'s addresses from the workspace's tags."""
    return Attribution(graph, cluster_of, tags(ws, chain))
