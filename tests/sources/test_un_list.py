"""``un-list``: the UN Security Council Consolidated List XML as FtM entities, and XML that
must be refused (external entities, entity expansion, truncation, garbage)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.un_list import UnList
from tests.sources.factory import parse_or_error, write
from tests.sources.sanctions import FIXTURES, assert_list_contract, entities, props
from tests.sources.strategies import FUZZ

EXCERPT = FIXTURES / "un_excerpt.xml"
HEAD = "<?xml version='1.0' encoding='UTF-8'?>\n"


def un(tmp_path: Path, body: str, date: str = "2024-09-26T00:00:07.514Z") -> Parsed:
    doc = f"{HEAD}<CONSOLIDATED_LIST dateGenerated='{date}'>{body}</CONSOLIDATED_LIST>"
    return UnList().parse(write(tmp_path / "un.xml", doc))


def individual(ref: str = "KPi.999", **extra: str) -> str:
    inner = "".join(f"<{k}>{v}</{k}>" for k, v in extra.items())
    return (
        f"<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>RI</FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>"
        f"<REFERENCE_NUMBER>{ref}</REFERENCE_NUMBER>{inner}</INDIVIDUAL></INDIVIDUALS>"
    )


def test_excerpt_people_and_entities() -> None:
    parsed = UnList().parse(EXCERPT)
    assert_list_contract(parsed, EXCERPT)
    assert (parsed.rows_read, parsed.quarantine) == (7, [])
    assert parsed.rows["list_snapshot"] == [
        {"dataset": "un_sc_sanctions", "published": dt.date(2024, 9, 26), "entities": 7}
    ]
    ri = entities(parsed)["unsc-KPi.033"]
    assert (ri["schema"], ri["caption"], ri["dataset"]) == (
        "Person",
        "RI WON HO",
        "un_sc_sanctions",
    )
    p = ri["properties"]
    assert p["birthDate"] == ["1964-07-17"]
    assert p["passportNumber"] == ["381310014"]  # the list's leading space is gone
    assert p["nationality"] == ["kp"]
    assert p["position"] == ["DPRK Ministry of State Security Official"]
    # the empty <ALIAS_NAME/> of this entry gives no alias
    assert "alias" not in p and "weakAlias" not in p


def test_sanction_record_carries_the_reference() -> None:
    s = props(UnList().parse(EXCERPT), "unsc-KPi.033-sanction")
    assert s["entity"] == ["unsc-KPi.033"]
    assert s["unscId"] == s["authorityId"] == ["KPi.033"]
    assert s["authority"] == ["United Nations Security Council"]
    assert s["program"] == ["DPRK"]
    assert s["listingDate"] == ["2016-11-30"]


def test_entity_aliases_by_quality() -> None:
    parsed = UnList().parse(EXCERPT)
    mod = entities(parsed)["unsc-KPe.054"]
    assert mod["schema"] == "Organization"
    assert "MINISTRY OF DEFENSE" in mod["properties"]["alias"]
    # f.k.a. is a previous name, never the current one
    assert mod["properties"]["previousName"] == ["MINISTRY OF THE PEOPLE’S ARMED FORCES (MPAF)"]
    assert props(parsed, "unsc-KPe.054-sanction")["modifiedAt"] == ["2024-03-07"]
    # quotes around an alias are the list's typography, not part of the name
    assert "KOMID" in props(parsed, "unsc-KPe.001")["alias"]
    # a company's IMO number sits in the comments
    assert props(parsed, "unsc-KPe.022")["imoNumber"] == ["IMO5342883"]


def test_good_and_low_aliases_original_script_and_years() -> None:
    parsed = UnList().parse(EXCERPT)
    p = props(parsed, "unsc-TAi.005")
    assert "Haji Mudir" in p["weakAlias"] and "Haji Mudir" not in p["alias"]
    assert "محمد طاهر أنوري" in p["alias"]
    assert p["birthDate"] == ["1961"]  # APPROXIMATELY 1961
    assert p["birthPlace"] == ["Zurmat District, Paktia Province, Afghanistan"]
    assert p["birthCountry"] == ["af"]
    # BETWEEN 1963 and 1968: each year is an alternative
    assert props(parsed, "unsc-TAi.023")["birthDate"] == [str(y) for y in range(1963, 1969)]


def test_bundled_dprk_subset() -> None:
    parsed = UnList().parse(bundled("sanctions/un_consolidated_2024-09-26_kp.xml"))
    rows = entities(parsed)
    assert parsed.rows_read == 155 and not parsed.quarantine
    refs = [i.removeprefix("unsc-") for i in rows if not i.endswith("-sanction")]
    assert all(r.startswith(("KPi.", "KPe.")) for r in refs)
    assert sum(r.startswith("KPi.") for r in refs) == 80


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>",
            "no REFERENCE_NUMBER",
        ),
        (
            "<ENTITIES><ENTITY><REFERENCE_NUMBER>KPe.1</REFERENCE_NUMBER></ENTITY></ENTITIES>",
            "KPe.1: no name (FIRST_NAME is empty)",
        ),
    ],
)
def test_bad_record_is_quarantined(tmp_path: Path, body: str, reason: str) -> None:
    parsed = un(tmp_path, individual("KPi.001") + body)
    assert list(entities(parsed)) == ["unsc-KPi.001", "unsc-KPi.001-sanction"]
    [q] = parsed.quarantine
    assert q.reason == reason and q.element and q.element.endswith("]") and q.raw


def test_duplicate_reference_is_quarantined(tmp_path: Path) -> None:
    parsed = un(tmp_path, individual("KPi.001") + individual("KPi.001"))
    assert parsed.rows_read == 2 and len(parsed.rows["entity"]) == 2
    assert [q.reason for q in parsed.quarantine] == ["reference KPi.001 is listed twice"]


def test_dates_of_birth(tmp_path: Path) -> None:
    dobs = (
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1944-10-13</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1900"
        "</FROM_YEAR><TO_YEAR>1990</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1944-02-30</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>"
    )
    parsed = un(tmp_path, individual(X=dobs).replace("<X>", "").replace("</X>", ""))
    # too wide a range keeps its ends only; an impossible date is dropped, never guessed
    assert props(parsed, "unsc-KPi.999")["birthDate"] == ["1900", "1944-10-13", "1990"]


@pytest.mark.parametrize(
    ("date", "published"),
    [
        ("2017-07-03T20:27:45.483-04:00", dt.date(2017, 7, 3)),
        ("not a date", None),
    ],
)
def test_published(tmp_path: Path, date: str, published: dt.date | None) -> None:
    assert un(tmp_path, individual(), date).rows["list_snapshot"][0]["published"] == published


# -- refused -------------------------------------------------------------------------------

XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM '
    '"file:///etc/passwd">]>\n<CONSOLIDATED_LIST>&xxe;</CONSOLIDATED_LIST>'
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    "<CONSOLIDATED_LIST>&lol3;</CONSOLIDATED_LIST>"
)
PARAMETER = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://example.invalid/x">'
    "%remote;]>\n<CONSOLIDATED_LIST/>"
)


@pytest.mark.parametrize("doc", [XXE, LAUGHS, PARAMETER], ids=["xxe", "billion-laughs", "param"])
def test_entities_are_refused(tmp_path: Path, doc: str) -> None:
    path = write(tmp_path / "evil.xml", doc)
    with pytest.raises(InputError, match="refused") as info:
        UnList().parse(path)
    assert info.value.location == str(path)


@pytest.mark.parametrize(
    ("content", "location", "reason"),
    [
        (b"", ":1", "not well-formed XML"),
        (b"garbage, not XML\n", ":1", "not well-formed XML"),
        (b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>", ":3", "not well-formed"),
        ("<a>caf\xe9</a>".encode("latin-1"), ":1", "not well-formed XML"),
        (b"<other/>", "", "not a UN consolidated list: the root element is <other>"),
    ],
    ids=["empty", "garbage", "truncated", "latin-1-as-utf-8", "other-root"],
)
def test_unreadable_files(tmp_path: Path, content: bytes, location: str, reason: str) -> None:
    path = write(tmp_path / "un.xml", content)
    with pytest.raises(InputError, match=reason) as info:
        UnList().parse(path)
    assert info.value.location == f"{path}{location}"


def test_truncated_real_list_names_the_line(tmp_path: Path) -> None:
    text = EXCERPT.read_bytes()
    path = write(tmp_path / "cut.xml", text[: len(text) // 2])
    with pytest.raises(InputError) as info:
        UnList().parse(path)
    line = int(info.value.location.rsplit(":", 1)[1])
    assert line > 10


@FUZZ
@given(
    cut=st.integers(0, 13_402),
    noise=st.binary(max_size=8),
    at=st.integers(0, 13_402),
)
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, cut: int, noise: bytes, at: int) -> None:
    """Real XML, cut and with bytes spliced in: an InputError or a valid result, never a
    traceback."""
    text = EXCERPT.read_bytes()
    text = text[:at] + noise + text[at:cut] if at < cut else text[:cut]
    path = write(tmp_path_factory.mktemp("fuzz") / "un.xml", text)
    assert_list_contract(parse_or_error("un-list", path), path)
