"""The report's contents: which section builders run, in which order.

Each capability keeps its builders in its own module (``incident_sections.BUILDERS``) and is
listed here once. A capability whose data is not loaded returns ``None`` from its builders,
so listing it costs nothing where it does not apply. Annexes come last.
"""

from __future__ import annotations

from sanctrace.report.sections import SectionBuilder


def default_builders() -> list[SectionBuilder]:
    """The builders of a full report. Imported here, not at module level, so that importing
    the report package (the CLI does at start-up) does not load Altair and the engines."""
    from sanctrace.report import (
        cap_sections,
        chain_sections,
        incident_sections,
        intake_sections,
        itworker_sections,
        list_sections,
        maritime_sections,
        phishing_sections,
        provenance,
    )

    return [
        *incident_sections.BUILDERS,
        *list_sections.BUILDERS,
        *chain_sections.BUILDERS,
        *intake_sections.BUILDERS,
        *itworker_sections.BUILDERS,
        *cap_sections.BUILDERS,
        *maritime_sections.BUILDERS,
        *phishing_sections.BUILDERS,
        # later capabilities go here, each as *<capability>_sections.BUILDERS
        provenance.provenance_annex,
    ]
