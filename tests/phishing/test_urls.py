"""URL extraction: text (defanged forms too), HTML links with what they show, attachments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.phishing.urls import html_urls, parse_html, refang, text_urls


@pytest.mark.parametrize(
    ("text", "url", "domain", "defanged"),
    [
        (
            "go to hxxps://upbit-login[.]com/verify?id=3 now",
            "https://upbit-login.com/verify?id=3",
            "upbit-login.com",
            True,
        ),
        ("see bithumb-secure(dot)net today", "bithumb-secure.net", "bithumb-secure.net", True),
        ("hXXp://45.77.12[.]34/gate.php", "http://45.77.12.34/gate.php", None, True),
        ("coinone-event{.}kr/kyc.", "coinone-event.kr/kyc", "coinone-event.kr", True),
        ("https[:]//okx-verify[.]io/a", "https://okx-verify.io/a", "okx-verify.io", True),
        ("visit www.upbit.com.", "www.upbit.com", "upbit.com", False),
        (
            "(https://en.wikipedia.org/wiki/Foo_(bar))",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "wikipedia.org",
            False,
        ),
        ("지금 upbit-login.co.kr에서 확인", "upbit-login.co.kr", "upbit-login.co.kr", False),
        (
            "https://upbit-verify.co.kr에서 로그인",
            "https://upbit-verify.co.kr",
            "upbit-verify.co.kr",
            False,
        ),
        ("업비트.com", "업비트.com", "xn--9w3b70lgul.com", False),
        (
            "login.upbit.com.secure-verify.co.kr/x",
            "login.upbit.com.secure-verify.co.kr/x",
            "secure-verify.co.kr",
            False,
        ),
    ],
)
def test_text_urls(text: str, url: str, domain: str | None, defanged: bool) -> None:
    [found] = text_urls(text)
    assert (found.url, found.domain, found.defanged) == (url, domain, defanged)


@pytest.mark.parametrize(
    "text",
    [
        "invoice.zip and report.py",
        "version 1.2.3",
        "e.g. this",
        "mail a@b.com",
        "no urls",
        "file.exe",
    ],
)
def test_not_urls(text: str) -> None:
    assert text_urls(text) == []


def test_refang() -> None:
    assert refang("hxxps://a[.]b(dot)c[:]8080") == "https://a.b.c:8080"


def test_html_links_carry_their_visible_text_and_skip_scripts() -> None:
    markup = (
        '<p>Hi <a href="http://evil.co.kr/a">https://upbit.com/login</a>'
        '<img src="//cdn.evil.co.kr/i.png"><a href="mailto:x@y.com">mail</a>'
        '<a href="/relative">r</a><form action="https://harvest.example.net/post"></form>'
        '<script>var u="http://hidden.example.org"</script>'
    )
    found = [(u.url, u.anchor_text) for u in html_urls(markup)]
    assert found == [
        ("http://evil.co.kr/a", "https://upbit.com/login"),
        ("http://cdn.evil.co.kr/i.png", None),
        ("https://harvest.example.net/post", None),
        ("https://upbit.com/login", None),  # shown in the text: a reader can copy it
    ]


def test_broken_html_never_raises() -> None:
    links, text = parse_html('<a href="http://x.com/">unclosed <b><<<< &#xZZ; <![CDATA[')
    assert [link.target for link in links] == ["http://x.com/"]
    assert "unclosed" in text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("hxtps:/[].()dot w-_?#=&%@<>\"'aéb업비트.comkr0129\n\t")),
        max_size=200,
    )
)
def test_fuzzed_text_and_html_never_raise(text: str) -> None:
    for found in text_urls(text) + html_urls(text) + html_urls(f'<a href="{text}">{text}</a>'):
        assert found.url and found.host and " " not in found.host
