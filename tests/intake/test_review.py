"""Accepting claims into the registry and rejecting them, with the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctrace.caps.records import deliveries
from sanctrace.errors import InputError, NotFoundError
from sanctrace.incidents.registry import get_incident
from sanctrace.intake import review
from sanctrace.intake.store import StoredClaim, reviews, stored_claims
from sanctrace.sources.ingest import ingest
from sanctrace.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures" / "intake"


@pytest.fixture
def news(ws: Workspace) -> dict[str, StoredClaim]:
    source = ingest(ws, "text", FIXTURES / "review_news.txt").source_id
    return {c.text: c for c in stored_claims(ws, source_ids=[source])}


def test_amount_joins_the_incident_its_sentence_names(
    ws: Workspace, news: dict[str, StoredClaim]
) -> None:
    claim = news["$48.5 million"]
    done = review.accept(ws, claim.claim_id, "alice")
    assert (done.action, done.target, done.incident_id) == ("accept", "amount", "2019-11-27-upbit")
    detail = get_incident(ws, "2019-11-27-upbit")
    ours = [a for a in detail.amounts if a["source_id"] == claim.source_id]
    assert [(a["amount_usd"], a["usd_text"], a["kind"]) for a in ours] == [
        (48_500_000, "$48.5 million", "stolen")
    ]
    cited = [c for c in detail.citations if c["source_id"] == claim.source_id]
    assert cited[0]["locator"] == f"characters 76-89 (claim {claim.claim_id})"
    assert stored_claims(ws, claim_ids=[claim.claim_id])[0].status == "accepted"


def test_new_incident_from_a_money_claim(ws: Workspace, news: dict[str, StoredClaim]) -> None:
    done = review.accept(ws, news["$12 million"].claim_id, "alice", target="incident")
    assert done.incident_id == "2026-03-zentrix"  # victim and month from the sentence
    detail = get_incident(ws, "2026-03-zentrix")
    assert (detail.incident.victim, detail.incident.stolen_usd) == ("Zentrix", 12_000_000)
    assert set(done.detail) == {"incident", "amount", "citation"}


def test_attribution_and_case_tally(ws: Workspace, news: dict[str, StoredClaim]) -> None:
    review.accept(ws, news["Lazarus Group"].claim_id, "bob", confidence="high")
    atts = ws.table("attribution").filter(lambda t: t.source_id == news["Lazarus Group"].source_id)
    [att] = atts.to_pyarrow().to_pylist()
    assert (att["incident_id"], att["actor_key"], att["confidence"]) == (
        "2019-11-27-upbit",
        "lazarus",
        "high",
    )
    done = review.accept(ws, news["35 cases"].claim_id, "bob")
    [tally] = done.detail["case_tally"]
    assert (tally["report"], tally["cases"], tally["countries"]) == ("review_news.txt", 35, 17)
    with pytest.raises(InputError, match="only a count of cases"):
        review.accept(ws, news["17 countries"].claim_id, "bob")


def test_reject_is_final_and_audited(ws: Workspace, news: dict[str, StoredClaim]) -> None:
    claim = news["$60 million"]
    with pytest.raises(InputError, match="say why"):
        review.reject(ws, claim.claim_id, "carol", " ")
    review.reject(ws, claim.claim_id, "carol", "conflates two incidents")
    with pytest.raises(InputError, match="already rejected by carol"):
        review.accept(ws, claim.claim_id, "carol")
    [event] = reviews(ws)
    assert (event.analyst, event.action, event.reason, event.detail) == (
        "carol",
        "reject",
        "conflates two incidents",
        {},
    )


def test_what_cannot_be_accepted(ws: Workspace, news: dict[str, StoredClaim]) -> None:
    with pytest.raises(NotFoundError):
        review.accept(ws, "0000000000000000", "alice")
    with pytest.raises(InputError, match="say which incident"):
        review.accept(ws, news["$12 million"].claim_id, "alice")  # no registry incident named
    with pytest.raises(NotFoundError, match="no incident"):
        review.accept(ws, news["$12 million"].claim_id, "alice", incident_id="nope")
    with pytest.raises(InputError, match="cannot become attribution"):
        review.accept(ws, news["$12 million"].claim_id, "alice", target="attribution")
    with pytest.raises(InputError, match="exists"):  # the Upbit theft is already registered
        review.accept(
            ws,
            news["$48.5 million"].claim_id,
            "alice",
            target="incident",
            fields=review.AcceptFields(date="2019-11-27"),
        )
    assert reviews(ws) == []  # nothing was written by any of these


def test_anything_can_be_accepted_as_evidence(ws: Workspace, news: dict[str, StoredClaim]) -> None:
    done = review.accept(ws, news["March 2026"].claim_id, "alice")
    assert (done.target, done.detail) == ("evidence", {})


def test_a_quantity_becomes_a_delivery_in_the_cap_ledger(
    ws: Workspace, news: dict[str, StoredClaim]
) -> None:
    source = ingest(ws, "text", FIXTURES / "delivery_news.txt").source_id
    [claim] = stored_claims(ws, source_ids=[source], type="quantity")
    done = review.accept(ws, claim.claim_id, "alice")  # supplier and year from the sentence
    [row] = done.detail["delivery"]
    assert (row["kind"], row["commodity"], row["supplier"], row["barrels"]) == (
        "reported",
        "refined",
        "Russia",
        "277365",
    )
    [ours] = [d for d in deliveries(ws, "refined") if d.source_id == claim.source_id]
    assert (ours.period_start.isoformat(), ours.period_end.isoformat()) == (
        "2019-01-01",
        "2019-12-31",
    )
    assert ours.citation == claim.citation
    with pytest.raises(InputError, match="a count claim cannot become delivery"):
        review.accept(ws, news["35 cases"].claim_id, "alice", target="delivery")
