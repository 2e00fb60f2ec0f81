"""Reading source documents: plain text, HTML (the article, not the page furniture) and PDF
(the text layer), each hashed; and the clear errors for files that cannot be read."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from sanctrace.errors import InputError
from sanctrace.intake import document_from_bytes, document_from_text, extract, read_document

from .pdf_factory import make_pdf

ARTICLE = """<!doctype html>
<html><head><title>North Korea took $2 bln in cyber attacks</title>
<script>var price = "$99 million";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/markets">Markets</a></li></ul></nav>
<article>
<h1>North Korea took $2 bln in cyber attacks to fund weapons program</h1>
<p>According to the report, the panel looked into at least 35 cases of cyberattacks in
17 countries including Chile, India, Malaysia, South Africa and South Korea.</p>
<p>The report claims that numerous North Korea advanced persistent threat (APT) groups
operate under the guidance of North Korea's Reconnaissance General Bureau.</p>
<p>Most recently, North Korean hackers have been targeting users of the UPbit exchange
with a phishing email campaign.</p>
</article>
<footer>Copyright 2019 Example Media. Subscribe for $5 per month.</footer>
</body></html>
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_text_is_hashed_over_its_bytes(tmp_path: Path) -> None:
    data = b"Lazarus stole $81 million from Bangladesh Bank.\r\nIn 2016.\r\n"
    doc = read_document(write(tmp_path, "note.txt", data))
    assert doc.kind == "text"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.text == "Lazarus stole $81 million from Bangladesh Bank.\nIn 2016.\n"
    assert doc.size == len(data)
    assert doc.name.endswith("note.txt")


def test_same_bytes_same_claim_ids_wherever_read(tmp_path: Path) -> None:
    data = b"Lazarus stole $81 million from Bangladesh Bank in 2016."
    a = extract(read_document(write(tmp_path, "a.txt", data)))
    b = extract(document_from_bytes(data, "upload"))
    assert [c.id for c in a] == [c.id for c in b]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = (
        "La Corée du Nord a volé des fonds à la banque du Chili. Côte d'Ivoire. "
        "Les experts de l'ONU ont étudié 35 cas dans 17 pays, dont le Chili et l'Inde. "
    ) * 2
    doc = read_document(write(tmp_path, "fr.txt", text.encode(encoding)))
    assert doc.text == text


def test_html_article_without_page_furniture(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "article.html", ARTICLE.encode()))
    assert doc.kind == "html"
    assert "at least 35 cases of cyberattacks" in doc.text
    assert "Markets" not in doc.text and "Subscribe" not in doc.text
    assert "$99 million" not in doc.text  # script content is not text
    claims = extract(doc)
    values = {(c.type, c.value) for c in claims}
    assert {("count", 35), ("count", 17), ("money", 2_000_000_000)} <= values
    assert ("victim", "Upbit") in values
    assert ("actor", "Reconnaissance General Bureau") in values
    assert not [c for c in claims if c.type == "money" and c.value != 2_000_000_000]


def test_html_found_by_content_and_fragments_read(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page", ARTICLE.encode()))
    assert doc.kind == "html"
    fragment = document_from_bytes(b"<p>Kimsuky stole <b>$5 million</b>.</p>", "x", kind="html")
    assert fragment.text.strip() == "Kimsuky stole $5 million."


def test_pdf_text_layer(tmp_path: Path) -> None:
    pdf = make_pdf(
        [
            "The panel looked into at least 35 cases of cyberattacks in 17 countries.",
            "Imports exceeded the annual limit of 500,000 barrels of refined petroleum.",
        ]
    )
    doc = read_document(write(tmp_path, "report.pdf", pdf))
    assert doc.kind == "pdf"
    assert doc.sha256 == hashlib.sha256(pdf).hexdigest()
    claims = extract(doc)
    assert {(c.type, c.value, c.unit) for c in claims} >= {
        ("count", 35, "cases"),
        ("count", 17, "countries"),
        ("cap", 500_000, "barrel"),
    }


def test_pdf_found_by_content_whatever_the_suffix(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "report.txt", make_pdf(["Lazarus stole $5 million."])))
    assert doc.kind == "pdf"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("controls.txt", b"\x01\x02\x03\x04 some text \x05\x06\x07\x08\x0e\x0f", "binary"),
        ("noise.txt", bytes(b or 1 for b in random.Random(7).randbytes(300)), "encoding"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "broken PDF"),
        ("scan.pdf", make_pdf([]), "no text layer"),
        ("fake.pdf", b"North Korea took $2 bln", "not a PDF"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "no readable text"),
        ("tags.html", b"<html><body><div><p></p></div></body></html>", "no readable text"),
        ("utf16.txt", b"\xff\xfe\x00\xd8", "UTF-16"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert err.value.location == str(path)
    assert reason in err.value.reason


def test_size_limit_refuses_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"North Korea. " * 1000)
    with pytest.raises(InputError, match="over the limit of 1,000"):
        read_document(path, max_bytes=1000)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_document(tmp_path / "nope.txt")


def test_pasted_text() -> None:
    doc = document_from_text("Andariel stole $10 million.")
    assert doc.kind == "text" and doc.name == "<text>"
    assert [c.value for c in extract(doc)] == ["Andariel", 10_000_000]
