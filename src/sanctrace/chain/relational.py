"""Clustering and exposure as relational iterations: the scale-out path, on DuckDB or Spark.

The embedded path keeps a UTXO chain in memory-mapped numpy columns (``store``): clusters
come from a union-find over the arrays (``store.cluster_arrays``), exposure shares from a
few scipy sparse products (``exposure_index``). That is the right tool while a chain fits on
one machine, and it stays the default. For chains that outgrow one machine, the same two
computations are written here as Ibis expressions over the workspace's ``chain_*`` tables,
so they run unchanged on Spark (``Workspace.open(path, backend="spark")``), as ``reach``
does for reachability: every step is a join and a ``group_by``, nothing is collected to the
driver until the result.

- ``cluster_labels``: the multi-input heuristic (every non-CoinJoin transaction links its
  input addresses) and connected components by min-label propagation with pointer jumping.
  A cluster's id is its smallest address in string (byte) order, as in ``clustering`` and
  ``store``, so the result equals ``store.ClusterMap`` address for address.
- ``exposure_shares``: ``exposure_index``'s recurrence ``G_h = B + A G_(h-1)``, inbound and
  outbound, with the sparse matrices as tables of (row, column, value) and each product a
  join and a sum.

Iterations are materialised between steps (a temporary table on DuckDB; on Spark, Parquet
in a scratch folder beside the workspace's Parquet export, read back as a temporary view),
so each step's plan is one join deep, however many steps there are: a lazily chained plan
would grow with every iteration and be re-planned, on Spark re-run, in full. (Spark's own
``localCheckpoint`` cuts the plan too, but Spark 4.0's optimizer fails on a query that reads
one checkpointed frame twice, ``InferFiltersFromConstraints``: "key not found", and every
iteration here reads the previous labels three times; ``cache`` would keep the plan growing.)
Where the two paths must agree, ``tests/chain/test_relational.py`` checks it: labels equal to
the store's, shares equal to the scipy matrices' rows within 1e-9, and Spark equal to DuckDB.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import ibis
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from sanctrace.chain.store import Store
from sanctrace.errors import InputError
from sanctrace.workspace import Workspace

Steps = Callable[[str], None]
"""Told what each step does as it starts (iterations included), for progress displays."""
HOPS: Final = 5
"""The default hop limit, as ``exposure_index.HOPS``."""
DIRECTIONS: Final = ("inbound", "outbound")
REACHES: Final = ("direct", "total")
SHARES_SCHEMA: Final = pa.schema(
    [
        ("tx_hash", pa.string()),
        ("direction", pa.string()),
        ("reach", pa.string()),
        ("party", pa.int64()),
        ("share", pa.float64()),
    ]
)


# --- materialising intermediate results ----------------------------------------------------


class _Scratch:
    """Intermediate tables of one computation, in the workspace's backend, dropped at the
    end. Names are unique per computation: Spark's temporary views belong to the whole
    session, which every workspace of the process shares."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.prefix = f"sanctrace_rel_{uuid.uuid4().hex[:12]}"
        self.names: list[str] = []
        self.folder: Path | None = None  # Spark: where intermediate tables are written

    def _name(self, what: str) -> str:
        name = f"{self.prefix}_{len(self.names)}_{what}"
        self.names.append(name)
        return name

    def keep(self, expr: ibis.Table, what: str) -> ibis.Table:
        """``expr`` computed now and stored: later expressions read it as a plain table."""
        name = self._name(what)
        if self.ws.backend == "spark":
            where = str(self._folder() / name)
            self.ws.con.to_parquet_dir(expr, where)
            return self.ws.con.read_parquet(where, table_name=name)
        return self.ws.con.create_table(name, expr, temp=True, overwrite=True)

    def put(self, data: pa.Table, what: str) -> ibis.Table:
        """Rows from this process (CoinJoin hashes, parties) as a table of the backend, so
        that the iterated expressions hold no in-memory tables to register on each run."""
        name = self._name(what)
        if self.ws.backend == "spark":
            where = self._folder() / f"{name}.parquet"
            pq.write_table(data, where)
            return self.ws.con.read_parquet(str(where), table_name=name)
        return self.ws.con.create_table(name, data, temp=True, overwrite=True)

    def _folder(self) -> Path:
        """Spark's scratch: beside the workspace's Parquet export (``export_parquet``),
        where the session already reads the chain's tables from."""
        if self.folder is None:
            beside = self.ws.path.with_name(self.ws.path.name + ".parquet")
            self.folder = Path(tempfile.mkdtemp(prefix=".relational-", dir=beside))
        return self.folder

    def drop(self) -> None:
        for name in self.names:
            if self.ws.backend == "spark":  # a temporary view over the Parquet
                self.ws.con.drop_view(name, force=True)
            else:
                self.ws.con.drop_table(name, force=True)
        self.names.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


@contextmanager
def _scratch(ws: Workspace) -> Iterator[_Scratch]:
    scratch = _Scratch(ws)
    try:
        yield scratch
    finally:
        scratch.drop()


def _count(expr: ibis.Table) -> int:
    return int(expr.count().to_pyarrow().as_py())


def _chain_table(ws: Workspace, name: str, chain: str) -> ibis.Table:
    t = ws.table(name)
    return t.filter(t.chain == chain)


# --- clustering ------------------------------------------------------------------------------


def cluster_labels(
    ws: Workspace, chain: str, coinjoins: Iterable[str] = (), steps: Steps | None = None
) -> pa.Table:
    """Every address of ``chain`` and its multi-input cluster (its smallest address), as a
    table (address, cluster) sorted by address.

    ``coinjoins`` are the hashes of transactions to leave out of clustering: detection
    looks at one transaction's values and addresses in Python (``coinjoin.detect``), so it
    runs where the transactions are read and its verdicts come in here
    (``store.Store.coinjoins``). An input without an address of its own takes the address
    of the output it spends, as in the store.

    Components come from min-label propagation with pointer jumping, one materialised step
    per iteration: every address starts with the smallest address among itself and its
    neighbours; an iteration gives each address the smallest label among its own and its
    neighbours' (a join of the edges with the labels and a ``group_by`` min), then the label
    of its label (a self-join: pointer jumping, which shortens long chains such as peel
    chains to a few iterations). It stops after the first iteration that changes no label.
    By induction an address's label after k iterations is at most the smallest address
    within k edges, and every label stays inside the component, so at most (the largest
    component's diameter + 1) iterations run; pointer jumping makes it far fewer in
    practice (about the logarithm of the diameter on a path)."""
    step = steps or (lambda _: None)
    out = _chain_table(ws, "chain_output", chain)
    inp = _chain_table(ws, "chain_input", chain)
    with _scratch(ws) as scratch:
        step("input addresses")
        spent = out.select(s_tx=out.tx_hash, s_n=out.n, s_address=out.address)
        linked = inp.left_join(
            spent, (inp.spent_tx_hash == spent.s_tx) & (inp.spent_n == spent.s_n)
        )
        spending = linked.select(
            tx=linked.tx_hash, address=linked.address.coalesce(linked.s_address)
        ).filter(lambda t: t.address.notnull())
        left_out = sorted(set(coinjoins))
        if left_out:
            skip = scratch.put(pa.table({"skip_tx": pa.array(left_out, pa.string())}), "skip")
            spending = spending.anti_join(skip, spending.tx == skip.skip_tx)

        step("linking input addresses")
        # a star per transaction around its smallest input address: the same components
        # as every pair of its inputs, with edges linear in the inputs
        anchors = spending.group_by("tx").aggregate(anchor=spending.address.min())
        star = spending.join(anchors, "tx").select(a="anchor", b="address")
        star = star.filter(star.a != star.b)
        edges = scratch.keep(
            star.select(src=star.a, dst=star.b).union(star.select(src=star.b, dst=star.a)),
            "edges",
        )
        first = edges.group_by("src").aggregate(near=edges.dst.min())
        labels = scratch.keep(
            first.select(node=first.src, label=ibis.least(first.src, first.near)), "labels_0"
        )
        iteration = 0
        while True:
            iteration += 1
            step(f"clustering iteration {iteration}")
            heard = edges.join(labels, edges.dst == labels.node).select(
                node=edges.src, label=labels.label
            )
            lowest = heard.union(labels).group_by("node").aggregate(label=lambda t: t.label.min())
            old = labels.select(old_node=labels.node, old_label=labels.label)
            # the jump reads the previous labels (stored), not this iteration's: a self-join
            # would compute the aggregate twice (Spark does not reuse it), and since every
            # label is at most its node, label-of-label from either only lowers labels
            jumped = lowest.join(old, lowest.label == old.old_node).select(
                node=lowest.node, label=old.old_label
            )
            new = scratch.keep(jumped, f"labels_{iteration}")
            changed = _count(
                new.join(old, new.node == old.old_node).filter(lambda t: t.label != t.old_label)
            )
            labels = new
            if not changed:
                break

        step("labelling addresses")
        named = (
            out.select(address=out.address)
            .union(inp.select(address=inp.address))
            .filter(lambda t: t.address.notnull())
            .distinct()
        )
        joined = named.left_join(labels, named.address == labels.node)
        result = (
            joined.select(address=joined.address, cluster=joined.label.coalesce(joined.address))
            .order_by("address")
            .to_pyarrow()
        )
    return result.cast(pa.schema([("address", pa.string()), ("cluster", pa.string())]))


# --- exposure --------------------------------------------------------------------------------


def exposure_shares(
    ws: Workspace,
    chain: str,
    parties: pa.Table,
    hops: int = HOPS,
    steps: Steps | None = None,
) -> pa.Table:
    """The exposure shares of every transaction of ``chain``, as ``exposure_index.build``
    computes them in scipy: rows (tx_hash, direction, reach, party, share), where direction
    is ``inbound`` (the share of the transaction's coins that came from the party, going
    backward) or ``outbound`` (the share of what it spends that reaches the party, going
    forward), reach is ``direct`` (one hop, ``G_1``) or ``total`` (within ``hops``,
    ``G_hops``), and share is a float64 ratio. Pairs with no share have no row.

    ``parties`` names the counterparties: a table (address, party) giving a service
    address's party column (``parties.Parties.addr_party``: tags, cluster-defining tags
    and exchange deposits, decided once for the chain and passed in, since the rules read
    tag packs and sweeps in Python).

    Each sparse matrix of ``exposure_index`` is a table: ``B`` (tx, party, share) and ``A``
    (tx, next, share), where ``next`` is the transaction a share moves on to (inbound: the
    one that created a spent non-service output; outbound: the one that spends a
    non-service output). ``G_h = B + A G_(h-1)`` is then a join of ``A`` with ``G_(h-1)``
    on ``next``, a union with ``B`` and a sum per (tx, party): exactly ``hops - 1``
    materialised steps per direction. As in the matrices, an input's value is its own or
    its spent output's, a share's denominator is everything the transaction spends (fee
    included, unknown-origin inputs included), and transactions spending nothing (coinbase)
    have no shares."""
    if hops < 1:
        raise InputError("hops", f"the hop limit must be at least 1, not {hops}")
    missing = {"address", "party"} - set(parties.column_names)
    if missing:
        raise InputError("parties", f"needs the columns address and party; lacks {missing}")
    step = steps or (lambda _: None)
    out = _chain_table(ws, "chain_output", chain)
    inp = _chain_table(ws, "chain_input", chain)
    with _scratch(ws) as scratch:
        step("naming counterparties")
        wanted = parties.select(["address", "party"]).cast(
            pa.schema([("address", pa.string()), ("party", pa.int64())])
        )
        named = scratch.put(wanted.rename_columns(["p_address", "p_party"]), "parties")
        outputs = out.left_join(named, out.address == named.p_address).select(
            o_tx=out.tx_hash,
            o_n=out.n,
            o_value=out.value.cast("int64").cast("float64"),
            o_party=named.p_party,
        )
        step("valuing inputs")
        linked = inp.left_join(
            outputs, (inp.spent_tx_hash == outputs.o_tx) & (inp.spent_n == outputs.o_n)
        )
        inputs = scratch.keep(
            linked.select(
                tx=linked.tx_hash,
                value=linked.value.cast("int64")
                .cast("float64")
                .coalesce(linked.o_value)
                .coalesce(ibis.literal(0.0)),
                prev=linked.o_tx,  # null: not an output of the workspace
                prev_n=linked.o_n,
                party=linked.o_party,
            ),
            "inputs",
        )
        totals = inputs.group_by("tx").aggregate(whole=inputs.value.sum())
        funded = scratch.keep(
            totals.filter(totals.whole > 0).select(f_tx=totals.tx, whole=totals.whole), "funded"
        )

        step("inbound shares")
        backward = inputs.filter(inputs.prev.notnull()).join(funded, inputs.tx == funded.f_tx)
        backward = backward.mutate(share=backward.value / backward.whole)
        backward = backward.filter(backward.share > 0)
        inbound = _iterate(
            scratch,
            direct=backward.filter(backward.party.notnull()).select("tx", "party", "share"),
            onward=backward.filter(backward.party.isnull()).select(
                "tx", next=backward.prev, share=backward.share
            ),
            hops=hops,
            what="inbound",
            step=step,
        )

        step("outbound shares")
        spenders = inputs.filter(inputs.prev.notnull()).select(
            by=inputs.tx, s_tx=inputs.prev, s_n=inputs.prev_n
        )
        made = outputs.join(funded, outputs.o_tx == funded.f_tx)
        made = made.select("o_tx", "o_n", "o_party", share=made.o_value / made.whole).filter(
            lambda t: t.share > 0
        )
        paid = made.left_join(spenders, (made.o_tx == spenders.s_tx) & (made.o_n == spenders.s_n))
        outbound = _iterate(
            scratch,
            direct=paid.filter(paid.o_party.notnull()).select(
                tx=paid.o_tx, party=paid.o_party, share=paid.share
            ),
            onward=paid.filter(paid.o_party.isnull() & paid.by.notnull()).select(
                tx=paid.o_tx, next=paid.by, share=paid.share
            ),
            hops=hops,
            what="outbound",
            step=step,
        )

        step("collecting shares")
        parts = [
            g.select(
                tx_hash=g.tx,
                direction=ibis.literal(direction),
                reach=ibis.literal(reach),
                party=g.party.cast("int64"),
                share=g.share,
            )
            for direction, pair in zip(DIRECTIONS, (inbound, outbound), strict=True)
            for reach, g in zip(REACHES, pair, strict=True)
        ]
        rows = ibis.union(*parts).order_by(["direction", "reach", "tx_hash", "party"])
        result = rows.to_pyarrow()
    return result.cast(SHARES_SCHEMA)


def parties_table(store: Store, addr_party: npt.NDArray[Any]) -> pa.Table:
    """The ``parties`` argument of ``exposure_shares`` from the embedded path's answer
    (``parties.get_parties(store, services).addr_party``: a party column per address id,
    -1 for none): the service addresses only, as (address, party)."""
    aids = np.flatnonzero(np.asarray(addr_party) >= 0)
    names = np.asarray(store.addresses)[aids]
    return pa.table(
        {
            "address": pa.array([bytes(a).decode() for a in names], pa.string()),
            "party": pa.array(np.asarray(addr_party)[aids], pa.int64()),
        }
    )


def _iterate(
    scratch: _Scratch,
    *,
    direct: ibis.Table,
    onward: ibis.Table,
    hops: int,
    what: str,
    step: Steps,
) -> tuple[ibis.Table, ibis.Table]:
    """``(G_1, G_hops)`` of ``G_h = direct + onward G_(h-1)``, ``direct`` as (tx, party,
    share) and ``onward`` as (tx, next, share), both summed per pair first (several inputs
    or outputs of one transaction are one matrix entry)."""
    b = scratch.keep(
        direct.group_by(["tx", "party"]).aggregate(share=direct.share.sum()), f"{what}_b"
    )
    a = scratch.keep(
        onward.group_by(["tx", "next"]).aggregate(share=onward.share.sum()), f"{what}_a"
    )
    total = b
    for h in range(2, hops + 1):
        step(f"{what} hop {h} of {hops}")
        prior = total.select(g_tx=total.tx, g_party=total.party, g_share=total.share)
        moved = a.join(prior, a.next == prior.g_tx).select(
            tx=a.tx, party=prior.g_party, share=a.share * prior.g_share
        )
        both = b.union(moved, distinct=False)
        total = scratch.keep(
            both.group_by(["tx", "party"]).aggregate(share=both.share.sum()), f"{what}_g{h}"
        )
    return b, total
