"""A Sankey diagram as a self-contained SVG string: no script, no font or style fetched.

``sankey_svg(nodes, bands, title=...)`` lays ``nodes`` out in columns (their ``column``,
left to right, each column in the order given) and draws every band from a node in one
column to a node in the next as a filled ribbon whose width is proportional to its exact
integer amount (one scale for the whole diagram). A node is as tall as the larger of what
flows in and what flows out. Every band and node carries a ``<title>`` with its amount (as
``amount_text`` writes it), so a screen reader or a hover tells the figure behind the ink;
every label is escaped. The output depends only on the arguments (no ids drawn from memory,
no clock), so the same trace draws the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

__all__ = ["Band", "Node", "sankey_svg"]

WIDTH: Final = 760
NODE_WIDTH: Final = 12
LABEL_WIDTH: Final = 250  # room on the right of the last column for its labels
PLOT_HEIGHT: Final = 360  # what the largest column's amount is drawn as, gaps aside
GAP: Final = 10  # between the nodes of a column
MIN_SLOT: Final = 24  # vertical room a node takes at least, so that labels do not collide
TOP: Final = 30  # room for the heading
FONT: Final = "DejaVu Sans, sans-serif"
SOURCE_TONE: Final = "#8d99ae"
# muted colours in the manner of the report's charts, one per node of the second column
PALETTE: Final = (
    "#5b92e5",
    "#e09f3e",
    "#6a994e",
    "#9e2a2b",
    "#7b6d8d",
    "#2a9d8f",
    "#b56576",
    "#577590",
    "#bc6c25",
    "#4d908e",
)


@dataclass(frozen=True)
class Node:
    """A box of the diagram: ``id`` is what bands name, ``label`` what the reader sees."""

    id: str
    label: str
    column: int


@dataclass(frozen=True)
class Band:
    """``amount`` (a positive integer, in native units) flowing from ``source`` to ``target``,
    which must be in the next column."""

    source: str
    target: str
    amount: int


def _f(x: float) -> str:
    """A coordinate with two decimals and no trailing zeros (the same on every platform)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _check(nodes: Sequence[Node], bands: Sequence[Band]) -> dict[str, Node]:
    by_id: dict[str, Node] = {}
    for n in nodes:
        if n.id in by_id:
            raise ValueError(f"two nodes have the id {n.id!r}")
        if n.column < 0:
            raise ValueError(f"node {n.id!r} has a negative column")
        by_id[n.id] = n
    for b in bands:
        if b.source not in by_id or b.target not in by_id:
            raise ValueError(f"band {b.source!r} -> {b.target!r} names an unknown node")
        if by_id[b.target].column != by_id[b.source].column + 1:
            raise ValueError(f"band {b.source!r} -> {b.target!r} does not go to the next column")
        if b.amount <= 0:
            raise ValueError(f"band {b.source!r} -> {b.target!r} has amount {b.amount}")
    return by_id


def node_values(nodes: Sequence[Node], bands: Sequence[Band]) -> dict[str, int]:
    """Each node's amount: the larger of what flows in and what flows out of it."""
    ins = {n.id: 0 for n in nodes}
    outs = {n.id: 0 for n in nodes}
    for b in bands:
        outs[b.source] += b.amount
        ins[b.target] += b.amount
    return {n.id: max(ins[n.id], outs[n.id]) for n in nodes}


def sankey_svg(
    nodes: Sequence[Node],
    bands: Sequence[Band],
    *,
    title: str,
    amount_text: Callable[[int], str] = "{:,}".format,
) -> str:
    """The diagram as an ``<svg>`` element (see the module docstring).

    Nodes without any band are left out. With no band at all the SVG says that there is
    nothing to draw, so a caller never shows an empty frame without words.
    """
    by_id = _check(nodes, bands)
    values = node_values(nodes, bands)
    shown = [n for n in nodes if values[n.id] > 0]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="sankey" '
        f'font-family="{FONT}" font-size="10"'
    )
    if not bands:
        return (
            f'{head} width="{WIDTH}" height="60" viewBox="0 0 {WIDTH} 60">'
            f"<title>{escape(title)}: nothing to draw</title>"
            f'<text x="0" y="30" fill="#5f6b76">{escape(title)}: nothing to draw.</text></svg>'
        )

    columns = sorted({n.column for n in shown})
    index = {c: i for i, c in enumerate(columns)}
    in_column = {c: [n for n in shown if n.column == c] for c in columns}
    largest = max(sum(values[n.id] for n in in_column[c]) for c in columns)
    scale = PLOT_HEIGHT / largest

    # vertical layout: each node in a slot of at least MIN_SLOT, the box at the slot's top
    y: dict[str, float] = {}
    bottom = 0.0
    for c in columns:
        at = float(TOP)
        for n in in_column[c]:
            y[n.id] = at
            at += max(values[n.id] * scale, MIN_SLOT) + GAP
        bottom = max(bottom, at)
    height = bottom + 4
    step = (WIDTH - LABEL_WIDTH - NODE_WIDTH) / max(len(columns) - 1, 1)
    x = {n.id: index[n.column] * step for n in shown}

    # a tone per node of the second column; bands and later nodes inherit it
    tone: dict[str, str] = {}
    for i, n in enumerate(in_column[columns[1]] if len(columns) > 1 else []):
        tone[n.id] = PALETTE[i % len(PALETTE)]
    for c in columns[2:]:
        for n in in_column[c]:
            feeding = [b for b in bands if b.target == n.id]
            heaviest = max(feeding, key=lambda b: b.amount)  # first of equals: stable
            tone[n.id] = tone.get(heaviest.source, SOURCE_TONE)

    parts = [
        f'{head} width="{WIDTH}" height="{_f(height)}" viewBox="0 0 {WIDTH} {_f(height)}">',
        f"<title>{escape(title)}</title>",
    ]
    out_at = dict(y)
    in_at = dict(y)
    for b in bands:
        src, dst = by_id[b.source], by_id[b.target]
        w = b.amount * scale
        x0, x1 = x[src.id] + NODE_WIDTH, x[dst.id]
        y0, y1 = out_at[src.id], in_at[dst.id]
        out_at[src.id] += w
        in_at[dst.id] += w
        mid = (x0 + x1) / 2
        colour = tone.get(dst.id if index[src.column] == 0 else src.id, SOURCE_TONE)
        d = (
            f"M{_f(x0)},{_f(y0)} C{_f(mid)},{_f(y0)} {_f(mid)},{_f(y1)} {_f(x1)},{_f(y1)} "
            f"L{_f(x1)},{_f(y1 + w)} C{_f(mid)},{_f(y1 + w)} {_f(mid)},{_f(y0 + w)} "
            f"{_f(x0)},{_f(y0 + w)} Z"
        )
        parts.append(
            f'<path class="band" d="{d}" fill="{colour}" fill-opacity="0.55">'
            f"<title>{escape(src.label)} \u2192 {escape(dst.label)}: "
            f"{escape(amount_text(b.amount))}</title></path>"
        )
    last = columns[-1]
    for n in shown:
        h = values[n.id] * scale
        colour = tone.get(n.id, SOURCE_TONE)
        text = f"{n.label}: {amount_text(values[n.id])}"
        parts.append(
            f'<g class="node"><title>{escape(text)}</title>'
            f'<rect x="{_f(x[n.id])}" y="{_f(y[n.id])}" width="{NODE_WIDTH}" '
            f'height="{_f(h)}" fill="{colour}"/>'
        )
        if n.column == last or index[n.column] == 0:
            tx, anchor = x[n.id] + NODE_WIDTH + 4, "start"
        else:
            tx, anchor = x[n.id] - 4, "end"
        ty = y[n.id] + max(h, MIN_SLOT) / 2
        parts.append(
            f'<text x="{_f(tx)}" y="{_f(ty - 2)}" text-anchor="{anchor}" fill="#1b1b1b" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(n.label)}</text>'
            f'<text x="{_f(tx)}" y="{_f(ty + 9)}" text-anchor="{anchor}" fill="#5f6b76" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(amount_text(values[n.id]))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
