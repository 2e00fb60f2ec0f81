"""The STIX 2.1 export of the bundled registry: valid for the stix2 library, mapped as
``exports/stix.py`` says, and the same bytes every time."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import stix2

from sanctrace.errors import InputError
from sanctrace.exports import dumps, write_export
from sanctrace.exports.stix import NAMESPACE, build_bundle, stix_id
from sanctrace.workspace import Workspace


@pytest.fixture(scope="module")
def bundle(bundled_ws_path: Path) -> dict[str, Any]:
    with Workspace.open(bundled_ws_path) as ws:
        return build_bundle(ws)


@pytest.fixture(scope="module")
def objects(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in bundle["objects"]}


def one(objects: dict[str, dict[str, Any]], **match: Any) -> dict[str, Any]:
    [found] = [o for o in objects.values() if all(o.get(k) == v for k, v in match.items())]
    return found


def rels(objects: dict[str, dict[str, Any]], rel_type: str, source: str) -> list[dict[str, Any]]:
    return [
        o
        for o in objects.values()
        if o["type"] == "relationship"
        and o["relationship_type"] == rel_type
        and o["source_ref"] == source
    ]


def test_valid_stix_21(bundle: dict[str, Any]) -> None:
    parsed = stix2.parse(bundle, allow_custom=True, version="2.1")
    assert len(parsed.objects) == len(bundle["objects"])
    # every reference points inside the bundle
    ids = {o["id"] for o in bundle["objects"]}
    for o in bundle["objects"]:
        if o["type"] == "relationship":
            assert {o["source_ref"], o["target_ref"]} <= ids


def test_one_object_per_record(bundle: dict[str, Any]) -> None:
    counts = Counter(o["type"] for o in bundle["objects"])
    assert counts["incident"] == 91
    assert counts["identity"] == 91  # every victim name in the registry is distinct
    assert counts["intrusion-set"] == 30
    assert counts["location"] == 18  # 17 victim countries and KP
    assert len({o["id"] for o in bundle["objects"]}) == len(bundle["objects"])


def test_incident(objects: dict[str, dict[str, Any]]) -> None:
    inc = objects[stix_id("incident", "2016-02-04-bangladesh-bank")]
    assert inc["name"] == "Bangladesh Bank"
    assert inc["description"].startswith("funds routed through accounts in the Philippines")
    assert inc["created"] == "2016-02-04T00:00:00.000Z"
    assert inc["modified"] == "2025-02-21T00:00:00.000Z"  # the registry's latest incident
    assert inc["x_sanctrace_date"] == "2016-02-04"
    assert inc["x_sanctrace_date_precision"] == "day"
    assert (inc["x_sanctrace_victim_type"], inc["x_sanctrace_vector"]) == ("bank", "swift_fraud")
    assert inc["x_sanctrace_asset_class"] == "fiat"
    assert inc["x_sanctrace_stolen_usd"] == {
        "low": 81_000_000,
        "central": 81_000_000,
        "high": 81_000_000,
    }
    amounts = {a["kind"]: a for a in inc["x_sanctrace_amounts"]}
    assert amounts["attempted"]["amount_usd"] == 951_000_000
    assert amounts["stolen"]["usd_text"] == "81000000"
    assert amounts["stolen"]["status"] == "reported"
    assert amounts["stolen"]["citation"].endswith("@ Bangladesh Bank")
    assert {
        "source_name": "undocs.org",
        "url": "https://undocs.org/S/2019/691",
        "description": "annex 21",
    } in inc["external_references"]
    assert {
        "field": "incident",
        "document": "https://undocs.org/S/2019/691",
        "locator": "annex 21",
    } in inc["x_sanctrace_citations"]


def test_unknown_and_malformed_amounts_stay_flagged(objects: dict[str, dict[str, Any]]) -> None:
    wannacry = one(objects, type="incident", name="Wannacry")
    assert "x_sanctrace_stolen_usd" not in wannacry  # no figure is made up
    assert wannacry["x_sanctrace_amounts"] == [
        {
            "kind": "stolen",
            "status": "unknown",
            "usd_text": "$Unknown",
            "citation": "https://github.com/tayvano/lazarus-bluenoroff-research @ README, "
            "Breakdown of Incidents",
        }
    ]
    statuses = {
        a["status"]
        for o in objects.values()
        if o["type"] == "incident"
        for a in o["x_sanctrace_amounts"]
    }
    assert statuses == {"reported", "unknown", "malformed"}


def test_victim_and_country(objects: dict[str, dict[str, Any]]) -> None:
    inc = stix_id("incident", "2016-02-04-bangladesh-bank")
    [targets] = rels(objects, "targets", inc)
    victim = objects[targets["target_ref"]]
    assert victim["type"] == "identity"
    assert (victim["name"], victim["identity_class"], victim["sectors"]) == (
        "Bangladesh Bank",
        "organization",
        ["financial-services"],
    )
    [located] = rels(objects, "located-at", victim["id"])
    location = objects[located["target_ref"]]
    assert (location["country"], location["name"]) == ("BD", "Bangladesh")
    unknown = one(objects, type="identity", name="Wannacry")
    assert unknown["identity_class"] == "unknown" and "sectors" not in unknown
    assert rels(objects, "located-at", unknown["id"]) == []


def test_attribution(objects: dict[str, dict[str, Any]]) -> None:
    inc = stix_id("incident", "2016-02-04-bangladesh-bank")
    [att] = rels(objects, "attributed-to", inc)
    assert att["target_ref"] == stix_id("intrusion-set", "lazarus-group")
    assert att["confidence"] == 85  # high, on STIX's Low/Med/High scale
    assert att["x_sanctrace_actor_text"] == "Lazarus Group"
    assert att["created"] == "2016-02-04T00:00:00.000Z"
    assert [r["url"] for r in att["external_references"]] == [
        "https://www.justice.gov/opa/pr/north-korean-regime-backed-programmer-charged-conspiracy-conduct-multiple-cyber-attacks-and",
        "https://www.justice.gov/opa/pr/three-north-korean-military-hackers-indicted-wide-ranging-scheme-commit-cyberattacks-and",
    ]
    confidences = Counter(
        o["confidence"]
        for o in objects.values()
        if o["type"] == "relationship" and o["relationship_type"] == "attributed-to"
    )
    assert set(confidences) <= {15, 50, 85} and sum(confidences.values()) == 91


def test_actors_and_hierarchy(objects: dict[str, dict[str, Any]]) -> None:
    lazarus = objects[stix_id("intrusion-set", "lazarus-group")]
    assert lazarus["name"] == "Lazarus Group"
    assert {"HIDDEN COBRA", "Diamond Sleet", "G0032"} <= set(lazarus["aliases"])
    assert lazarus["aliases"] == sorted(lazarus["aliases"])
    assert lazarus["external_references"] == [
        {
            "source_name": "mitre-attack",
            "external_id": "G0032",
            "url": "https://attack.mitre.org/groups/G0032/",
        }
    ]
    assert lazarus["created"] == "2016-02-04T00:00:00.000Z"  # its first attributed incident
    apt38 = stix_id("intrusion-set", "apt38")
    [sub] = rels(objects, "related-to", apt38)
    assert (sub["target_ref"], sub["description"]) == (lazarus["id"], "sub-group of")
    [up] = rels(objects, "related-to", lazarus["id"])
    assert objects[up["target_ref"]]["name"] == "Reconnaissance General Bureau"
    [origin] = rels(objects, "originates-from", lazarus["id"])
    assert objects[origin["target_ref"]]["country"] == "KP"
    # the RGB has no incident of its own but is as old as its sub-groups' first
    rgb = objects[up["target_ref"]]
    assert rgb["created"] == lazarus["created"]


def test_deterministic(bundle: dict[str, Any], bundled_ws_path: Path, tmp_path: Path) -> None:
    with Workspace.open(bundled_ws_path) as ws:
        again = build_bundle(ws)
        counts = write_export(ws, "stix", tmp_path / "a.json")
        write_export(ws, "stix", tmp_path / "b.json")
    assert dumps(again) == dumps(bundle)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == bundle
    assert counts == dict(sorted(Counter(o["type"] for o in bundle["objects"]).items()))
    inc_id = stix_id("incident", "2016-02-04-bangladesh-bank")
    expected = uuid.uuid5(NAMESPACE, "incident:2016-02-04-bangladesh-bank")
    assert inc_id == f"incident--{expected}"


def test_empty_registry(empty_ws: Workspace) -> None:
    bundle = build_bundle(empty_ws)
    assert bundle["objects"] == []
    stix2.parse(bundle, allow_custom=True, version="2.1")


def test_unknown_format(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'csv' is not an export format; use one of stix, misp"):
        write_export(ws, "csv", tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_unwritable_place(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        write_export(ws, "stix", tmp_path / "missing" / "b.json")
    assert info.value.location == str(tmp_path / "missing" / "b.json")
    assert list(tmp_path.iterdir()) == [tmp_path / "sanctrace.duckdb"]
