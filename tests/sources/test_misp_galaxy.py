"""``attack``: MISP galaxy clusters (MITRE ATT&CK intrusion sets, MISP threat actors) as actors
and ranked aliases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.data import bundled
from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.misp_galaxy import (
    MISP_NAME,
    MISP_SYNONYM,
    MITRE_NAME,
    MITRE_SYNONYM,
    MispGalaxy,
)
from tests.sources.factory import assert_contract, parse_or_error, write
from tests.sources.strategies import FUZZ, galaxy_values


def galaxy(tmp_path: Path, *values: Any) -> Parsed:
    return MispGalaxy().parse(write(tmp_path / "galaxy.json", json.dumps({"values": values})))


def cluster(value: str = "APT38 - G0082", **meta: Any) -> dict[str, Any]:
    return {"value": value, "description": "financially motivated", "meta": meta}


def aliases(parsed: Parsed) -> list[tuple[str, str, int]]:
    return [(a["alias"], a["actor_id"], a["rank"]) for a in parsed.rows["actor_alias"]]


@pytest.mark.parametrize(
    ("file", "clusters", "mitre_ids"),
    [
        (
            "attack/dprk_groups_subset.json",
            6,
            {"G0032", "G1052", "G0082", "G0067", "G0094", "G0138"},
        ),
        ("attack/threat_actors_kp.json", 26, set()),
    ],
)
def test_bundled_galaxies(file: str, clusters: int, mitre_ids: set[str]) -> None:
    parsed = MispGalaxy().parse(bundled(file))
    assert (parsed.rows_read, len(parsed.rows["actor"]), parsed.quarantine) == (
        clusters,
        clusters,
        [],
    )
    assert {a["mitre_id"] for a in parsed.rows["actor"]} - {None} == mitre_ids


def test_mitre_cluster_ranks_above_misp(tmp_path: Path) -> None:
    parsed = galaxy(
        tmp_path,
        cluster(
            "APT38 - G0082", external_id="G0082", synonyms=["APT38", "BlueNoroff", "bluenoroff"]
        ),
        cluster("Lazarus Group", country="KP", synonyms=["APT38", "Hidden Cobra"]),
    )
    assert [
        (a["actor_id"], a["name"], a["mitre_id"], a["country"]) for a in parsed.rows["actor"]
    ] == [
        ("apt38", "APT38", "G0082", None),  # the ' - G0082' suffix is not part of the name
        ("lazarus-group", "Lazarus Group", None, "KP"),
    ]
    # one alias per key and actor; the ATT&CK id is an alias too
    assert aliases(parsed) == [
        ("APT38", "apt38", MITRE_NAME),
        ("BlueNoroff", "apt38", MITRE_SYNONYM),
        ("G0082", "apt38", MITRE_NAME),
        ("Lazarus Group", "lazarus-group", MISP_NAME),
        ("APT38", "lazarus-group", MISP_SYNONYM),
        ("Hidden Cobra", "lazarus-group", MISP_SYNONYM),
    ]
    assert MITRE_NAME < MITRE_SYNONYM < MISP_NAME < MISP_SYNONYM


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("just a string", "cluster has no 'value' name"),
        ({"meta": {}}, "cluster has no 'value' name"),
        ({"value": 7}, "cluster has no 'value' name"),
        ({"value": "---"}, "cluster name '---' has no letters or digits"),
        ({"value": "X", "meta": ["a"]}, "'meta' is not an object"),
        ({"value": "X", "meta": {"synonyms": "Y"}}, "'meta.synonyms' is not a list of names"),
        ({"value": "X", "meta": {"synonyms": ["Y", 3]}}, "'meta.synonyms' is not a list of names"),
    ],
)
def test_bad_cluster_is_quarantined(tmp_path: Path, value: Any, reason: str) -> None:
    parsed = galaxy(tmp_path, cluster(), value)
    assert [a["name"] for a in parsed.rows["actor"]] == ["APT38"]
    [q] = parsed.quarantine
    assert (q.element, q.reason, q.line) == ("values[1]", reason, None)
    assert q.raw == json.dumps(value)


@pytest.mark.parametrize(
    ("content", "location", "reason"),
    [
        ('{"values": [', ":1", "not JSON"),
        ('{\n"values": []\n,}', ":3", "not JSON"),
        ("[]", "", "no 'values' list"),
        ('{"values": {}}', "", "no 'values' list"),
        ("", ":1", "not JSON"),
        ("[" * 100_000 + "]" * 100_000, "", "nested too deeply"),
    ],
)
def test_unreadable_galaxy_is_one_input_error(
    tmp_path: Path, content: str, location: str, reason: str
) -> None:
    path = write(tmp_path / "galaxy.json", content)
    with pytest.raises(InputError, match=reason) as info:
        MispGalaxy().parse(path)
    assert info.value.location == f"{path}{location}"


def test_latin1_galaxy_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "galaxy.json", '{"values": [\n{"value": "Caf\xe9"}]}'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8") as info:
        MispGalaxy().parse(path)
    assert info.value.location == f"{path}:2"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "galaxy.json"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_contract(parse_or_error("attack", scratch), "attack", scratch)


@given(galaxy_values())
@FUZZ
def test_fuzz_clusters(scratch: Path, values: list[Any]) -> None:
    write(scratch, json.dumps({"values": values}))
    parsed = parse_or_error("attack", scratch)
    assert not isinstance(parsed, InputError)
    assert_contract(parsed, "attack", scratch)
    assert parsed.rows_read == len(values)
