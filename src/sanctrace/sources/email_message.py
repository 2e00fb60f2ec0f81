"""``email``: one email message per file, .eml (RFC 5322 / MIME) or Outlook .msg.

.eml goes through the standard library's ``email`` package (``BytesParser`` with
``policy.default``), .msg through extract-msg; nothing here parses MIME by hand. A message
becomes a ``Mail``: its headers, its text and HTML bodies decoded to ``str``, its attachments
(bytes kept in memory only, for hashing and analysis; never written anywhere) and the
messages forwarded inside it (``message/rfc822`` parts, embedded .msg), each a ``Mail`` of
its own.

Hostile input is the normal case for this adapter, so everything is bounded (``Limits``): the
file's size, the header block, MIME nesting, the number of parts and attachments, and the
text kept per message. What goes past a limit, or cannot be decoded (an unknown charset, a
broken transfer encoding), is kept as far as it can be and recorded in ``Mail.problems``
naming the file and the MIME part; a part dropped altogether is quarantined too. A file that
is not an email at all is an ``InputError`` naming it.

The rows it writes (``email_message``, ``email_url``, ``email_attachment``, ``email_hop``) come
from the phishing engine's extractors (``phishing.urls``, ``phishing.headers``), so that
``sanctrace ingest email`` and ``sanctrace phish analyze`` see the same URLs and hops.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined


@dataclass(frozen=True)
class Limits:
    """What one file may hold before the adapter stops reading more of it."""

    max_bytes: int = 30 * 1024 * 1024  # a large mailbox's attachment limit, with room
    max_header_bytes: int = 512 * 1024  # a real header block is a few KiB
    max_headers: int = 2000
    max_depth: int = 12  # MIME nesting, forwarded messages included
    max_parts: int = 1000
    max_attachments: int = 200
    max_text_chars: int = 2_000_000  # text analysed per message
    stored_text_chars: int = 100_000  # of which kept in email_message.body_text


LIMITS = Limits()
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: what .msg files are


@dataclass
class Attachment:
    """An attachment's metadata and hashes; ``data`` stays in memory for analysis only."""

    part: str
    filename: str | None
    content_type: str
    size: int
    md5: str
    sha1: str
    sha256: str
    data: bytes = field(repr=False, default=b"")

    @classmethod
    def of(cls, part: str, filename: str | None, content_type: str, data: bytes) -> Attachment:
        return cls(
            part=part,
            filename=filename,
            content_type=content_type,
            size=len(data),
            md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
            sha1=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
        )


@dataclass
class Mail:
    """One message, decoded. ``part`` is "" for the file's own message and the MIME part path
    ("2", "1.3") for a forwarded one; ``headers`` are (name, decoded value) in file order."""

    file: str
    part: str
    format: str
    key: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    html_parts: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[Mail] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    parent_key: str | None = None

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or None."""
        values = self.header_all(name)
        return values[0] if values else None

    def header_all(self, name: str) -> list[str]:
        low = name.lower()
        return [v for n, v in self.headers if n.lower() == low]

    @property
    def subject(self) -> str | None:
        return self.header("Subject")

    @property
    def sender(self) -> tuple[str, str]:
        """(display name, address) of From."""
        return _address(self.header("From"))

    @property
    def reply_to(self) -> str:
        return _address(self.header("Reply-To"))[1]

    @property
    def return_path(self) -> str:
        return _address(self.header("Return-Path"))[1]

    @property
    def recipients(self) -> list[str]:
        values = self.header_all("To") + self.header_all("Cc")
        return [a for _, a in getaddresses(values) if a]

    @property
    def sent_at(self) -> datetime | None:
        """The Date header in UTC (naive), or None when absent or unreadable."""
        text = self.header("Date")
        if not text:
            return None
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        return when

    def walk(self) -> list[Mail]:
        """This message and every message forwarded inside it, depth first."""
        out = [self]
        for child in self.forwarded:
            out.extend(child.walk())
        return out

    def problem(self, part: str, reason: str) -> None:
        where = f"{self.file} part {part}" if part else self.file
        self.problems.append(f"{where}: {reason}")


def _address(value: str | None) -> tuple[str, str]:
    if not value:
        return "", ""
    name, addr = parseaddr(value)
    return name.strip(), addr.strip().lower()


def _key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


# ---------------------------------------------------------------------------------------
# reading


def read_mail(path: Path, limits: Limits = LIMITS, name: str | None = None) -> Mail:
    """The message in ``path`` (.eml or .msg, told apart by content); ``InputError`` naming the
    file when it is too big, empty or not an email."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    if size > limits.max_bytes:
        raise InputError(
            str(path), f"{size:,} bytes is over the {limits.max_bytes:,}-byte limit for one email"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return read_bytes(data, name or path.name, limits)


def read_bytes(data: bytes, name: str, limits: Limits = LIMITS) -> Mail:
    """As ``read_mail``, for bytes already in memory (an upload); ``name`` names them."""
    if len(data) > limits.max_bytes:
        raise InputError(
            name, f"{len(data):,} bytes is over the {limits.max_bytes:,}-byte limit for one email"
        )
    if not data.strip():
        raise InputError(name, "the file is empty")
    if data.startswith(OLE_MAGIC):
        return _read_msg(data, name, limits)
    return _read_eml(data, name, limits)


def _header_block_size(data: bytes) -> int:
    ends = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
    return min(ends) if ends else len(data)


def _read_eml(data: bytes, name: str, limits: Limits) -> Mail:
    head = _header_block_size(data)
    if head > limits.max_header_bytes:
        raise InputError(
            name,
            f"the header block is {head:,} bytes, over the {limits.max_header_bytes:,}-byte "
            "limit (a real one is a few KiB)",
        )
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError:
        raise InputError(name, "MIME nesting too deep to parse") from None
    except (MessageError, ValueError, TypeError, LookupError) as exc:
        raise InputError(name, f"unreadable MIME: {type(exc).__name__}: {exc}") from None
    headers = _headers(msg)
    if len(headers) > limits.max_headers:
        raise InputError(
            name, f"{len(headers):,} headers, over the limit of {limits.max_headers:,}"
        )
    if not any(n.lower() in _MESSAGE_HEADERS for n, _ in headers):
        raise InputError(
            name,
            "not an email: no From, To, Subject, Date, Message-ID or Received header "
            "before the first blank line",
        )
    mail = Mail(file=name, part="", format="eml", key=_key(data), headers=headers)
    _Walker(mail, limits).walk(msg, "", 0)
    return mail


_MESSAGE_HEADERS = {"from", "to", "subject", "date", "message-id", "received", "sender"}


def _headers(msg: Message) -> list[tuple[str, str]]:
    """(name, value) pairs, RFC 2047 encoded words decoded; a value that will not decode is
    kept as written rather than dropped (it is evidence too)."""
    out = []
    for name, raw in msg.raw_items():
        out.append((str(name), _decode_header(str(raw))))
    return out


def _decode_header(raw: str) -> str:
    unfolded = " ".join(line.strip() for line in raw.splitlines()) if "\n" in raw else raw
    try:
        return str(make_header(decode_header(unfolded)))
    except (LookupError, ValueError, UnicodeError, TypeError, AssertionError):
        return unfolded


class _Walker:
    """Walks one MIME tree within the limits, filling ``mail`` (and its forwarded messages)."""

    def __init__(self, root: Mail, limits: Limits) -> None:
        self.root = root
        self.limits = limits
        self.parts = 0
        self.attachments = 0

    def walk(self, part: Message, path: str, depth: int, mail: Mail | None = None) -> None:
        mail = mail or self.root
        self.parts += 1
        if self.parts > self.limits.max_parts:
            if self.parts == self.limits.max_parts + 1:
                mail.problem(
                    path, f"more than {self.limits.max_parts} MIME parts; the rest skipped"
                )
            return
        if depth > self.limits.max_depth:
            mail.problem(path, f"nested deeper than {self.limits.max_depth} levels; skipped")
            return
        for defect in getattr(part, "defects", [])[:5]:
            mail.problem(path, f"MIME defect: {type(defect).__name__}")
        ctype = _content_type(part)
        if ctype == "message/rfc822":
            self._forwarded(part, path, depth, mail)
            return
        if part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list):
                mail.problem(path, "multipart without parts")
                return
            for i, child in enumerate(children, 1):
                if isinstance(child, Message):
                    self.walk(child, f"{path}.{i}" if path else str(i), depth + 1, mail)
            return
        self._leaf(part, path or "1", mail)

    def _forwarded(self, part: Message, path: str, depth: int, mail: Mail) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            mail.problem(path, "message/rfc822 part without a message")
            return
        where = path or "1"
        try:
            raw = inner.as_bytes(policy=policy.default)
        except (MessageError, ValueError, TypeError, LookupError, RecursionError):
            raw = f"{mail.key}/{where}".encode()
        child = Mail(
            file=mail.file,
            part=where,
            format=mail.format,
            key=_key(raw),
            headers=_headers(inner),
            parent_key=mail.key,
        )
        mail.forwarded.append(child)
        self.walk(inner, where, depth + 1, child)

    def _leaf(self, part: Message, path: str, mail: Mail) -> None:
        ctype = _content_type(part)
        filename = _filename(part)
        disposition = _disposition(part)
        try:
            data = part.get_payload(decode=True)
        except (MessageError, ValueError, TypeError, LookupError) as exc:
            mail.problem(path, f"undecodable body ({type(exc).__name__}); skipped")
            return
        if not isinstance(data, bytes):
            data = b""
        is_body = (
            ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename
        )
        if is_body:
            text = _decode_text(data, part, path, mail)
            budget = self.limits.max_text_chars - sum(map(len, mail.text_parts + mail.html_parts))
            if len(text) > budget:
                mail.problem(path, f"text past {self.limits.max_text_chars:,} characters cut")
                text = text[: max(budget, 0)]
            (mail.html_parts if ctype == "text/html" else mail.text_parts).append(text)
            return
        self._attach(mail, Attachment.of(path, filename, ctype, data))

    def _attach(self, mail: Mail, attachment: Attachment) -> None:
        self.attachments += 1
        if self.attachments > self.limits.max_attachments:
            mail.problem(
                attachment.part,
                f"attachment over the limit of {self.limits.max_attachments}; not kept",
            )
            return
        mail.attachments.append(attachment)


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except (ValueError, TypeError, LookupError, AttributeError):
        return "application/octet-stream"


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, TypeError, LookupError, AttributeError, IndexError):
        return None
    if name is None:
        return None
    # a file name is shown to analysts and compared, never used as a path: keep the last
    # component only and no control characters
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:255] or None


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except (ValueError, TypeError, LookupError, AttributeError):
        return None


def _decode_text(data: bytes, part: Message, path: str, mail: Mail) -> str:
    """Bytes of a text part as ``str`` in its declared charset; an unknown or wrong charset
    falls back (UTF-8, then Windows-1252 which accepts every byte) and says so."""
    try:
        charset = part.get_content_charset()
    except (ValueError, TypeError, LookupError):
        charset = None
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            mail.problem(path, f"unknown charset {charset!r}; decoded as UTF-8 with replacements")
            charset = None
        else:
            try:
                return data.decode(charset)
            except UnicodeDecodeError as exc:
                mail.problem(
                    path,
                    f"not valid {charset} (byte 0x{data[exc.start]:02x} at {exc.start}); "
                    "decoded with replacements",
                )
                return data.decode(charset, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if not charset:
            mail.problem(path, "no charset and not UTF-8; decoded as Windows-1252")
        return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------------------
# Outlook .msg


def _read_msg(data: bytes, name: str, limits: Limits) -> Mail:
    import extract_msg

    try:
        msg = extract_msg.openMsg(data, strict=False)
    except Exception as exc:
        raise InputError(name, f"unreadable Outlook .msg: {type(exc).__name__}: {exc}") from None
    try:
        return _msg_mail(msg, name, "", _key(data), None, 0, limits)
    except RecursionError:
        raise InputError(name, "embedded messages nested too deep") from None
    finally:
        msg.close()


def _msg_mail(
    msg: Any, name: str, part: str, key: str, parent: str | None, depth: int, limits: Limits
) -> Mail:
    mail = Mail(file=name, part=part, format="msg", key=key, parent_key=parent)
    try:
        header = msg.header
        mail.headers = [(str(n), _decode_header(str(v))) for n, v in header.items() if v]
    except Exception as exc:
        mail.problem(part, f"unreadable transport headers ({type(exc).__name__})")
    if not mail.header("Subject") and getattr(msg, "subject", None):
        mail.headers.append(("Subject", str(msg.subject)))
    if not mail.header("From") and getattr(msg, "sender", None):
        mail.headers.append(("From", str(msg.sender)))
    for attr, target in (("body", mail.text_parts), ("htmlBody", mail.html_parts)):
        try:
            value = getattr(msg, attr, None)
        except Exception as exc:
            mail.problem(part, f"unreadable {attr} ({type(exc).__name__})")
            continue
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if value:
            target.append(str(value)[: limits.max_text_chars])
    try:
        attachments = list(msg.attachments)
    except Exception as exc:
        mail.problem(part, f"unreadable attachments ({type(exc).__name__})")
        attachments = []
    for i, att in enumerate(attachments[: limits.max_attachments], 1):
        where = f"{part}.{i}" if part else str(i)
        filename = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
        try:
            payload = att.data
        except Exception as exc:
            mail.problem(where, f"unreadable attachment ({type(exc).__name__})")
            continue
        if isinstance(payload, bytes):
            ctype = getattr(att, "mimetype", None) or "application/octet-stream"
            mail.attachments.append(Attachment.of(where, filename, str(ctype), payload))
        elif payload is not None and hasattr(payload, "attachments"):
            if depth + 1 > limits.max_depth:
                mail.problem(where, f"nested deeper than {limits.max_depth} levels; skipped")
                continue
            child_key = _key(f"{key}/{where}".encode())
            mail.forwarded.append(
                _msg_mail(payload, name, where, child_key, key, depth + 1, limits)
            )
    if len(attachments) > limits.max_attachments:
        mail.problem(part, f"more than {limits.max_attachments} attachments; the rest skipped")
    return mail


# ---------------------------------------------------------------------------------------
# the adapter


class EmailMessage:
    name = "email"
    version = "1"
    description = "one email per file: .eml (MIME) or Outlook .msg; URLs, hops, attachment hashes"

    def __init__(self, limits: Limits = LIMITS) -> None:
        self.limits = limits

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        parsed = rows_of(read_mail(path, self.limits))
        if progress:
            progress(parsed.rows_read)
        return parsed


def rows_of(mail: Mail) -> Parsed:
    """The workspace rows of ``mail`` and the messages forwarded inside it."""
    from sanctrace.phishing.headers import received_chain
    from sanctrace.phishing.urls import message_urls

    out = Parsed()
    for m in mail.walk():
        out.rows_read += 1
        name, addr = m.sender
        out.add(
            "email_message",
            {
                "message_key": m.key,
                "file": m.file,
                "part": m.part,
                "parent_key": m.parent_key,
                "format": m.format,
                "message_id": m.header("Message-ID"),
                "subject": m.subject,
                "from_addr": addr or None,
                "from_name": name or None,
                "reply_to": m.reply_to or None,
                "return_path": m.return_path or None,
                "to_addrs": ", ".join(m.recipients) or None,
                "sent_at": m.sent_at,
                "auth_results": "\n".join(m.header_all("Authentication-Results")) or None,
                "body_text": readable_text(m)[: LIMITS.stored_text_chars],
                "problems": json.dumps(m.problems, ensure_ascii=False),
            },
        )
        for u in message_urls(m):
            out.add("email_url", {"message_key": m.key, **u.to_dict()})
        for a in m.attachments:
            out.add(
                "email_attachment",
                {
                    "message_key": m.key,
                    "part": a.part,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "md5": a.md5,
                    "sha1": a.sha1,
                    "sha256": a.sha256,
                },
            )
        for hop in received_chain(m.header_all("Received")):
            out.add(
                "email_hop",
                {
                    "message_key": m.key,
                    "hop": hop.hop,
                    "from_host": hop.from_host,
                    "by_host": hop.by_host,
                    "ip": hop.ip,
                    "at": hop.at,
                    "raw": hop.raw[:4000],
                },
            )
        for p in m.problems:
            if "skipped" in p or "not kept" in p:
                out.quarantine.append(Quarantined(p, element=m.part or None))
    return out


def body_text(mail: Mail) -> str:
    """All of the message's text: the plain parts, then the HTML parts as text."""
    from sanctrace.phishing.urls import html_text

    texts = list(mail.text_parts) + [html_text(h) for h in mail.html_parts]
    return "\n".join(t for t in texts if t)


def readable_text(mail: Mail) -> str:
    """What a reader sees once: the plain parts, or the HTML as text when there are none (a
    multipart/alternative says the same thing twice). Stored, and compared for templates."""
    from sanctrace.phishing.urls import html_text

    texts = list(mail.text_parts) or [html_text(h) for h in mail.html_parts]
    return "\n".join(t for t in texts if t)


__all__ = ["LIMITS", "Attachment", "EmailMessage", "Limits", "Mail", "read_bytes", "read_mail"]
