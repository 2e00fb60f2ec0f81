"""``un-list``: the UN Security Council Consolidated List (XML), any snapshot.

Individuals become FtM ``Person``, entities ``Organization``; each gets a ``Sanction`` (authority
"United Nations Security Council", ``unscId`` and ``authorityId`` the list's reference such as
KPi.033, ``program`` the UN_LIST_TYPE, ``listingDate``, ``modifiedAt`` the last update). Ids
come from the reference (``unsc-KPi.033``, ``unsc-KPi.033-sanction``), so snapshots compare.

The file comes from outside: it is parsed through defusedxml, which refuses entity
declarations (billion laughs) and external references (XXE) instead of expanding them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.ftm import add_snapshot, entity_row, fuzzy_date, make, text_of, year_range

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

DATASET = "un_sc_sanctions"
AUTHORITY = "United Nations Security Council"
SOURCE_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# ENTITY_ALIAS uses a.k.a./f.k.a., INDIVIDUAL_ALIAS Good/Low
ALIAS_QUALITY = {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}
_COMPANY_IMO = re.compile(r"IMO\s*(?:number|no\.?)?\s*:?\s*(\d{7})\b", re.IGNORECASE)


class UnList:
    name = "un-list"
    version = "1"
    description = "UN Security Council Consolidated List XML (scsanctions.un.org)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        root = _read_xml(path)
        if root.tag != "CONSOLIDATED_LIST":
            raise InputError(
                str(path), f"not a UN consolidated list: the root element is <{root.tag}>"
            )
        out = Parsed()
        seen: set[str] = set()
        for group, tag, schema in (
            ("INDIVIDUALS", "INDIVIDUAL", "Person"),
            ("ENTITIES", "ENTITY", "Organization"),
        ):
            for i, element in enumerate(root.iterfind(f"{group}/{tag}"), 1):
                out.rows_read += 1
                if progress:
                    progress(out.rows_read)
                where = f"{group}/{tag}[{i}]"
                try:
                    entities = _party(element, schema)
                except ValueError as exc:
                    out.quarantine.append(Quarantined(str(exc), element=where, raw=_raw(element)))
                    continue
                party_id = str(entities[0].id)
                if party_id in seen:
                    out.quarantine.append(
                        Quarantined(
                            f"reference {party_id.removeprefix('unsc-')} is listed twice",
                            element=where,
                            raw=_raw(element),
                        )
                    )
                    continue
                seen.add(party_id)
                for entity in entities:
                    out.add("entity", entity_row(entity, DATASET))
        add_snapshot(out, DATASET, _published(root.get("dateGenerated")))
        return out


def _read_xml(path: Path) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    try:
        return parse(str(path)).getroot()
    except DefusedXmlException as exc:
        raise InputError(
            str(path),
            f"refused: the XML declares entities or external references ({exc}); a "
            "sanctions list never needs them",
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        where = f"{path}:{line}" if line else str(path)
        raise InputError(where, f"not well-formed XML ({exc.msg}, column {column})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from None


def _published(text: str | None) -> date | None:
    iso = fuzzy_date((text or "")[:10])
    return date.fromisoformat(iso) if iso and len(iso) == 10 else None


def _raw(element: Any) -> str:
    from xml.etree.ElementTree import tostring

    return str(tostring(element, encoding="unicode"))[:2000]


def _texts(element: Any, path: str) -> list[str]:
    return [t for t in (text_of(e.text) for e in element.iterfind(path)) if t]


def _party(element: Any, schema: str) -> list[EntityProxy]:
    """The party and its Sanction; ``ValueError`` (quarantine) without a reference or name."""
    ref = text_of(element.findtext("REFERENCE_NUMBER"))
    if not ref:
        raise ValueError("no REFERENCE_NUMBER")
    name = " ".join(t for part in NAME_PARTS for t in _texts(element, part))
    if not name:
        raise ValueError(f"{ref}: no name (FIRST_NAME is empty)")
    party = make(schema, f"unsc-{ref}")
    party.add("name", name)
    party.add("topics", "sanction")
    party.add("alias", _texts(element, "NAME_ORIGINAL_SCRIPT"))
    party.add("notes", _texts(element, "COMMENTS1"))
    party.add("sourceUrl", SOURCE_URL)
    alias_tag = "INDIVIDUAL_ALIAS" if schema == "Person" else "ENTITY_ALIAS"
    for alias in element.iterfind(alias_tag):
        alias_name = text_of(alias.findtext("ALIAS_NAME")).strip('"')
        quality = text_of(alias.findtext("QUALITY")).lower()
        if alias_name:
            party.add(ALIAS_QUALITY.get(quality, "alias"), alias_name)
    address_tag = "INDIVIDUAL_ADDRESS" if schema == "Person" else "ENTITY_ADDRESS"
    for address in element.iterfind(address_tag):
        parts = [
            text_of(address.findtext(t))
            for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
        ]
        if any(parts):
            party.add("address", ", ".join(p for p in parts if p))
        party.add("country", text_of(address.findtext("COUNTRY")) or None)
    if schema == "Person":
        _person(element, party)
    else:
        party.add("imoNumber", _COMPANY_IMO.findall(" ".join(_texts(element, "COMMENTS1"))))
    sanction = make("Sanction", f"unsc-{ref}-sanction")
    sanction.add("entity", party.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("authorityId", ref)
    sanction.add("unscId", ref)
    sanction.add("country", "zz")  # FtM's code for "global"
    sanction.add("program", _texts(element, "UN_LIST_TYPE"))
    sanction.add("listingDate", fuzzy_date(text_of(element.findtext("LISTED_ON"))))
    updated = [d for d in (fuzzy_date(t) for t in _texts(element, "LAST_DAY_UPDATED/VALUE")) if d]
    sanction.add("modifiedAt", max(updated) if updated else None)
    sanction.add("sourceUrl", SOURCE_URL)
    return [party, sanction]


def _person(element: Any, party: EntityProxy) -> None:
    party.add("title", _texts(element, "TITLE/VALUE"))
    party.add("position", _texts(element, "DESIGNATION/VALUE"))
    party.add("nationality", _texts(element, "NATIONALITY/VALUE"))
    party.add("gender", _texts(element, "GENDER"))
    for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        exact = fuzzy_date(text_of(dob.findtext("DATE")))
        year = fuzzy_date(text_of(dob.findtext("YEAR")))
        start, end = text_of(dob.findtext("FROM_YEAR")), text_of(dob.findtext("TO_YEAR"))
        if exact or year:
            party.add("birthDate", exact or year)
        elif start.isdigit() and end.isdigit():
            party.add("birthDate", year_range(int(start), int(end)))
    for pob in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [text_of(pob.findtext(t)) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        if any(parts):
            party.add("birthPlace", ", ".join(p for p in parts if p))
        party.add("birthCountry", text_of(pob.findtext("COUNTRY")) or None)
    for doc in element.iterfind("INDIVIDUAL_DOCUMENT"):
        number = text_of(doc.findtext("NUMBER"))
        kind = text_of(doc.findtext("TYPE_OF_DOCUMENT")).lower()
        if number:
            party.add("passportNumber" if "pas" in kind else "idNumber", number)
