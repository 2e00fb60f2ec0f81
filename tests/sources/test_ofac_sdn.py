"""``ofac-sdn``: the OFAC SDN legacy CSV (with its alt/add companions) as FtM entities; what
Remarks holds; broken files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.ofac_sdn import COLUMNS, REMARKS_LIMIT, OfacSdn, person_name
from tests.sources.factory import parse_or_error, write
from tests.sources.sanctions import FIXTURES, assert_list_contract, entities, props
from tests.sources.strategies import FUZZ

EXCERPT = FIXTURES / "ofac_sdn_excerpt.csv"
EMPTY = ",".join(["-0- "] * 7)  # Title .. Vess_owner


def sdn(tmp_path: Path, *lines: str, name: str = "sdn.csv") -> Parsed:
    text = "\r\n".join(lines) + "\r\n\x1a"
    return OfacSdn().parse(write(tmp_path / name, text.encode("latin-1")))


def line(ent: str, name: str, kind: str = "-0- ", program: str = "DPRK", remarks: str = "") -> str:
    return (
        f'{ent},"{name}",{kind},"{program}",{EMPTY},"{remarks}"'
        if remarks
        else (f'{ent},"{name}",{kind},"{program}",{EMPTY},-0- ')
    )


def test_excerpt() -> None:
    parsed = OfacSdn().parse(EXCERPT)
    assert_list_contract(parsed, EXCERPT)
    assert (parsed.rows_read, parsed.quarantine) == (7, [])
    rows = entities(parsed)
    assert {r["schema"] for r in rows.values()} == {
        "Organization",
        "Person",
        "Vessel",
        "Airplane",
        "Sanction",
        "CryptoWallet",
    }
    [snapshot] = parsed.rows["list_snapshot"]
    # published from the date in the file name; none here
    assert snapshot == {"dataset": "us_ofac_sdn", "published": None, "entities": 7 + 16}


def test_person_from_remarks_and_companions() -> None:
    parsed = OfacSdn().parse(EXCERPT)
    kim = entities(parsed)["ofac-12211"]
    assert (kim["schema"], kim["caption"]) == ("Person", "KIM Yong Chol")
    p = kim["properties"]
    assert (p["lastName"], p["firstName"]) == (["KIM"], ["Yong Chol"])
    assert p["birthDate"] == ["1946", "1947"]  # DOB circa 1947; alt. DOB circa 1946
    assert p["birthPlace"] == ["Pyongan-Pukto, North Korea"]
    # strong aliases come from the alt file, in the same surname-first order
    assert "KIM Young-Chol" in p["alias"]
    tian = props(parsed, "ofac-28263")
    assert tian["birthDate"] == ["1986-07-12"]
    assert tian["nationality"] == ["cn"] and tian["gender"] == ["male"]
    assert tian["email"] == ["417136259@qq.com"]
    assert tian["idNumber"] == ["321284198607120616"]
    # 'snowsjohn' and the rest are past the 1,000-character cut of Remarks
    assert tian["weakAlias"] == ["tianyinyin0404"]


def test_weak_and_strong_aliases_and_addresses() -> None:
    p = props(OfacSdn().parse(EXCERPT), "ofac-9345")
    assert p["weakAlias"] == ["KOMID"]  # a.k.a. 'KOMID' in Remarks: OFAC's weak alias
    assert "CHANGGWANG SINYONG CORPORATION" in p["alias"]  # alt.csv: strong
    assert "Central District, Pyongyang, Korea, North" in p["address"]
    assert {"kp", "cn", "ru", "ir", "sy"} <= set(p["country"])


def test_vessel_and_sanction() -> None:
    parsed = OfacSdn().parse(EXCERPT)
    v = props(parsed, "ofac-17069")
    assert (v["imoNumber"], v["flag"], v["type"]) == (["IMO7937317"], ["kp"], ["General Cargo"])
    s = props(parsed, "ofac-9345-sanction")
    assert s["entity"] == ["ofac-9345"]
    assert s["authority"] == ["Office of Foreign Assets Control"]
    assert s["authorityId"] == ["9345"]
    assert s["program"] == ["DPRK2", "NPWMD"]


def test_wallets_name_their_holder() -> None:
    rows = entities(OfacSdn().parse(EXCERPT))
    wallet = rows["ofac-wallet-eth-0x098B716B8Aaf21512996dC57EB0615e2383E2f96"]
    assert wallet["schema"] == "CryptoWallet"
    assert wallet["properties"]["holder"] == ["ofac-27307"]
    assert wallet["properties"]["currency"] == ["ETH"]
    held_by_tian = [r for r in rows.values() if r["properties"].get("holder") == ["ofac-28263"]]
    assert len(held_by_tian) == 8 and all(
        r["properties"]["currency"] == ["XBT"] for r in held_by_tian
    )


def test_cut_remarks_drop_the_cut_part() -> None:
    # LAZARUS GROUP's Remarks stop at 1,000 characters inside "a.k.a. 'WHOIS HACKIN"
    p = props(OfacSdn().parse(EXCERPT), "ofac-27307")
    assert "HIDDEN COBRA" in p["weakAlias"]
    assert not any(a.startswith("WHOIS") for a in p["weakAlias"])


def test_bundled_dprk_subset() -> None:
    parsed = OfacSdn().parse(bundled("sanctions/ofac_sdn_dprk_2024-05-03.csv"))
    assert (parsed.rows_read, parsed.quarantine) == (484, [])
    assert parsed.rows["list_snapshot"][0]["published"] == dt.date(2024, 5, 3)
    sanctions = [r for r in entities(parsed).values() if r["schema"] == "Sanction"]
    assert all(any("DPRK" in p for p in r["properties"]["program"]) for r in sanctions)


@pytest.mark.parametrize(
    ("name", "full", "last", "first"),
    [
        ("KIM, Yong Chol", "KIM Yong Chol", "KIM", "Yong Chol"),
        ("PAK, Il-Kyu", "PAK Il-Kyu", "PAK", "Il-Kyu"),
        ("MADONNA", "MADONNA", None, None),
    ],
)
def test_person_name(name: str, full: str, last: str | None, first: str | None) -> None:
    assert person_name(name) == (full, last, first)


@pytest.mark.parametrize(
    ("remarks", "prop", "values"),
    [
        ("DOB 01 Jan 1953 to 31 Dec 1953", "birthDate", ["1953"]),
        ("DOB Jul 1986", "birthDate", ["1986-07"]),
        ("DOB 1960 to 1962", "birthDate", ["1960", "1961", "1962"]),
        ("Passport 472220033 (Korea, North) expires 2020", "passportNumber", ["472220033"]),
        ("nationality Korea, North", "nationality", ["kp"]),
        ("citizen Russia", "citizenship", ["ru"]),
        ("Gender Female", "gender", ["female"]),
        ("f.k.a. 'OLD NAME'", "previousName", ["OLD NAME"]),
        ("Website www.example.com", "website", ["http://www.example.com/"]),
        ("Phone Number 850 2 381 8221", "phone", []),  # FtM cleans phones it can read only
        ("Linked To: OFFICE 39", "notes", ["Linked To: OFFICE 39"]),
    ],
)
def test_remarks(tmp_path: Path, remarks: str, prop: str, values: list[str]) -> None:
    parsed = sdn(tmp_path, line("1", "KIM, Il", '"individual"', remarks=remarks + "."))
    assert props(parsed, "ofac-1").get(prop, []) == values


def test_organization_remarks(tmp_path: Path) -> None:
    parsed = sdn(
        tmp_path,
        line(
            "2",
            "KOREA SHIP CO",
            remarks="Organization Established Date 29 Jun 2015; Company Number IMO 5055293; "
            "Digital Currency Address - XBT 1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn",
        ),
    )
    p = props(parsed, "ofac-2")
    assert p["incorporationDate"] == ["2015-06-29"]
    assert p["imoNumber"] == ["IMO5055293"]
    assert "ofac-wallet-xbt-1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn" in entities(parsed)


def test_bad_rows_are_quarantined(tmp_path: Path) -> None:
    parsed = sdn(
        tmp_path,
        line("1", "GOOD CO"),
        line("x7", "BAD NUMBER"),
        line("3", ""),
        "4,too,few,cells",
        line("1", "GOOD CO AGAIN"),
    )
    assert [r["entity_id"] for r in parsed.rows["entity"]] == ["ofac-1", "ofac-1-sanction"]
    assert [(q.line, q.reason) for q in parsed.quarantine] == [
        (2, "ent_num 'x7' is not a number"),
        (3, "ent_num 3: no name"),
        (4, "4 cells where the format has 12"),
        (5, "ent_num 1 is listed twice"),
    ]


def test_header_line_is_skipped(tmp_path: Path) -> None:
    parsed = sdn(
        tmp_path,
        ",".join(f'"{c}"' for c in COLUMNS),
        line("1", "GOOD CO"),
    )
    assert (parsed.rows_read, parsed.quarantine) == (1, [])


def test_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "sdn.csv", line("1", "CAFÉ CO").encode("utf-8"))
    assert entities(OfacSdn().parse(path))["ofac-1"]["caption"] == "CAFÉ CO"


def test_companion_rows_of_unknown_entries_are_quarantined(tmp_path: Path) -> None:
    shutil.copy(EXCERPT, tmp_path / "ofac_sdn_x.csv")
    write(
        tmp_path / "ofac_alt_x.csv",
        '9345,1,"aka","OTHER NAME",-0- \r\n1,2,"aka","X",-0- \r\nbad\r\n',
    )
    parsed = OfacSdn().parse(tmp_path / "ofac_sdn_x.csv")
    assert "OTHER NAME" in props(parsed, "ofac-9345")["alias"]
    assert [(q.element, q.reason) for q in parsed.quarantine] == [
        ("ofac_alt_x.csv:2", "ent_num '1' is not in ofac_sdn_x.csv"),
        ("ofac_alt_x.csv:3", "1 cells where the format has 5"),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\x1a", "the file is empty"),
        ("1,A,B\r\n".encode("utf-16"), "NUL bytes"),
        (b"just some text\nand more\n", "not an OFAC legacy CSV"),
    ],
    ids=["empty", "control-byte-only", "utf-16", "garbage"],
)
def test_unreadable_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "sdn.csv", content)
    with pytest.raises(InputError, match=reason) as info:
        OfacSdn().parse(path)
    assert str(path) in info.value.location


@FUZZ
@given(cut=st.integers(0, 4030), noise=st.binary(max_size=8), at=st.integers(0, 4030))
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, cut: int, noise: bytes, at: int) -> None:
    text = EXCERPT.read_bytes()
    text = text[:at] + noise + text[at:cut] if at < cut else text[:cut]
    path = write(tmp_path_factory.mktemp("fuzz") / "sdn.csv", text)
    assert_list_contract(parse_or_error("ofac-sdn", path), path)


# -- sdn_comments.csv: Remarks past 1,000 characters ------------------------------------------

LONG = FIXTURES / "ofac_sdn_long.csv"  # TIAN Yinyin, Remarks cut at 1,000 (see ofac_sdn_long.md)


def test_comments_recover_the_cut_part(tmp_path: Path) -> None:
    for name in ("ofac_sdn_long.csv", "ofac_sdn_comments_long.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    parsed = OfacSdn().parse(tmp_path / "ofac_sdn_long.csv")
    assert (parsed.rows_read, parsed.quarantine) == (1, [])
    assert props(parsed, "ofac-28263")["weakAlias"] == ["snowsjohn", "tianyinyin0404"]
    # without the comments file beside it, the cut alias is dropped, never guessed
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(LONG, alone / LONG.name)
    assert props(OfacSdn().parse(alone / LONG.name), "ofac-28263")["weakAlias"] == [
        "tianyinyin0404"
    ]


def cut_at_limit(before: str, after: str) -> tuple[str, str]:
    """Remarks that a note pads so that OFAC's cut at 1,000 characters falls between
    ``before`` and ``after``: (the Remarks cell, the sdn_comments.csv cell)."""
    head = "N" * (REMARKS_LIMIT - 2 - len(before)) + "; " + before
    assert len(head) == REMARKS_LIMIT
    return head, after


def test_comments_keep_the_space_at_the_cut(tmp_path: Path) -> None:
    # the cut falls just before a space inside the alias: the join keeps it
    head, rest = cut_at_limit("a.k.a. 'WHOIS", " HACKING TEAM'; Website www.example.com.")
    parsed = sdn(tmp_path, line("5", "LAZARUS", remarks=head))
    assert "weakAlias" not in props(parsed, "ofac-5")
    write(tmp_path / "sdn_comments.csv", f'5,"{rest}"\r\n\x1a'.encode("latin-1"))
    p = props(OfacSdn().parse(tmp_path / "sdn.csv"), "ofac-5")
    assert p["weakAlias"] == ["WHOIS HACKING TEAM"]
    assert p["website"] == ["http://www.example.com/"]


def test_comments_in_several_rows_and_for_unknown_entries(tmp_path: Path) -> None:
    head, rest = cut_at_limit("a.k.a. 'ONE'; a.k.a", ". 'TWO'.")
    sdn(tmp_path, line("5", "X CO", remarks=head), name="sdn_dprk.csv")
    write(
        tmp_path / "sdn_comments_dprk.csv",
        f'5,"{rest[:6]}"\r\n9,"a.k.a. \'NOBODY\'."\r\n5,"{rest[6:]}"\r\nbad\r\n'.encode(),
    )
    parsed = OfacSdn().parse(tmp_path / "sdn_dprk.csv")
    assert props(parsed, "ofac-5")["weakAlias"] == ["ONE", "TWO"]
    assert [(q.element, q.reason) for q in parsed.quarantine] == [
        ("sdn_comments_dprk.csv:4", "1 cells where the format has 2"),
        ("sdn_comments_dprk.csv:2", "ent_num '9': no entry of sdn_dprk.csv to extend"),
    ]
