"""Export -> import -> export is a fixed point: the same bytes, the same registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctrace.data import bundled
from sanctrace.exports import write_export
from sanctrace.incidents import actors, list_incidents, summarize
from sanctrace.serialize import to_jsonable
from sanctrace.sources.ingest import ingest
from sanctrace.sources.status import quarantined_rows
from sanctrace.workspace import Workspace

ESTIMATES = "incidents/annual_estimates_by_source.csv"


def described(ws: Workspace) -> dict[str, Any]:
    """Every actor as the views show it; aliases as a set, since their order follows the
    ranks of the sources that named them (the bundle's ranks are its own)."""
    out = {}
    for actor_id, actor in actors(ws).items():
        out[actor_id] = to_jsonable(actor)
        out[actor_id]["aliases"] = sorted(actor.aliases)
    return out


def test_stix_round_trip_into_an_empty_workspace(
    ws: Workspace, empty_ws: Workspace, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    write_export(ws, "stix", first)
    result = ingest(empty_ws, "stix", first)
    assert result.rows_quarantined == 0 and quarantined_rows(empty_ws) == []
    write_export(empty_ws, "stix", second)
    assert first.read_bytes() == second.read_bytes()

    # the registry itself came across: incidents, actors and every figure by year (the yearly
    # estimates are not part of a STIX export, so both sides get the same file of them)
    ingest(empty_ws, "estimates", bundled(ESTIMATES))
    assert to_jsonable(summarize(empty_ws, "year")) == to_jsonable(summarize(ws, "year"))
    assert list_incidents(empty_ws) == list_incidents(ws)
    assert described(empty_ws) == described(ws)

    # and the MISP export, computed from the imported registry, is the same too
    write_export(ws, "misp", tmp_path / "a.misp.json")
    write_export(empty_ws, "misp", tmp_path / "b.misp.json")
    assert (tmp_path / "a.misp.json").read_bytes() == (tmp_path / "b.misp.json").read_bytes()


def test_importing_our_own_export_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    """Back into the workspace it came from: incidents are replaced by themselves, and the
    bundle's actors rank below the curated and ATT&CK ones, so no alias moves."""
    write_export(ws, "stix", tmp_path / "a.json")
    before = list_incidents(ws)
    ingest(ws, "stix", tmp_path / "a.json")
    assert list_incidents(ws) == before
    write_export(ws, "stix", tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
