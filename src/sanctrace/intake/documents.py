"""Source documents: a file read into text, with the SHA-256 of its bytes as its identity.

The hash is taken over the bytes as read, before any decoding, so that a claim can be traced
to exactly the file it came from and re-reading the same file gives the same claim ids.
Claim spans index ``Document.text``, which is the decoded text with line endings made
``\\n``; for HTML and PDF it is the readable text that the extractor saw.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from sanctrace.errors import InputError
from sanctrace.intake.html_text import html_to_text
from sanctrace.intake.pdf_text import pdf_to_text

Kind = Literal["text", "html", "pdf"]
MAX_BYTES: Final[int] = 20 * 1024 * 1024
SUFFIXES: Final[dict[str, Kind]] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
# share of control characters past which decoded "text" is really binary
_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Document:
    """One source document: where it came from, what kind it was, its text and its hash."""

    name: str
    kind: Kind
    text: str
    sha256: str
    size: int


def read_document(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read ``path`` as plain text, HTML or PDF (by content where it is unambiguous, by suffix
    otherwise). Every failure is an ``InputError`` naming the file and the reason."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, _too_big(size, max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read the file: {exc.strerror or exc}") from None
    return document_from_bytes(data, name, kind=SUFFIXES.get(path.suffix.lower()),
                               max_bytes=max_bytes)  # fmt: skip


def document_from_bytes(
    data: bytes, name: str, *, kind: Kind | None = None, max_bytes: int = MAX_BYTES
) -> Document:
    """A document from bytes already in memory (an upload, a test)."""
    if len(data) > max_bytes:
        raise InputError(name, _too_big(len(data), max_bytes))
    if not data.strip():
        raise InputError(name, "the file is empty")
    sha = hashlib.sha256(data).hexdigest()
    if data.lstrip()[:5] == b"%PDF-":
        kind = "pdf"
    elif kind is None:
        kind = "html" if _looks_like_html(data) else "text"
    if kind == "pdf":
        if data.lstrip()[:5] != b"%PDF-":
            raise InputError(name, "not a PDF: the file does not start with %PDF-")
        text = pdf_to_text(data, name)
    elif kind == "html":
        text = html_to_text(decode(data, name), name)
    else:
        text = decode(data, name)
    text = _clean(text, name, kind)
    return Document(name=name, kind=kind, text=text, sha256=sha, size=len(data))


def document_from_text(text: str, name: str = "<text>") -> Document:
    """A document from a string (pasted text): hashed as its UTF-8 bytes."""
    return document_from_bytes(text.encode("utf-8", "surrogatepass"), name, kind="text")


def decode(data: bytes, name: str) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark); other encodings are detected with
    charset-normalizer. Binary data is refused, not decoded into noise."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "not valid UTF-16 despite its byte-order mark") from None
    if b"\x00" in data:
        raise InputError(name, "binary file (NUL bytes): give plain text, HTML or PDF")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(name, "cannot tell the text encoding; save the file as UTF-8")
    return str(best)


def _clean(text: str, name: str, kind: Kind) -> str:
    """Line endings as ``\n``. Control characters in a text file mean it is binary and it is
    refused; in a PDF's or a page's extracted text they are debris of a font or markup
    encoding, and are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = {c for c in set(text) if _is_control(c)}
    if controls and kind == "text":
        count = sum(1 for c in text if c in controls)
        if count > _CONTROL_SHARE * len(text):
            raise InputError(name, "binary file (control characters): give plain text, HTML or PDF")
    if controls and kind != "text":
        text = "".join(c for c in text if c not in controls)
    if not text.strip():
        raise InputError(name, "no text in the file (only blanks)")
    return text


def _is_control(c: str) -> bool:
    return unicodedata.category(c) in {"Cc", "Cs", "Co"} and c not in "\n\t\f"


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size:,} bytes, over the limit of {limit:,}; split it or raise the "
        "limit (max_bytes)"
    )
