"""``/trace`` and ``/exposure``: the generated theft traced in a page, its exits and unspent
coins as the API gives them, the heaviest paths as an SVG drawn on the server (well formed,
every label escaped), and errors shown in the page without a traceback."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanctrace.api import create_app
from sanctrace.web.pages.trace import MAX_EDGE, GraphPath, paths_svg
from tests.web.test_pages import Assets

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def chain_client(
    generated_chain: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    copy = tmp_path_factory.mktemp("web_chain") / "chain.duckdb"
    shutil.copy(generated_chain[0], copy)
    with TestClient(create_app(copy)) as c:
        yield c


@pytest.fixture(scope="module")
def truth(generated_chain: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return generated_chain[1]


def _theft(truth: dict[str, Any]) -> str:
    return str(truth["btc"]["theft"]["transactions"][0])


def _table(html: str, table_id: str) -> list[str]:
    body = html.split(f'<table id="{table_id}"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)


def _svg(html: str) -> ET.Element:
    found = re.search(r"<svg .*?</svg>", html, re.S)
    assert found, "no svg in the page"
    return ET.fromstring(found.group(0))


def test_theft_trace_page(chain_client: TestClient, truth: dict[str, Any]) -> None:
    theft = _theft(truth)
    api = chain_client.get("/api/trace", params={"seed": theft}).json()
    r = chain_client.get("/trace", params={"seed": theft})
    assert r.status_code == 200
    html = r.text
    summary = html.split('<p id="trace-summary">', 1)[1].split("</p>", 1)[0]
    assert f"{int(api['seed_amount']):,}" in summary
    assert f"{len(api['exits'])} exits, {len(api['unspent'])} unspent" in summary

    rows = _table(html, "exits")
    assert len(rows) == len(api["exits"]) > 0
    for row, e in zip(rows, api["exits"], strict=True):
        assert f"{int(e['amount']):,}" in row and e["address"] in row
        assert f"<td>{e['category']}</td><td>{e['evidence']}</td>" in row
        assert f"{e['share']:.2%}"[:-2] in row  # the share, to the page's two decimals
    unspent = _table(html, "unspent")
    assert len(unspent) == max(1, len(api["unspent"]))
    for row, u in zip(unspent, api["unspent"], strict=False):
        assert f"{int(u['amount']):,}" in row

    svg = _svg(html)
    exits = svg.findall(f"{SVG_NS}g[@class='exit']")
    txs = svg.findall(f"{SVG_NS}g[@class='tx']")
    assert exits and txs
    drawn_exits = {g.findall(f"{SVG_NS}title")[0].text.rsplit(": ", 1)[1] for g in exits}
    assert drawn_exits <= {e["address"] for e in api["exits"]}
    assert api["exits"][0]["address"] in drawn_exits  # the largest exit is drawn
    drawn_txs = {g.findall(f"{SVG_NS}title")[0].text.split()[-1] for g in txs}
    assert theft in drawn_txs
    # left to right: the theft first, the exits after every transaction
    tx_x = [float(g.find(f"{SVG_NS}rect").get("x", "")) for g in txs]
    exit_x = min(float(g.find(f"{SVG_NS}rect").get("x", "")) for g in exits)
    assert exit_x > max(tx_x)
    assert 'href="/static/' in html
    assert '<a href="/trace" aria-current="page">Trace</a>' in html


def test_trace_page_loads_nothing_from_elsewhere(
    chain_client: TestClient, truth: dict[str, Any]
) -> None:
    parser = Assets()
    parser.feed(chain_client.get("/trace", params={"seed": _theft(truth)}).text)
    assert parser.urls
    assert all(url.startswith("/static/") for url in parser.urls), parser.urls


def test_backward_trace_puts_the_sources_left(
    chain_client: TestClient, truth: dict[str, Any]
) -> None:
    theft = _theft(truth)
    api = chain_client.get("/api/trace", params={"seed": theft, "direction": "backward"}).json()
    html = chain_client.get("/trace", params={"seed": theft, "direction": "backward"}).text
    assert len(_table(html, "exits")) == len(api["exits"]) > 0
    for e in api["exits"]:
        assert f"<td>{e['label']}</td>" in html
    svg = _svg(html)
    exits = svg.findall(f"{SVG_NS}g[@class='exit']")
    txs = svg.findall(f"{SVG_NS}g[@class='tx']")
    exit_x = max(float(g.find(f"{SVG_NS}rect").get("x", "")) for g in exits)
    assert exit_x < min(float(g.find(f"{SVG_NS}rect").get("x", "")) for g in txs)


def test_form_without_seed_shows_no_result(chain_client: TestClient) -> None:
    r = chain_client.get("/trace")
    assert r.status_code == 200
    assert '<textarea name="seed"' in r.text
    assert "trace-summary" not in r.text and "<svg" not in r.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"seed": "no-such-seed"}, "no-such-seed: not an output"),
        ({"seed": "THEFT", "model": "taint"}, "model: &#39;taint&#39; is not one of"),
        ({"seed": "THEFT", "max_hops": "two"}, "max_hops: &#39;two&#39; is not a whole number"),
        ({"seed": "THEFT", "chain": "doge"}, "chain: no &#39;doge&#39; transactions"),
    ],
)
def test_errors_are_shown_in_the_page(
    chain_client: TestClient, truth: dict[str, Any], params: dict[str, str], message: str
) -> None:
    params = {k: _theft(truth) if v == "THEFT" else v for k, v in params.items()}
    r = chain_client.get("/trace", params=params)
    assert r.status_code == 400
    error = r.text.split('<p id="trace-error" role="alert">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "Traceback" not in r.text and "<svg" not in r.text
    assert '<textarea name="seed"' in r.text  # the form stays, to correct the seed


def test_seed_text_is_escaped(chain_client: TestClient) -> None:
    r = chain_client.get("/trace", params={"seed": "<script>alert(1)</script>"})
    assert r.status_code == 400
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_svg_escapes_labels_and_scales_edges() -> None:
    evil = 'Evil <script>alert("x")</script> & Co'
    paths = [
        GraphPath("addr<1>", evil, ("aa" * 32, "bb" * 32), 300),
        GraphPath("addr2", "Plain exchange", ("aa" * 32, "cc" * 32), 100),
    ]
    svg = paths_svg(paths)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "addr&lt;1&gt;" in svg and "&amp; Co" in svg
    root = ET.fromstring(svg)  # well formed
    titles = [t.text or "" for t in root.iter(f"{SVG_NS}title")]
    assert f"{evil}: addr<1>" in titles  # the label, whole, in the tooltip
    widths = {
        int(p.get("data-amount", "")): float(p.get("stroke-width", ""))
        for p in root.iter(f"{SVG_NS}path")
    }
    # aa->bb and bb->exit carry 300, aa->cc and cc->exit 100: widths in proportion
    assert widths == {300: MAX_EDGE, 100: pytest.approx(MAX_EDGE / 3, abs=0.01)}
    assert paths_svg([]) == ""


def test_exposure_page(chain_client: TestClient, truth: dict[str, Any]) -> None:
    address = chain_client.get("/api/trace", params={"seed": _theft(truth)}).json()["exits"][0][
        "address"
    ]
    trace_html = chain_client.get("/trace", params={"seed": _theft(truth)}).text
    assert f'href="/exposure?address={address}&amp;chain=btc"' in trace_html
    api = chain_client.get(f"/api/exposure/{address}").json()
    r = chain_client.get("/exposure", params={"address": address})
    assert r.status_code == 200
    for side in ("inbound", "outbound"):
        rows = _table(r.text, f"exposure-{side}")
        expected = [
            (reach, category, row)
            for reach in ("direct", "indirect")
            for category, row in api[side][reach].items()
        ]
        assert len(rows) == max(1, len(expected))
        for html_row, (reach, category, row) in zip(rows, expected, strict=False):
            assert f"<td>{reach}</td><td>{category}</td>" in html_row
            assert f"{int(row['amount']):,}" in html_row
    assert any(api[s][r] for s in ("inbound", "outbound") for r in ("direct", "indirect"))

    bad = chain_client.get("/exposure", params={"address": "no-such-address"})
    assert bad.status_code == 400
    assert "no-such-address: no btc output pays" in bad.text and "Traceback" not in bad.text


def test_exposure_page_on_an_account_chain(chain_client: TestClient, truth: dict[str, Any]) -> None:
    attacker = truth["eth"]["theft"]["outputs"][0]["address"]
    api = chain_client.get(f"/api/exposure/{attacker}", params={"chain": "eth"}).json()
    r = chain_client.get("/exposure", params={"address": attacker, "chain": "eth"})
    assert r.status_code == 200
    rows = _table(r.text, "exposure-outbound")
    for category, row in api["outbound"]["indirect"].items():
        assert any(f"<td>{category}</td>" in h and f"{int(row['amount']):,}" in h for h in rows)
