"""``ofac-sdn-xml``: OFAC's classic sdn.xml as the same FtM entities as the legacy CSV gives;
XML that must be refused (external entities, entity expansion, truncation, other roots)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.screening.lists import diff
from sanctrace.sources.base import Parsed
from sanctrace.sources.ingest import ingest
from sanctrace.sources.ofac_sdn import OfacSdn
from sanctrace.sources.ofac_sdn_xml import NAMESPACES, OfacSdnXml
from sanctrace.workspace import Workspace
from tests.sources.factory import parse_or_error, write
from tests.sources.sanctions import FIXTURES, assert_list_contract, entities, props
from tests.sources.strategies import FUZZ

# nine real DPRK entries of the bundled 2024-05-03 CSV, transcribed into sdn.xml's schema
FIXTURE = FIXTURES / "ofac_sdn_dprk.xml"
UIDS = ["19791", "24998", "43377", "9345", "12209", "12210", "17069", "17084", "44437"]
NS = NAMESPACES[0]


def sdn_xml(tmp_path: Path, *entries: str, ns: str = NS, date: str = "05/03/2024") -> Parsed:
    xmlns = f' xmlns="{ns}"' if ns else ""
    doc = (
        f"<?xml version='1.0' encoding='UTF-8'?>\n<sdnList{xmlns}><publshInformation>"
        f"<Publish_Date>{date}</Publish_Date></publshInformation>{''.join(entries)}</sdnList>"
    )
    return OfacSdnXml().parse(write(tmp_path / "sdn.xml", doc))


def entry(
    uid: str = "1", last: str = "KIM", first: str = "", kind: str = "Entity", *inner: str
) -> str:
    first_name = f"<firstName>{first}</firstName>" if first else ""
    return (
        f"<sdnEntry><uid>{uid}</uid>{first_name}<lastName>{last}</lastName>"
        f"<sdnType>{kind}</sdnType><programList><program>DPRK</program></programList>"
        f"{''.join(inner)}</sdnEntry>"
    )


def test_fixture() -> None:
    parsed = OfacSdnXml().parse(FIXTURE)
    assert_list_contract(parsed, FIXTURE)
    assert (parsed.rows_read, parsed.quarantine) == (9, [])
    # 9 parties and the 8 distinct wallets of KIM Sang Man and SINBAD
    assert parsed.rows["list_snapshot"] == [
        {"dataset": "us_ofac_sdn", "published": dt.date(2024, 5, 3), "entities": 17}
    ]
    assert {r["schema"] for r in entities(parsed).values()} == {
        "Person",
        "Organization",
        "Vessel",
        "Sanction",
        "CryptoWallet",
    }


def test_same_entities_as_the_csv_adapter() -> None:
    """Parity: every entity of the XML, row for row (ids, schema, caption, properties,
    dataset), is the one the CSV adapter makes from the same entries of the bundled CSV."""
    xml = entities(OfacSdnXml().parse(FIXTURE))
    csv = entities(OfacSdn().parse(bundled("sanctions/ofac_sdn_dprk_2024-05-03.csv")))
    parties = sorted(i for i, r in xml.items() if r["schema"] not in {"Sanction", "CryptoWallet"})
    assert parties == sorted(f"ofac-{u}" for u in UIDS)
    assert len(xml) == 26
    for entity_id, row in xml.items():
        assert row == csv[entity_id], entity_id


def test_person() -> None:
    p = props(OfacSdnXml().parse(FIXTURE), "ofac-19791")
    assert (p["name"], p["lastName"], p["firstName"]) == (["CHO Il-U"], ["CHO"], ["Il-U"])
    assert p["birthDate"] == ["1945-05-10"]
    assert p["birthPlace"] == ["Musan, North Hamgyo'ng Province, North Korea"]
    assert p["nationality"] == ["kp"] and p["passportNumber"] == ["736410010"]
    assert sorted(p["alias"]) == ["CHO Ch'o'l", "CHO Il Woo", "JO Chol"]
    # the title is the position, not repeated as a note
    assert p["position"] == ["Director of the Fifth Bureau of the Reconnaissance General Bureau"]
    assert not any(n.startswith("Director") for n in p["notes"])
    sahin = props(OfacSdnXml().parse(FIXTURE), "ofac-24998")
    assert sahin["citizenship"] == ["tr"] and sahin["idNumber"] == ["31202133364"]
    assert "Linked To: SIA FALCON INTERNATIONAL GROUP" in sahin["notes"]


def test_organisation_vessel_and_wallets() -> None:
    parsed = OfacSdnXml().parse(FIXTURE)
    komid = props(parsed, "ofac-9345")
    assert komid["weakAlias"] == ["KOMID"] and "KOMID" not in komid["alias"]
    assert "CHANGGWANG SINYONG CORPORATION" in komid["alias"]
    assert "Central District, Pyongyang, Korea, North" in komid["address"]
    assert props(parsed, "ofac-9345-sanction")["program"] == ["DPRK2", "NPWMD"]
    ship = props(parsed, "ofac-17069")
    assert (ship["imoNumber"], ship["flag"], ship["type"]) == (
        ["IMO7937317"],
        ["kp"],
        ["General Cargo"],
    )
    sinbad = props(parsed, "ofac-44437")
    assert sinbad["email"] == ["adv@sinbad.io", "support@sinbad.io"]
    assert sinbad["incorporationDate"] == ["2022-09-29"]
    wallet = props(parsed, "ofac-wallet-xbt-1JHdQHkBZiim1cb4hyUh2PbzEbbg6z2TrF")
    assert (wallet["holder"], wallet["currency"]) == (["ofac-44437"], ["XBT"])


@pytest.mark.parametrize("ns", NAMESPACES, ids=["current", "tempuri", "none"])
def test_namespaces(tmp_path: Path, ns: str) -> None:
    parsed = sdn_xml(tmp_path, entry(), ns=ns)
    assert list(entities(parsed)) == ["ofac-1", "ofac-1-sanction"]


def test_akas_and_listed_items(tmp_path: Path) -> None:
    inner = (
        "<akaList>"
        "<aka><type>a.k.a.</type><category>weak</category><lastName>SOBAEK</lastName></aka>"
        "<aka><type>f.k.a.</type><category>strong</category><lastName>RI</lastName>"
        "<firstName>Old</firstName></aka>"
        "<aka><type>n.k.a.</type><category>strong</category><lastName>KIM</lastName>"
        "<firstName>New</firstName></aka>"
        "<aka><type>a.k.a.</type><category>weak</category></aka>"
        "</akaList>"
        "<dateOfBirthList><dateOfBirthItem><dateOfBirth>circa 1960</dateOfBirth>"
        "</dateOfBirthItem><dateOfBirthItem><dateOfBirth>Jan 1961</dateOfBirth>"
        "</dateOfBirthItem><dateOfBirthItem><dateOfBirth>some day</dateOfBirth>"
        "</dateOfBirthItem></dateOfBirthList>"
        "<idList><id><idType>MMSI</idType><idNumber>445112000</idNumber></id>"
        "<id><idType>Website</idType><idNumber>www.example.com</idNumber></id>"
        "<id><idType>Digital Currency Address - ETH</idType>"
        "<idNumber>0x098B716B8Aaf21512996dC57EB0615e2383E2f96</idNumber></id></idList>"
    )
    parsed = sdn_xml(tmp_path, entry("7", "KIM", "Il", "Individual", inner))
    p = props(parsed, "ofac-7")
    assert p["weakAlias"] == ["SOBAEK"]
    assert p["previousName"] == ["RI Old"] and p["alias"] == ["KIM New"]
    assert p["birthDate"] == ["1960", "1961-01"]
    # an MMSI means nothing on a Person: it stays a note, as in the CSV; a bad date too
    assert sorted(p["notes"]) == ["DOB some day", "MMSI 445112000"]
    assert p["website"] == ["http://www.example.com/"]
    assert "ofac-wallet-eth-0x098B716B8Aaf21512996dC57EB0615e2383E2f96" in entities(parsed)


def test_vessel_info(tmp_path: Path) -> None:
    inner = (
        "<idList><id><idType>Vessel Registration Identification</idType>"
        "<idNumber>IMO 8132835</idNumber></id><id><idType>MMSI</idType>"
        "<idNumber>445112000</idNumber></id></idList>"
        "<vesselInfo><callSign>HMYN</callSign><vesselType>Tanker</vesselType>"
        "<vesselFlag>Korea, North</vesselFlag><vesselOwner>KOREA SHIP CO</vesselOwner>"
        "<tonnage>1000</tonnage><grossRegisteredTonnage>1500</grossRegisteredTonnage></vesselInfo>"
    )
    p = props(sdn_xml(tmp_path, entry("8", "SHIP", "", "Vessel", inner)), "ofac-8")
    assert (p["imoNumber"], p["mmsi"], p["callSign"]) == (["IMO8132835"], ["445112000"], ["HMYN"])
    assert (p["flag"], p["tonnage"], p["grossRegisteredTonnage"]) == (["kp"], ["1000"], ["1500"])
    assert p["notes"] == ["owner: KOREA SHIP CO"]


@pytest.mark.parametrize(
    ("date", "published"), [("05/03/2024", dt.date(2024, 5, 3)), ("13/45/2024", None), ("", None)]
)
def test_published(tmp_path: Path, date: str, published: dt.date | None) -> None:
    parsed = sdn_xml(tmp_path, entry(), date=date)
    assert parsed.rows["list_snapshot"][0]["published"] == published


def test_bad_entries_are_quarantined(tmp_path: Path) -> None:
    parsed = sdn_xml(
        tmp_path,
        entry("1", "GOOD CO"),
        "<sdnEntry><lastName>NO UID</lastName></sdnEntry>",
        entry("x7", "BAD NUMBER"),
        entry("3", ""),
        entry("1", "GOOD CO AGAIN"),
    )
    assert list(entities(parsed)) == ["ofac-1", "ofac-1-sanction"]
    assert parsed.rows_read == 5
    assert [(q.element, q.reason) for q in parsed.quarantine] == [
        ("sdnList/sdnEntry[2]", "no uid"),
        ("sdnList/sdnEntry[3]", "ent_num 'x7' is not a number"),
        ("sdnList/sdnEntry[4]", "ent_num 3: no name"),
        ("sdnList/sdnEntry[5]", "uid 1 is listed twice"),
    ]
    assert all(q.raw and q.raw.startswith("<sdnEntry") for q in parsed.quarantine)


# -- refused -------------------------------------------------------------------------------

XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<sdnList><sdnEntry><uid>1</uid><lastName>&xxe;</lastName></sdnEntry></sdnList>"
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    "<sdnList>&lol3;</sdnList>"
)


@pytest.mark.parametrize("doc", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entities_are_refused(tmp_path: Path, doc: str) -> None:
    path = write(tmp_path / "evil.xml", doc)
    with pytest.raises(InputError, match="refused") as info:
        OfacSdnXml().parse(path)
    assert info.value.location == str(path)


@pytest.mark.parametrize(
    ("content", "location", "reason"),
    [
        (b"", ":1", "not well-formed XML"),
        (b"<sdnList>\n<sdnEntry>\n<uid>1</uid>", ":3", "not well-formed"),
        (b"<CONSOLIDATED_LIST/>", "", "not an OFAC SDN XML list: the root element is"),
        (b'<sdnList xmlns="urn:other"/>', "", "not an OFAC SDN XML list"),
    ],
    ids=["empty", "truncated", "un-list", "other-namespace"],
)
def test_unreadable_files(tmp_path: Path, content: bytes, location: str, reason: str) -> None:
    path = write(tmp_path / "sdn.xml", content)
    with pytest.raises(InputError, match=reason) as info:
        OfacSdnXml().parse(path)
    assert info.value.location == f"{path}{location}"


def test_truncated_fixture_names_the_line(tmp_path: Path) -> None:
    text = FIXTURE.read_bytes()
    path = write(tmp_path / "cut.xml", text[: len(text) // 2])
    with pytest.raises(InputError, match="not well-formed") as info:
        OfacSdnXml().parse(path)
    assert int(info.value.location.rsplit(":", 1)[1]) > 100


@FUZZ
@given(cut=st.integers(0, 22_000), noise=st.binary(max_size=8), at=st.integers(0, 22_000))
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, cut: int, noise: bytes, at: int) -> None:
    """The fixture, cut and with bytes spliced in: an InputError or a valid result, never a
    traceback."""
    text = FIXTURE.read_bytes()
    text = text[:at] + noise + text[at:cut] if at < cut else text[:cut]
    path = write(tmp_path_factory.mktemp("fuzz") / "sdn.xml", text)
    assert_list_contract(parse_or_error("ofac-sdn-xml", path), path)


@FUZZ
@given(
    st.lists(
        st.sampled_from(["uid", "lastName", "firstName", "sdnType", "title", "remarks", "x"]),
        max_size=6,
    ),
    st.lists(
        st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), max_size=10), max_size=6
    ),
)
def test_fuzz_entries(
    tmp_path_factory: pytest.TempPathFactory, tags: list[str], values: list[str]
) -> None:
    """Entries made of any of the fields with any text: loaded or quarantined, never a
    traceback."""
    from xml.sax.saxutils import escape

    inner = "".join(f"<{t}>{escape(v)}</{t}>" for t, v in zip(tags, values, strict=False))
    doc = f'<sdnList xmlns="{NS}"><sdnEntry>{inner}</sdnEntry></sdnList>'
    path = write(tmp_path_factory.mktemp("fuzz") / "sdn.xml", doc)
    parsed = parse_or_error("ofac-sdn-xml", path)
    assert_list_contract(parsed, path)
    assert isinstance(parsed, Parsed) and parsed.rows_read == 1


def test_ingest_and_diff_against_the_csv(empty_ws: Workspace, tmp_path: Path) -> None:
    """The same nine entries as a CSV snapshot and as an XML snapshot: no designation added,
    removed or amended between them."""
    for kind in ("sdn", "alt", "add"):
        lines = bundled(f"sanctions/ofac_{kind}_dprk_2024-05-03.csv").read_bytes().split(b"\r\n")
        kept = [line for line in lines if line.split(b",", 1)[0].decode() in UIDS]
        write(tmp_path / f"{kind}_2024-05-02.csv", b"\r\n".join(kept))
    ingest(empty_ws, "ofac-sdn", tmp_path / "sdn_2024-05-02.csv")
    result = ingest(empty_ws, "ofac-sdn-xml", FIXTURE)
    assert (result.rows_read, result.rows_quarantined) == (9, 0)
    assert result.tables == {"entity": 26, "list_snapshot": 1}
    d = diff(empty_ws, "us_ofac_sdn")
    assert (d.old.published, d.new.published) == (dt.date(2024, 5, 2), dt.date(2024, 5, 3))
    assert (d.added, d.removed, d.amended) == ([], [], [])


def test_uid_of_other_digits_is_quarantined(tmp_path: Path) -> None:
    # "²" and "٣" are digits to str.isdigit but no OFAC uid; the Sanction could not point at it
    parsed = sdn_xml(tmp_path, entry("1²"), entry("٣"))
    assert "entity" not in parsed.rows and len(parsed.quarantine) == 2
