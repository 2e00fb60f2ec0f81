"""Observed domains from the files analysts have: one per line, CSV, JSON, JSON lines and
certificate-transparency exports (crt.sh, certstream). Bad entries are quarantined with
their line; an unreadable file is one ``InputError``; no input makes the reader crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.domain_list import DomainList, clean_observed, read_domains
from tests.sources.strategies import FUZZ


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def names(listing: DomainList) -> list[tuple[str, int | None]]:
    return [(d.domain, d.line) for d in listing.domains]


def test_one_domain_per_line(tmp_path: Path) -> None:
    listing = read_domains(
        write(
            tmp_path / "seen.txt",
            "# from the mail gateway\n"
            "upbit-login.com\n"
            "\n"
            "hxxps://upbit[.]com-event[.]kr/claim?id=1\n"
            "0.0.0.0 secure-upbit.net   # hosts-file style\n"
            "*.xn--pbit-405a.com\n"
            "B\u0130NANCE.com\n"
            "upbit login\n"
            "http://\n",
        )
    )
    assert listing.format == "text"
    assert names(listing) == [
        ("upbit-login.com", 2),
        ("upbit.com-event.kr", 4),
        ("secure-upbit.net", 5),
        ("xn--pbit-405a.com", 6),
        ("xn--binance-7he.com", 7),
    ]
    assert [(q.line, q.reason) for q in listing.quarantine] == [
        (8, "several fields on one line (one domain per line)"),
        (9, "not a domain name"),
    ]


def test_crt_sh_csv_export(tmp_path: Path) -> None:
    csv_text = (
        "issuer_ca_id,issuer_name,common_name,name_value,id,entry_timestamp\n"
        '183267,"C=US, O=Let\'s Encrypt, CN=R3",upbit-event.com,"upbit-event.com\n'
        '*.upbit-event.com",9385723,2024-03-01T10:00:00\n'
        "183267,x,bithumb-kr.com,bithumb-kr.com,9385724,2024-03-02T10:00:00\n"
        "1,x,,not_a_domain,1,2024\n"
    )
    listing = read_domains(write(tmp_path / "crtsh.csv", csv_text))
    assert listing.format == "csv"
    assert names(listing) == [
        ("upbit-event.com", 2),
        ("upbit-event.com", 2),
        ("upbit-event.com", 2),
        ("bithumb-kr.com", 4),
        ("bithumb-kr.com", 4),
    ]
    assert [(q.line, q.reason) for q in listing.quarantine] == [(5, "not a domain name")]


def test_crt_sh_json_export(tmp_path: Path) -> None:
    export = [
        {"issuer_ca_id": 1, "common_name": "coinbase-help.com", "name_value": "coinbase-help.com"},
        {"id": 2, "name_value": "www.okx-airdrop.pages.dev\nokx-airdrop.pages.dev"},
        {"id": 3, "not_a_name": "x"},
    ]
    listing = read_domains(write(tmp_path / "crtsh.json", json.dumps(export)))
    assert listing.format == "json"
    assert [d.domain for d in listing.domains] == [
        "coinbase-help.com",
        "coinbase-help.com",
        "okx-airdrop.pages.dev",
        "okx-airdrop.pages.dev",
    ]
    assert all(d.line is None for d in listing.domains)
    assert [q.reason.split(" (")[0] for q in listing.quarantine] == [
        "JSON object without a domain key"
    ]


def test_certstream_json_lines(tmp_path: Path) -> None:
    update = {
        "message_type": "certificate_update",
        "data": {"leaf_cert": {"all_domains": ["bybit-us.net", "*.bybit-us.net"]}},
    }
    lines = [json.dumps(update), json.dumps({"message_type": "heartbeat"}), "{broken", ""]
    listing = read_domains(write(tmp_path / "ct.jsonl", "\n".join(lines)))
    assert listing.format == "jsonl"
    assert names(listing) == [("bybit-us.net", 1), ("bybit-us.net", 1)]
    assert [(q.line, q.reason.split(":")[0]) for q in listing.quarantine] == [(3, "not JSON")]


def test_plain_json_arrays_and_objects(tmp_path: Path) -> None:
    listing = read_domains(write(tmp_path / "a.json", '{"domains": ["upbit.io", "korbit.com"]}'))
    assert [d.domain for d in listing.domains] == ["upbit.io", "korbit.com"]
    listing = read_domains(write(tmp_path / "b.json", '["upbit.io", 7, null]'))
    assert [d.domain for d in listing.domains] == ["upbit.io"]
    assert len(listing.quarantine) == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "the file is empty"),
        ("  \n\n", "the file is empty"),
        (b"upbit.com\n\xff\xfe\n", "not UTF-8"),
        ('{"domains": [', "not JSON"),
    ],
)
def test_unreadable_files_are_input_errors(
    tmp_path: Path, content: str | bytes, reason: str
) -> None:
    path = write(tmp_path / "bad", content)
    with pytest.raises(InputError, match=reason) as caught:
        read_domains(path)
    assert str(path) in caught.value.location


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_domains(tmp_path / "absent.txt")


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("upbit[.]com", "upbit.com"),
        ("hxxp://login.upbit(.)com/x", "login.upbit.com"),
        ("*.*.upbit.com", "upbit.com"),
        ("'<upbit.com>'", "upbit.com"),
        ("upbit.com[:]443", "upbit.com"),
        ("xn--bnnce-k11b2l.com", "xn--bnnce-k11b2l.com"),
        ("b\u1ecbn\u1ea1nce.com", "xn--bnnce-k11b2l.com"),
        ("", None),
        ("upbit", None),
        ("up bit.com", None),
    ],
)
def test_clean_observed(text: str, domain: str | None) -> None:
    assert clean_observed(text) == domain


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_read_or_refused_cleanly(data: bytes) -> None:
    _fuzz_one(data)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "upbit.com",
                    "hxxps://upbit[.]com-login[.]kr/",
                    "*.xn--pbit-405a.com",
                    "0.0.0.0 a.b",
                    "domain,name_value",
                    '{"name_value": "a.b"}',
                    '[{"all_domains": ["x.io"]}]',
                    '"',
                    "#",
                    ",",
                    "{",
                    "[",
                    "xn--",
                    "\u0430\u0440\u0440le.com",
                ]
            ),
            st.text(max_size=40),
        ),
        max_size=12,
    )
)
def test_documents_of_known_shapes_read_or_refused_cleanly(lines: list[str]) -> None:
    _fuzz_one("\n".join(lines).encode("utf-8", "surrogatepass"))


def _fuzz_one(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.txt"
        path.write_bytes(data)
        try:
            listing = read_domains(path)
        except InputError as exc:
            assert exc.location.startswith(str(path))
            return
        for d in listing.domains:
            assert d.domain.isascii() and d.domain == d.domain.lower() and "." in d.domain
        for q in listing.quarantine:
            assert q.reason
