"""The macro document and Outlook .msg generators: what they build, the real readers read."""

from __future__ import annotations

import warnings

from sanctrace.sources.email_message import read_bytes
from sanctrace.synthetic.office_macro import DEFAULT_CODE, compress, docm, vba_project
from sanctrace.synthetic.outlook_msg import MsgAttachment, MsgMessage, build_msg


def test_compressed_container_round_trips_through_olevba() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # oletools' pyparsing use warns on import
        from oletools.olevba import decompress_stream
    data = bytes(range(256)) * 40  # more than one 4096-byte chunk
    assert decompress_stream(bytearray(compress(data))) == data


def test_macro_document_is_deterministic_and_olevba_reads_its_code() -> None:
    assert docm() == docm() and vba_project() == vba_project()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser("x.docm", data=docm())
        [(_, _, name, code)] = list(parser.extract_macros())
    assert name == "ThisDocument.cls" and code == DEFAULT_CODE


def test_outlook_msg_reads_back_through_extract_msg() -> None:
    data = build_msg(
        MsgMessage(
            subject="제목",
            body="body https://a.example.com/x",
            sender_name="Bithumb",
            sender_email="x@bithumb-help.net",
            headers="From: Bithumb <x@bithumb-help.net>\r\nSubject: 제목\r\n\r\n",
            attachments=[MsgAttachment("a.txt", b"see http://b.example.org")],
        )
    )
    mail = read_bytes(data, "t.msg")
    assert mail.format == "msg" and mail.subject == "제목"
    assert mail.sender == ("Bithumb", "x@bithumb-help.net")
    assert mail.text_parts == ["body https://a.example.com/x"]
    [att] = mail.attachments
    assert (att.filename, att.data) == ("a.txt", b"see http://b.example.org")
