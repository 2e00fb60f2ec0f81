"""``ofac-sdn``: the OFAC SDN list in its legacy CSV form (``sdn.csv``), with its companions.

``sdn.csv`` has no header and twelve columns (ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks); ``-0-`` means empty and
the file ends with a control byte (0x1a). It is latin-1 (UTF-8 is accepted when the bytes are
valid UTF-8). Much of each entry hides in Remarks: quoted ``a.k.a. 'X'`` are OFAC's weak
aliases (the strong ones are in ``alt.csv``), dates and places of birth, nationality, passports,
IMO and MMSI numbers, ``Digital Currency Address - XBT ...``, e-mail, websites. Remarks is cut
at 1,000 characters; a part cut in the middle is dropped, never guessed.

The companions ``alt.csv`` (ent_num, alt_num, alt_type, alt_name, alt_remarks: the strong
aliases) and ``add.csv`` (ent_num, add_num, address, city/state/postal code, country,
add_remarks) are read when they sit beside the SDN file under the same name with ``sdn``
replaced by ``alt``/``add`` (``sdn.csv`` -> ``alt.csv``; ``sdn_dprk.csv`` -> ``alt_dprk.csv``).

Parties: individual -> Person (name "KIM Yong Chol" from "KIM, Yong Chol", with lastName and
firstName), vessel -> Vessel, aircraft -> Airplane, anything else -> Organization. Each gets a
Sanction (authority "Office of Foreign Assets Control", ``authorityId`` the ent_num,
``program`` each program); each digital currency address a CryptoWallet whose ``holder`` is the
party. Ids: ``ofac-17069``, ``ofac-17069-sanction``, ``ofac-wallet-eth-0x...``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed, Progress, Quarantined
from sanctrace.sources.ftm import (
    add_snapshot,
    entity_row,
    fuzzy_date,
    make,
    wallet_id,
    year_range,
)

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

DATASET = "us_ofac_sdn"
AUTHORITY = "Office of Foreign Assets Control"
SOURCE_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
REMARKS_LIMIT = 1000  # the legacy CSV cuts Remarks here
_EMPTY = "-0-"
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})")
_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.*)'$")
_WALLET = re.compile(r"^Digital Currency Address - ([A-Za-z0-9]+)\s+(\S+)$")
_KEYED: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(?:Vessel Registration Identification|Identification Number|Company Number)"
            r"\s+IMO\s+(\d{7})$"
        ),
        "imoNumber",
    ),
    (re.compile(r"^MMSI\s+(\d{9})$"), "mmsi"),
    (re.compile(r"^POB\s+(.+)$"), "birthPlace"),
    (re.compile(r"^nationality\s+(.+)$", re.IGNORECASE), "nationality"),
    (re.compile(r"^citizen(?:ship)?\s+(.+)$", re.IGNORECASE), "citizenship"),
    (re.compile(r"^Gender\s+(Male|Female)$"), "gender"),
    (re.compile(r"^Passport\s+([^\s(;]+)"), "passportNumber"),
    (
        re.compile(r"^(?:National ID No\.|Identification Number|Cedula No\.)\s+([^\s(]+)"),
        "idNumber",
    ),
    (
        re.compile(
            r"^(?:Registration Number|Business Registration Number|Registration ID|"
            r"Unified Social Credit Code \(USCC\))\s+([^\s(]+)"
        ),
        "registrationNumber",
    ),
    (re.compile(r"^Tax ID No\.\s+([^\s(]+)"), "taxNumber"),
    (re.compile(r"^Email Address\s+(\S+)$"), "email"),
    (re.compile(r"^Website\s+(\S+)$"), "website"),
    (re.compile(r"^(?:Phone Number|PHONE)\s+(.+)$"), "phone"),
    (re.compile(r"^Organization Established Date\s+(.+)$"), "incorporationDate"),
    (re.compile(r"^Aircraft Model\s+(.+)$"), "model"),
    (re.compile(r"^Aircraft Manufacturer.s Serial Number \(MSN\)\s+(.+)$"), "serialNumber"),
)
_DOB_RANGE = re.compile(r"^(.+?)\s+to\s+(.+)$")


class OfacSdn:
    name = "ofac-sdn"
    version = "1"
    description = "OFAC SDN legacy CSV (sdn.csv, with alt.csv and add.csv beside it)"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        out = Parsed()
        parties: dict[str, EntityProxy] = {}
        sanctions: list[EntityProxy] = []
        wallets: dict[str, EntityProxy] = {}
        for line, cells in _rows(path, len(COLUMNS)):
            out.rows_read += 1
            if progress:
                progress(out.rows_read)
            if isinstance(cells, Quarantined):
                out.quarantine.append(cells)
                continue
            row = dict(zip(COLUMNS, cells, strict=True))
            if line == 1 and row["ent_num"].lower() == "ent_num":
                out.rows_read -= 1  # a header someone added: not a row
                continue
            raw = ",".join(cells)[:2000]
            try:
                party, sanction, found = _entry(row)
            except ValueError as exc:
                out.quarantine.append(Quarantined(str(exc), line=line, raw=raw))
                continue
            if party.id in parties:
                out.quarantine.append(
                    Quarantined(f"ent_num {row['ent_num']} is listed twice", line=line, raw=raw)
                )
                continue
            parties[str(party.id)] = party
            sanctions.append(sanction)
            for wallet in found:
                if wallet.id in wallets:  # one address held by two entries: both hold it
                    wallets[str(wallet.id)].add("holder", wallet.get("holder"))
                else:
                    wallets[str(wallet.id)] = wallet
        _companions(path, parties, out)
        for entity in [*parties.values(), *sanctions, *wallets.values()]:
            out.add("entity", entity_row(entity, DATASET))
        add_snapshot(out, DATASET, _published(path))
        return out


def _published(path: Path) -> date | None:
    """The legacy CSV carries no date: a ``YYYY-MM-DD`` in the file name is taken as the
    publication date, otherwise it is unknown (null)."""
    m = _DATED.search(path.name)
    try:
        return date.fromisoformat(m[1]) if m else None
    except ValueError:
        return None


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}", "NUL bytes: not latin-1 or UTF-8 text (UTF-16?); re-save as latin-1"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    text = text.rstrip().rstrip("\x1a").rstrip()
    if not text:
        raise InputError(str(path), "the file is empty")
    return text


def _rows(path: Path, width: int) -> list[tuple[int, list[str] | Quarantined]]:
    """``(line, cells)`` of a header-less OFAC CSV, ``-0-`` cells emptied, or a
    ``Quarantined`` for a line of the wrong width. No line of the right width at all: not
    this format (``InputError``)."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    out: list[tuple[int, list[str] | Quarantined]] = []
    line = 0
    good = 0
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.append((start, Quarantined(f"unreadable CSV: {exc}", line=start)))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            out.append(
                (
                    start,
                    Quarantined(
                        f"{len(cells)} cells where the format has {width}",
                        line=start,
                        raw=",".join(cells)[:2000],
                    ),
                )
            )
            continue
        good += 1
        out.append((start, ["" if c.strip() == _EMPTY else c.strip() for c in cells]))
    if not good:
        raise InputError(
            str(path), f"not an OFAC legacy CSV: no line has the {width} columns of this file"
        )
    return out


def person_name(name: str) -> tuple[str, str | None, str | None]:
    """``KIM, Yong Chol`` -> (``KIM Yong Chol``, last ``KIM``, first ``Yong Chol``): OFAC
    writes the surname first, which is also the Korean order, so the name keeps it."""
    last, comma, first = name.partition(",")
    if not comma:
        return name.strip(), None, None
    last, first = last.strip(), first.strip()
    return " ".join(p for p in (last, first) if p), last or None, first or None


def _entry(row: dict[str, str]) -> tuple[EntityProxy, EntityProxy, list[EntityProxy]]:
    ent_num, name = row["ent_num"], row["SDN_Name"]
    if not ent_num.isdigit():
        raise ValueError(f"ent_num {ent_num!r} is not a number")
    if not name:
        raise ValueError(f"ent_num {ent_num}: no name")
    schema = SCHEMATA.get(row["SDN_Type"].lower(), "Organization")
    party = make(schema, f"ofac-{ent_num}")
    if schema == "Person":
        full, last, first = person_name(name)
        party.add("name", full)
        party.add("lastName", last)
        party.add("firstName", first)
        party.add("position", row["Title"] or None)
    else:
        party.add("name", name)
    party.add("topics", "sanction")
    party.add("sourceUrl", SOURCE_URL)
    if schema == "Vessel":
        party.add("callSign", row["Call_Sign"] or None)
        party.add("type", row["Vess_type"] or None)
        party.add("tonnage", row["Tonnage"] or None)
        party.add("grossRegisteredTonnage", row["GRT"] or None)
        party.add("flag", row["Vess_flag"] or None)
        if row["Vess_owner"]:
            party.add("notes", f"owner: {row['Vess_owner']}")
    wallets = _remarks(row["Remarks"], party)
    sanction = make("Sanction", f"ofac-{ent_num}-sanction")
    sanction.add("entity", party.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("authorityId", ent_num)
    sanction.add("country", "us")
    sanction.add("program", [p.strip() for p in row["Program"].strip("[]").split("] [")])
    sanction.add("sourceUrl", SOURCE_URL)
    return party, sanction, wallets


def _remarks(remarks: str, party: EntityProxy) -> list[EntityProxy]:
    """Fill ``party`` from Remarks; returns the CryptoWallets found. Parts that no rule reads
    go to ``notes``; the last part of a Remarks cut at the limit is dropped."""
    parts = [p.strip() for p in remarks.split(";")]
    if len(remarks) >= REMARKS_LIMIT and parts:
        parts.pop()  # cut in the middle: half an alias or number is worse than none
    wallets: list[EntityProxy] = []
    notes: list[str] = []
    for part in parts:
        part = part.removeprefix("alt. ").strip().rstrip(".").strip()
        if not part:
            continue
        if m := _ALIAS.match(part):
            kind = "previousName" if m[1] == "f.k.a." else "weakAlias"
            if schema_has(party, kind):
                party.add(kind, m[2])
            continue
        if m := _WALLET.match(part):
            currency, address = m[1].upper(), m[2]
            wallet = make("CryptoWallet", wallet_id(currency, address))
            wallet.add("currency", currency)
            wallet.add("publicKey", address)
            wallet.add("holder", party.id)
            wallet.add("topics", "sanction")
            wallets.append(wallet)
            continue
        if part.startswith("DOB "):
            dates = _birth_dates(part[4:])
            if dates and schema_has(party, "birthDate"):
                party.add("birthDate", dates)
                continue
        for pattern, prop in _KEYED:
            m = pattern.match(part)
            if m and schema_has(party, prop):
                value = m[1].strip()
                if prop == "incorporationDate":
                    value = fuzzy_date(value) or ""
                if prop == "gender":
                    value = value.lower()
                if value:
                    party.add(prop, value)
                    break
        else:
            notes.append(part)
    party.add("notes", notes)
    return wallets


def schema_has(entity: EntityProxy, prop: str) -> bool:
    return prop in entity.schema.properties


def _birth_dates(text: str) -> list[str]:
    """``12 Jul 1986``, ``Jul 1986``, ``1986``, ``circa 1947``, ``1960 to 1962``,
    ``01 Jan 1953 to 31 Dec 1953``."""
    text = text.strip().removeprefix("circa").strip()
    m = _DOB_RANGE.match(text)
    if m:
        start, end = fuzzy_date(m[1]), fuzzy_date(m[2])
        if start and end:
            return year_range(int(start[:4]), int(end[:4]))
        return []
    one = fuzzy_date(text)
    return [one] if one else []


def _companions(path: Path, parties: dict[str, EntityProxy], out: Parsed) -> None:
    """Strong aliases from ``alt.csv`` and addresses from ``add.csv`` beside the SDN file.
    Rows for an ent_num that the SDN file does not list are quarantined (the files are from
    different days)."""
    stem = path.name
    i = stem.lower().rfind("sdn")
    if i < 0:
        return
    for kind, width in (("alt", 5), ("add", 6)):
        companion = path.with_name(stem[:i] + kind + stem[i + 3 :])
        if not companion.is_file():
            continue
        for line, cells in _rows(companion, width):
            where = f"{companion.name}:{line}"
            if isinstance(cells, Quarantined):
                cells.element, cells.line = where, None
                out.quarantine.append(cells)
                continue
            party = parties.get(f"ofac-{cells[0]}")
            if party is None:
                out.quarantine.append(
                    Quarantined(
                        f"ent_num {cells[0]!r} is not in {path.name}",
                        element=where,
                        raw=",".join(cells),
                    )
                )
                continue
            if kind == "alt":
                _alias(party, cells[2].lower(), cells[3])
            else:
                address = ", ".join(c for c in cells[2:5] if c)
                party.add("address", address or None)
                party.add("country", cells[4] or None)


def _alias(party: EntityProxy, kind: str, name: str) -> None:
    if party.schema.name == "Person":
        name = person_name(name)[0]
    prop = "previousName" if kind == "fka" else "alias"
    if name and schema_has(party, prop):
        party.add(prop, name)
