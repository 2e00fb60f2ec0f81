"""Lookalikes of a protected domain, generated offline: dnstwist's fuzzers as a library, IDN
homographs from the confusables table, each with its punycode form."""

from __future__ import annotations

import socket

import idna
import pytest

from sanctrace.errors import InputError
from sanctrace.phishing import permutations as perm
from sanctrace.phishing.permutations import KINDS, Permutation, permutations, resolve


@pytest.fixture(scope="module")
def upbit() -> dict[str, Permutation]:
    return {p.domain: p for p in permutations("upbit.com")}


def test_every_kind_generates_lookalikes_of_upbit(upbit: dict[str, Permutation]) -> None:
    made = {p.kind for p in upbit.values()}
    # cyrillic needs every letter to have a Cyrillic twin ("b" has none in dnstwist's table)
    assert made == set(KINDS) - {"cyrillic"}
    assert "upbit.com" not in upbit  # the domain itself is not a lookalike of itself


@pytest.mark.parametrize(
    ("domain", "kind"),
    [
        ("upbt.com", "omission"),
        ("upbti.com", "transposition"),
        ("uupbit.com", "repetition"),
        ("upbiy.com", "replacement"),
        ("up-bit.com", "hyphenation"),
        ("upbit-login.com", "dictionary"),
        ("upbit.io", "tld-swap"),
        ("upbit.co.kr", "tld-swap"),
        ("upblt.com", "homoglyph"),
        ("upbita.com", "addition"),
        ("upbet.com", "vowel-swap"),
    ],
)
def test_dnstwist_kinds(upbit: dict[str, Permutation], domain: str, kind: str) -> None:
    assert upbit[domain].kind == kind


def test_idn_homographs_come_with_their_punycode(upbit: dict[str, Permutation]) -> None:
    homographs = [p for p in upbit.values() if p.kind == "idn-homograph"]
    assert len(homographs) > 20
    for p in homographs:
        assert p.domain.startswith("xn--") and p.domain.isascii()
        assert idna.decode(p.domain) == p.unicode
        assert p.unicode != p.domain and p.unicode.endswith(".com")
    # Cyrillic small er (U+0440) for the Latin p
    assert upbit[idna.encode("u\u0440bit.com").decode()].unicode == "u\u0440bit.com"


def test_kinds_filter_and_order() -> None:
    made = permutations("korbit.co.kr", ["tld-swap", "omission"])
    assert {p.kind for p in made} == {"tld-swap", "omission"}
    assert [p.kind for p in made] == sorted((p.kind for p in made), key=KINDS.index)
    assert Permutation("omission", "krbit.co.kr", "krbit.co.kr") in made
    assert any(p.domain == "korbit.com" for p in made)


def test_a_url_is_reduced_to_its_domain() -> None:
    assert permutations("https://www.okx.com/login", ["omission"]) == permutations(
        "okx.com", ["omission"]
    )


@pytest.mark.parametrize("bad", ["", "not a domain", "localhost", "http://"])
def test_not_a_domain_is_an_input_error(bad: str) -> None:
    with pytest.raises(InputError, match="not a domain name"):
        permutations(bad)


def test_unknown_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"unknown kind.*typosquat.*known: addition"):
        permutations("upbit.com", ["typosquat"])


def test_generation_makes_no_network_call(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(permutations("bithumb.com")) > 1000


def test_resolve_uses_the_resolver_only_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"upbit.com": [(2, 1, 6, "", ("203.0.113.7", 0))]}

    def fake(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host not in answers:
            raise socket.gaierror("no such name")
        return answers[host]  # type: ignore[return-value]

    monkeypatch.setattr(perm, "_dnspython_lookup", lambda timeout: None)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    assert resolve(["upbit.com", "upblt.com"], timeout=1) == {
        "upbit.com": ["203.0.113.7"],
        "upblt.com": [],
    }
