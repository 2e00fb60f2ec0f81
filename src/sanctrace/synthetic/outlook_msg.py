"""Outlook .msg files built from scratch, for tests (no installed package ships a sample).

A .msg is a Compound File (MS-CFB) of MAPI properties (MS-OXMSG): each string property is a
``__substg1.0_TTTTTTTT`` stream (UTF-16LE for type 001F, raw bytes for 0102) listed in the
``__properties_version1.0`` stream, and each attachment a ``__attach_version1.0_#N`` storage
with properties of its own. This writes the handful that mail tools read (message class,
subject, body, sender, transport headers, attachments) with extract-msg's ``OleWriter``; the
``email`` adapter then reads them back through extract-msg like any Outlook file.
Deterministic: the same message in, the same bytes out.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

UNICODE = 0x001F
BINARY = 0x0102
LONG = 0x0003
READABLE_WRITABLE = 0x6


@dataclass
class MsgAttachment:
    filename: str
    data: bytes
    mime: str = "application/octet-stream"


@dataclass
class MsgMessage:
    subject: str
    body: str
    sender_name: str
    sender_email: str
    headers: str = ""  # transport headers (Received, Authentication-Results, ...)
    html: str | None = None
    attachments: list[MsgAttachment] = field(default_factory=list)


def _add(writer: object, storage: str, props: list[tuple[int, int, bytes]]) -> bytes:
    """Write the property streams under ``storage`` and return their property entries."""
    entries = b""
    for pid, ptype, data in props:
        tag = (pid << 16) | ptype
        writer.addEntry(f"{storage}__substg1.0_{tag:08X}", data)  # type: ignore[attr-defined]
        size = len(data) + (2 if ptype == UNICODE else 0)  # strings count their terminator
        entries += struct.pack("<IIII", tag, READABLE_WRITABLE, size, 0)
    return entries


def _text(pid: int, value: str) -> tuple[int, int, bytes]:
    return pid, UNICODE, value.encode("utf-16-le")


def build_msg(message: MsgMessage) -> bytes:
    """The bytes of a .msg file holding ``message``."""
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    props = [
        _text(0x001A, "IPM.Note"),  # PR_MESSAGE_CLASS
        _text(0x0037, message.subject),  # PR_SUBJECT
        _text(0x1000, message.body),  # PR_BODY
        _text(0x0C1A, message.sender_name),  # PR_SENDER_NAME
        _text(0x0C1F, message.sender_email),  # PR_SENDER_EMAIL_ADDRESS
    ]
    if message.headers:
        props.append(_text(0x007D, message.headers))  # PR_TRANSPORT_MESSAGE_HEADERS
    if message.html is not None:
        props.append((0x1013, BINARY, message.html.encode("utf-8")))  # PR_HTML
    entries = _add(writer, "", props)
    for i, att in enumerate(message.attachments):
        storage = f"__attach_version1.0_#{i:08X}/"
        writer.addEntry(storage.rstrip("/"), storage=True)
        att_entries = _add(
            writer,
            storage,
            [
                _text(0x3707, att.filename),  # PR_ATTACH_LONG_FILENAME
                _text(0x3704, att.filename[:12]),  # PR_ATTACH_FILENAME
                _text(0x370E, att.mime),  # PR_ATTACH_MIME_TAG
                (0x3701, BINARY, att.data),  # PR_ATTACH_DATA_BIN
            ],
        )
        # PR_ATTACH_METHOD = ATTACH_BY_VALUE: a fixed-size property, stored in the entry
        att_entries += struct.pack("<IIQ", (0x3705 << 16) | LONG, READABLE_WRITABLE, 1)
        # attachment objects: 8 reserved bytes, then the entries
        writer.addEntry(storage + "__properties_version1.0", b"\0" * 8 + att_entries)
    n = len(message.attachments)
    # top level: 8 reserved, next recipient id, next attachment id, recipients, attachments,
    # 8 reserved (MS-OXMSG 2.4.1.1)
    header = b"\0" * 8 + struct.pack("<IIII", 0, n, 0, n) + b"\0" * 8
    writer.addEntry("__properties_version1.0", header + entries)
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):  # empty named-property map
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
