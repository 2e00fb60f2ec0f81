"""The report's section on stolen funds traced on chain: for each incident that names theft
addresses (``incident_address``, role theft) on a chain whose transactions are loaded, a
forward trace from those addresses (FIFO model: ``sanctrace.chain.tracing.trace_funds`` on a
UTXO chain, ``trace_account_funds`` on an account chain, one trace per asset: the chain's coin
and each token by its contract address), told as a sentence (the seed amount and where it
went, by category of service), a Sankey diagram and a table of the largest exits.

Every figure is the engine's, as it returns it; this builder only groups exits by category
and service, labels and footnotes. The figures are footnoted to the theft-addresses file
(and the documents its rows cite), the chain data files, and the tag packs that name each
exit's service, each file by its URI and SHA-256 as the provenance annex lists it. Where no
incident can be traced (no chain data loaded, as in the bundled workspace), the section says
so, names the incidents and gives the command that loads chain data, so that the report
never implies a trace that was not run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from markupsafe import Markup

from sanctrace.chain.account_taint import AccountModel, AccountTrace
from sanctrace.chain.taint import Holding, Model
from sanctrace.chain.tracing import (
    AccountFunds,
    ExitRow,
    FundsTrace,
    trace_account_funds,
    trace_funds,
)
from sanctrace.errors import InputError
from sanctrace.incidents import Incident, list_incidents
from sanctrace.report.incident_sections import incidents_of
from sanctrace.report.sankey import Band, Node, sankey_svg
from sanctrace.report.sections import ReportContext, Section, SectionBuilder
from sanctrace.workspace import Workspace

MODEL: Final[Model] = "fifo"
ACCOUNT_MODEL: Final[AccountModel] = "fifo"  # MODEL, on account chains
MODEL_NAME: Final = "FIFO (first in, first out: Clayton's rule)"
TOP_EXITS: Final = 15  # rows of the exits table; the rest are summed in one row
TOP_SERVICES: Final = 12  # services drawn in the Sankey; the rest, per category, as "other"
# decimals of each chain's coin, for amounts in coins rather than native units
DECIMALS: Final[dict[str, int]] = {
    "btc": 8,
    "bch": 8,
    "ltc": 8,
    "doge": 8,
    "zec": 8,
    "dash": 8,
    "eth": 18,
    # the coins of account chains, by asset name (``ethereum-etl``'s native assets)
    "etc": 18,
    "bnb": 18,
    "matic": 18,
}
LOADERS: Final[dict[str, str]] = {"eth": "ethereum-etl"}  # others: bitcoin-etl
UNCATEGORISED: Final = "uncategorised"
NOT_LOADED: Final = "not-loaded"
NOT_FOUND: Final = "not-found"  # no output pays the theft addresses (UTXO chain)
NO_TRANSFER: Final = "no-transfer"  # no transfer pays them (account chain)


# -- amounts --------------------------------------------------------------------------------


def coins(chain: str, units: int) -> str:
    """Native units as coins, exact: 123456789 satoshi is ``1.23456789 BTC``."""
    decimals = DECIMALS.get(chain)
    if decimals is None:
        return f"{units:,} {chain} units"
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**decimals)
    return f"{sign}{whole:,}.{frac:0{decimals}d} {chain.upper()}"


def is_token(asset: str) -> bool:
    """Whether an account chain's asset is a token (named by its contract address) rather
    than the chain's coin (named by its symbol, as ``ethereum-etl`` stores it)."""
    return asset.startswith("0x")


def asset_amount(asset: str, units: int) -> str:
    """An account chain's amount, exact: the coin in coins (wei as ETH with 18 decimals), a
    token in its base units (its decimals are not in the data)."""
    if is_token(asset):
        return f"{units:,} base units"
    return coins(asset, units)


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` in per cent with two decimals (rounded half even)."""
    if whole == 0:
        return "0.00%"
    return f"{float(Fraction(part * 100, whole)):.2f}%"


def category_label(category: str) -> str:
    return category.replace("_", " ") if category else UNCATEGORISED


# -- what the workspace holds ---------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    """An incident naming theft addresses on one chain."""

    incident_id: str
    chain: str
    addresses: tuple[str, ...]
    citations: tuple[str, ...]
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class Traced:
    """An incident's trace (``trace`` on a UTXO chain, ``account`` on an account chain), or
    why there is none (``reason``: not-loaded, not-found, no-transfer)."""

    seeded: Seeded
    trace: FundsTrace | None
    reason: str | None = None
    account: AccountFunds | None = None  # the trace on an account chain, one per asset

    @property
    def done(self) -> bool:
        return self.trace is not None or self.account is not None


def theft_seeds(ws: Workspace) -> list[Seeded]:
    """Every (incident, chain) with theft addresses, by incident id then chain."""
    t = ws.table("incident_address")
    rows = (
        t.filter(t.role == "theft")
        .select("incident_id", "chain", "address", "citation", "source_id")
        .to_pyarrow()
        .to_pylist()
    )
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault((r["incident_id"], r["chain"]), []).append(r)
    return [
        Seeded(
            incident_id=incident_id,
            chain=chain,
            addresses=tuple(sorted({r["address"] for r in rs})),
            citations=tuple(sorted({r["citation"] for r in rs if r["citation"]})),
            source_ids=tuple(sorted({r["source_id"] for r in rs})),
        )
        for (incident_id, chain), rs in sorted(grouped.items())
    ]


def _distinct(ws: Workspace, table: str, column: str, chain: str | None = None) -> set[str]:
    t = ws.table(table)
    if chain is not None:
        t = t.filter(t.chain == chain)
    return set(t.select(column).distinct().to_pyarrow().column(column).to_pylist())


def sources_of(ws: Workspace, ctx: ReportContext) -> dict[str, dict[str, Any]]:
    """The ``source`` rows by id (URI, SHA-256), read once per report."""
    return ctx.memo(
        "sources.by_id",
        lambda: {r["source_id"]: r for r in ws.table("source").to_pyarrow().to_pylist()},
    )


def registry_of(ws: Workspace, ctx: ReportContext) -> dict[str, Incident]:
    """Every registry incident by id, whatever the report's dates (to tell an incident out
    of the date range from one the registry does not hold)."""
    return ctx.memo("incidents.all_by_id", lambda: {i.incident_id: i for i in list_incidents(ws)})


def traces_of(ws: Workspace, ctx: ReportContext) -> list[Traced]:
    """A trace for every incident with theft addresses on a chain that is loaded (UTXO or
    account), and the reason for every other one; incidents of the registry outside the
    report's dates are left out."""

    def compute() -> list[Traced]:
        utxo = _distinct(ws, "chain_output", "chain")
        account = _distinct(ws, "chain_transfer", "chain")
        registry = registry_of(ws, ctx)
        in_range = {i.incident_id for i in incidents_of(ws, ctx)}
        out: list[Traced] = []
        for s in theft_seeds(ws):
            if s.incident_id in registry and s.incident_id not in in_range:
                continue
            if s.chain in utxo:
                try:
                    trace = trace_funds(ws, [s.incident_id], chain=s.chain, model=MODEL)
                except InputError:
                    out.append(Traced(s, None, NOT_FOUND))
                    continue
                out.append(Traced(s, trace))
            elif s.chain in account:
                try:
                    funds = trace_account_funds(
                        ws, [s.incident_id], chain=s.chain, model=ACCOUNT_MODEL
                    )
                except InputError:
                    out.append(Traced(s, None, NO_TRANSFER))
                    continue
                out.append(Traced(s, None, account=funds))
            else:
                out.append(Traced(s, None, NOT_LOADED))
        return out

    return ctx.memo(f"chain.traces:{MODEL}", compute)


# -- footnotes ------------------------------------------------------------------------------


def file_notes(ws: Workspace, ctx: ReportContext, source_ids: Iterable[str]) -> list[int]:
    """Notes for loaded files: URI and SHA-256, as the provenance annex lists them."""
    sources = sources_of(ws, ctx)
    numbers = []
    for sid in sorted(set(source_ids)):
        s = sources.get(sid)
        if s is not None:
            numbers.append(ctx.footnotes.source(s["uri"], f"sha256 {s['sha256']}"))
    return numbers


def theft_notes(ws: Workspace, ctx: ReportContext, seeded: Iterable[Seeded]) -> list[int]:
    """The theft-addresses files and the documents their rows cite."""
    seeded = list(seeded)
    numbers = file_notes(ws, ctx, (sid for s in seeded for sid in s.source_ids))
    for s in seeded:
        for citation in s.citations:
            numbers += ctx.footnotes.sources(citation)
    return numbers


def tag_sources(ws: Workspace, ctx: ReportContext, chain: str) -> dict[str, set[str]]:
    """The files of the tags on ``chain``, by the tag's label (what an exit's service is)."""

    def compute() -> dict[str, set[str]]:
        t = ws.table("chain_tag")
        rows = (
            t.filter(t.chain == chain)
            .select("label", "source_id")
            .distinct()
            .to_pyarrow()
            .to_pylist()
        )
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r["label"], set()).add(r["source_id"])
        return out

    return ctx.memo(f"chain.tag_sources:{chain}", compute)


# -- the section ----------------------------------------------------------------------------


def by_category(exits: Iterable[ExitRow]) -> list[tuple[str, int]]:
    """Exit amounts summed by category, largest first (then by name)."""
    sums: dict[str, int] = {}
    for e in exits:
        sums[e.category] = sums.get(e.category, 0) + e.amount
    return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))


def _outcomes(
    unspent: Iterable[Holding],
    at_limit: Iterable[Holding],
    sources: int,
    fees: int,
    dust: int,
    returned: int,
    *,
    seed_word: str,
) -> list[tuple[str, int]]:
    parts = [
        ("unspent on the attacker's side", sum(h.amount for h in unspent)),
        ("stopped at the hop limit", sum(h.amount for h in at_limit)),
        ("paid from outside (backward)", sources),
        ("fees", fees),
        ("dust, not followed", dust),
        (f"returned to the seed {seed_word}", returned),
    ]
    return [(label, amount) for label, amount in parts if amount > 0]


def outcomes(trace: FundsTrace) -> list[tuple[str, int]]:
    """What did not reach a service, in the order a reader asks: held, stopped, spent on
    fees, too small to follow, back in the seed. Zero amounts are left out."""
    r = trace.taint
    return _outcomes(
        r.unspent,
        r.at_limit,
        sum(s.amount for s in r.sources),
        r.fees,
        r.dust,
        r.returned,
        seed_word="outputs",
    )


def account_outcomes(r: AccountTrace) -> list[tuple[str, int]]:
    """``outcomes`` of one asset's trace on an account chain (fees: gas paid, in the coin)."""
    return _outcomes(
        r.unspent, r.at_limit, 0, r.fees, r.dust, r.returned, seed_word="transfers' senders"
    )


def sankey_of(trace: FundsTrace, title: str) -> str:
    """Seed -> category of service (and "not at a service") -> service (and each outcome)."""
    chain = trace.chain
    return _sankey(
        trace.exits,
        outcomes(trace),
        trace.taint.absorbed,
        title,
        lambda u: coins(chain, u),
    )


def _sankey(
    exits: tuple[ExitRow, ...],
    rest: list[tuple[str, int]],
    absorbed: int,
    title: str,
    amount_text: Callable[[int], str],
) -> str:
    seed_label = "stolen" if absorbed == 0 else "stolen and clean coins pulled in"
    nodes = [Node("seed", seed_label, 0)]
    bands: list[Band] = []
    categories = by_category(exits)
    for category, amount in categories:
        nodes.append(Node(f"cat:{category}", category_label(category), 1))
        bands.append(Band("seed", f"cat:{category}", amount))
    if rest:
        nodes.append(Node("held", "not at a service", 1))
        bands.append(Band("seed", "held", sum(a for _, a in rest)))
    services: dict[tuple[str, str], int] = {}
    for e in exits:
        key = (e.category, e.label)
        services[key] = services.get(key, 0) + e.amount
    ranked = sorted(services.items(), key=lambda kv: (-kv[1], kv[0]))
    drawn = ranked[:TOP_SERVICES]
    others: dict[str, tuple[int, int]] = {}
    for (category, _), amount in ranked[TOP_SERVICES:]:
        count, total = others.get(category, (0, 0))
        others[category] = (count + 1, total + amount)
    for category, _ in categories:
        for (cat, label), amount in drawn:
            if cat == category:
                nodes.append(Node(f"svc:{cat}:{label}", label, 2))
                bands.append(Band(f"cat:{cat}", f"svc:{cat}:{label}", amount))
        if category in others:
            count, total = others[category]
            label = f"{count} other {category_label(category)} service{'s' * (count > 1)}"
            nodes.append(Node(f"other:{category}", label, 2))
            bands.append(Band(f"cat:{category}", f"other:{category}", total))
    for label, amount in rest:
        nodes.append(Node(f"out:{label}", label, 2))
        bands.append(Band("held", f"out:{label}", amount))
    return sankey_svg(nodes, bands, title=title, amount_text=amount_text)


def sentence_parts(trace: FundsTrace) -> list[tuple[str, int]]:
    """Where the seed went, as the sentence lists it: exits by category, then the rest;
    the amounts sum to the seed amount plus any clean coins pulled in."""
    return [
        *((category_label(c), a) for c, a in by_category(trace.exits)),
        *outcomes(trace),
    ]


def incident_name(ws: Workspace, ctx: ReportContext, incident_id: str) -> Markup:
    """The victim's name linked to the incident table, or the id where the registry does
    not hold the incident."""
    incident = registry_of(ws, ctx).get(incident_id)
    if incident is None:
        return Markup("<code>{}</code>").format(incident_id)
    return Markup('<a href="#inc-{0}">{1}</a> (<code>{0}</code>)').format(
        incident_id, incident.victim
    )


def traced_block(ws: Workspace, ctx: ReportContext, t: Traced) -> dict[str, Any]:
    trace = t.trace
    assert trace is not None
    s, r, chain = t.seeded, trace.taint, trace.chain
    fn = ctx.footnotes
    theft = theft_notes(ws, ctx, [s])
    chain_data = file_notes(ws, ctx, _distinct(ws, "chain_tx", "source_id", chain))
    tags = tag_sources(ws, ctx, chain)
    exit_tags = [sid for e in trace.exits for sid in tags.get(e.label, ())]
    method = fn.note(
        f"Forward trace with the {MODEL_NAME} model from the {len(trace.seeds)} output"
        f"{'s' * (len(trace.seeds) != 1)} on {chain} that pay the {len(s.addresses)} theft "
        f"address{'es' * (len(s.addresses) != 1)} of {s.incident_id}; an exit is an address "
        f"of a service: tagged, in a cluster that a cluster-defining tag names (multi-input "
        f"clustering: {trace.clusters} clusters, {trace.coinjoins} CoinJoins left out), or an "
        f"exchange deposit address swept into a tagged wallet. Amounts are exact, in "
        f"{chain} native units shown as coins; shares are of the seed amount.",
        "basis",
    )
    refs_all = fn.refs([*theft, *chain_data, *file_notes(ws, ctx, exit_tags), method])
    parts = [
        {"label": label, "amount": coins(chain, amount), "share": percent(amount, r.seed_amount)}
        for label, amount in sentence_parts(trace)
    ]
    name = incident_name(ws, ctx, s.incident_id)
    title = f"Where the funds stolen in {s.incident_id} went ({chain}, {MODEL} model)"
    return {
        "s": s,
        "name": name,
        "chain": chain,
        "seed": coins(chain, r.seed_amount),
        "absorbed": coins(chain, r.absorbed) if r.absorbed else None,
        "outputs": len(trace.seeds),
        "parts": parts,
        "refs": refs_all,
        "account": False,
        "theft_refs": fn.refs(theft),
        "figure": ctx.figure(),
        "svg": Markup(sankey_of(trace, title)),
        **exits_table(ws, ctx, trace.exits, r.seed_amount, tags, lambda u: coins(chain, u)),
    }


def account_block(ws: Workspace, ctx: ReportContext, t: Traced) -> dict[str, Any]:
    """An incident traced on an account chain: one sentence, Sankey and exits table per
    asset (the coin, each token by its contract address), each adding up to that asset's
    seed amount."""
    funds = t.account
    assert funds is not None
    s, chain = t.seeded, funds.chain
    fn = ctx.footnotes
    theft = theft_notes(ws, ctx, [s])
    chain_files = _distinct(ws, "chain_tx", "source_id", chain) | _distinct(
        ws, "chain_transfer", "source_id", chain
    )
    chain_data = file_notes(ws, ctx, chain_files)
    tags = tag_sources(ws, ctx, chain)
    name = incident_name(ws, ctx, s.incident_id)
    tokens = sum(is_token(r.asset) for r, _ in funds.assets)
    method = fn.note(
        f"Forward trace on {chain} with the {MODEL_NAME} model, asset by asset, from the "
        f"{len(funds.seeds)} transfer{'s' * (len(funds.seeds) != 1)} that pay the "
        f"{len(s.addresses)} theft address{'es' * (len(s.addresses) != 1)} of "
        f"{s.incident_id}; an exit is an address of a service: tagged, or an exchange deposit "
        f"address that sends only to one tagged exchange. Amounts are exact: the chain's coin "
        f"in its native units shown as coins with 18 decimals (wei as ETH), "
        + (
            "each token in its base units, since the data does not give a token's decimals; "
            if tokens
            else ""
        )
        + "shares are of each asset's seed amount.",
        "basis",
    )
    assets = []
    # the coin first, then each token by contract address
    for r, exits in sorted(funds.assets, key=lambda a: (is_token(a[0].asset), a[0].asset)):
        asset = r.asset

        def amount(units: int, asset: str = asset) -> str:
            return asset_amount(asset, units)

        exit_tags = [sid for e in exits for sid in tags.get(e.label, ())]
        refs_all = fn.refs([*theft, *chain_data, *file_notes(ws, ctx, exit_tags), method])
        rest_parts = account_outcomes(r)
        parts = [
            {"label": label, "amount": amount(a), "share": percent(a, r.seed_amount)}
            for label, a in [
                *((category_label(c), a) for c, a in by_category(exits)),
                *rest_parts,
            ]
        ]
        what = f"token {asset}" if is_token(asset) else asset.upper()
        title = f"Where the {what} stolen in {s.incident_id} went ({chain}, {MODEL} model)"
        assets.append(
            {
                "asset": asset,
                "token": is_token(asset),
                "seed": amount(r.seed_amount),
                "absorbed": amount(r.absorbed) if r.absorbed else None,
                "transfers": len(r.seeds),
                "parts": parts,
                "refs": refs_all,
                "figure": ctx.figure(),
                "svg": Markup(_sankey(exits, rest_parts, r.absorbed, title, amount)),
                **exits_table(ws, ctx, exits, r.seed_amount, tags, amount),
            }
        )
    return {"s": s, "name": name, "chain": chain, "account": True, "assets": assets}


def exits_table(
    ws: Workspace,
    ctx: ReportContext,
    exits: tuple[ExitRow, ...],
    seed_amount: int,
    tags: dict[str, set[str]],
    amount: Callable[[int], str],
) -> dict[str, Any]:
    """The exits table's rows (the largest TOP_EXITS), the rest summed, and the total."""
    rows = [
        {
            "e": e,
            "service": e.label,
            "category": category_label(e.category),
            "amount": amount(e.amount),
            "share": percent(e.amount, seed_amount),
            "refs": ctx.footnotes.refs(file_notes(ws, ctx, tags.get(e.label, ()))),
        }
        for e in exits[:TOP_EXITS]
    ]
    rest = exits[TOP_EXITS:]
    rest_amount = sum(e.amount for e in rest)
    exits_amount = sum(e.amount for e in exits)
    return {
        "table": ctx.table(),
        "rows": rows,
        "exits": len(exits),
        "rest": len(rest),
        "rest_amount": amount(rest_amount),
        "rest_share": percent(rest_amount, seed_amount),
        "exits_amount": amount(exits_amount),
        "exits_share": percent(exits_amount, seed_amount),
    }


def untraced_groups(ws: Workspace, ctx: ReportContext, untraced: list[Traced]) -> list[Any]:
    """The incidents not traced, one group per reason, each with its wording."""
    groups = []
    for reason in (NOT_LOADED, NOT_FOUND, NO_TRANSFER):
        members = [t for t in untraced if t.reason == reason]
        if not members:
            continue
        chains = sorted({t.seeded.chain for t in members})
        groups.append(
            {
                "reason": reason,
                "items": [
                    {
                        "name": incident_name(ws, ctx, t.seeded.incident_id),
                        "chain": t.seeded.chain,
                        "count": len(t.seeded.addresses),
                    }
                    for t in members
                ],
                "chains": chains,
                "loaders": [{"chain": c, "adapter": LOADERS.get(c, "bitcoin-etl")} for c in chains],
                "refs": ctx.footnotes.refs(theft_notes(ws, ctx, (t.seeded for t in members))),
            }
        )
    return groups


def traced_funds_section(ws: Workspace, ctx: ReportContext) -> Section | None:
    """Stolen funds traced: one block per incident traced, and the incidents that could not
    be, with why; None when no incident names theft addresses."""
    traced = traces_of(ws, ctx)
    if not traced:
        return None
    blocks = [
        traced_block(ws, ctx, t) if t.trace is not None else account_block(ws, ctx, t)
        for t in traced
        if t.done
    ]
    untraced = [t for t in traced if not t.done]
    body = ctx.render(
        "chain/traced.html.j2",
        blocks=blocks,
        groups=untraced_groups(ws, ctx, untraced),
        model=MODEL,
        model_name=MODEL_NAME,
    )
    return Section("stolen-funds-traced", "Stolen funds traced", body)


BUILDERS: Final[tuple[SectionBuilder, ...]] = (traced_funds_section,)
"""The chain tracing sections, in report order."""
