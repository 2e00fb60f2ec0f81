"""``phish lookalikes``: on a Typer app of its own, so that these tests do not depend on
the ``phish`` group's other commands."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sanctrace.cli.main import _Group
from sanctrace.cli.phish_lookalikes import add_commands

runner = CliRunner()


def phish_app() -> typer.Typer:
    app = typer.Typer(cls=_Group)
    phish = typer.Typer(cls=_Group, help="phishing")
    add_commands(phish)
    app.add_typer(phish, name="phish")

    @app.callback()
    def root() -> None:
        """sanctrace, in short."""

    return app


def run(*args: str) -> object:
    result = runner.invoke(phish_app(), ["phish", "lookalikes", *args])
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here may touch the network unless a test says so."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_permutations_as_json() -> None:
    result = run("upbit.com", "--kinds", "idn-homograph,tld-swap", "--json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    out = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert (out["domain"], out["resolved"]) == ("upbit.com", False)
    kinds = {p["kind"] for p in out["permutations"]}
    assert kinds == {"idn-homograph", "tld-swap"}
    assert out["count"] == len(out["permutations"])
    homograph = next(p for p in out["permutations"] if p["kind"] == "idn-homograph")
    assert homograph["punycode"].startswith("xn--") and not homograph["domain"].isascii()
    assert {"kind": "tld-swap", "domain": "upbit.io", "punycode": "upbit.io"} in out["permutations"]


def test_permutations_as_table() -> None:
    result = run("korbit.co.kr", "--kinds", "omission")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "6 lookalikes of korbit.co.kr" in result.stdout  # type: ignore[attr-defined]
    assert "krbit.co.kr" in result.stdout  # type: ignore[attr-defined]


def test_observed_file_scored(tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    seen.write_text(
        "upbit.com\nwww.upbit.com\nupbit-login-kr.com\nhxxps://xn--pbit-405a[.]com/\n"
        "example.org\nsecure-upbit.net\nnot a domain\n",
        encoding="utf-8",
    )
    result = run("upbit.com", "--observed", str(seen), "--json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    out = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert (out["brand"], out["format"], out["domains"], out["legitimate"]) == (
        "UPbit",
        "text",
        5,
        1,
    )
    by_domain = {m["domain"]: m for m in out["matches"]}
    assert set(by_domain) == {"upbit-login-kr.com", "xn--pbit-405a.com", "secure-upbit.net"}
    homograph = by_domain["xn--pbit-405a.com"]
    assert (homograph["unicode"], homograph["kind"]) == (
        "\u1ee7pbit.com",
        "permutation:idn-homograph",
    )
    assert [q["line"] for q in out["quarantined"]] == [7]
    assert "1 entries not read" in result.stderr  # type: ignore[attr-defined]


def test_observed_table_and_kind_filter(tmp_path: Path) -> None:
    seen = tmp_path / "ct.json"
    seen.write_text(
        json.dumps([{"name_value": "binance.com.tw\nbinance-validation.com\nbinance.com"}]),
        encoding="utf-8",
    )
    result = run("binance.com", "--observed", str(seen), "--kinds", "tld-swap")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "1 of 3 observed domains imitate binance.com (1 are its own)" in result.stdout  # type: ignore[attr-defined]
    assert "binance.com.tw" in result.stdout  # type: ignore[attr-defined]
    assert "binance-validation" not in result.stdout  # type: ignore[attr-defined]


def test_resolve_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from sanctrace.phishing import permutations

    asked: list[list[str]] = []

    def fake(names: list[str], timeout: float = 3.0, workers: int = 16) -> dict[str, list[str]]:
        asked.append(list(names))
        return {n: ["198.51.100.9"] if n == "upbit.io" else [] for n in names}

    monkeypatch.setattr(permutations, "resolve", fake)
    result = run("upbit.com", "--kinds", "tld-swap", "--resolve", "--json")
    out = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert out["resolved"] is True and len(asked) == 1
    assert next(p for p in out["permutations"] if p["domain"] == "upbit.io")["addresses"] == [
        "198.51.100.9"
    ]
    assert "over the network" in result.stderr  # type: ignore[attr-defined]
    run("upbit.com", "--kinds", "tld-swap", "--json")
    assert len(asked) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not a domain"], "not a domain name"),
        (["upbit.com", "--kinds", "typosquat"], "unknown kind(s) typosquat"),
    ],
)
def test_bad_input_is_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert message in result.stderr  # type: ignore[attr-defined]


def test_unreadable_observed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"domains": [', encoding="utf-8")
    result = run("upbit.com", "--observed", str(bad))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{bad}:1: not JSON" in result.stderr  # type: ignore[attr-defined]
