"""``/cap``: the cap ledger of a commodity and year, as the API gives it, with the chart of
every year against the cap."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def text(html: str) -> str:
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", html, flags=re.S))
    )


def test_refined_2018(web_client: TestClient) -> None:
    response = web_client.get("/cap", params={"commodity": "refined", "year": "2018"})
    assert response.status_code == 200
    html = response.text
    assert '<a href="/cap" aria-current="page">Cap</a>' in html
    assert '<figure class="chart" id="cap-chart"><svg' in html
    page = text(html)
    assert "Reported: 241,114 barrels, 48.22% of the cap; thresholds crossed: none." in page
    assert "759,793 at 50% (reproduced); 1,367,628 at 90% (reproduced)" in page
    row = re.search(r'<tr id="estimate-us-2018-jan-may">(.*?)</tr>', html, re.S)
    assert row is not None
    assert [c for c in ("501,463", "759,793", "1,367,628", "1,519,587") if c in row.group(1)] == [
        "501,463",
        "759,793",
        "1,367,628",
        "1,519,587",
    ]
    assert (
        "75% by 2018-05-30, 90% by 2018-05-30, 95% by 2018-05-30; cap exceeded by 2018-05-30"
        in page
    )
    assert "sanctrace:data/petroleum/estimates.csv" in page


def test_default_year_and_crude(web_client: TestClient) -> None:
    assert 'value="2023"' in web_client.get("/cap").text
    crude = web_client.get("/cap", params={"commodity": "crude", "year": "2018"})
    assert crude.status_code == 200
    page = text(crude.text)
    assert "crude 2018 in barrels (2017-12-22 to 2018-12-21)" in page
    assert "crude 2018 in tonnes" in page and "Cap 525,000 tonnes" in page


def test_errors_are_shown_in_the_page(web_client: TestClient) -> None:
    bad = web_client.get("/cap", params={"commodity": "diesel"})
    assert bad.status_code == 400
    assert "no cap is loaded for it" in text(bad.text)
    assert web_client.get("/cap", params={"year": "20x8"}).status_code == 400
    assert "no refined cap covers it" in text(web_client.get("/cap", params={"year": "2001"}).text)
