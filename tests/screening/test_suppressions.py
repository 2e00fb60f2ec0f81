"""Reviewed false positives: suppress a query's match, see it left out, revoke it, read the
audit log; a suppression lapses when the party's listing is amended."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sanctrace.data import bundled
from sanctrace.errors import InputError, NotFoundError
from sanctrace.screening import suppressions
from sanctrace.screening.screen import screen
from sanctrace.screening.suppressions import query_key, revoke, suppress
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace
from tests.sources.test_ingest import fail_on_call, snapshot

RI = "unsc-KPi.033"  # RI WON HO on the UN list
RI_OFAC = "ofac-19609"  # the same man on the SDN list: a separate listed party
WHY = "customer born 1987 in Seoul; the listed RI WON HO was born 1964"


def ids(ws: Workspace, query: str, **kw: str) -> list[str]:
    return [m.entity_id for m in screen(ws, query, **kw).matches]  # type: ignore[arg-type]


@pytest.fixture
def amended_un(tmp_path: Path) -> Path:
    """The bundled UN list as a newer snapshot (2025) that amends RI WON HO's entry."""
    text = bundled("sanctions/un_consolidated_2024-09-26_kp.xml").read_text(encoding="utf-8")
    old_note = "Ri Won Ho is a DPRK Ministry of State Security Official stationed in Syria"
    assert text.count(old_note) == 1 and text.count("dateGenerated='2024-09-26") == 1
    text = text.replace(old_note, "Ri Won Ho, reassigned in 2025, is a DPRK official")
    text = text.replace("dateGenerated='2024-09-26", "dateGenerated='2025-01-15")
    path = tmp_path / "un_consolidated_2025-01-15_kp.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "variant", ["Lee Won-ho", "LEE WON HO", "  lee   won ho ", "Lée Wón-Ho.", "lee, won-ho"]
)
def test_query_key_folds_case_accents_spacing_punctuation(variant: str) -> None:
    assert query_key(variant) == "lee won ho"


def test_query_key_keeps_the_schema_and_the_words() -> None:
    assert query_key("Lee Won-ho", "person") == "lee won ho|Person"
    assert query_key("Lee Won") != query_key("Lee Won-ho")
    with pytest.raises(InputError, match="schema"):
        query_key("Lee Won-ho", "Spaceship")
    with pytest.raises(InputError, match="query"):
        query_key("  ")


def test_suppress_hides_the_match_for_that_query_only(ws: Workspace) -> None:
    assert ids(ws, "Lee Won-ho")[:2] == [RI, RI_OFAC]
    made = suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    assert (made.suppression_id, made.query_key, made.analyst) == ("sup-1", "lee won ho", "alice")

    result = screen(ws, "LEE WON HO")  # the same query, typed differently
    assert RI not in [m.entity_id for m in result.matches]
    assert RI_OFAC in [m.entity_id for m in result.matches]  # another party: still raised
    [hidden] = result.suppressed
    assert (hidden.entity_id, hidden.suppression_id, hidden.reason, hidden.analyst) == (
        RI,
        "sup-1",
        WHY,
        "alice",
    )
    assert hidden.suppressed_at == made.created_at and hidden.refs == ["KPi.033"]

    assert RI in ids(ws, "RI WON HO")  # another query: unaffected
    assert RI in ids(ws, "Lee Won-ho", schema="Person")  # made without a schema: not this one


def test_suppressed_matches_do_not_use_up_the_limit(ws: Workspace) -> None:
    suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    result = screen(ws, "Lee Won-ho", limit=1)
    assert [m.entity_id for m in result.matches] == [RI_OFAC]
    assert [s.entity_id for s in result.suppressed] == [RI]


def test_revoke_brings_it_back_and_the_log_has_both(ws: Workspace) -> None:
    made = suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    done = revoke(ws, made.suppression_id, "second review: same passport", "bob")
    assert (done.revoked_by, done.revoke_reason) == ("bob", "second review: same passport")
    assert done.revoked_at is not None and done.revoked_at >= made.created_at
    result = screen(ws, "Lee Won-ho")
    assert result.matches[0].entity_id == RI and result.suppressed == []

    assert suppressions.active(ws) == []
    assert [s.state for s in suppressions.listed(ws, include_revoked=True)] == ["revoked"]
    events = suppressions.log(ws)
    assert [(e.event_id, e.action, e.analyst, e.reason) for e in events] == [
        (1, "suppress", "alice", WHY),
        (2, "revoke", "bob", "second review: same passport"),
    ]
    assert {(e.suppression_id, e.query_key, e.entity_id) for e in events} == {
        ("sup-1", "lee won ho", RI)
    }
    # revoked, it can be suppressed again: a new decision with its own id
    assert suppress(ws, "Lee Won-ho", RI, WHY, "carol").suppression_id == "sup-2"


def test_lapses_when_the_listing_is_amended(ws: Workspace, amended_un: Path) -> None:
    made = suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    ri_ofac = suppress(ws, "Lee Won-ho", RI_OFAC, WHY, "alice")  # the SDN entry: not amended
    ingest(ws, "un-list", amended_un, uri="test:un-2025")

    result = screen(ws, "Lee Won-ho")
    [back] = result.matches[:1]
    assert back.entity_id == RI
    note = back.explanation["suppression"]
    assert note["detail"].startswith(
        f"suppression lapsed: listing amended since {made.created_at:%Y-%m-%d} (sup-1 by alice"
    )
    assert [s.suppression_id for s in result.suppressed] == [ri_ofac.suppression_id]
    states = {s.suppression_id: s.state for s in suppressions.listed(ws)}
    assert states == {"sup-1": "lapsed", "sup-2": "active"}

    # reviewed again: the new suppression supersedes the lapsed one, in the log too
    again = suppress(ws, "Lee Won-ho", RI, "reviewed the 2025 entry: still not him", "bob")
    assert [s.entity_id for s in screen(ws, "Lee Won-ho").suppressed] == [RI, RI_OFAC]
    old = {s.suppression_id: s for s in suppressions.suppressions(ws)}["sup-1"]
    assert old.revoke_reason == f"superseded by {again.suppression_id}: listing amended"
    assert [(e.action, e.suppression_id) for e in suppressions.log(ws)][-2:] == [
        ("revoke", "sup-1"),
        ("suppress", again.suppression_id),
    ]


@pytest.mark.parametrize(
    ("args", "element"),
    [
        (("Lee Won-ho", RI, "   ", "alice"), "reason"),
        (("Lee Won-ho", RI, WHY, ""), "analyst"),
        (("Lee Won-ho", "unsc-KPi.999", WHY, "alice"), "entity_id"),
        (("Lee Won-ho", "", WHY, "alice"), "entity_id"),
        (("", RI, WHY, "alice"), "query"),
        (("Lee Won-ho", RI, "x" * 5000, "alice"), "reason"),
    ],
)
def test_refusals_name_the_element(
    ws: Workspace, args: tuple[str, str, str, str], element: str
) -> None:
    with pytest.raises(InputError) as info:
        suppress(ws, *args)
    assert info.value.location == element and info.value.reason
    assert ws.count("suppression") == ws.count("audit_log") == 0


def test_refuses_a_duplicate_and_a_second_revoke(ws: Workspace) -> None:
    made = suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    with pytest.raises(InputError, match=r"already suppressed .*\(sup-1 by alice"):
        suppress(ws, "lee won ho", RI, "again", "bob")
    revoke(ws, made.suppression_id, "wrong", "bob")
    with pytest.raises(InputError, match="already revoked by bob"):
        revoke(ws, made.suppression_id, "wrong", "bob")
    with pytest.raises(NotFoundError, match="sup-7"):
        revoke(ws, "sup-7", "wrong", "bob")
    with pytest.raises(InputError, match="reason"):
        revoke(ws, made.suppression_id, "", "bob")
    assert [e.action for e in suppressions.log(ws)] == ["suppress", "revoke"]


@pytest.mark.parametrize(("method", "n"), [("insert", 1), ("insert", 2), ("delete_in", 1)])
def test_a_failed_write_leaves_the_workspace_as_it_was(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, method: str, n: int
) -> None:
    made = suppress(ws, "Lee Won-ho", RI_OFAC, WHY, "alice")
    before = snapshot(ws)
    fail_on_call(monkeypatch, method, n)
    with pytest.raises(OSError, match="No space left"):
        if method == "delete_in":
            revoke(ws, made.suppression_id, "wrong", "bob")
        else:
            suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    assert snapshot(ws) == before
    monkeypatch.undo()
    assert RI in ids(ws, "Lee Won-ho")  # nothing half-written hides it


def test_a_workspace_from_before_the_tables_gets_them(ws_path: Path) -> None:
    con = duckdb.connect(str(ws_path))
    con.execute("DROP TABLE suppression")
    con.execute("DROP TABLE audit_log")
    con.close()
    with Workspace.open(ws_path) as ws:
        suppress(ws, "Lee Won-ho", RI, WHY, "alice")
        assert RI not in ids(ws, "Lee Won-ho")
        assert [e.action for e in suppressions.log(ws)] == ["suppress"]


def test_screening_an_index_applies_no_suppressions(ws: Workspace) -> None:
    from sanctrace.screening.index import get_index

    suppress(ws, "Lee Won-ho", RI, WHY, "alice")
    result = screen(get_index(ws), "Lee Won-ho")  # no workspace: no decisions to apply
    assert result.matches[0].entity_id == RI and result.suppressed == []
