"""The Sankey diagram: well-formed self-contained SVG, band widths proportional to exact
amounts on one scale, columns that add up, labels escaped, the same bytes every time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from sanctrace.report.sankey import Band, Node, node_values, sankey_svg

SVG = "{http://www.w3.org/2000/svg}"

NODES = [
    Node("seed", "stolen", 0),
    Node("exchange", "exchange", 1),
    Node("held", "not at a service", 1),
    Node("a", "Coinhaven <hot> & co", 2),
    Node("b", "Ledgerly", 2),
    Node("unspent", "unspent on the attacker's side", 2),
    Node("fees", "fees", 2),
]
BANDS = [
    Band("seed", "exchange", 700),
    Band("seed", "held", 300),
    Band("exchange", "a", 500),
    Band("exchange", "b", 200),
    Band("held", "unspent", 299),
    Band("held", "fees", 1),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed XML


def band_widths(root: ET.Element) -> list[float]:
    """Each band's width: where its lower edge meets the target minus its upper edge."""
    widths = []
    for path in root.iter(f"{SVG}path"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.attrib["d"])]
        # M x0,y0 C m,y0 m,y1 x1,y1 L x1,y1+w ...
        widths.append(numbers[9] - numbers[7])
    return widths


def test_columns_add_up_and_bands_share_one_scale() -> None:
    root = parse(sankey_svg(NODES, BANDS, title="Trace"))
    heights: dict[float, float] = defaultdict(float)
    for rect in root.iter(f"{SVG}rect"):
        heights[float(rect.attrib["x"])] += float(rect.attrib["height"])
    assert len(heights) == 3
    assert max(heights.values()) - min(heights.values()) < 0.05  # rounding to 0.01 each
    widths = band_widths(root)
    assert len(widths) == len(BANDS)
    scales = [w / b.amount for w, b in zip(widths, BANDS, strict=True) if b.amount >= 100]
    assert max(scales) - min(scales) < 1e-3
    # the 1-unit band is drawn as thin as its amount says, not widened
    assert widths[-1] == pytest.approx(widths[0] / 700, abs=0.01)


def test_node_values_are_the_larger_of_in_and_out() -> None:
    values = node_values(NODES, BANDS)
    assert values == {
        "seed": 1000,
        "exchange": 700,
        "held": 300,
        "a": 500,
        "b": 200,
        "unspent": 299,
        "fees": 1,
    }


def test_every_band_and_node_has_a_title_with_its_amount() -> None:
    root = parse(sankey_svg(NODES, BANDS, title="Trace", amount_text=lambda u: f"{u} sat"))
    assert root.attrib["role"] == "img"
    assert root.find(f"{SVG}title") is not None
    titles = [p.find(f"{SVG}title") for p in root.iter(f"{SVG}path")]
    texts = [t.text for t in titles if t is not None]
    assert texts[0] == "stolen \u2192 exchange: 700 sat"
    assert texts[-1] == "not at a service \u2192 fees: 1 sat"
    assert len(texts) == len(BANDS)
    node_titles = [g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g")]
    assert "Coinhaven <hot> & co: 500 sat" in node_titles


def test_labels_are_escaped_and_nothing_is_fetched_or_run() -> None:
    nodes = [Node("s", "<script>alert(1)</script>", 0), Node("t", 'a "quoted" & <b>', 1)]
    svg = sankey_svg(nodes, [Band("s", "t", 5)], title="<title>&")
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; &lt;b&gt;" in svg
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == "<title>&"


def test_output_is_deterministic() -> None:
    first = sankey_svg(NODES, BANDS, title="Trace")
    assert sankey_svg(list(NODES), list(BANDS), title="Trace") == first
    assert sankey_svg(NODES, BANDS, title="Other") != first


def test_empty_input_says_there_is_nothing_to_draw() -> None:
    root = parse(sankey_svg([], [], title="Trace"))
    assert root.findtext(f"{SVG}title") == "Trace: nothing to draw"
    assert list(root.iter(f"{SVG}path")) == [] and list(root.iter(f"{SVG}rect")) == []


def test_nodes_without_bands_are_left_out() -> None:
    svg = sankey_svg([*NODES, Node("lonely", "lonely", 1)], BANDS, title="Trace")
    assert "lonely" not in svg


@pytest.mark.parametrize(
    ("bands", "reason"),
    [
        ([Band("seed", "a", 5)], "next column"),
        ([Band("seed", "exchange", 0)], "amount 0"),
        ([Band("seed", "nowhere", 5)], "unknown node"),
    ],
)
def test_bad_input_says_why(bands: list[Band], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        sankey_svg(NODES, bands, title="Trace")
