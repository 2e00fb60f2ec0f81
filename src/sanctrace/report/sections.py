"""The report as a list of sections that capabilities contribute.

A section builder is a function ``(workspace, context) -> Section | None``. It calls its
engines, registers a footnote for every source behind each figure it shows, and renders its
body from a template; ``None`` means it has nothing to report (an empty table, a capability
whose data is not loaded), so the report leaves it out rather than printing an empty heading.
``sanctrace.report.contents`` lists the builders in report order; a new capability adds its
builders there, and nothing else in the report changes.

Footnotes are numbered once for the whole report, in the order builders ask for them, and a
citation that many figures rest on (the same document and locator) keeps one number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Literal, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sanctrace.sources.values import parse_citations
from sanctrace.workspace import Workspace

__all__ = [
    "Footnote",
    "Footnotes",
    "ReportContext",
    "Section",
    "SectionBuilder",
    "environment",
    "roman",
]

T = TypeVar("T")
FootnoteKind = Literal["source", "basis", "note"]


@dataclass(frozen=True)
class Footnote:
    """One numbered note. ``source``: a document and locator (``href`` when it is a URL);
    ``basis``: the rows behind a figure (incident ids, estimates, tallies); ``note``: prose."""

    number: int
    kind: FootnoteKind
    body: Markup
    href: str | None = None


class Footnotes:
    """The report's notes, numbered in order of first use, one number per distinct note.

    Sources are keyed on (document, locator) with whitespace trimmed, so the same page cited
    by ninety incidents is one note; other notes are keyed on their text. Every number handed
    to ``refs`` is logged, so the report knows which notes each section's body uses.
    """

    def __init__(self) -> None:
        self._notes: list[Footnote] = []
        self._keys: dict[tuple[str, str, str], int] = {}
        self._used: list[int] = []

    def source(self, document: str, locator: str | None = None) -> int:
        """The number of a cited document (a URL is linked, anything else shown as text)."""
        document, loc = document.strip(), (locator or "").strip()
        key = ("source", document, loc)
        if key not in self._keys:
            href = document if document.startswith(("http://", "https://")) else None
            body = (
                Markup('<a href="{0}">{0}</a>').format(document)
                if href
                else Markup.escape(document)
            )
            if loc:
                body += Markup(", {}").format(loc)
            self._keys[key] = self._add("source", body, href)
        return self._keys[key]

    def sources(self, citation: str | None) -> list[int]:
        """Numbers for a citation field as stored (``doc @ locator ; doc2``); none if empty."""
        return [self.source(c.document, c.locator) for c in parse_citations(citation or "")]

    def note(self, body: str | Markup, kind: FootnoteKind = "note") -> int:
        """The number of a note whose text is ``body`` (plain text is escaped)."""
        html = Markup.escape(body)
        key = (kind, str(html), "")
        if key not in self._keys:
            self._keys[key] = self._add(kind, html, None)
        return self._keys[key]

    def refs(self, numbers: Iterable[int]) -> Markup:
        """Superscript links to notes, each number once, ascending; a run of three or more
        is printed as its two ends joined by an en dash, as printed reports do."""
        unique = sorted(set(numbers))
        if not unique:
            return Markup("")
        self._used.extend(unique)
        parts = []
        for run in _runs(unique):
            first = Markup('<a href="#fn-{0}" class="fnref">{0}</a>').format(run[0])
            if len(run) == 1:
                parts.append(first)
                continue
            last = Markup('<a href="#fn-{0}" class="fnref">{0}</a>').format(run[-1])
            parts.append(first + Markup("\u2013" if len(run) > 2 else ",") + last)
        return Markup('<sup class="fn">{}</sup>').format(Markup(",").join(parts))

    def take_used(self) -> list[int]:
        """The numbers used in bodies since the last call (so per section), ascending."""
        used, self._used = sorted(set(self._used)), []
        return used

    def mark(self) -> int:
        """A point to ``rollback`` to: the number of notes so far."""
        return len(self._notes)

    def rollback(self, mark: int) -> None:
        """Forget the notes added since ``mark`` (a builder that registered notes and then
        had nothing to report must not leave notes that nothing refers to)."""
        del self._notes[mark:]
        self._keys = {k: n for k, n in self._keys.items() if n <= mark}
        self._used = [n for n in self._used if n <= mark]

    def all(self) -> list[Footnote]:
        return list(self._notes)

    def __len__(self) -> int:
        return len(self._notes)

    def _add(self, kind: FootnoteKind, body: Markup, href: str | None) -> int:
        number = len(self._notes) + 1
        self._notes.append(Footnote(number, kind, body, href))
        return number


@dataclass
class Section:
    """One part of the report. ``id`` is its anchor and what ``--json`` lists; ``body`` is
    rendered HTML; ``footnotes`` are the note numbers the body refers to (filled in by
    ``build_report`` from the footnote log, so builders need not keep count); an ``annex``
    comes after the body of the report and is numbered Annex I, II, ..."""

    id: str
    title: str
    body: Markup
    footnotes: list[int] = field(default_factory=list)
    kind: Literal["section", "annex"] = "section"


@dataclass
class ReportContext:
    """What every builder shares: the options, the footnotes, figure and table numbering,
    and a memo so that an engine result several sections show is computed once (which
    matters on Spark, where each engine call is a set of jobs)."""

    title: str = "Cyber-enabled theft attributed to the DPRK"
    date_from: date | None = None
    date_to: date | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    footnotes: Footnotes = field(default_factory=Footnotes)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _figures: int = 0
    _tables: int = 0

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per report for ``key`` (include every argument in the key)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    def figure(self) -> str:
        """The next figure's label, numbered in Roman as the Panel's reports do."""
        self._figures += 1
        return f"Figure {roman(self._figures)}"

    def table(self) -> str:
        self._tables += 1
        return f"Table {self._tables}"

    def render(self, template: str, **values: Any) -> Markup:
        """A section body from a template under ``report/templates/`` (autoescaped)."""
        html = environment().get_template(template).render(ctx=self, **values)
        return Markup(html)


SectionBuilder = Callable[[Workspace, ReportContext], Section | None]
"""Builds one section from engine results, or returns ``None`` when there is nothing to say."""


def _runs(numbers: list[int]) -> list[list[int]]:
    """Sorted numbers cut into runs of consecutive values: [1, 2, 3, 7] -> [[1, 2, 3], [7]]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def roman(n: int) -> str:
    """1 -> I, 14 -> XIV (section, annex and figure numbers)."""
    out = []
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def usd(value: int | None) -> str:
    """Whole dollars with thousands separators; empty for no value."""
    return "" if value is None else f"{value:,}"


@cache
def environment() -> Environment:
    """The one Jinja environment: templates from the package, autoescaped, strict about
    undefined names so that a typo fails a test instead of printing nothing."""
    env = Environment(
        loader=PackageLoader("sanctrace.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["usd"] = usd
    env.filters["num"] = usd
    env.filters["roman"] = roman
    return env
