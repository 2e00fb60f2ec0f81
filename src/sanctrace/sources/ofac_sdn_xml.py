"""``ofac-sdn-xml``: the OFAC SDN list in its classic XML form (``sdn.xml``).

The root is ``sdnList`` (namespace ``https://sanctionslistservice.ofac.treas.gov/api/
PublicationPreview/exports/XML``, or ``http://tempuri.org/sdnList.xsd`` in older files), with
``publshInformation/Publish_Date`` (``MM/DD/YYYY``) and one ``sdnEntry`` per party: ``uid``,
``lastName``/``firstName``, ``title``, ``sdnType``, ``remarks``, ``programList``, ``idList``
(``idType`` + ``idNumber``, ``idCountry``, ``issueDate``, ``expirationDate``), ``akaList``
(``type`` a.k.a./f.k.a./n.k.a., ``category`` strong/weak), ``addressList``,
``nationalityList``, ``citizenshipList``, ``dateOfBirthList``, ``placeOfBirthList`` and
``vesselInfo``.

The XML carries in elements what the legacy CSV writes into Remarks, in the same words
(``idType`` "Passport", "Digital Currency Address - XBT", "Vessel Registration
Identification"...). Each element is therefore read as the Remarks part it would be in the CSV
(``Passport 123 (Korea, North) expires 2020``, ``DOB circa 1947``) by ``ofac_sdn``'s own rules,
so both forms give the same FtM entities, ids and dataset for the same entry, and a CSV
snapshot and an XML snapshot diff cleanly. Weak akas become ``weakAlias``, strong ones
``alias``, f.k.a. ``previousName``. Nothing is cut at 1,000 characters here.

Parsed through defusedxml like ``un-list``: entity declarations and external references are
refused. A malformed ``sdnEntry`` (no uid, no name, a uid listed twice) is quarantined with
its element path; the rest loads.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.ftm import add_snapshot, entity_row, text_of
from sanctrace.sources.ofac_sdn import (
    DATASET,
    add_alias,
    add_vessel,
    add_wallets,
    new_party,
    new_sanction,
    read_part,
    read_remarks,
    schema_has,
)
from sanctrace.sources.un_list import _raw, _read_xml

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

NAMESPACES = (
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
    "http://tempuri.org/sdnList.xsd",
    "",  # no namespace: a hand-made or re-serialised file
)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# the element of a list item, and the Remarks words the CSV puts before its value
_LISTED = (
    ("dateOfBirthList/dateOfBirthItem", "dateOfBirth", "DOB"),
    ("placeOfBirthList/placeOfBirthItem", "placeOfBirth", "POB"),
    ("nationalityList/nationality", "country", "nationality"),
    ("citizenshipList/citizenship", "country", "citizen"),
)


class OfacSdnXml:
    name = "ofac-sdn-xml"
    version = "1"
    description = "OFAC SDN classic XML (sdn.xml); the same entities as ofac-sdn"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        root = _read_xml(path)
        namespace, _, tag = str(root.tag).rpartition("}")
        namespace = namespace.removeprefix("{")
        if tag != "sdnList" or namespace not in NAMESPACES:
            raise InputError(
                str(path), f"not an OFAC SDN XML list: the root element is <{root.tag}>"
            )
        for element in root.iter():
            if isinstance(element.tag, str):  # comments and processing instructions are not
                element.tag = element.tag.rpartition("}")[2]
        out = Parsed()
        parties: dict[str, EntityProxy] = {}
        sanctions: list[EntityProxy] = []
        wallets: dict[str, EntityProxy] = {}
        for i, element in enumerate(root.iterfind("sdnEntry"), 1):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            where = f"sdnList/sdnEntry[{i}]"
            try:
                party, sanction, found = _entry(element)
            except ValueError as exc:
                out.quarantine.append(Quarantined(str(exc), element=where, raw=_raw(element)))
                continue
            if party.id in parties:
                uid = str(party.id).removeprefix("ofac-")
                out.quarantine.append(
                    Quarantined(f"uid {uid} is listed twice", element=where, raw=_raw(element))
                )
                continue
            parties[str(party.id)] = party
            sanctions.append(sanction)
            add_wallets(wallets, found)
        for entity in [*parties.values(), *sanctions, *wallets.values()]:
            out.add("entity", entity_row(entity, DATASET))
        add_snapshot(out, DATASET, _published(root.findtext("publshInformation/Publish_Date")))
        return out


def _published(text: str | None) -> date | None:
    m = _US_DATE.match(text_of(text))
    try:
        return date(int(m[3]), int(m[1]), int(m[2])) if m else None
    except ValueError:
        return None


def _text(element: Any, path: str) -> str:
    return text_of(element.findtext(path))


def _csv_name(element: Any) -> str:
    """``lastName``/``firstName`` as the CSV writes the name: ``KIM, Yong Chol``."""
    last, first = _text(element, "lastName"), _text(element, "firstName")
    return f"{last}, {first}" if last and first else last or first


def _entry(element: Any) -> tuple[EntityProxy, EntityProxy, list[EntityProxy]]:
    uid = _text(element, "uid")
    if not uid:
        raise ValueError("no uid")
    title = _text(element, "title")
    party = new_party(uid, _text(element, "sdnType"), _csv_name(element), title)
    if party.schema.name == "Vessel":
        add_vessel(
            party,
            call_sign=_text(element, "vesselInfo/callSign"),
            kind=_text(element, "vesselInfo/vesselType"),
            tonnage=_text(element, "vesselInfo/tonnage"),
            grt=_text(element, "vesselInfo/grossRegisteredTonnage"),
            flag=_text(element, "vesselInfo/vesselFlag"),
            owner=_text(element, "vesselInfo/vesselOwner"),
        )
    wallets = read_remarks(_text(element, "remarks"), party, title=title)
    notes: list[str] = []
    for part in _parts(element):
        read = read_part(part, party)
        if isinstance(read, str):
            notes.append(read)
        elif read is not None:
            wallets.append(read)
    party.add("notes", notes)
    for aka in element.iterfind("akaList/aka"):
        kind, category = _text(aka, "type").lower(), _text(aka, "category").lower()
        if category == "weak" and kind != "f.k.a.":
            # as Remarks write a weak alias: the name in one piece, surname first
            name = " ".join(t for t in (_text(aka, "lastName"), _text(aka, "firstName")) if t)
            if name and schema_has(party, "weakAlias"):
                party.add("weakAlias", name)
        else:
            add_alias(party, kind.replace(".", ""), _csv_name(aka))
    for address in element.iterfind("addressList/address"):
        _address(address, party)
    programs = [t for t in (text_of(p.text) for p in element.iterfind("programList/program")) if t]
    return party, new_sanction(uid, party, programs), wallets


def _parts(element: Any) -> list[str]:
    """The Remarks parts that the CSV would hold for the entry's ids, dates and places."""
    parts: list[str] = []
    for item in element.iterfind("idList/id"):
        kind, number = _text(item, "idType"), _text(item, "idNumber")
        if not (kind or number):
            continue
        part = " ".join(t for t in (kind, number) if t)
        if country := _text(item, "idCountry"):
            part += f" ({country})"
        if issued := _text(item, "issueDate"):
            part += f" issued {issued}"
        if expires := _text(item, "expirationDate"):
            part += f" expires {expires}"
        parts.append(part)
    for path, tag, words in _LISTED:
        for item in element.iterfind(path):
            if value := _text(item, tag):
                parts.append(f"{words} {value}")
    return parts


def _address(address: Any, party: EntityProxy) -> None:
    """As ``ofac-sdn`` writes ``add.csv``: street lines, then city/state/postal code, then
    country, joined by commas."""
    street = ", ".join(t for t in (_text(address, f"address{i}") for i in (1, 2, 3)) if t)
    city = " ".join(
        t for t in (_text(address, t) for t in ("city", "stateOrProvince", "postalCode")) if t
    )
    country = _text(address, "country")
    text = ", ".join(t for t in (street, city, country) if t)
    party.add("address", text or None)
    party.add("country", country or None)
