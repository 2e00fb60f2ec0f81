"""The report's section on stolen funds traced on chain: where no chain data is loaded it
says so; on a generated chain with the theft's addresses named for an incident it shows the
engine's trace (the sentence, the Sankey, the exits) with every figure footnoted, on the
bitcoin chain and, asset by asset, on the ethereum chain."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest

from sanctrace.chain.tracing import AccountFunds, FundsTrace, trace_account_funds, trace_funds
from sanctrace.data import bundled
from sanctrace.report import ReportContext, Section, build_report, render_html
from sanctrace.report.chain_sections import coins, percent, traced_funds_section
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.report.conftest import FIXED_TIME, Built, body_refs, notes, refs_in, section

SECTION = "stolen-funds-traced"
INCIDENT = "2023-11-14-synthetic-exchange"
ETH_INCIDENT = "2022-04-14-ronin-bridge"
LOST_INCIDENT = "2020-01-01-elsewhere"
GENESIS = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"  # on no generated chain
SAT = re.compile(r"([\d,]+)\.(\d{8}) BTC")
WEI = re.compile(r"([\d,]+)\.(\d{18}) ETH")
BASE_UNITS = re.compile(r"([\d,]+) base units")


def satoshi(text: str) -> list[int]:
    return [int(whole.replace(",", "")) * 10**8 + int(frac) for whole, frac in SAT.findall(text)]


def wei(text: str) -> list[int]:
    return [int(whole.replace(",", "")) * 10**18 + int(frac) for whole, frac in WEI.findall(text)]


def base_units(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in BASE_UNITS.findall(text)]


def plain(html: str) -> str:
    """Text as read: tags dropped, a line break read as a space, spaces collapsed."""
    text = re.sub(r"<[^>]+>", "", html.replace("<br>", " "))
    return re.sub(r"\s+", " ", html_unescape(text)).strip()


# -- the bundled workspace: theft addresses, no chain data -----------------------------------


def test_bundled_report_says_no_chain_data_is_loaded(built: Built) -> None:
    with bundled("tags/theft_addresses.csv").open(encoding="utf-8") as f:
        theft = {r["incident_id"]: r["chain"] for r in csv.DictReader(f) if r["role"] == "theft"}
    assert {"2022-04-14-ronin-bridge", "2025-02-21-bybit"} <= set(theft)
    ids = built.report.section_ids
    assert ids.index("incidents") < ids.index(SECTION) < ids.index("provenance")
    body = section(built.html, SECTION)
    assert body.count("<p") == 1 and "<svg" not in body and "<table" not in body
    text = plain(body.split("</h2>", 1)[-1])
    assert text.startswith("No stolen funds are traced in this report.")
    assert f"The registry names theft addresses for {len(theft)} incidents" in text
    for incident_id in theft:
        assert incident_id in text
    assert "No chain data is loaded in this workspace for btc, eth" in text
    assert "sanctrace ingest bitcoin-etl FILE (btc)" in text
    assert "sanctrace ingest ethereum-etl FILE (eth)" in text
    listed = notes(built.html)
    cited = [listed[n] for n in refs_in(body)]
    assert any("sanctrace:data/tags/theft_addresses.csv, sha256 " in n for n in cited)
    assert any("bybit.md" in n for n in cited)  # the documents the rows cite


# -- a generated chain with the theft named for an incident ----------------------------------


@dataclass
class Traced:
    html: str
    body: str
    trace: FundsTrace
    account: AccountFunds
    sections: list[Section]
    uris: dict[str, set[str]]  # adapter -> files loaded


@pytest.fixture(scope="module")
def traced(
    generated_chain: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Traced:
    root = tmp_path_factory.mktemp("traced-report")
    path = root / "chain.duckdb"
    shutil.copy(generated_chain[0], path)
    theft = generated_chain[1]["btc"]["theft"]
    addresses = sorted({o["address"] for o in theft["outputs"]})
    seeds = root / "theft_addresses.csv"
    with seeds.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["incident_id", "chain", "address", "role", "citation"])
        for a in addresses:
            w.writerow([INCIDENT, "btc", a, "theft", "https://example.org/theft @ p. 2"])
        eth_theft = generated_chain[1]["eth"]["theft"]["outputs"][0]["address"]
        w.writerow([ETH_INCIDENT, "eth", eth_theft, "theft", ""])
        w.writerow([LOST_INCIDENT, "btc", GENESIS, "theft", ""])
    with Workspace.open(path) as ws:
        ingest(ws, "theft-addresses", seeds)
        report = build_report(ws, ReportContext(generated_at=FIXED_TIME))
        trace = trace_funds(ws, [INCIDENT], chain="btc", model="fifo")
        account = trace_account_funds(ws, [ETH_INCIDENT], chain="eth", model="fifo")
        uris: dict[str, set[str]] = {}
        for r in ws.table("source").to_pyarrow().to_pylist():
            uris.setdefault(r["adapter"], set()).add(r["uri"])
    html = render_html(report)
    return Traced(html, section(html, SECTION), trace, account, report.sections, uris)


def block(body: str, incident_id: str) -> str:
    """The part of the section that tells one incident's trace (its h3 to the next one, the
    paragraphs on incidents not traced left out)."""
    found = [b for b in body.split("<h3")[1:] if incident_id in b.split("</h3>", 1)[0]]
    assert len(found) == 1
    return found[0].split('<p class="untraced"', 1)[0]


def asset_blocks(body: str) -> dict[str, str]:
    """An account-chain block's parts by asset: ``ETH`` or the token's contract address."""
    out = {}
    for part in block(body, ETH_INCIDENT).split("<h4>")[1:]:
        heading = plain(part.split("</h4>", 1)[0])
        out[heading.removeprefix("Token ")] = part
    return out


def test_the_exits_are_the_engines(traced: Traced) -> None:
    t = traced.trace
    assert t.exits
    body = block(traced.body, INCIDENT)
    rows = re.findall(r'<tr class="exit">(.*?)</tr>', body, re.S)
    assert len(rows) == min(len(t.exits), 15)
    for html, e in zip(rows, t.exits, strict=False):
        cells = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
        assert cells[0] == f"{e.label} {e.address}"
        assert cells[2] == e.evidence
        assert satoshi(cells[3]) == [e.amount]
        assert cells[4] == percent(e.amount, t.taint.seed_amount)
    total = re.search(r'<tr class="total">(.*?)</tr>', body, re.S)
    assert total is not None
    assert satoshi(total.group(1)) == [sum(e.amount for e in t.exits)]
    assert f"All {len(t.exits)} exits" in plain(total.group(1))


def test_the_sentence_adds_up_to_the_seed(traced: Traced) -> None:
    t = traced.trace
    m = re.search(r'<p class="trace-summary">(.*?)</p>', block(traced.body, INCIDENT), re.S)
    assert m is not None
    text = plain(m.group(1))
    assert "FIFO" in text and f"in {len(t.seeds)} outputs" in text
    seed, *parts = satoshi(text)
    assert seed == t.taint.seed_amount > 0
    assert sum(parts) == seed  # fifo pulls in no clean coins
    assert coins("btc", seed) in text
    exits = sum(e.amount for e in t.exits)
    categories = {e.category for e in t.exits}
    assert len(parts) >= len(categories)
    assert sum(parts[: len(categories)]) == exits
    assert (
        f"unspent on the attacker's side {coins('btc', sum(h.amount for h in t.taint.unspent))}"
        in text
    )


def test_the_sankey_draws_the_trace(traced: Traced) -> None:
    t = traced.trace
    body = block(traced.body, INCIDENT)
    svg = re.search(r"<svg.*?</svg>", body, re.S)
    assert svg is not None and "<figcaption>" in body
    titles = re.findall(r"<path[^>]*><title>(.*?)</title>", svg.group(0))
    from_seed = [satoshi(x)[0] for x in titles if x.startswith("stolen \u2192")]
    assert sum(from_seed) == t.taint.seed_amount
    into_services = [satoshi(x)[0] for x in titles if not x.startswith(("stolen", "not at"))]
    assert sum(into_services) == sum(e.amount for e in t.exits)
    assert "<script" not in traced.html


def test_figures_are_footnoted_to_the_files(traced: Traced) -> None:
    listed = notes(traced.html)
    assert body_refs(traced.html) == set(listed)
    cited = [listed[n] for n in refs_in(traced.body)]
    for adapter in ("theft-addresses", "bitcoin-etl", "tagpack"):
        assert any(n.startswith(f"{u}, sha256 ") for n in cited for u in traced.uris[adapter])
    assert "https://example.org/theft, p. 2" in cited
    assert any("FIFO" in n and INCIDENT in n for n in cited)
    eth_cited = [listed[n] for n in refs_in(block(traced.body, ETH_INCIDENT))]
    for adapter in ("theft-addresses", "ethereum-etl", "tagpack"):
        assert any(n.startswith(f"{u}, sha256 ") for n in eth_cited for u in traced.uris[adapter])
    assert any("FIFO" in n and ETH_INCIDENT in n and "base units" in n for n in eth_cited)


# -- the ethereum chain: one trace per asset --------------------------------------------------


def amounts(asset: str, text: str) -> list[int]:
    return wei(text) if asset == "eth" else base_units(text)


def test_the_eth_trace_is_shown_per_asset(
    traced: Traced, generated_chain: tuple[Path, dict[str, Any]]
) -> None:
    truth = generated_chain[1]["eth"]["theft"]["outputs"]
    assets = {r.asset for r, _ in traced.account.assets}
    assert assets == {o["asset"].lower() for o in truth}  # ether and the token
    shown = asset_blocks(traced.body)
    assert set(shown) == {a.upper() if a == "eth" else a for a in assets}
    for r, exits in traced.account.assets:
        html = shown[r.asset.upper() if r.asset == "eth" else r.asset]
        assert r.seed_amount > 0 and exits
        rows = re.findall(r'<tr class="exit">(.*?)</tr>', html, re.S)
        assert len(rows) == min(len(exits), 15)
        for row, e in zip(rows, exits, strict=False):
            cells = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            assert cells[0] == f"{e.label} {e.address}"
            assert cells[2] == e.evidence
            assert amounts(r.asset, cells[3]) == [e.amount]
            assert cells[4] == percent(e.amount, r.seed_amount)
        total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S)
        assert total is not None
        assert amounts(r.asset, total.group(1)) == [sum(e.amount for e in exits)]
        assert f"All {len(exits)} exit" in plain(total.group(1))
        svg = re.search(r"<svg.*?</svg>", html, re.S)
        assert svg is not None
        titles = re.findall(r"<path[^>]*><title>(.*?)</title>", svg.group(0))
        from_seed = [amounts(r.asset, x)[0] for x in titles if x.startswith("stolen \u2192")]
        assert sum(from_seed) == r.seed_amount


def test_the_eth_sentences_add_up_to_each_assets_seed(traced: Traced) -> None:
    shown = asset_blocks(traced.body)
    for r, exits in traced.account.assets:
        token = r.asset != "eth"
        html = shown[r.asset if token else "ETH"]
        m = re.search(r'<p class="trace-summary">(.*?)</p>', html, re.S)
        assert m is not None
        text = plain(m.group(1))
        seed, *parts = amounts(r.asset, text)
        assert seed == r.seed_amount > 0
        assert sum(parts) == seed  # fifo pulls in no clean funds
        categories = {e.category for e in exits}
        assert sum(parts[: len(categories)]) == sum(e.amount for e in exits)
        assert len(parts) == len(categories) + sum(
            1
            for a in (
                sum(h.amount for h in r.unspent),
                sum(h.amount for h in r.at_limit),
                r.fees,
                r.dust,
                r.returned,
            )
            if a > 0
        )
        if token:
            assert r.asset in text and "decimals are not in the data" in text
            assert not wei(text)
        else:
            assert "18 decimals" in text and not base_units(text)


def test_incidents_not_traced_say_why(traced: Traced) -> None:
    text = plain(traced.body.split("</h2>", 1)[-1])
    assert "that is not traced: " + LOST_INCIDENT in text
    assert "No output in the loaded btc data pays their theft addresses" in text
    # the eth incident is traced (below), not listed as untraced
    untraced = plain("".join(re.findall(r'<p class="untraced">(.*?)</p>', traced.body, re.S)))
    assert LOST_INCIDENT in untraced and ETH_INCIDENT not in untraced
    assert "UTXO chains only" not in text
    assert not text.startswith("No stolen funds")


def test_section_alone_is_the_same_in_a_fresh_context(
    traced: Traced, generated_chain: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "plain.duckdb"
    shutil.copy(generated_chain[0], path)
    with Workspace.open(path) as ws:
        # no theft addresses at all: nothing to report, no empty heading
        assert traced_funds_section(ws, ReportContext()) is None
    assert [s.id for s in traced.sections][-2:] == [SECTION, "provenance"]
