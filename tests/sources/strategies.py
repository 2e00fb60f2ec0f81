"""Hypothesis strategies for adapter fuzzing: raw bytes, and CSV-ish documents built from an
adapter's real header with cells drawn from real values, known troublemakers and noise."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sanctrace.sources import actors_csv, case_tally_csv, estimates_csv, incidents_csv
from tests.sources.factory import bundled_rows

# modest: a whole adapter module fuzzes in a few seconds
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TROUBLE = [
    "",
    " ",
    "$Unknown",
    "$1,620,00",
    "$0",
    "$550",
    "$5,300,000",
    "81000000",
    "99999999999999999999",
    "9223372036854775808",
    "2017",
    "2017-Dec-31",
    "2023-Dec-31",
    "2017-13-01",
    "2017-Feb-30",
    "yesterday",
    "1899",
    "KR",
    "South Korea",
    "Atlantis",
    "Lazarus",
    "BlueNoroff",
    "---",
    "Hot-wallet compromise",
    "fiat",
    "990.1",
    "-1",
    "1e400",
    "NaN",
    "²",
    "٢٠١٧",
    '"',
    "a,b",
    "two\nlines",
    "\x00",
    "\ufeff",
    "https://undocs.org/S/2019/691 @ annex 21 ; other @ p. 3",
]


REQUIRED = {
    "incidents": incidents_csv.REQUIRED,
    "actors": actors_csv.REQUIRED,
    "estimates": estimates_csv.REQUIRED,
    "case-tally": case_tally_csv.REQUIRED,
}


def _samples(kind: str) -> dict[str, list[str]]:
    header, rows = bundled_rows(kind)
    return {h: sorted({r[h] for r in rows}) for h in header}


@st.composite
def csv_documents(draw: st.DrawFn, kind: str) -> bytes:
    """A file that looks like the adapter's input: the real header (shuffled, optional
    columns thinned, now and then a required one missing or a column too many), rows of the
    right width or one off, then encoded, with a BOM or CRLF, or cut short, or interleaved
    with blank lines."""
    samples = _samples(kind)
    required = [h for h in samples if h in REQUIRED[kind]]
    optional = [h for h in samples if h not in REQUIRED[kind]]
    header = (
        required + draw(st.lists(st.sampled_from(optional), unique=True)) if optional else required
    )
    if draw(st.integers(0, 9)) == 0:
        header.remove(draw(st.sampled_from(required)))
    if draw(st.integers(0, 9)) == 0:
        header.append(draw(st.sampled_from(["unknown_column", *required, ""])))
    header = draw(st.permutations(header))
    cell = st.one_of(
        st.sampled_from(TROUBLE),
        st.text(max_size=12),
    )
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 6))):
        width = max(0, len(header) + draw(st.sampled_from([0, 0, 0, 0, -1, 1])))
        row = []
        for i in range(width):
            real = samples.get(header[i]) if i < len(header) else None
            if real and draw(st.integers(0, 3)):
                row.append(draw(st.sampled_from(real)))
            else:
                row.append(draw(cell))
        rows.append(row)
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=eol)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if draw(st.integers(0, 5)) == 0:
            buf.write(eol)
    text = buf.getvalue()
    if draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    if draw(st.integers(0, 5)) == 0:
        text = "\ufeff" + text
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=4,
)
_name = st.one_of(
    st.sampled_from(["Lazarus Group - G0032", "APT38", "Group", "---", ""]), st.text(max_size=8)
)
_meta = st.fixed_dictionaries(
    {},
    optional={
        "external_id": st.sampled_from(["G0032", "G32", "T1000", ""]),
        "synonyms": st.lists(_name, max_size=3),
        "country": st.sampled_from(["KP", "North Korea"]),
    },
)


@st.composite
def galaxy_values(draw: st.DrawFn) -> list[Any]:
    """Entries of a MISP galaxy ``values`` list: mostly cluster-shaped, sometimes anything."""
    out: list[Any] = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(_json))  # anything at all
            continue
        value: dict[str, Any] = {"value": draw(_name)}
        if draw(st.booleans()):
            value["meta"] = draw(st.one_of(_meta, _meta, _json))
        if draw(st.booleans()):
            value["description"] = draw(st.one_of(st.text(max_size=8), _json))
        out.append(value)
    return out
