"""Every URL in a message: in its text, in its HTML (links and what they show), and in its
text-bearing attachments, defanged forms included.

Threat reports and forwarded phish "defang" links so nobody clicks them: ``hxxp://``,
``example[.]com``, ``example(dot)com``, ``[:]``. Those are refanged and flagged, because a
defanged link in a message is an indicator someone already handled. Bare host names count
when they carry a defanged dot, start with ``www.``, or end in a public suffix that is not
also a common file extension (``invoice.zip`` is a file far more often than a site).

HTML is read with ``html.parser`` (the standard library's tolerant tokenizer), never with
regular expressions: hrefs, form actions and image sources, each with the visible text of
its link, so that a link showing one domain and going to another can be reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from sanctrace.phishing.domains import ascii_host, is_ip, registered_domain

if TYPE_CHECKING:
    from sanctrace.sources.email_message import Attachment, Mail

MAX_HTML_CHARS = 2_000_000
MAX_ATTACHMENT_TEXT = 1_000_000

_DOTS = r"(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\})"
_SEP = rf"(?:\.|{_DOTS})"
_LABEL = r"[0-9a-z\u00a1-\uffff](?:[0-9a-z\u00a1-\uffff\-]{0,61}[0-9a-z\u00a1-\uffff])?"
_REST = r"(?:[/?#][^\s<>\"'`\u3000]*)?"
_URL = re.compile(
    rf"(?<![\w@])(?:"
    rf"(?:h(?:tt|xx|\*\*)ps?|f[tx]p)(?:\[:\]|\(:\)|:)//[^\s<>\"'`\u3000]+"  # with a scheme
    rf"|www{_SEP}{_LABEL}(?:{_SEP}{_LABEL})+{_REST}"  # www.
    rf"|{_LABEL}(?:{_SEP}{_LABEL})*{_DOTS}{_LABEL}(?:{_SEP}{_LABEL})*{_REST}"  # defanged dot
    rf"|{_LABEL}(?:\.{_LABEL})+(?=[/:?#]|[\s,;)\]}}>\"'!]|\.(?:\s|$)|$){_REST}"  # bare host
    rf")",
    re.IGNORECASE,
)
_REFANG = [
    (re.compile(r"^h(?:xx|\*\*)p", re.IGNORECASE), "http"),
    (re.compile(r"^fxp", re.IGNORECASE), "ftp"),
    (re.compile(r"\[:\]|\(:\)"), ":"),
    (re.compile(_DOTS, re.IGNORECASE), "."),
]
_GLUED = re.compile(r"^((?:[a-z]+://)?[^/?#\s]*?\.[a-z]{2,63})[^\x00-\x7f]", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}>*\u3002\u3001"
# top-level domains that are far more often file extensions in running text
_FILE_LIKE_TLDS = frozenset({"zip", "mov", "sh", "py", "pl", "rs", "md", "ps", "so", "exe"})


@dataclass(frozen=True)
class FoundUrl:
    """A URL as found: refanged ``url``, its ``host`` (punycode) and registered ``domain``,
    where it was (``origin``: text | html | attachment) and, for HTML links, the link's
    visible text."""

    url: str
    host: str | None
    domain: str | None
    origin: str
    defanged: bool = False
    anchor_text: str | None = None
    where: str | None = None  # the attachment's name, for origin attachment

    def to_dict(self) -> dict[str, Any]:
        """The URL as stored (``email_url``) and shown (``phish analyze --json``)."""
        return {
            "url": self.url,
            "host": self.host,
            "domain": self.domain,
            "origin": self.origin,
            "anchor_text": self.anchor_text,
            "defanged": self.defanged,
        }


def refang(text: str) -> str:
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


def _trim(candidate: str) -> str:
    """Strip trailing punctuation, keeping a closing bracket that closes one in the URL."""
    while candidate and candidate[-1] in _TRAILING:
        last = candidate[-1]
        pairs = {")": "(", "]": "[", "}": "{"}
        if last in pairs and candidate.count(pairs[last]) >= candidate.count(last):
            break
        candidate = candidate[:-1]
    return candidate


def host_of(url: str) -> str | None:
    """The punycode host of a URL, or of a bare host name with a path."""
    target = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(target).hostname
    except ValueError:
        return None
    return ascii_host(host) if host else None


def make_url(
    raw: str,
    origin: str,
    anchor_text: str | None = None,
    where: str | None = None,
    defanged: bool | None = None,
) -> FoundUrl | None:
    """A ``FoundUrl`` from a candidate string, or None when it has no usable host."""
    raw = _trim(raw.strip())
    url = refang(raw)
    host = host_of(url)
    if host and registered_domain(host) is None and not is_ip(host):
        # Korean particles follow a URL with no space ("upbit.com에서"): cut at the first
        # non-ASCII character after an ASCII top-level domain
        cut = _GLUED.match(url)
        if cut:
            raw, url = _trim(raw[: len(raw) - len(url) + len(cut.group(1))]), cut.group(1)
            host = host_of(url)
    if not host:
        return None
    return FoundUrl(
        url=url,
        host=host,
        domain=registered_domain(host),
        origin=origin,
        defanged=(url != raw) if defanged is None else defanged,
        anchor_text=anchor_text,
        where=where,
    )


def text_urls(text: str, origin: str = "text", where: str | None = None) -> list[FoundUrl]:
    """URLs in free text, in order of appearance, each once."""
    out: list[FoundUrl] = []
    seen: set[str] = set()
    for m in _URL.finditer(text):
        raw = _trim(m.group(0))
        if "://" not in raw and not _bare_ok(raw):
            continue
        found = make_url(raw, origin, where=where)
        if found is None or found.url in seen:
            continue
        if "://" not in found.url and (found.domain is None and not is_ip(found.host or "")):
            continue
        seen.add(found.url)
        out.append(found)
    return out


def _bare_ok(raw: str) -> bool:
    """A bare host name (no scheme) counts when defanged, ``www.``, or under a public suffix
    that is not mostly a file extension."""
    if refang(raw) != raw or raw.lower().startswith("www"):
        return True
    host = raw.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split(":", 1)[0]
    cut = _GLUED.match(host)
    tld = (cut.group(1) if cut else host).rsplit(".", 1)[-1].lower()
    if tld in _FILE_LIKE_TLDS or tld.isdigit():
        return False
    return registered_domain(cut.group(1) if cut else host) is not None


# ---------------------------------------------------------------------------------------
# HTML


@dataclass(frozen=True)
class Link:
    """A link in HTML: the attribute's target and the visible text of the element."""

    target: str
    text: str
    tag: str


_BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "table", "ul", "ol"})


class _LinkParser(HTMLParser):
    """Collects link targets (a/area href, form action, img/iframe/script src, meta refresh)
    and the page's visible text (not script or style)."""

    _TARGETS: ClassVar[dict[str, str]] = {
        "a": "href",
        "area": "href",
        "form": "action",
        "img": "src",
        "iframe": "src",
        "frame": "src",
        "script": "src",
        "embed": "src",
        "link": "href",
    }
    _HIDDEN: ClassVar[frozenset[str]] = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.text: list[str] = []
        self._open_anchor: list[tuple[str, list[str]]] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag in self._HIDDEN:
            self._hidden += 1
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            content = values.get("content", "")
            target = content.split("url=", 1)[-1] if "url=" in content.lower() else ""
            if target:
                self.links.append(Link(target.strip(" '\""), "", "meta"))
        attr = self._TARGETS.get(tag)
        if attr and values.get(attr):
            if tag in ("a", "area"):
                self._open_anchor.append((values[attr], []))
                if tag == "area":
                    self._close_anchor(tag)
            else:
                self.links.append(Link(values[attr], values.get("alt", ""), tag))
        if tag in _BREAKS:
            self.text.append("\n")
        elif tag in ("a", "area", "td", "th", "img"):
            self.text.append(" ")  # a link's text must not run into the next one's

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in _BREAKS or tag in ("a", "td", "th"):
            self.text.append("\n" if tag in _BREAKS else " ")
        if tag == "a" and self._open_anchor:
            self._close_anchor(tag)

    def _close_anchor(self, tag: str) -> None:
        target, parts = self._open_anchor.pop()
        self.links.append(Link(target, " ".join("".join(parts).split()), tag))

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.text.append(data)
        for _, parts in self._open_anchor:
            parts.append(data)

    def close(self) -> None:
        super().close()
        while self._open_anchor:
            self._close_anchor("a")


def parse_html(markup: str) -> tuple[list[Link], str]:
    """(links, visible text) of an HTML document or fragment; never raises on bad markup."""
    parser = _LinkParser()
    try:
        parser.feed(markup[:MAX_HTML_CHARS])
        parser.close()
    except (AssertionError, ValueError, RecursionError):  # html.parser on broken markup
        pass
    text = "".join(parser.text)
    return parser.links, re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def html_text(markup: str) -> str:
    return parse_html(markup)[1]


_SKIP_SCHEMES = ("mailto:", "tel:", "cid:", "data:", "javascript:", "#", "about:", "sms:")


def html_urls(markup: str) -> list[FoundUrl]:
    """Link targets in HTML, each with the visible text of its link, then URLs written in
    the visible text itself."""
    links, text = parse_html(markup)
    out: list[FoundUrl] = []
    for link in links:
        target = link.target.strip()
        if not target or target.lower().startswith(_SKIP_SCHEMES):
            continue
        if "://" not in target and not target.lower().startswith(("www.", "//")):
            continue  # a relative link: no host to judge
        if target.startswith("//"):
            target = "http:" + target
        found = make_url(target, "html", anchor_text=link.text or None)
        if found is not None:
            out.append(found)
    out.extend(text_urls(text, origin="html"))
    return out


# ---------------------------------------------------------------------------------------
# attachments

_TEXT_EXTENSIONS = (".txt", ".htm", ".html", ".shtml", ".csv", ".url", ".svg", ".xml", ".json")
_PDF_URI = re.compile(rb"/URI\s*\(([^)\s]{4,2000})\)")


def attachment_text(att: Attachment) -> str | None:
    """Readable text of a text-bearing attachment (text types, HTML, .url shortcuts, SVG),
    or None. Office and PDF files are not text; PDF link annotations are read apart."""
    name = (att.filename or "").lower()
    if not (att.content_type.startswith("text/") or name.endswith(_TEXT_EXTENSIONS)):
        return None
    data = att.data[:MAX_ATTACHMENT_TEXT]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def attachment_urls(att: Attachment) -> list[FoundUrl]:
    where = att.filename or att.part
    text = attachment_text(att)
    out: list[FoundUrl] = []
    if text is not None:
        name = (att.filename or "").lower()
        if att.content_type == "text/html" or name.endswith((".htm", ".html", ".shtml", ".svg")):
            out = [_at(u, where) for u in html_urls(text)]
        else:
            out = text_urls(text, origin="attachment", where=where)
    elif att.data.startswith(b"%PDF"):
        for m in _PDF_URI.finditer(att.data[: 10 * MAX_ATTACHMENT_TEXT]):
            found = make_url(m.group(1).decode("latin-1"), "attachment", where=where)
            if found:
                out.append(found)
    return out


def _at(u: FoundUrl, where: str) -> FoundUrl:
    return FoundUrl(u.url, u.host, u.domain, "attachment", u.defanged, u.anchor_text, where)


def message_urls(mail: Mail) -> list[FoundUrl]:
    """Every URL of one message (not of the messages forwarded inside it), each once: the
    first place it was found wins."""
    out: list[FoundUrl] = []
    seen: set[str] = set()
    for u in all_urls(mail):
        if u.url not in seen:
            seen.add(u.url)
            out.append(u)
    return out


def all_urls(mail: Mail) -> list[FoundUrl]:
    """Every URL occurrence of one message, in text, HTML and attachment order (one URL may
    appear several times: in the text, and as an HTML link with what it shows)."""
    found: list[FoundUrl] = []
    for text in mail.text_parts:
        found.extend(text_urls(text))
    for markup in mail.html_parts:
        found.extend(html_urls(markup))
    for att in mail.attachments:
        found.extend(attachment_urls(att))
    return found
