"""The pages as HTML, without a browser: figures from the engines, filters, static files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient


class Assets(HTMLParser):
    """The URLs a page loads by itself (scripts, styles, icons, images, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")


def rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return len(re.findall(r"<tr[ >]", body))


def test_dashboard(web_client: TestClient) -> None:
    r = web_client.get("/")
    assert r.status_code == 200
    summary = web_client.get("/api/incidents/summary?by=year").json()["total"]
    html = r.text
    assert f"${summary['stolen_usd']['central']:,}" in html
    assert f"${summary['stolen_usd']['high']:,}" in html
    assert f'<div class="value">{summary["cases"]}</div>' in html
    assert f'<div class="value">{summary["countries"]}</div>' in html
    assert html.count("<svg") >= 3
    assert rows(html) == summary["cases"]


def test_filter_without_javascript(web_client: TestClient) -> None:
    html = web_client.get("/", params={"country": "KR"}).text
    kr = web_client.get("/api/incidents/summary?by=country").json()["groups"]
    cases = next(g["cases"] for g in kr if g["key"] == "KR")
    assert rows(html) == cases
    assert f"{cases} of 91 incidents" in html
    assert '<option value="KR" selected>' in html


def test_htmx_gets_the_table_only(web_client: TestClient) -> None:
    r = web_client.get("/", params={"q": "bridge"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<section id="incident-table">')
    assert "<svg" not in r.text and "<html" not in r.text
    assert r.headers["vary"] == "HX-Request"
    assert 0 < rows(r.text) < 91


def test_incident_page(web_client: TestClient) -> None:
    incidents = web_client.get("/api/incidents").json()["incidents"]
    iid = next(i["incident_id"] for i in incidents if i["victim"] == "Bangladesh Bank")
    detail = web_client.get(f"/api/incidents/{iid}").json()
    html = web_client.get(f"/incidents/{iid}").text
    assert "<h1>Bangladesh Bank</h1>" in html
    assert "$81,000,000" in html
    assert '<a href="https://undocs.org/S/2019/691" rel="noreferrer noopener">' in html
    for s in detail["sources"]:
        assert s["source_id"] in html and s["uri"] in html
    assert f'href="/api/incidents/{iid}"' in html


@pytest.mark.parametrize("path", ["/actors", "/sources"])
def test_listing_pages(web_client: TestClient, path: str) -> None:
    r = web_client.get(path)
    assert r.status_code == 200
    api = web_client.get(f"/api{path}").json()[path.strip("/")]
    assert rows(r.text) == len(api)


@pytest.mark.parametrize("path", ["/", "/actors", "/sources", "/docs", "/incidents/x"])
def test_pages_load_nothing_from_elsewhere(web_client: TestClient, path: str) -> None:
    parser = Assets()
    parser.feed(web_client.get(path).text)
    assert parser.urls
    for url in parser.urls:
        assert url.startswith("/static/"), url
        assert web_client.get(url).status_code == 200, url


def test_vendored_scripts_carry_their_licences(web_client: TestClient) -> None:
    for path in ("vendor/htmx/LICENSE", "vendor/swagger-ui/LICENSE", "README.md"):
        assert web_client.get(f"/static/{path}").status_code == 200
    assert "htmx" in web_client.get("/static/vendor/htmx/htmx.min.js").text[:200]
