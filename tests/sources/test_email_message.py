"""The ``email`` adapter: .eml through the standard library, limits on hostile input, the rows
it writes, and fuzzing (an email file never crashes it: it parses or says why not)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.email_message import EmailMessage, Limits, read_bytes, read_mail, rows_of
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace

EMAILS = Path(__file__).resolve().parent.parent / "fixtures" / "phishing" / "emails"

HEAD = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n"


def eml(body: str, headers: str = HEAD) -> bytes:
    return (headers + "\r\n" + body).encode("utf-8")


def test_upbit_impersonation_headers_bodies_and_encoded_words() -> None:
    mail = read_mail(EMAILS / "upbit_impersonation.eml")
    assert mail.format == "eml" and mail.part == ""
    assert mail.sender == ("UPbit 고객센터", "security@upbit-kr-support.com")
    assert mail.subject == "[업비트] 비정상적인 로그인 감지"
    assert mail.reply_to == "help@upbit-verify.co.kr"
    assert mail.return_path == "bounce-77213@mailer.hostingx-cloud.ru"
    assert len(mail.header_all("Received")) == 3
    assert str(mail.sent_at) == "2024-03-11 00:14:05"
    [text] = mail.text_parts
    [html] = mail.html_parts
    assert "비정상적인 로그인" in text
    assert 'href="https://upbit-login.co.kr/auth?session=8f3a2c91"' in html  # quoted-printable
    assert mail.problems == []


def test_euc_kr_and_ks_c_5601_bodies_decode() -> None:
    mail = read_mail(EMAILS / "korean_euckr.eml")
    assert mail.subject == "[빗썸] 에어드랍 이벤트 당첨 안내"
    assert mail.sender[0] == "빗썸 이벤트팀"
    assert "에어드랍 이벤트에 당첨되셨습니다" in mail.text_parts[0]
    assert "이벤트 보상 수령하기" in mail.html_parts[0]  # declared ks_c_5601-1987
    assert mail.problems == []


def test_forwarded_message_is_a_message_of_its_own() -> None:
    mail = read_mail(EMAILS / "forwarded_report.eml")
    [inner] = mail.forwarded
    assert inner.part == "2" and inner.parent_key == mail.key and inner.key != mail.key
    assert inner.sender[1] == "noreply@korbit-security.net"
    assert "korbit-security.net/withdraw" in inner.html_parts[0]
    assert mail.attachments == []  # the forwarded message is analysed, not hashed as a file
    assert [m.part for m in mail.walk()] == ["", "2"]


def test_nested_multipart_attachments_and_hashes() -> None:
    mail = read_mail(EMAILS / "nested_multipart.eml")
    assert [a.part for a in mail.attachments] == ["1.2", "2", "3"]
    pdf = mail.attachments[1]
    assert (pdf.filename, pdf.content_type, pdf.size) == (
        "statement_2024_03.pdf",
        "application/pdf",
        254,
    )
    assert pdf.sha256 == "a4958f299a55a06b1632c7f6e6c74db514d3e4382ee6ee18420e52e1dd583baf"
    assert len(pdf.md5) == 32 and len(pdf.sha1) == 40
    assert len(mail.text_parts) == 1 and len(mail.html_parts) == 1


def test_malformed_mime_is_parsed_with_its_problems_named() -> None:
    mail = read_mail(EMAILS / "malformed_mime.eml")
    assert any("unknown charset 'x-unknown-charset'" in p for p in mail.problems)
    assert all(p.startswith("malformed_mime.eml") for p in mail.problems)
    assert mail.sent_at is None  # "Date: not a date"
    assert "kraken-help.desk/unlock" in mail.text_parts[0]


def test_wrong_charset_is_decoded_with_replacements_and_said() -> None:
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\ncaf\xe9 \xff\r\n"
    mail = read_bytes(HEAD.encode() + b"MIME-Version: 1.0\r\n" + body, "bad.eml")
    assert mail.text_parts == ["caf\ufffd \ufffd\r\n"]
    assert mail.problems == [
        "bad.eml part 1: not valid utf-8 (byte 0xe9 at 3); decoded with replacements"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \r\n\r\n", "the file is empty"),
        (b"\x00\x01binary garbage\xff" * 10, "not an email"),
        (b"hello world, no headers at all", "not an email"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unreadable Outlook .msg"),
    ],
)
def test_not_an_email_is_rejected_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(data, "x.eml")
    assert err.value.location == "x.eml" and reason in err.value.reason


def test_limits_size_headers_depth_attachments() -> None:
    small = Limits(max_bytes=1000, max_header_bytes=200, max_depth=3, max_attachments=2)
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        read_bytes(eml("x" * 2000), "big.eml", small)
    with pytest.raises(InputError, match=r"header block is .* over the 200-byte limit"):
        read_bytes(eml("x", HEAD + "X-Junk: " + "y" * 300 + "\r\n"), "head.eml", small)

    # nesting deeper than allowed: the deep part is skipped and said, the rest kept
    body, headers = "deep text\r\n", "Content-Type: text/plain\r\n"
    for level in range(6):
        b = f"b{level}"
        body = f"--{b}\r\n{headers}\r\n{body}\r\n--{b}--\r\n"
        headers = f'Content-Type: multipart/mixed; boundary="{b}"\r\n'
    mail = read_bytes(eml(body, HEAD + "MIME-Version: 1.0\r\n" + headers), "deep.eml", small)
    assert mail.text_parts == []
    assert any("nested deeper than 3 levels; skipped" in p for p in mail.problems)

    parts = "".join(
        f'--z\r\nContent-Type: application/octet-stream; name="f{i}.bin"\r\n\r\ndata{i}\r\n'
        for i in range(4)
    )
    headers = HEAD + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="z"\r\n'
    mail = read_bytes(eml(parts + "--z--\r\n", headers), "many.eml", Limits(max_attachments=2))
    assert [a.filename for a in mail.attachments] == ["f0.bin", "f1.bin"]
    assert len([p for p in mail.problems if "over the limit of 2; not kept" in p]) == 2
    parsed = rows_of(mail)
    assert [q.element for q in parsed.quarantine] == [None, None]  # top-level message's parts
    assert all("not kept" in q.reason for q in parsed.quarantine)


def test_attachment_names_are_never_paths() -> None:
    headers = HEAD + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="z"\r\n'
    part = (
        "--z\r\nContent-Type: application/octet-stream\r\n"
        'Content-Disposition: attachment; filename="../../etc/cron.d/evil\x07.sh"\r\n'
        "\r\nx\r\n--z--\r\n"
    )
    [att] = read_bytes(eml(part, headers), "p.eml").attachments
    assert att.filename == "evil.sh"


def test_rows_cover_messages_urls_attachments_and_hops() -> None:
    parsed = EmailMessage().parse(EMAILS / "forwarded_report.eml")
    messages = parsed.rows["email_message"]
    assert [(m["part"], m["from_addr"]) for m in messages] == [
        ("", "kim.minjun@example-corp.co.kr"),
        ("2", "noreply@korbit-security.net"),
    ]
    assert json.loads(messages[0]["problems"]) == []
    assert {(u["url"], u["origin"]) for u in parsed.rows["email_url"]} == {
        ("http://korbit-security.net/withdraw/confirm?id=30291", "html"),
        ("https://www.korbit.co.kr/", "html"),
        ("www.korbit.co.kr", "html"),
    }
    hops = {h["message_key"]: h for h in parsed.rows["email_hop"]}
    assert hops[messages[1]["message_key"]]["ip"] == "91.92.240.112"
    assert hops[messages[0]["message_key"]]["ip"] == "192.168.10.44"


def test_ingest_writes_with_provenance_and_twice_changes_nothing(empty_ws: Workspace) -> None:
    first = ingest(empty_ws, "email", EMAILS / "macro_invoice.eml")
    assert first.tables == {"email_message": 1, "email_attachment": 2, "email_hop": 1}
    again = ingest(empty_ws, "email", EMAILS / "macro_invoice.eml")
    assert again.unchanged and empty_ws.count("email_attachment") == 2
    files = empty_ws.table("email_attachment").to_pyarrow().to_pylist()
    assert {f["filename"] for f in files} == {"Invoice_INV-2024-0311.docm", "statement.zip"}
    assert all(f["source_id"] == first.source_id for f in files)


def test_attachments_are_not_written_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    EmailMessage().parse(EMAILS / "macro_invoice.eml")
    assert list(tmp_path.iterdir()) == []


def test_zip_bomb_attachment_is_listed_not_inflated() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (20 * 1024 * 1024))
    bomb = buf.getvalue()
    import base64

    headers = HEAD + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="z"\r\n'
    part = (
        '--z\r\nContent-Type: application/zip; name="a.zip"\r\nContent-Transfer-Encoding: base64'
        f"\r\n\r\n{base64.b64encode(bomb).decode()}\r\n--z--\r\n"
    )
    [att] = read_bytes(eml(part, headers), "bomb.eml").attachments
    assert att.size == len(bomb) < 100_000


# -- fuzzing --------------------------------------------------------------------------------

_header = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Date",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Received",
        "Reply-To",
        "Return-Path",
        "Authentication-Results",
        "MIME-Version",
        "X-Junk",
    ]
)
_value = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            'multipart/mixed; boundary="b"',
            "message/rfc822",
            "text/plain; charset=x-nope",
            "text/html; charset=euc-kr",
            "base64",
            "quoted-printable",
            "=?utf-8?B?!!!?=",
            "=?x-bad?Q?a_b?=",
            "from x ([300.1.1.1]) by y; Mon, 99 Foo 2024",
        ]
    ),
)
_body = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: x\r\n\r\n--b--", b"--b"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headers=st.lists(st.tuples(_header, _value), max_size=8), body=_body)
def test_fuzzed_messages_parse_or_are_rejected(headers: list[tuple[str, str]], body: bytes) -> None:
    raw = "".join(f"{n}: {v}\r\n" for n, v in headers).encode("utf-8", "surrogatepass")
    try:
        mail = read_bytes(raw + b"\r\n" + body, "fuzz.eml")
    except InputError as exc:
        assert exc.location == "fuzz.eml" and exc.reason
        return
    rows_of(mail)  # and the row builders and extractors cope with what it parsed


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000))
def test_fuzzed_bytes_parse_or_are_rejected(data: bytes) -> None:
    try:
        rows_of(read_bytes(data, "blob.eml"))
    except InputError as exc:
        assert exc.location == "blob.eml"


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=0, max_size=3000))
def test_fuzzed_ole_bytes_are_rejected_or_parsed(data: bytes) -> None:
    try:
        rows_of(read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data, "x.msg"))
    except InputError as exc:
        assert exc.location == "x.msg"


def test_too_many_headers_and_long_header_lines() -> None:
    many = HEAD + "".join(f"X-H{i}: v\r\n" for i in range(30))
    with pytest.raises(InputError, match="33 headers, over the limit of 20"):
        read_bytes(eml("x", many), "many.eml", Limits(max_headers=20))
    long_subject = HEAD.replace("Subject: hi", "Subject: " + "a" * 200_000)
    assert read_bytes(eml("body", long_subject), "long.eml").subject == "a" * 200_000
