"""What an attachment is and whether it is built to run: name tricks, type mismatches, Office
macros (oletools' olevba, in memory) and archive listings (zipfile, listing only).

Nothing here writes a file or runs anything. Archives are only listed: ``zipfile`` reads the
central directory, and the declared sizes guard against zip bombs (a member expanding more
than ``MAX_RATIO`` times, or members adding up past ``MAX_EXPANDED``) before any member is
opened; the only bytes ever decompressed are a bounded prefix of an Office document's own
parts, which olevba reads to find a VBA project.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
import zipfile
from dataclasses import dataclass, field, fields
from typing import Any

from sanctrace.sources.email_message import Attachment

MAX_MEMBERS = 2000
MAX_RATIO = 100  # compression ratios above this are bombs or padding, not documents
MAX_EXPANDED = 512 * 1024 * 1024
MAX_MACRO_SCAN = 20 * 1024 * 1024

# what Windows runs or opens with a script host on a double-click
EXECUTABLE = frozenset(
    [
        "exe",
        "scr",
        "com",
        "pif",
        "bat",
        "cmd",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "hta",
        "lnk",
        "msi",
        "msp",
        "cpl",
        "jar",
        "ps1",
        "psm1",
        "reg",
        "dll",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "appx",
        "appinstaller",
        "application",
        "chm",
        "inf",
        "xll",
        "url",
        "scf",
        "library-ms",
    ]
)
MACRO_CAPABLE = frozenset(
    [
        "doc",
        "docm",
        "dot",
        "dotm",
        "xls",
        "xlsm",
        "xlsb",
        "xlt",
        "xltm",
        "xlam",
        "ppt",
        "pptm",
        "potm",
        "ppam",
    ]
)
OFFICE = MACRO_CAPABLE | frozenset(["docx", "xlsx", "pptx", "rtf", "one"])
ARCHIVE = frozenset(
    ["zip", "rar", "7z", "gz", "tgz", "tar", "cab", "ace", "arj", "xz", "bz2", "lzh", "z"]
)
DOCUMENT_LOOKING = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "txt",
        "rtf",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "csv",
    ]
)
_MAGIC = {
    b"MZ": "exe",
    b"%PDF": "pdf",
    b"PK\x03\x04": "zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
    b"Rar!": "rar",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"\x1f\x8b": "gz",
    b"{\\rtf": "rtf",
}


@dataclass
class ArchiveListing:
    """A zip's members as listed (never extracted), with what was odd about them."""

    members: list[dict[str, Any]] = field(default_factory=list)
    encrypted: bool = False
    bomb: str | None = None  # why it looks like a zip bomb, if it does
    error: str | None = None
    truncated: bool = False


@dataclass
class AttachmentReport(Attachment):
    """One attachment, analysed: the adapter's record and what was found in it. ``data`` is
    left empty: a report keeps no content."""

    magic: str | None = None
    double_extension: bool = False
    executable: bool = False
    type_mismatch: str | None = None
    macros: bool = False
    macro_keywords: list[str] = field(default_factory=list)
    macro_error: str | None = None
    archive: ArchiveListing | None = None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        del out["data"]
        out["archive"] = None if self.archive is None else dict(self.archive.__dict__)
        return out


def extensions(filename: str | None) -> list[str]:
    """The dotted suffixes of a name, lower case: "Invoice.PDF.exe" -> ["pdf", "exe"]."""
    if not filename:
        return []
    parts = filename.lower().strip().rstrip(". ").split(".")
    return [p.strip() for p in parts[1:] if 0 < len(p.strip()) <= 16]


def magic_of(data: bytes) -> str | None:
    for prefix, kind in _MAGIC.items():
        if data.startswith(prefix):
            return kind
    return None


def is_double_extension(filename: str | None) -> bool:
    """A document-looking extension hiding an executable one ("invoice.pdf.exe"), or a run of
    spaces before the real one ("report.pdf                .scr")."""
    exts = extensions(filename)
    if len(exts) < 2:
        return False
    before, last = exts[-2], exts[-1]
    return before in DOCUMENT_LOOKING and last != before and last in EXECUTABLE | MACRO_CAPABLE


def analyse(att: Attachment) -> AttachmentReport:
    exts = extensions(att.filename)
    ext = exts[-1] if exts else ""
    record = {f.name: getattr(att, f.name) for f in fields(Attachment) if f.name != "data"}
    report = AttachmentReport(
        **record,
        magic=magic_of(att.data),
        double_extension=is_double_extension(att.filename),
        executable=ext in EXECUTABLE,
    )
    if report.magic == "exe" and ext not in EXECUTABLE:
        report.type_mismatch = f"a Windows executable named .{ext or '(none)'}"
        report.executable = True
    elif report.magic == "zip" and ext in DOCUMENT_LOOKING - {"docx", "xlsx", "pptx"}:
        report.type_mismatch = f"a zip archive named .{ext}"
    is_office = ext in OFFICE or report.magic == "ole"
    if is_office or (report.magic == "zip" and ext in MACRO_CAPABLE):
        _macros(att, report)
    if report.magic == "zip" and ext not in OFFICE:
        report.archive = list_zip(att.data)
    return report


def list_zip(data: bytes) -> ArchiveListing:
    """The members of a zip, from its central directory; nothing is decompressed."""
    listing = ArchiveListing()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        listing.error = f"unreadable zip: {exc}"
        return listing
    if len(infos) > MAX_MEMBERS:
        listing.truncated = True
        listing.bomb = f"{len(infos):,} members (over {MAX_MEMBERS:,})"
    expanded = 0
    for info in infos[:MAX_MEMBERS]:
        expanded += info.file_size
        encrypted = bool(info.flag_bits & 0x1)
        listing.encrypted |= encrypted
        ratio = info.file_size / max(info.compress_size, 1)
        name = info.filename
        listing.members.append(
            {
                "name": name,
                "size": info.file_size,
                "compressed": info.compress_size,
                "encrypted": encrypted,
                "executable": bool(extensions(name)) and extensions(name)[-1] in EXECUTABLE,
                "double_extension": is_double_extension(name.rsplit("/", 1)[-1]),
            }
        )
        if ratio > MAX_RATIO and info.file_size > 1024 * 1024 and listing.bomb is None:
            listing.bomb = f"{name} expands {ratio:,.0f} times ({info.file_size:,} bytes)"
    if expanded > MAX_EXPANDED and listing.bomb is None:
        listing.bomb = f"members expand to {expanded:,} bytes (over {MAX_EXPANDED:,})"
    return listing


def _macros(att: Attachment, report: AttachmentReport) -> None:
    """VBA or XLM macros in an Office file, read in memory by olevba."""
    if att.size > MAX_MACRO_SCAN:
        report.macro_error = f"not scanned: over {MAX_MACRO_SCAN:,} bytes"
        return
    if report.magic == "zip":
        guard = list_zip(att.data)
        if guard.bomb:  # an Office file is a zip too: never let olevba inflate a bomb
            report.macro_error = f"not scanned: {guard.bomb}"
            return
    with warnings.catch_warnings():
        # oletools calls pyparsing's old camelCase names, which warn on import and use
        warnings.simplefilter("ignore")
        _scan(att, report)


def _scan(att: Attachment, report: AttachmentReport) -> None:
    from oletools.olevba import VBA_Parser

    logging.getLogger("olevba").setLevel(logging.CRITICAL)
    parser = None
    try:
        parser = VBA_Parser(att.filename or "attachment", data=att.data, relaxed=True)
        report.macros = bool(parser.detect_vba_macros())
        if report.macros:
            keywords = set()
            for kind, keyword, _ in parser.analyze_macros():
                if kind in ("AutoExec", "Suspicious", "IOC"):
                    keywords.add(f"{kind}: {keyword}")
            report.macro_keywords = sorted(keywords)[:50]
    except Exception as exc:
        report.macro_error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        if parser is not None:
            with contextlib.suppress(Exception):
                parser.close()
