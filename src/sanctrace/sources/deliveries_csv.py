"""``deliveries``: petroleum delivered to the DPRK, reported or estimated (docs/cap-ledger.md).

A *reported* row is what a supplying state notified (supplier, period, barrels and/or
tonnes). Where only one of the two figures is reported, the other is computed with a named
factor (``factor``, default the commodity's in ``data/petroleum/factors.csv``) and the row
records which figure was computed and with what; where both are reported no factor is used.

An *estimated* row is a set of tanker deliveries an estimator counted: ``deliveries`` with a
total ``capacity_barrels`` (or ``capacity_dwt``, converted with a named deadweight factor),
and optionally the figure the estimator published (``barrels``) at its ``load_scenario``.
Rows sharing an ``estimate`` id belong to one estimate (default: the estimator and the
period); the ledger computes every load scenario from the capacities.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from sanctrace.caps.factors import Applies, Factor, default_factor, exact, get_factor
from sanctrace.screening.identifiers import ship_check_digit
from sanctrace.sources.base import Parsed, Progress, Row, parse_csv_rows
from sanctrace.sources.petroleum_values import (
    parse_commodity,
    parse_period,
    parse_share,
    parse_volume,
)
from sanctrace.sources.values import parse_whole, slug

REQUIRED = ("kind", "commodity", "period")
OPTIONAL = (
    "supplier",
    "estimator",
    "estimate",
    "deliveries",
    "barrels",
    "tonnes",
    "factor",
    "vessel_imo",
    "vessel_mmsi",
    "vessel_name",
    "capacity_barrels",
    "capacity_dwt",
    "load_scenario",
    "citation",
    "note",
)
KINDS = ("reported", "estimated")
_IMO = re.compile(r"(?:IMO\s*)?([0-9]{7})", re.IGNORECASE)
_MMSI = re.compile(r"[0-9]{9}")


def parse_imo(text: str, field: str = "vessel_imo") -> str | None:
    """Seven digits (``IMO`` prefix allowed) whose check digit holds; None when empty."""
    text = text.strip()
    if not text:
        return None
    m = _IMO.fullmatch(text)
    if not m:
        raise ValueError(f"{field} {text!r} is not seven digits")
    digits = m.group(1)
    check = ship_check_digit(digits[:6])
    if check != int(digits[6]):
        raise ValueError(f"{field} {text!r} fails its check digit (expected {check})")
    return digits


def parse_mmsi(text: str, field: str = "vessel_mmsi") -> str | None:
    text = text.strip()
    if not text:
        return None
    if not _MMSI.fullmatch(text):
        raise ValueError(f"{field} {text!r} is not nine digits")
    return text


def _only(row: Row, kind: str, fields: tuple[str, ...]) -> None:
    for f in fields:
        if row.get(f):
            raise ValueError(f"{f} is for {'estimated' if kind == 'reported' else 'reported'} rows")


def _factor(row: Row, commodity: str, applies_to: Applies) -> Factor:
    name = row.get("factor", "")
    if name:
        return get_factor(name, commodity, applies_to)
    found = default_factor(commodity, applies_to)
    if found is None:
        raise ValueError(f"no {applies_to} factor for {commodity}; name one in factor")
    return found


def delivery(row: Row) -> dict[str, Any]:
    """One accepted row as a ``delivery`` table row; ``ValueError`` says why not."""
    kind = row["kind"].strip().lower()
    if kind not in KINDS:
        raise ValueError(f"kind {row['kind']!r} is not reported or estimated")
    commodity = parse_commodity(row["commodity"])
    period = parse_period(row["period"])
    count_text = row.get("deliveries", "")
    out: dict[str, Any] = {
        "kind": kind,
        "commodity": commodity,
        "period_start": period.start,
        "period_end": period.end,
        "period_text": period.text,
        "supplier": row.get("supplier") or None,
        "deliveries": parse_whole(count_text, "deliveries") if count_text else None,
        "barrels": parse_volume(row.get("barrels", ""), "barrels"),
        "tonnes": parse_volume(row.get("tonnes", ""), "tonnes"),
        "vessel_imo": parse_imo(row.get("vessel_imo", "")),
        "vessel_mmsi": parse_mmsi(row.get("vessel_mmsi", "")),
        "vessel_name": row.get("vessel_name") or None,
        "citation": row.get("citation") or None,
        "note": row.get("note") or None,
        # filled below where they apply
        **dict.fromkeys(("converted", "factor", "barrels_per_tonne", "estimator", "estimate")),
        **dict.fromkeys(("capacity_barrels", "capacity_dwt", "load_scenario")),
    }
    if kind == "reported":
        _reported(row, out, commodity)
    else:
        _estimated(row, out, commodity)
    return out


def _reported(row: Row, out: dict[str, Any], commodity: str) -> None:
    _only(row, "reported", ("estimator", "estimate", "capacity_barrels", "capacity_dwt"))
    _only(row, "reported", ("load_scenario",))
    if not out["supplier"]:
        raise ValueError("supplier is empty: a reported delivery names who supplied it")
    barrels, tonnes = out["barrels"], out["tonnes"]
    if barrels is None and tonnes is None:
        raise ValueError("neither barrels nor tonnes is given")
    if barrels is not None and tonnes is not None:
        if row.get("factor"):
            raise ValueError("factor is given but both barrels and tonnes are reported")
        return
    f = _factor(row, commodity, "tonnes")
    if barrels is None:
        out["barrels"], out["converted"] = exact(Fraction(tonnes) * f.value), "barrels"
    else:
        out["tonnes"], out["converted"] = exact(Fraction(barrels) / f.value), "tonnes"
    out["factor"], out["barrels_per_tonne"] = f.name, f.text


def _estimated(row: Row, out: dict[str, Any], commodity: str) -> None:
    estimator = row.get("estimator", "")
    if not estimator:
        raise ValueError("estimator is empty: an estimated delivery names who estimated it")
    if out["tonnes"] is not None:
        raise ValueError("tonnes is for reported rows; estimates are in barrels")
    capacity = parse_volume(row.get("capacity_barrels", ""), "capacity_barrels")
    dwt = parse_volume(row.get("capacity_dwt", ""), "capacity_dwt")
    if capacity is not None and dwt is not None:
        raise ValueError("give capacity_barrels or capacity_dwt, not both")
    if dwt is not None:
        f = _factor(row, commodity, "dwt")
        capacity = exact(Fraction(dwt) * f.value)
        out.update(converted="capacity_barrels", factor=f.name, barrels_per_tonne=f.text)
    elif row.get("factor"):
        raise ValueError("factor converts capacity_dwt, which is empty")
    load_text = row.get("load_scenario", "")
    load = parse_share(load_text, "load_scenario") if load_text else None
    if capacity is None and out["barrels"] is None:
        raise ValueError("neither capacity_barrels, capacity_dwt nor barrels is given")
    if load is not None and out["barrels"] is None:
        raise ValueError(
            "load_scenario is the load of a published barrels figure; barrels is empty"
        )
    if capacity is not None and out["barrels"] is not None and load is None:
        raise ValueError("barrels is published beside a capacity: give its load_scenario")
    out.update(
        estimator=estimator,
        estimate=row.get("estimate") or f"{slug(estimator)}:{out['period_text']}",
        capacity_barrels=capacity,
        capacity_dwt=dwt,
        load_scenario=load,
    )


class DeliveriesCsv:
    name = "deliveries"
    version = "1"
    description = (
        "petroleum deliveries: kind (reported|estimated), commodity, period, supplier, "
        "barrels/tonnes, or deliveries x capacity (docs/cap-ledger.md)"
    )

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        seen: dict[tuple[str, ...], int] = {}
        return parse_csv_rows(
            path, REQUIRED, OPTIONAL, "delivery", lambda row, line: _row(row, line, seen), progress
        )


def _row(row: Row, line: int, seen: dict[tuple[str, ...], int]) -> Row:
    """``delivery`` with its line; a row that repeats an earlier one (``seen``: cells to
    line) is refused, and an arithmetic failure in a conversion is a reason like any other."""
    key = tuple(row.values())
    if key in seen:
        raise ValueError(f"repeats line {seen[key]}")
    seen[key] = line
    try:
        accepted = delivery(row)
    except ArithmeticError as exc:
        raise ValueError(str(exc)) from exc
    accepted["line"] = line
    return accepted
