"""The ``stix`` adapter: another tool's bundle, our own export, what it refuses and why, and
fuzzing (an ``InputError`` naming the file, or rows that fit plus quarantined objects)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.exports.stix import build_bundle, stix_id
from sanctrace.incidents import get_incident, list_incidents
from sanctrace.sources.base import Parsed
from sanctrace.sources.ingest import ingest
from sanctrace.sources.registry import get_adapter
from sanctrace.sources.stix_bundle import StixBundle
from sanctrace.workspace import Workspace
from tests.sources.factory import assert_fits

FUZZ = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
T0 = "2023-06-03T00:00:00.000Z"


def sdo(stix_type: str, key: str, **props: Any) -> dict[str, Any]:
    """A STIX object as another tool might write it: no sanctrace properties."""
    return {
        "type": stix_type,
        "spec_version": "2.1",
        "id": stix_id(stix_type, f"other-tool:{key}"),
        "created": T0,
        "modified": T0,
        **props,
    }


def rel(rel_type: str, source: dict[str, Any], target: dict[str, Any] | str, **props: Any) -> Any:
    target_id = target if isinstance(target, str) else target["id"]
    return sdo(
        "relationship",
        f"{rel_type}:{source['id']}:{target_id}",
        relationship_type=rel_type,
        source_ref=source["id"],
        target_ref=target_id,
        **props,
    )


def bundle(*objects: Any) -> dict[str, Any]:
    return {"type": "bundle", "id": stix_id("bundle", "test"), "objects": list(objects)}


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def parse(path: Path) -> Parsed:
    return StixBundle().parse(path)


def reasons(parsed: Parsed) -> dict[str, str]:
    return {q.element or "": q.reason for q in parsed.quarantine}


# -- another tool's bundle -------------------------------------------------------------------

ACTOR = sdo(
    "threat-actor",
    "lazarus",
    name="Lazarus Group",
    aliases=["HIDDEN COBRA", "Diamond Sleet"],
    external_references=[
        {"source_name": "mitre-attack", "external_id": "G0032", "url": "https://attack.mitre.org"}
    ],
)
VICTIM = sdo("identity", "atomic", name="Atomic Wallet", identity_class="organization")
ESTONIA = sdo("location", "ee", country="ee")
INCIDENT = sdo(
    "incident",
    "atomic",
    name="Atomic Wallet",
    description="wallet users drained",
    first_seen="2023-06-02T00:00:00Z",
    external_references=[
        {
            "source_name": "FBI",
            "url": "https://www.fbi.gov/news/press-releases/x",
            "description": "para 2",
        }
    ],
)
MALWARE = sdo("malware", "appleseed", name="AppleSeed", is_family=True)
FOREIGN = bundle(
    ACTOR,
    VICTIM,
    ESTONIA,
    INCIDENT,
    MALWARE,
    rel("attributed-to", INCIDENT, ACTOR, confidence=60),
    rel("targets", INCIDENT, VICTIM),
    rel("located-at", VICTIM, ESTONIA),
    rel("uses", ACTOR, MALWARE),
)


def test_registered() -> None:
    adapter = get_adapter("stix")
    assert isinstance(adapter, StixBundle)
    assert adapter.name == "stix" and adapter.version and adapter.description


def test_another_tools_incident_imports_from_standard_fields(tmp_path: Path) -> None:
    parsed = parse(write(tmp_path / "b.json", FOREIGN))
    assert parsed.rows_read == len(FOREIGN["objects"])
    [incident] = parsed.rows["incident"]
    assert incident["incident_id"] == INCIDENT["id"]  # stable across re-imports
    assert incident["victim"] == "Atomic Wallet"
    assert incident["note"] == "wallet users drained"
    assert (incident["date"], incident["date_precision"]) == (date(2023, 6, 2), "day")
    assert incident["country"] == "EE"
    assert (incident["victim_type"], incident["vector"]) == ("unknown", "unknown")
    [amount] = parsed.rows["amount"]
    assert (amount["kind"], amount["status"], amount["amount_usd"]) == ("stolen", "unknown", None)
    [attribution] = parsed.rows["attribution"]
    assert attribution["actor_text"] == "Lazarus Group"
    assert attribution["actor_key"] == "lazarus"
    assert attribution["confidence"] == "medium"  # 60 on STIX's Low/Med/High scale
    assert parsed.rows["citation"] == [
        {
            "incident_id": INCIDENT["id"],
            "field": "incident",
            "document": "https://www.fbi.gov/news/press-releases/x",
            "locator": "para 2",
        }
    ]
    [actor] = parsed.rows["actor"]
    assert (actor["actor_id"], actor["mitre_id"], actor["parent_id"]) == (
        "lazarus-group",
        "G0032",
        None,
    )
    aliases = {(a["alias"], a["rank"]) for a in parsed.rows["actor_alias"]}
    assert aliases == {("HIDDEN COBRA", 5), ("Diamond Sleet", 5), ("Lazarus Group", 6)}
    # what it cannot use is quarantined by STIX id, with the reason
    why = reasons(parsed)
    assert set(why) == {MALWARE["id"], FOREIGN["objects"][-1]["id"]}
    assert "malware objects are not imported" in why[MALWARE["id"]]
    assert why[FOREIGN["objects"][-1]["id"]] == (
        "relationship 'uses' from threat-actor to malware is not imported"
    )
    for table, rows in parsed.rows.items():
        assert_fits(table, rows)


def test_date_falls_back_to_created(tmp_path: Path) -> None:
    incident = {k: v for k, v in INCIDENT.items() if k != "first_seen"}
    parsed = parse(write(tmp_path / "b.json", bundle(incident)))
    assert parsed.rows["incident"][0]["date"] == date(2023, 6, 3)


def test_invalid_objects_are_quarantined_and_the_rest_loads(tmp_path: Path) -> None:
    nameless = sdo("intrusion-set", "nameless")
    bad_id = {**sdo("identity", "x", name="x", identity_class="organization"), "id": "identity--1"}
    wrong_amount = copy.deepcopy(INCIDENT)
    wrong_amount["id"] = stix_id("incident", "wrong")
    wrong_amount["x_sanctrace_amounts"] = [
        {"kind": "stolen", "usd_text": "$5,300,000", "amount_usd": 53}
    ]
    bad_country = sdo("location", "atlantis", country="Atlantis")
    orphan = rel("attributed-to", wrong_amount, ACTOR)
    doc = bundle(
        INCIDENT,
        nameless,
        bad_id,
        wrong_amount,
        orphan,
        {"type": "identity"},
        "not an object",
        bad_country,
        located := rel("located-at", VICTIM, bad_country),
        VICTIM,
        rel("targets", INCIDENT, VICTIM),
        dict(INCIDENT),  # the same id twice
    )
    parsed = parse(write(tmp_path / "b.json", doc))
    assert [i["victim"] for i in parsed.rows["incident"]] == ["Atomic Wallet"]
    assert parsed.rows["incident"][0]["country"] is None
    why = reasons(parsed)
    assert "name" in why[nameless["id"]]
    assert "not valid STIX 2.1" in why[bad_id["id"]]
    assert "disagrees with usd_text" in why[wrong_amount["id"]]
    assert why[orphan["id"]] == f"refers to {wrong_amount['id']}, which was quarantined"
    assert why["objects[5]"] == 'no "id" and "type" strings'
    assert why["objects[6]"] == "not a JSON object"
    assert "Atlantis" in why[bad_country["id"]]
    assert why[located["id"]].startswith(f"its location {bad_country['id']} is quarantined")
    assert why[INCIDENT["id"]] == "a second object with this id"
    assert len(parsed.quarantine) == 9
    assert parsed.rows_read == len(doc["objects"])


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        ('{"type": "bundle",\n "objects": [}', ":2", "not JSON"),
        ("[]", "", "not a STIX bundle"),
        ('{"type": "report"}', "", "not a STIX bundle"),
        ('{"type": "bundle", "objects": {}}', "", '"objects" is not a list'),
        ('{"type": "bundle", "spec_version": "2.0", "objects": []}', "", "STIX 2.0"),
        ("[" * 100_000, "", "JSON"),
    ],
)
def test_files_that_are_no_bundle(tmp_path: Path, content: str, where: str, reason: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse(path)
    assert info.value.location == f"{path}{where}"
    assert reason in info.value.reason


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b'{"type": "bundle", "objects": ["\xff"]}')
    with pytest.raises(InputError, match="not UTF-8"):
        parse(path)


def test_empty_bundle(tmp_path: Path) -> None:
    parsed = parse(write(tmp_path / "b.json", {"type": "bundle", "id": stix_id("bundle", "e")}))
    assert (parsed.rows, parsed.quarantine, parsed.rows_read) == ({}, [], 0)


# -- our own export --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(bundled_ws_path: Path) -> dict[str, Any]:
    with Workspace.open(bundled_ws_path) as ws:
        return build_bundle(ws)


def test_our_export_imports_whole(exported: dict[str, Any], tmp_path: Path) -> None:
    parsed = parse(write(tmp_path / "b.json", exported))
    assert parsed.quarantine == []
    assert len(parsed.rows["incident"]) == 91
    by_id = {i["incident_id"]: i for i in parsed.rows["incident"]}
    bangladesh = by_id["2016-02-04-bangladesh-bank"]
    assert (bangladesh["country"], bangladesh["vector"], bangladesh["asset_class"]) == (
        "BD",
        "swift_fraud",
        "fiat",
    )
    amounts = {
        a["kind"]: a["amount_usd"]
        for a in parsed.rows["amount"]
        if a["incident_id"] == "2016-02-04-bangladesh-bank"
    }
    assert amounts == {"stolen": 81_000_000, "attempted": 951_000_000}
    parents = {a["actor_id"]: a["parent_id"] for a in parsed.rows["actor"]}
    assert parents["apt38"] == "lazarus-group"
    assert parents["lazarus-group"] == "reconnaissance-general-bureau"
    for table, rows in parsed.rows.items():
        assert_fits(table, rows)


def test_reimport_replaces_the_same_incidents(
    exported: dict[str, Any], empty_ws: Workspace, tmp_path: Path
) -> None:
    first = ingest(empty_ws, "stix", write(tmp_path / "v1.json", exported))
    assert first.tables["incident"] == 91
    assert ingest(empty_ws, "stix", tmp_path / "v1.json").unchanged
    newer = copy.deepcopy(exported)
    incident = next(
        o
        for o in newer["objects"]
        if o.get("x_sanctrace_incident_id") == "2016-02-04-bangladesh-bank"
    )
    incident["x_sanctrace_amounts"] = [
        {"kind": "stolen", "usd_text": "$101,000,000", "asset": "USD", "amount_native": "1.5"}
    ]
    # a newer version of the same file (same path, so same URI) supersedes the older rows
    ingest(empty_ws, "stix", write(tmp_path / "v1.json", newer))
    assert len(list_incidents(empty_ws)) == 91
    detail = get_incident(empty_ws, "2016-02-04-bangladesh-bank")
    assert [(a["kind"], a["amount_usd"], a["amount_native"]) for a in detail.amounts] == [
        ("stolen", 101_000_000, "1.5")
    ]
    assert detail.incident.stolen_usd == 101_000_000


def test_unresolved_attributions_survive(exported: dict[str, Any], tmp_path: Path) -> None:
    doc = copy.deepcopy(exported)
    incident = next(o for o in doc["objects"] if o["type"] == "incident")
    incident["x_sanctrace_unresolved_attributions"] = [
        {"actor_text": "Unknown Crew", "confidence": "medium", "citation": "doc @ p. 3"}
    ]
    parsed = parse(write(tmp_path / "b.json", doc))
    rows = [a for a in parsed.rows["attribution"] if a["actor_text"] == "Unknown Crew"]
    assert rows == [
        {
            "incident_id": incident["x_sanctrace_incident_id"],
            "actor_text": "Unknown Crew",
            "actor_key": "unknowncrew",
            "confidence": "medium",
            "citation": "doc @ p. 3",
        }
    ]


def test_exact_native_amounts(tmp_path: Path) -> None:
    incident = {
        **INCIDENT,
        "x_sanctrace_amounts": [
            {"kind": "stolen", "asset": "ETH", "amount_native": "990.123456789012345678"}
        ],
    }
    [amount] = parse(write(tmp_path / "b.json", bundle(incident))).rows["amount"]
    assert amount["amount_native"] == Decimal("990.123456789012345678")
    assert amount["status"] == "unknown"


# -- fuzzing ---------------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2017", "2017-May-12", "$1,620,00", "KP", "stolen", "high", "G0032"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = [
    "id",
    "type",
    "name",
    "created",
    "first_seen",
    "source_ref",
    "target_ref",
    "relationship_type",
    "confidence",
    "country",
    "aliases",
    "description",
    "identity_class",
    "external_references",
    "x_sanctrace_incident_id",
    "x_sanctrace_actor_id",
    "x_sanctrace_date",
    "x_sanctrace_victim_type",
    "x_sanctrace_vector",
    "x_sanctrace_asset_class",
    "x_sanctrace_amounts",
    "x_sanctrace_citations",
    "x_sanctrace_unresolved_attributions",
    "x_sanctrace_actor_text",
    "x_sanctrace_citation",
]


# keys inside x_sanctrace_amounts, x_sanctrace_citations and external_references items
ITEM_KEYS = [
    "kind",
    "status",
    "usd_text",
    "amount_usd",
    "asset",
    "amount_native",
    "citation",
    "field",
    "document",
    "locator",
    "actor_text",
    "confidence",
    "source_name",
    "url",
    "external_id",
]


@pytest.fixture(scope="module")
def small(exported: dict[str, Any]) -> dict[str, Any]:
    """Three incidents of our export with everything they refer to, plus FOREIGN."""
    keep = {o["id"] for o in exported["objects"] if o["type"] == "incident"}
    keep = set(sorted(keep)[:3])
    rels = [o for o in exported["objects"] if o["type"] == "relationship"]
    for _ in range(3):  # incident -> identity -> location, incident -> actor -> parent
        for r in rels:
            if r["source_ref"] in keep:
                keep |= {r["id"], r["target_ref"]}
    objects = [o for o in exported["objects"] if o["id"] in keep]
    return bundle(*objects, *FOREIGN["objects"])


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("stix-fuzz")


def check(path: Path) -> None:
    """The adapter's contract: an InputError that names the file, or every object read is
    either in the rows or quarantined with a reason, and the rows fit their tables."""
    try:
        parsed = parse(path)
    except InputError as exc:
        assert str(path) in exc.location and exc.reason
        return
    for q in parsed.quarantine:
        assert q.reason and q.element
    for table, rows in parsed.rows.items():
        assert_fits(table, rows)
    incident_ids = [i["incident_id"] for i in parsed.rows.get("incident", [])]
    assert len(incident_ids) == len(set(incident_ids))
    for table in ("amount", "attribution", "citation"):
        assert {r["incident_id"] for r in parsed.rows.get(table, [])} <= set(incident_ids)


@FUZZ
@given(data=st.data())
def test_fuzz_mutated_bundles(small: dict[str, Any], fuzz_dir: Path, data: st.DataObject) -> None:
    doc = copy.deepcopy(small)
    objects = doc["objects"]
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(objects) - 1))
        if not isinstance(objects[i], dict):
            continue
        key = data.draw(st.sampled_from(KEYS))
        action = data.draw(st.sampled_from(["set", "delete", "replace object", "nest", "item"]))
        if action == "set":
            objects[i][key] = data.draw(JSON)
        elif action == "delete":
            objects[i].pop(key, None)
        elif action == "replace object":
            objects[i] = data.draw(JSON)
        else:  # break an element inside a list property, or one value of it
            value = objects[i].get(key)
            if isinstance(value, list) and value:
                n = data.draw(st.integers(0, len(value) - 1))
                if action == "nest" or not isinstance(value[n], dict):
                    value[n] = data.draw(JSON)
                else:
                    value[n][data.draw(st.sampled_from(ITEM_KEYS))] = data.draw(JSON)
    check(write(fuzz_dir / "mutated.json", doc))


@FUZZ
@given(content=st.binary(max_size=300) | JSON.map(json.dumps))
def test_fuzz_arbitrary_files(fuzz_dir: Path, content: bytes | str) -> None:
    path = fuzz_dir / "arbitrary.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    check(path)
