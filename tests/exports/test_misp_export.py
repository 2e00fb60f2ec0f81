"""The MISP event export, checked against what MISP requires of an event it imports (pymisp
is not a dependency, so the rules are written out here), and the same bytes every time."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sanctrace.exports import write_export
from sanctrace.exports.misp import TEMPLATES, build_event
from sanctrace.workspace import Workspace

# MISP's describeTypes.json: the default category of each attribute type used (each type's
# default is always one of its valid categories)
CATEGORY = {
    "text": "Other",
    "link": "External analysis",
    "threat-actor": "Attribution",
    "target-org": "Targeting data",
    "target-location": "Targeting data",
}
# misp-objects templates: the object_relation names (and their attribute types) used
RELATIONS = {
    "incident": {"name": "text", "description": "text"},
    "victim": {
        "name": "target-org",
        "classification": "text",
        "sectors": "text",
        "regions": "target-location",
    },
    "annotation": {"text": "text", "ref": "link", "type": "text", "format": "text"},
}
REQUIRED = {"incident": {"name"}, "victim": set(), "annotation": {"text"}}


@pytest.fixture(scope="module")
def event(bundled_ws_path: Path) -> dict[str, Any]:
    with Workspace.open(bundled_ws_path) as ws:
        doc = build_event(ws)
    assert list(doc) == ["Event"]
    event: dict[str, Any] = doc["Event"]
    return event


def check_attribute(attr: dict[str, Any]) -> None:
    uuid.UUID(attr["uuid"])
    assert attr["type"] in CATEGORY
    assert attr["category"] == CATEGORY[attr["type"]]
    assert isinstance(attr["value"], str) and attr["value"]
    assert attr["to_ids"] is False  # nothing here is an indicator to block on
    assert attr["distribution"] == "5"
    for tag in attr.get("Tag", []):
        assert set(tag) == {"name"}
    if attr["type"] == "link":
        assert re.match(r"^https?://\S+$", attr["value"])


def test_event_is_well_formed(event: dict[str, Any]) -> None:
    uuid.UUID(event["uuid"])
    assert event["info"] == (
        "sanctrace incident registry: 91 incidents, 2016-2025, attributed to 2 actors"
    )
    assert event["date"] == "2025-02-21"
    assert event["timestamp"] == "1740096000"  # 2025-02-21T00:00:00Z, never the clock
    assert event["threat_level_id"] in {"1", "2", "3", "4"}
    assert event["analysis"] in {"0", "1", "2"}
    assert event["distribution"] in {"0", "1", "2", "3", "4", "5"}
    assert event["published"] is False
    uuids = [event["uuid"]]
    for attr in event["Attribute"]:
        check_attribute(attr)
        uuids.append(attr["uuid"])
    # MISP refuses a second event-level attribute with the same type, category and value
    keys = Counter((a["type"], a["category"], a["value"]) for a in event["Attribute"])
    assert max(keys.values()) == 1
    objects = {o["uuid"]: o for o in event["Object"]}
    for obj in event["Object"]:
        template_uuid, version = TEMPLATES[obj["name"]]
        assert (obj["template_uuid"], obj["template_version"]) == (template_uuid, version)
        assert obj["meta-category"] == "misc"
        relations = {a["object_relation"] for a in obj["Attribute"]}
        assert REQUIRED[obj["name"]] <= relations
        for attr in obj["Attribute"]:
            check_attribute(attr)
            assert attr["type"] == RELATIONS[obj["name"]][attr["object_relation"]]
            uuids.append(attr["uuid"])
        for ref in obj.get("ObjectReference", []):
            assert ref["object_uuid"] == obj["uuid"]
            assert ref["referenced_uuid"] in objects
            uuids.append(ref["uuid"])
        uuids.append(obj["uuid"])
    assert len(uuids) == len(set(uuids))


def test_tags(event: dict[str, Any]) -> None:
    assert [t["name"] for t in event["Tag"]] == [
        "tlp:white",
        'misp-galaxy:mitre-intrusion-set="Lazarus Group - G0032"',
        'misp-galaxy:threat-actor="Lazarus Group"',
        'misp-galaxy:threat-actor="TraderTraitor"',  # Bybit 2025; no ATT&CK id
    ]


def test_event_attributes(event: dict[str, Any]) -> None:
    actors = {a["value"]: a for a in event["Attribute"] if a["type"] == "threat-actor"}
    assert list(actors) == ["Lazarus Group", "TraderTraitor"]
    assert actors["Lazarus Group"]["comment"] == "attributed in 90 incidents; MITRE ATT&CK G0032"
    assert actors["TraderTraitor"]["comment"] == "attributed in 1 incident"
    links = {a["value"]: a["comment"] for a in event["Attribute"] if a["type"] == "link"}
    assert links["https://github.com/tayvano/lazarus-bluenoroff-research"].startswith("cited for")
    assert links["https://www.ic3.gov/PSA/2025/PSA250226"] == "cited for 1 incident"
    assert len(links) == len(event["Attribute"]) - 2


def test_one_incident(event: dict[str, Any]) -> None:
    by_uuid = {o["uuid"]: o for o in event["Object"]}
    incidents = [o for o in event["Object"] if o["name"] == "incident"]
    assert len(incidents) == 91
    [bangladesh] = [o for o in incidents if "2016-02-04-bangladesh-bank" in o["comment"]]
    name = bangladesh["Attribute"][0]
    assert (name["object_relation"], name["value"]) == ("name", "Bangladesh Bank")
    assert {t["name"] for t in name["Tag"]} == {
        'misp-galaxy:threat-actor="Lazarus Group"',
        'misp-galaxy:mitre-intrusion-set="Lazarus Group - G0032"',
    }
    assert bangladesh["first_seen"] == "2016-02-04T00:00:00.000000+00:00"
    [targets] = bangladesh["ObjectReference"]
    victim = by_uuid[targets["referenced_uuid"]]
    assert targets["relationship_type"] == "targets"
    assert {a["object_relation"]: a["value"] for a in victim["Attribute"]} == {
        "name": "Bangladesh Bank",
        "classification": "organization",
        "sectors": "financial services",
        "regions": "BD",
    }
    [annotation] = [
        o
        for o in event["Object"]
        if o["name"] == "annotation"
        and o["ObjectReference"][0]["referenced_uuid"] == bangladesh["uuid"]
    ]
    text = next(a["value"] for a in annotation["Attribute"] if a["object_relation"] == "text")
    assert "stolen: 81,000,000 USD (reported; as reported: 81000000" in text
    assert "attempted: 951,000,000 USD" in text
    assert "attributed to Lazarus Group (high confidence" in text
    refs = [a["value"] for a in annotation["Attribute"] if a["object_relation"] == "ref"]
    assert "https://undocs.org/S/2019/691" in refs


def test_deterministic(bundled_ws_path: Path, tmp_path: Path, event: dict[str, Any]) -> None:
    with Workspace.open(bundled_ws_path) as ws:
        counts = write_export(ws, "misp", tmp_path / "a.json")
        write_export(ws, "misp", tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == {"Event": event}
    assert counts == {"event": 1, "attribute": len(event["Attribute"]), "object": 273}


def test_empty_registry(empty_ws: Workspace) -> None:
    event = build_event(empty_ws)["Event"]
    assert (event["Attribute"], event["Object"], event["date"]) == ([], [], "1970-01-01")
    assert event["info"] == "sanctrace incident registry: 0 incidents, attributed to 0 actors"
