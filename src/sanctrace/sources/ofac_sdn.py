"""``ofac-sdn``: the OFAC SDN list in its legacy CSV form (``sdn.csv``), with its companions.

``sdn.csv`` has no header and twelve columns (ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks); ``-0-`` means empty and
the file ends with a control byte (0x1a). It is latin-1 (UTF-8 is accepted when the bytes are
valid UTF-8). Much of each entry hides in Remarks: quoted ``a.k.a. 'X'`` are OFAC's weak
aliases (the strong ones are in ``alt.csv``), dates and places of birth, nationality, passports,
IMO and MMSI numbers, ``Digital Currency Address - XBT ...``, e-mail, websites. Remarks is cut
at 1,000 characters; OFAC publishes the rest in ``sdn_comments.csv`` (no header: ent_num,
Remarks_Extended; same conventions), which is joined to the Remarks before they are read. Without
it, a part cut in the middle is dropped, never guessed.

The companions ``alt.csv`` (ent_num, alt_num, alt_type, alt_name, alt_remarks: the strong
aliases) and ``add.csv`` (ent_num, add_num, address, city/state/postal code, country,
add_remarks) and ``sdn_comments.csv`` are read when they sit beside the SDN file under the same
name with ``sdn`` replaced by ``alt``/``add``/``sdn_comments`` (``sdn.csv`` -> ``alt.csv``;
``sdn_dprk.csv`` -> ``alt_dprk.csv``, ``sdn_comments_dprk.csv``).

Parties: individual -> Person (name "KIM Yong Chol" from "KIM, Yong Chol", with lastName and
firstName), vessel -> Vessel, aircraft -> Airplane, anything else -> Organization. Each gets a
Sanction (authority "Office of Foreign Assets Control", ``authorityId`` the ent_num,
``program`` each program); each digital currency address a CryptoWallet whose ``holder`` is the
party. Ids: ``ofac-17069``, ``ofac-17069-sanction``, ``ofac-wallet-eth-0x...``.

The builders here (``new_party``, ``add_vessel``, ``read_remarks``, ``add_alias``,
``new_sanction``) are shared with ``ofac-sdn-xml``, so both forms of the list give the same
entities for the same entry.
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
        extended = _extensions(path, out)
        for line, cells in _rows(path, len(COLUMNS), raw_last=True):
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
                party, sanction, found = _entry(row, extended.get(row["ent_num"]))
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
            add_wallets(wallets, found)
        for ent_num, (where, _) in extended.items():
            if f"ofac-{ent_num}" not in parties:
                out.quarantine.append(
                    Quarantined(
                        f"ent_num {ent_num!r}: no entry of {path.name} to extend", element=where
                    )
                )
        _companions(path, parties, out)
        for entity in [*parties.values(), *sanctions, *wallets.values()]:
            out.add("entity", entity_row(entity, DATASET))
        add_snapshot(out, DATASET, _published(path))
        return out


def add_wallets(wallets: dict[str, EntityProxy], found: list[EntityProxy]) -> None:
    """Collect ``found`` into ``wallets`` by id; one address held by two entries is held by
    both."""
    for wallet in found:
        if wallet.id in wallets:
            wallets[str(wallet.id)].add("holder", wallet.get("holder"))
        else:
            wallets[str(wallet.id)] = wallet


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


def _rows(
    path: Path, width: int, raw_last: bool = False
) -> list[tuple[int, list[str] | Quarantined]]:
    """``(line, cells)`` of a header-less OFAC CSV, ``-0-`` cells emptied, or a
    ``Quarantined`` for a line of the wrong width. No line of the right width at all: not
    this format (``InputError``). ``raw_last`` keeps the last cell's outer spaces: Remarks
    and its extension are cut at a fixed length, possibly next to a space that the join
    needs."""
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
        kept = ["" if c.strip() == _EMPTY else c.strip() for c in cells]
        if raw_last and kept[-1]:
            kept[-1] = cells[-1]
        out.append((start, kept))
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


def _entry(
    row: dict[str, str], extension: tuple[str, str] | None = None
) -> tuple[EntityProxy, EntityProxy, list[EntityProxy]]:
    ent_num = row["ent_num"]
    party = new_party(ent_num, row["SDN_Type"], row["SDN_Name"], row["Title"])
    if party.schema.name == "Vessel":
        add_vessel(
            party,
            call_sign=row["Call_Sign"],
            kind=row["Vess_type"],
            tonnage=row["Tonnage"],
            grt=row["GRT"],
            flag=row["Vess_flag"],
            owner=row["Vess_owner"],
        )
    remarks = row["Remarks"]
    cut = len(remarks) >= REMARKS_LIMIT
    if extension:
        remarks, cut = remarks + extension[1], False
    wallets = read_remarks(remarks.strip(), party, cut=cut, title=row["Title"])
    programs = [p.strip() for p in row["Program"].strip("[]").split("] [")]
    return party, new_sanction(ent_num, party, programs), wallets


def new_party(ent_num: str, sdn_type: str, name: str, title: str = "") -> EntityProxy:
    """The listed party, ``name`` as the CSV writes it (``KIM, Yong Chol`` for a person);
    ``ValueError`` (quarantine) for an ent_num that is not a number or an empty name."""
    if not (ent_num.isascii() and ent_num.isdigit()):  # "²".isdigit() is True
        raise ValueError(f"ent_num {ent_num!r} is not a number")
    if not name:
        raise ValueError(f"ent_num {ent_num}: no name")
    schema = SCHEMATA.get(sdn_type.strip().lower(), "Organization")
    party = make(schema, f"ofac-{ent_num}")
    if schema == "Person":
        full, last, first = person_name(name)
        party.add("name", full)
        party.add("lastName", last)
        party.add("firstName", first)
        party.add("position", title or None)
    else:
        party.add("name", name)
    party.add("topics", "sanction")
    party.add("sourceUrl", SOURCE_URL)
    return party


def add_vessel(
    party: EntityProxy,
    *,
    call_sign: str,
    kind: str,
    tonnage: str,
    grt: str,
    flag: str,
    owner: str,
) -> None:
    party.add("callSign", call_sign or None)
    party.add("type", kind or None)
    party.add("tonnage", tonnage or None)
    party.add("grossRegisteredTonnage", grt or None)
    party.add("flag", flag or None)
    if owner:
        party.add("notes", f"owner: {owner}")


def new_sanction(ent_num: str, party: EntityProxy, programs: list[str]) -> EntityProxy:
    sanction = make("Sanction", f"ofac-{ent_num}-sanction")
    sanction.add("entity", party.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("authorityId", ent_num)
    sanction.add("country", "us")
    sanction.add("program", programs)
    sanction.add("sourceUrl", SOURCE_URL)
    return sanction


def read_remarks(
    remarks: str, party: EntityProxy, cut: bool = False, title: str = ""
) -> list[EntityProxy]:
    """Fill ``party`` from Remarks; returns the CryptoWallets found. Parts that no rule reads
    go to ``notes``, except a repeat of the ``title`` (already the position); the last part
    of Remarks ``cut`` at the limit is dropped."""
    parts = [p.strip() for p in remarks.split(";")]
    if cut and parts:
        parts.pop()  # cut in the middle: half an alias or number is worse than none
    wallets: list[EntityProxy] = []
    notes: list[str] = []
    for part in parts:
        part = part.removeprefix("alt. ").strip().rstrip(".").strip()
        if not part or part == title.strip().rstrip("."):
            continue
        read = read_part(part, party)
        if isinstance(read, str):
            notes.append(read)
        elif read is not None:
            wallets.append(read)
    party.add("notes", notes)
    return wallets


def read_part(part: str, party: EntityProxy) -> EntityProxy | str | None:
    """Read one fact as Remarks write it (``a.k.a. 'X'``, ``DOB 1960``, ``Passport 123
    (Korea, North)``, ``Digital Currency Address - XBT 1...``) into ``party``. Returns the
    CryptoWallet of a currency address, the part itself when no rule reads it (a note), or
    None."""
    if m := _ALIAS.match(part):
        kind = "previousName" if m[1] == "f.k.a." else "weakAlias"
        if schema_has(party, kind):
            party.add(kind, m[2])
        return None
    if m := _WALLET.match(part):
        currency, address = m[1].upper(), m[2]
        wallet = make("CryptoWallet", wallet_id(currency, address))
        wallet.add("currency", currency)
        wallet.add("publicKey", address)
        wallet.add("holder", party.id)
        wallet.add("topics", "sanction")
        return wallet
    if part.startswith("DOB "):
        dates = _birth_dates(part[4:])
        if dates and schema_has(party, "birthDate"):
            party.add("birthDate", dates)
            return None
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
                return None
    return part


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


def _beside(path: Path, kind: str) -> Path | None:
    """The companion ``kind`` of an SDN file: ``sdn`` in its name replaced by ``kind``."""
    i = path.name.lower().rfind("sdn")
    return path.with_name(path.name[:i] + kind + path.name[i + 3 :]) if i >= 0 else None


def _extensions(path: Path, out: Parsed) -> dict[str, tuple[str, str]]:
    """ent_num -> (where, the rest of its Remarks) from ``sdn_comments.csv`` beside the SDN
    file; several rows for one ent_num continue each other in file order."""
    comments = _beside(path, "sdn_comments")
    if comments is None or not comments.is_file():
        return {}
    found: dict[str, tuple[str, str]] = {}
    for line, cells in _rows(comments, 2, raw_last=True):
        where = f"{comments.name}:{line}"
        if isinstance(cells, Quarantined):
            cells.element, cells.line = where, None
            out.quarantine.append(cells)
            continue
        first, text = found.get(cells[0], (where, ""))
        found[cells[0]] = (first, text + cells[1])
    return found


def _companions(path: Path, parties: dict[str, EntityProxy], out: Parsed) -> None:
    """Strong aliases from ``alt.csv`` and addresses from ``add.csv`` beside the SDN file.
    Rows for an ent_num that the SDN file does not list are quarantined (the files are from
    different days)."""
    for kind, width in (("alt", 5), ("add", 6)):
        companion = _beside(path, kind)
        if companion is None or not companion.is_file():
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
                add_alias(party, cells[2].lower(), cells[3])
            else:
                address = ", ".join(c for c in cells[2:5] if c)
                party.add("address", address or None)
                party.add("country", cells[4] or None)


def add_alias(party: EntityProxy, kind: str, name: str) -> None:
    """A strong alias (``aka``, ``fka``, ``nka``), ``name`` as the CSV writes it."""
    if party.schema.name == "Person":
        name = person_name(name)[0]
    prop = "previousName" if kind == "fka" else "alias"
    if name and schema_has(party, prop):
        party.add(prop, name)
