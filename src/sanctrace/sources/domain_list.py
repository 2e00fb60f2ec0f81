"""Observed domains to screen for lookalikes, from the files analysts have at hand.

Accepted formats (told apart by content, not by file name):

- **text**: one domain per line; a URL or a defanged form (``hxxps://upbit[.]com-login[.]kr/``)
  is reduced to its host; ``# comments`` and blank lines are skipped; hosts-file lines
  (``0.0.0.0 upbit-login.com``) give their host name.
- **CSV** with a header naming one of the columns ``domain``, ``name_value`` (crt.sh's
  export: several names in one cell, one per line), ``common_name``, ``dns_names``,
  ``san``, ``host``, ``hostname`` or ``url``; every such column is read.
- **JSON**: an array of domain strings; an array of objects with the keys above (crt.sh's
  ``?output=json``); an object holding such an array under ``domains`` or ``data``.
- **JSON lines**: one JSON value per line, including certstream's certificate updates
  (``{"data": {"leaf_cert": {"all_domains": [...]}}}``; its heartbeats are skipped).

Wildcard names (``*.upbit-login.com``) count as the name under the wildcard, and a leading
``www.`` is dropped. Names are returned in ASCII (punycode), with the line they came from
(none for a single JSON document). An entry that is not a domain is quarantined with its line and
reason; a file that cannot be read at all (not UTF-8, not JSON where JSON was begun, empty)
is an ``InputError`` naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctrace.errors import InputError
from sanctrace.phishing.domains import is_ip
from sanctrace.phishing.urls import refang
from sanctrace.screening.identifiers import clean_domain
from sanctrace.sources.base import Quarantined, check_unique, csv_records, read_text

COLUMNS = ("domain", "name_value", "common_name", "dns_names", "san", "host", "hostname", "url")
JSON_KEYS = (*COLUMNS, "all_domains", "domains")
MAX_NAMES = 1_000_000  # per file: a CT export of a popular brand runs to tens of thousands

_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class ObservedDomain:
    """One name read from the file: its ASCII form, the text it came from, where."""

    domain: str
    raw: str
    line: int | None


@dataclass
class DomainList:
    """What a file gave: the names in file order, the refused entries, and the format."""

    domains: list[ObservedDomain] = field(default_factory=list)
    quarantine: list[Quarantined] = field(default_factory=list)
    format: str = "text"
    truncated: bool = False


def clean_observed(text: str) -> str | None:
    """An observed name as a domain: refanged, wildcard and scheme removed, ASCII form."""
    value = refang(text.strip().strip("\"'<>"))
    while value.startswith("*."):
        value = value[2:]
    return clean_domain(value) if value else None


def read_domains(path: Path) -> DomainList:
    """The observed domains of ``path`` (text, CSV, JSON or JSON lines; see the module)."""
    text = read_text(path)
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    first = text.lstrip()[:1]
    out = DomainList()
    if first in "[{":
        out.format = "json"
        _read_json(path, text, out)
    elif _csv_header(text) is not None:
        out.format = "csv"
        _read_csv(path, text, out)
    else:
        _read_lines(text, out)
    return out


def _add(out: DomainList, raw: str, line: int | None) -> None:
    if len(out.domains) >= MAX_NAMES:
        if not out.truncated:
            out.truncated = True
            out.quarantine.append(
                Quarantined(f"more than {MAX_NAMES:,} names; the rest not read", line=line)
            )
        return
    domain = clean_observed(raw)
    if domain is None:
        out.quarantine.append(
            Quarantined("not a domain name", line=line, raw=raw[:200] if raw else raw)
        )
    else:
        out.domains.append(ObservedDomain(domain, raw, line))


def _read_lines(text: str, out: DomainList) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        fields = value.split()
        if len(fields) > 1 and is_ip(fields[0]):  # hosts-file line: address, then names
            for name in fields[1:]:
                _add(out, name, number)
        elif len(fields) > 1:
            out.quarantine.append(
                Quarantined(
                    "several fields on one line (one domain per line)", number, raw=value[:200]
                )
            )
        else:
            _add(out, value, number)


def _csv_header(text: str) -> list[str] | None:
    """The header when the first line is a CSV header naming a column we read."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in first:
        return None
    try:
        header = next(csv.reader([first]))
    except csv.Error:
        return None
    names = [h.strip().lower() for h in header]
    return names if any(n in COLUMNS for n in names) else None


def _read_csv(path: Path, text: str, out: DomainList) -> None:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader)]
    check_unique(path, header)
    for line, row in csv_records(reader, header, strip=False):
        if isinstance(row, Quarantined):
            out.quarantine.append(row)
            continue
        for column, cell in row.items():
            if column in COLUMNS:
                for name in _SPLIT.split(cell):
                    if name:
                        _add(out, name, line)


def _read_json(path: Path, text: str, out: DomainList) -> None:
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as whole:
        # not one JSON document: JSON lines (certstream), each line its own value
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) < 2 or not lines[0].lstrip().startswith(("{", "[")):
            raise InputError(
                f"{path}:{whole.lineno}", f"not JSON: {whole.msg} (column {whole.colno})"
            ) from whole
        out.format = "jsonl"
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                out.quarantine.append(
                    Quarantined(f"not JSON: {exc.msg}", line=number, raw=line[:200])
                )
                continue
            _from_json(value, number, out, depth=0)
        return
    _from_json(document, None, out, depth=0)


def _from_json(value: Any, line: int | None, out: DomainList, depth: int) -> None:
    """Names in a JSON value: strings in arrays, and the values of the known keys."""
    if depth > 8:  # crt.sh and certstream nest three deep; deeper is not an export we know
        out.quarantine.append(Quarantined("JSON nested too deeply", line=line))
        return
    if isinstance(value, str):
        for name in _SPLIT.split(value):
            if name:
                _add(out, name, line)
    elif isinstance(value, list):
        for item in value:
            _from_json(item, line, out, depth + 1)
    elif isinstance(value, dict):
        if value.get("message_type") not in (None, "certificate_update"):
            return  # certstream's heartbeats carry no certificate
        found = False
        for key in JSON_KEYS:
            if key in value:
                found = True
                _from_json(value[key], line, out, depth + 1)
        for key in ("data", "leaf_cert", "results"):
            if key in value and isinstance(value[key], (dict, list)):
                found = True
                _from_json(value[key], line, out, depth + 1)
        if not found:
            out.quarantine.append(
                Quarantined(
                    f"JSON object without a domain key ({', '.join(JSON_KEYS)})",
                    line=line,
                    raw=json.dumps(value)[:200],
                )
            )
    else:
        out.quarantine.append(
            Quarantined(f"JSON {type(value).__name__} where a domain was expected", line=line)
        )
