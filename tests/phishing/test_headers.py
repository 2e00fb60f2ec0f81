"""Received chain, first external IP, Authentication-Results."""

from __future__ import annotations

from sanctrace.phishing.headers import (
    auth_results,
    first_external_ip,
    origin_ip,
    received_chain,
    time_travel,
)

CHAIN = [
    "from mx1.example.co.kr (mx1.example.co.kr [10.20.0.5]) by mbox.example.co.kr (Postfix)"
    " with ESMTP id 4F; Mon, 11 Mar 2024 09:14:12 +0900 (KST)",
    "from mail.evil.ru (vps.hostingx.ru [185.212.47.19]) by mx1.example.co.kr (Postfix)"
    " with ESMTPS id 9C; Mon, 11 Mar 2024 09:14:10 +0900 (KST)",
    "from client (dsl.example.net [IPv6:2001:4860:4860::8888]) by mail.evil.ru; "
    "Mon, 11 Mar 2024 00:14:05 +0000",
]


def test_received_chain_hops_and_times() -> None:
    hops = received_chain(CHAIN)
    assert [(h.hop, h.from_host, h.by_host, h.ip) for h in hops] == [
        (0, "mx1.example.co.kr", "mbox.example.co.kr", "10.20.0.5"),
        (1, "mail.evil.ru", "mx1.example.co.kr", "185.212.47.19"),
        (2, "client", "mail.evil.ru", "2001:4860:4860::8888"),
    ]
    assert str(hops[0].at) == "2024-03-11 00:14:12"  # UTC
    assert first_external_ip(hops) == "185.212.47.19"  # the private hop is ours
    assert origin_ip(hops) == "2001:4860:4860::8888"
    assert time_travel(hops) == []


def test_time_travel_and_garbage() -> None:
    hops = received_chain(
        [
            "from a ([8.8.8.8]) by b; Mon, 11 Mar 2024 00:00:00 +0000",
            "from c ([1.1.1.1]) by a; Mon, 11 Mar 2024 03:00:00 +0000",
            "garbage [999.1.1.1] no date",
        ]
    )
    assert time_travel(hops) == [(1, 0)]
    assert hops[2].ip is None and hops[2].at is None


def test_authentication_results_topmost_only() -> None:
    auth = auth_results(
        [
            "mx.example.com; spf=softfail smtp.mailfrom=evil.ru; dkim=none; "
            "dmarc=fail (p=none) header.from=upbit-kr-support.com",
            "forged.example; spf=pass; dkim=pass; dmarc=pass",
        ]
    )
    assert auth.results == {"spf": "softfail", "dkim": "none", "dmarc": "fail"}
    assert auth.domains == {"smtp.mailfrom": "evil.ru", "header.from": "upbit-kr-support.com"}
    assert auth_results([]).raw is None
