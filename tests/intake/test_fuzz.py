"""Hypothesis: no input makes the reader or the extractor fail with a traceback. The reader
either returns a document or raises ``InputError``; the extractor always returns claims whose
spans are the text they quote."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.intake import Document, document_from_bytes, extract
from sanctrace.intake.documents import Kind

from .pdf_factory import make_pdf

# pieces of the domain's prose, so that random texts reach every rule and their overlaps
PIECES = [
    "North Korea", "the North", "DPRK", "Democratic People's Republic of Korea", "Korea's",
    "Lazarus", "APT38", "BlueNoroff", "RGB", "ZINC", "hackers", "IT workers", "cyber actors",
    "$2 bln", "US$ 81 million", "two billion USA dollars", "342,000 ETH", "up to", "at least",
    "35 cases of", "17 countries", "25 different worldwide locations", "1,367,628 barrels of",
    "refined petroleum", "annual restrict of", "500,000 barrels", "the first 4 months of",
    "2019", "between February and", "August", "31 February 2019", "2019-02-30", "Upbit",
    "UPbit exchange", "stole", "from", "Bangladesh Bank", "monetary establishments", "banks",
    "under the guidance of", "Chile", "India", "It", "In", "US", "U.S.", "twenty-five",
    "hundred", "a billion", "0", "1,23,456", "9" * 40, ".", ",", "'s", "(", ")", "\n\n", "-",
]  # fmt: skip
prose = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map(" ".join)


def check(text: str) -> None:
    claims = extract(text, source="fuzz")
    for c in claims:
        start, end = c.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == c.text
        assert 0 < c.confidence <= 1
        c.to_dict()
    # settled claims never overlap, but for the one nesting allowed: a country or actor inside
    # a count ("14 North Korean nationals"), a country inside a quantity or cap
    nests = {("count", "country"), ("count", "actor"), ("quantity", "country"), ("cap", "country")}
    for a, b in itertools.combinations(claims, 2):
        if a.span[0] < b.span[1] and b.span[0] < a.span[1]:
            outer, inner = (a, b) if a.span[1] - a.span[0] >= b.span[1] - b.span[0] else (b, a)
            assert (outer.type, inner.type) in nests
            assert outer.span[0] <= inner.span[0] and inner.span[1] <= outer.span[1]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_extract_any_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prose)
def test_extract_domain_prose(text: str) -> None:
    check(text)


def read(data: bytes, kind: Kind | None) -> Document | None:
    try:
        doc = document_from_bytes(data, "fuzz", kind=kind)
    except InputError as err:
        assert err.location == "fuzz" and err.reason
        return None
    assert doc.text.strip()
    return doc


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["text", "html", "pdf", None]))
def test_read_any_bytes(data: bytes, kind: Kind | None) -> None:
    doc = read(data, kind)
    if doc is not None:
        check(doc.text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<p>", "</p>", "<b>", "<div", ">", "<!--", "-->", "<script>",
                             "<html>", "<body>", "</body>", "&amp;", "&#0;", "&#xD800;",
                             "<?xml version='1.0' encoding='utf-8'?>", "<![CDATA[", "]]>"]),
            st.text(max_size=20),
        ),
        max_size=30,
    ).map("".join)
)  # fmt: skip
def test_read_any_html(markup: str) -> None:
    doc = read(markup.encode("utf-8", "surrogatepass"), "html")
    if doc is not None:
        check(doc.text)


VALID_PDF = make_pdf(["Lazarus stole $81 million from Bangladesh Bank in 2016."])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID_PDF) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    st.integers(0, len(VALID_PDF)),
)
def test_read_damaged_pdf(flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(VALID_PDF)
    for pos, byte in flips:
        data[pos] = byte
    doc = read(bytes(data[: max(cut, 8)]), "pdf")
    if doc is not None:
        check(doc.text)


def test_valid_pdf_reads() -> None:
    """The fuzzed PDF is valid before it is damaged, so the damage is what is being tested."""
    doc = read(VALID_PDF, "pdf")
    assert doc is not None and "Bangladesh Bank" in doc.text
