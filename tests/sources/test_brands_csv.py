"""The protected brands: ``brand,domain,aliases``, one row per legitimate domain."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctrace.errors import InputError
from sanctrace.sources.brands_csv import Brand, read_brands


def test_bundled_brands() -> None:
    brands, refused = read_brands()
    assert refused == []
    upbit = [b for b in brands if b.name == "UPbit"]
    assert {b.domain for b in upbit} == {"upbit.com", "dunamu.com"}
    assert "\uc5c5\ube44\ud2b8" in upbit[0].aliases  # 업비트


def test_rows_are_cleaned_and_bad_ones_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "brands.csv"
    path.write_text(
        "brand,domain,aliases\n"
        "Example,https://www.Example-Exchange.com/,Ex| EX Pro |\n"
        ",nobrand.com,\n"
        "Broken,not a domain,\n"
        "Short,short.io\n",
        encoding="utf-8",
    )
    brands, refused = read_brands(path)
    assert brands == [Brand("Example", "example-exchange.com", ("Ex", "EX Pro"))]
    assert [(q.line, q.reason) for q in refused] == [
        (3, "brand is empty"),
        (4, "domain 'not a domain' is not a domain name"),
        (5, "2 cells where the header has 3 (a truncated line?)"),
    ]


def test_missing_column_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "brands.csv"
    path.write_text("name,site\nUPbit,upbit.com\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_brands(path)
