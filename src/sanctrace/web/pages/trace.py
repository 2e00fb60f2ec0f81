"""``/trace``: follow funds from seeds to their exits, with the heaviest paths drawn as a
graph; ``/exposure``: an address's exposure to each service category.

Both call the engines the API calls (``chain.tracing``, ``chain.exposure``) and show what
they return. The graph is an SVG string built here, every text in it escaped: a layered
layout with the seeds' transaction on the left, each path's transactions left to right and
the exits on the right (mirrored for a backward trace, where the exits are the sources),
edges as wide as the amount they carry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from starlette.responses import Response

from sanctrace.api.deps import Access
from sanctrace.chain import tracing
from sanctrace.chain.exposure_index import HOPS
from sanctrace.chain.taint import MODELS
from sanctrace.errors import InputError, NotFoundError
from sanctrace.web.templating import render

router = APIRouter()

GRAPH_PATHS: Final = 12
"""How many of the heaviest paths the graph draws."""
COLUMN: Final = 150
ROW: Final = 46
NODE_W: Final = 110
NODE_H: Final = 26
EXIT_W: Final = 230
MAX_EDGE: Final = 14.0
TX_FILL: Final = "#e8eef6"
EXIT_FILL: Final = "#fdf0d5"
EDGE: Final = "#5b92e5"
LINE: Final = "#1d3557"


@dataclass(frozen=True)
class GraphPath:
    """One path of the trace: its transactions in chain order and the exit it reaches."""

    exit_address: str
    exit_label: str
    tx_hashes: tuple[str, ...]
    amount: int


def heaviest_paths(t: tracing.FundsTrace, limit: int = GRAPH_PATHS) -> list[GraphPath]:
    """The ``limit`` paths that carried the most, heaviest first (ties by exit and hashes)."""
    paths = [
        GraphPath(e.address, e.label or e.category or "exit", p.tx_hashes, p.amount)
        for e in t.exits
        for p in e.paths
        if p.tx_hashes
    ]
    paths.sort(key=lambda p: (-p.amount, p.exit_address, p.tx_hashes))
    return paths[:limit]


def _short(text: str, keep: int = 10) -> str:
    return text if len(text) <= keep + 1 else text[:keep] + "\u2026"


def paths_svg(paths: list[GraphPath], *, backward: bool = False) -> str:
    """The paths as one SVG: nodes are transactions and exit addresses, an edge's width is
    proportional to the amount the drawn paths carry over it. Empty for no paths."""
    if not paths:
        return ""
    # nodes: ("tx", hash) or ("exit", address); edges in chain order
    edges: dict[tuple[tuple[str, str], tuple[str, str]], int] = defaultdict(int)
    order: dict[tuple[str, str], int] = {}
    labels: dict[str, str] = {}
    for p in paths:
        chain_nodes = [("tx", h) for h in p.tx_hashes]
        exit_node = ("exit", p.exit_address)
        labels[p.exit_address] = p.exit_label
        # forward: the exit is where the last transaction paid; backward: where the first
        # transaction's coins came from
        nodes = [exit_node, *chain_nodes] if backward else [*chain_nodes, exit_node]
        for node in nodes:
            order.setdefault(node, len(order))
        for a, b in pairwise(nodes):
            if a != b:
                edges[(a, b)] += p.amount

    # longest-path layering over the transactions; exits get a column of their own
    column: dict[tuple[str, str], int] = {n: 0 for n in order if n[0] == "tx"}
    tx_edges = [(a, b) for a, b in edges if a[0] == "tx" and b[0] == "tx"]
    for _ in range(len(column)):
        changed = False
        for a, b in tx_edges:
            if column[b] < column[a] + 1:
                column[b] = column[a] + 1
                changed = True
        if not changed:
            break
    last = max(column.values(), default=0)
    if backward:
        column = {n: c + 1 for n, c in column.items()}
        exit_column = 0
    else:
        exit_column = last + 1
    for node in order:
        if node[0] == "exit":
            column[node] = exit_column

    rows: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for node in sorted(order, key=order.__getitem__):
        rows[column[node]].append(node)
    pad = 12
    exit_x = pad if backward else pad + exit_column * COLUMN
    tx_left = pad + EXIT_W + 40 - COLUMN if backward else pad

    def x_of(node: tuple[str, str]) -> float:
        return exit_x if node[0] == "exit" else tx_left + column[node] * COLUMN

    def width_of(node: tuple[str, str]) -> int:
        return EXIT_W if node[0] == "exit" else NODE_W

    pos: dict[tuple[str, str], tuple[float, float]] = {}
    for members in rows.values():
        for i, node in enumerate(members):
            pos[node] = (x_of(node), pad + i * ROW)
    width = max(x + width_of(n) for n, (x, _) in pos.items()) + pad
    height = max(len(m) for m in rows.values()) * ROW + pad

    heaviest = max(edges.values()) or 1
    # the seeds' transaction starts each path (in chain order: ends it, going backward)
    seed_txs = {p.tx_hashes[-1 if backward else 0] for p in paths}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trace-graph" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="11">',
        f"<title>{escape(f'the {len(paths)} heaviest paths')}</title>",
    ]
    for (a, b), amount in sorted(edges.items(), key=lambda kv: kv[1]):
        (ax, ay), (bx, by) = pos[a], pos[b]
        x1, y1 = ax + width_of(a), ay + NODE_H / 2
        x2, y2 = bx, by + NODE_H / 2
        mid = (x1 + x2) / 2
        stroke = max(1.0, MAX_EDGE * amount / heaviest)
        out.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="{EDGE}" stroke-opacity="0.55" '
            f'stroke-width="{stroke:.2f}" data-amount="{amount}">'
            f"<title>{escape(f'{amount:,} units')}</title></path>"
        )
    for node, (x, y) in pos.items():
        kind, key = node
        if kind == "tx":
            seed = key in seed_txs
            out.append(
                f'<g class="tx"><title>{escape(f"transaction {key}")}</title>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="4" '
                f'fill="{TX_FILL}" stroke="{LINE}" stroke-width="{1.6 if seed else 0.8}"/>'
                f'<text x="{x + 6:.1f}" y="{y + 17:.1f}" font-family="monospace">'
                f"{escape(_short(key))}</text></g>"
            )
        else:
            label = labels[key]
            out.append(
                f'<g class="exit"><title>{escape(f"{label}: {key}")}</title>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{EXIT_W}" height="{NODE_H + 6}" '
                f'rx="4" fill="{EXIT_FILL}" stroke="{LINE}" stroke-width="0.8"/>'
                f'<text x="{x + 6:.1f}" y="{y + 13:.1f}" font-weight="bold">'
                f"{escape(_short(label, 32))}</text>"
                f'<text x="{x + 6:.1f}" y="{y + 26:.1f}" font-family="monospace" '
                f'font-size="10">{escape(_short(key, 30))}</text></g>'
            )
    out.append("</svg>")
    return "".join(out)


def _seeds(values: list[str]) -> list[str]:
    """The form's seeds: one a line (or separated by spaces or commas), repeats allowed."""
    return [s for v in values for s in v.replace(",", " ").split() if s]


def _whole(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError(name, f"{text!r} is not a whole number")
    return int(text)


@router.get("/trace", name="web.trace", response_class=HTMLResponse)
def trace_page(
    request: Request,
    access: Access,
    seed: Annotated[list[str] | None, Query()] = None,
    chain: str = "btc",
    model: str = "fifo",
    direction: str = "forward",
    max_hops: str = "",
) -> Response:
    seeds = _seeds(seed or [])
    form = {
        "seeds": "\n".join(seeds),
        "chain": chain,
        "model": model,
        "direction": direction,
        "max_hops": max_hops,
    }
    context: dict[str, object] = {
        "form": form,
        "models": MODELS,
        "section": "web.trace",
        "result": None,
        "error": None,
        "svg": Markup(""),
    }
    status = 200
    if seeds:
        try:
            with access.reading() as ws:
                found = tracing.trace_funds(
                    ws,
                    seeds,
                    chain=chain,
                    model=model,  # type: ignore[arg-type]  # checked by trace_funds
                    direction=direction,  # type: ignore[arg-type]
                    max_hops=_whole(max_hops, "max_hops"),
                )
        except (InputError, NotFoundError) as exc:
            context["error"] = str(exc)
            status = 400 if isinstance(exc, InputError) else 404
        else:
            paths = heaviest_paths(found)
            context["result"] = found
            context["drawn"] = len(paths)
            context["svg"] = Markup(paths_svg(paths, backward=direction == "backward"))
    return render(request, "trace.html", context, status_code=status)


@router.get("/exposure", name="web.exposure", response_class=HTMLResponse)
def exposure_page(
    request: Request,
    access: Access,
    address: str = "",
    chain: str = "btc",
    hops: str = "5",
) -> Response:
    address = address.strip()
    context: dict[str, object] = {
        "form": {"address": address, "chain": chain, "hops": hops},
        "section": "web.trace",
        "result": None,
        "error": None,
    }
    status = 200
    if address:
        try:
            reach = _whole(hops, "hops")
            with access.reading() as ws:
                found = tracing.exposure_json(
                    ws, address, chain=chain, hops=HOPS if reach is None else reach
                )
        except (InputError, NotFoundError) as exc:
            context["error"] = str(exc)
            status = 400 if isinstance(exc, InputError) else 404
        else:
            context["result"] = found
    return render(request, "exposure.html", context, status_code=status)
