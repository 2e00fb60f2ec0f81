"""Attachment analysis: name tricks, macros (olevba, in memory), zip listings and bombs."""

from __future__ import annotations

import io
import zipfile

import pytest

from sanctrace.phishing.attachments import analyse, is_double_extension, list_zip
from sanctrace.sources.email_message import Attachment
from sanctrace.synthetic.office_macro import docm


def att(name: str, data: bytes, ctype: str = "application/octet-stream") -> Attachment:
    return Attachment.of("2", name, ctype, data)


@pytest.mark.parametrize(
    ("name", "double"),
    [
        ("invoice.pdf.exe", True),
        ("report.pdf        .scr", True),
        ("Statement.DOC.js", True),
        ("photo.jpg.docm", True),
        ("archive.tar.gz", False),
        ("invoice.pdf", False),
        ("v1.2.exe", False),
        (None, False),
    ],
)
def test_double_extension(name: str | None, double: bool) -> None:
    assert is_double_extension(name) is double


def test_macro_document_is_found_with_its_autoexec() -> None:
    report = analyse(att("invoice.docm", docm()))
    assert report.macros and report.macro_error is None
    assert report.macro_keywords[:2] == ["AutoExec: AutoOpen", "Suspicious: CreateObject"]


def test_macro_free_document_and_garbage_office_file() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert not analyse(att("plain.docx", buf.getvalue())).macros
    broken = analyse(att("broken.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage"))
    assert not broken.macros  # olevba's complaint is kept, not raised


def test_executable_disguised_and_archive_listing() -> None:
    exe = analyse(att("scan.pdf", b"MZ" + b"\0" * 100))
    assert exe.executable and exe.type_mismatch == "a Windows executable named .pdf"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a/statement.pdf.exe", b"MZ")
        zf.writestr("readme.txt", b"hi")
    listing = analyse(att("statement.zip", buf.getvalue())).archive
    assert listing is not None and listing.bomb is None and not listing.encrypted
    assert [(m["name"], m["executable"], m["double_extension"]) for m in listing.members] == [
        ("a/statement.pdf.exe", True, True),
        ("readme.txt", False, False),
    ]


def test_zip_bomb_is_named_from_the_listing_alone() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (16 * 1024 * 1024))
    listing = list_zip(buf.getvalue())
    assert listing.bomb is not None and listing.bomb.startswith("zeros.bin expands")
    # a bomb named .docm is not handed to olevba either
    report = analyse(att("bomb.docm", buf.getvalue()))
    assert report.macro_error is not None and "expands" in report.macro_error


def test_unreadable_zip() -> None:
    listing = list_zip(b"PK\x03\x04 truncated")
    assert listing.error is not None and listing.members == []
