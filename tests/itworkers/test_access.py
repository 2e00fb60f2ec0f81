"""Log-in rules: countries in a short time (ITW-01), shared IPs (ITW-02), sessions of a day
or more (ITW-03), remote-desktop tooling (ITW-04)."""

from __future__ import annotations

from sanctrace.itworkers import access
from sanctrace.itworkers.rules import parameters
from tests.itworkers.factory import login, profile, records

P = parameters()


def test_countries_within_hours_fire_but_a_flight_does_not() -> None:
    hop = records(
        profile("W1", accounts="a1"),
        login("a1", 0, country="US"),
        login("a1", 1.5, country="CN", ip="2.2.2.2"),
    )
    [f] = access.multi_country_logins(hop, P["ITW-01"])
    assert (f.rule_id, f.subject) == ("ITW-01", "W1")
    assert "CN, US within 1.5 hours" in f.detail and len(f.evidence) == 2
    flight = records(login("a1", 0, country="US"), login("a1", 11, country="JP"))
    assert access.multi_country_logins(flight, P["ITW-01"]) == []


def test_an_ip_shared_by_three_accounts_fires_for_each_worker() -> None:
    data = records(
        profile("W1", accounts="a1"),
        profile("W2", accounts="a2;a3"),
        login("a1", ip="9.9.9.9"),
        login("a2", ip="9.9.9.9"),
        login("a3", 2, ip="9.9.9.9"),
        login("a4", ip="8.8.8.8"),
    )
    fired = access.shared_ip(data, P["ITW-02"])
    assert sorted(f.subject for f in fired) == ["W1", "W2"]
    assert "IP 9.9.9.9 logged into 3 accounts (a1, a2, a3) of 2 workers" in fired[0].detail
    assert access.shared_ip(data, {"min_accounts": 4}) == []


def test_back_to_back_sessions_make_a_day() -> None:
    shifts = [
        login("a1", 0, ended=login("a1", 9).ts),
        login("a1", 9.1, ended=login("a1", 18).ts),
        login("a1", 18.2, ended=login("a1", 26).ts),
    ]
    [f] = access.continuous_sessions(records(*shifts), P["ITW-03"])
    assert "26.0 hours without a break (3 sessions)" in f.detail
    gap = [login("a1", 0, ended=login("a1", 9).ts), login("a1", 10, ended=login("a1", 26).ts)]
    assert access.continuous_sessions(records(*gap), P["ITW-03"]) == []


def test_remote_desktop_tool_or_port() -> None:
    data = records(
        login("a1", remote_tool="anydesk 8.0"),
        login("a2", port=3389),
        login("a3", remote_tool="vscode"),
    )
    fired = {f.subject: f.detail for f in access.remote_desktop(data, P["ITW-04"])}
    assert fired == {
        "a1": "remote-desktop tooling on 1 log-in: anydesk",
        "a2": "remote-desktop tooling on 1 log-in: port 3389",
    }
