"""The pages in Debian's chromium: figures and charts, sorting, filtering, the incident page,
and no request to any host but 127.0.0.1 (the ``page`` fixture checks that after each test)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Requests

pytestmark = pytest.mark.browser

ROWS = "#incidents-table tbody tr"


def row_ids(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.dataset.id)"))


def test_dashboard_shows_figures_and_charts(
    page: Any, web_client: TestClient, requests_seen: Requests
) -> None:
    total = web_client.get("/api/incidents/summary?by=year").json()["total"]
    page.goto("/")
    figure = page.locator("#total-proceeds").inner_text()
    assert f"${total['stolen_usd']['central']:,}" in figure
    assert f"${total['stolen_usd']['low']:,}" in figure
    assert f"${total['stolen_usd']['high']:,}" in figure
    assert page.locator("#total-cases .value").inner_text() == str(total["cases"])
    assert page.locator("#total-countries .value").inner_text() == str(total["countries"])
    charts = page.locator("figure.chart svg")
    assert charts.count() == 3
    for n in range(3):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
    assert page.locator(ROWS).count() == total["cases"]
    # the scripts came from the server itself
    loaded = {u.split("127.0.0.1", 1)[-1].split(":", 1)[-1] for u in requests_seen.urls}
    assert any(u.endswith("/static/vendor/htmx/htmx.min.js") for u in loaded)
    assert page.evaluate("typeof htmx") == "object"


def test_sort_by_stolen_usd(page: Any, web_client: TestClient) -> None:
    incidents = web_client.get("/api/incidents").json()["incidents"]
    # largest first; sorted() is stable, so ties stay in date order, as in the page
    known = sorted(
        (i for i in incidents if i["stolen_usd"] is not None), key=lambda i: -i["stolen_usd"]
    )
    page.goto("/")
    before = row_ids(page)
    assert before == [i["incident_id"] for i in incidents]  # the engine's date order

    header = page.locator("#incidents-table th", has_text="Stolen USD")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    after = row_ids(page)
    assert after != before
    assert sorted(after) == sorted(before)
    assert after[: len(known)] == [i["incident_id"] for i in known]  # ties keep date order
    top = page.locator(ROWS).first.locator("td").nth(5).inner_text()
    assert top == f"${known[0]['stolen_usd']:,}"

    header.locator("button").click()  # again: smallest first, unknown amounts still last
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = row_ids(page)
    smallest_first = sorted(known, key=lambda i: i["stolen_usd"])
    assert ascending[: len(known)] == [i["incident_id"] for i in smallest_first]
    unknown = [i["incident_id"] for i in incidents if i["stolen_usd"] is None]
    assert ascending[len(known) :] == unknown


def test_filter_by_text(page: Any, web_client: TestClient) -> None:
    incidents = web_client.get("/api/incidents").json()["incidents"]
    page.goto("/")
    assert page.locator(ROWS).count() == len(incidents)
    page.locator("#filter-text").fill("bridge")
    page.wait_for_function(
        f"document.querySelectorAll('{ROWS}').length < {len(incidents)}", polling=100
    )
    victims = page.eval_on_selector_all(
        ROWS, "rows => rows.map(r => r.cells[1].innerText.toLowerCase())"
    )
    assert victims and len(victims) < len(incidents)
    assert any("ronin" in v for v in victims)
    assert page.locator("#incident-count").inner_text().startswith(f"{len(victims)} of ")
    assert "q=bridge" in page.url  # the filtered view has an address of its own


def test_filter_by_select_keeps_the_sort(page: Any) -> None:
    page.goto("/")
    page.locator("#incidents-table th", has_text="Stolen USD").locator("button").click()
    page.locator("#filter-country").select_option("KR")
    page.wait_for_function(f"document.querySelectorAll('{ROWS}').length < 20", polling=100)
    assert set(page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.cells[3].innerText)")) == {
        "KR"
    }
    usd = page.eval_on_selector_all(
        ROWS, "rows => rows.map(r => Number(r.cells[5].dataset.value || -1))"
    )
    assert usd == sorted(usd, reverse=True)
    sorted_header = page.locator("#incidents-table th[aria-sort]")
    assert sorted_header.inner_text().startswith("Stolen USD")


def test_incident_page_from_the_table(page: Any, web_client: TestClient) -> None:
    page.goto("/")
    page.locator(ROWS, has_text="Bangladesh Bank").locator("a").first.click()
    page.wait_for_url("**/incidents/**")
    iid = page.url.rsplit("/", 1)[-1]
    detail = web_client.get(f"/api/incidents/{iid}").json()
    assert page.locator("h1").inner_text() == "Bangladesh Bank"
    assert page.locator("#stolen").inner_text().startswith("$81,000,000")
    sources = page.locator("#sources tbody tr")
    assert sources.count() == len(detail["sources"])
    assert detail["sources"][0]["uri"] in sources.first.inner_text()
    links = page.eval_on_selector_all("#citations a", "as => as.map(a => a.href)")
    assert {c["document"] for c in detail["citations"]} <= set(links)
    assert page.locator("#attributions a", has_text="Lazarus Group").count() == 1


def test_api_docs_render_offline(page: Any) -> None:
    page.goto("/docs")
    page.locator(".opblock-summary-path", has_text="/api/incidents/summary").wait_for()
    assert page.locator(".opblock").count() >= 6


def test_no_request_leaves_localhost(
    page: Any, web_client: TestClient, requests_seen: Requests
) -> None:
    iid = web_client.get("/api/incidents").json()["incidents"][0]["incident_id"]
    for path in ("/", f"/incidents/{iid}", "/actors", "/sources", "/docs"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/")
    with page.expect_response(lambda r: "q=lazarus" in r.url):
        page.locator("#filter-text").fill("lazarus")
    hosts = {urlsplit(u).hostname for u in requests_seen.urls if urlsplit(u).scheme != "data"}
    assert hosts == {"127.0.0.1"}
    assert any("q=lazarus" in u for u in requests_seen.urls)  # htmx's request was seen too
    assert len(requests_seen.urls) > 10  # the pages, their static files and the API schema
