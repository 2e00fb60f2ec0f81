"""``opensanctions``: FollowTheMoney JSON lines, checked against FtM's model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.opensanctions import OpenSanctions
from tests.sources.factory import parse_or_error, write
from tests.sources.sanctions import FIXTURES, assert_list_contract, entities
from tests.sources.strategies import FUZZ

EXCERPT = FIXTURES / "opensanctions_excerpt.ftm.json"


def test_excerpt() -> None:
    parsed = OpenSanctions().parse(EXCERPT)
    assert_list_contract(parsed, EXCERPT, linked=False)
    rows = entities(parsed)
    assert list(rows) == ["NK-4Kx9aVjRfGEiL7kCtJ7b3z", "NK-ship", "ofac-17069-sanction"]
    ri = rows["NK-4Kx9aVjRfGEiL7kCtJ7b3z"]
    assert (ri["schema"], ri["caption"]) == ("Person", "RI WON HO")
    assert ri["dataset"] == "un_sc_sanctions;us_ofac_sdn"
    assert ri["properties"]["passportNumber"] == ["381310014"]
    # ``sanctions`` is FtM's reverse of Sanction.entity: not stored on the vessel
    assert "sanctions" not in rows["NK-ship"]["properties"]
    assert [(q.line, q.reason) for q in parsed.quarantine] == [
        (4, "unknown FtM schema 'Spaceship'"),
        (5, "unknown property 'warpFactor' of FtM schema Person"),
    ]
    assert parsed.rows["list_snapshot"][0]["dataset"] == "opensanctions"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1, 2]", "not a JSON object"),
        ("{", "not JSON"),
        ('{"schema": "Person"}', "no 'id'"),
        ('{"id": "a"}', "no 'schema'"),
        ('{"id": "a", "schema": "Thing"}', "FtM schema 'Thing' is abstract"),
        ('{"id": "a", "schema": "Person", "properties": []}', "'properties' is not an object"),
        ('{"id": "a", "schema": "Person", "properties": {"name": "X"}}', "not a list of strings"),
        ('{"id": "a", "schema": "Person", "datasets": "x"}', "'datasets' is not a list"),
    ],
)
def test_bad_lines(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"id": "g", "schema": "Company", "properties": {"name": ["G"]}})
    parsed = OpenSanctions().parse(write(tmp_path / "e.json", f"{good}\n{line}\n"))
    assert [r["entity_id"] for r in parsed.rows["entity"]] == ["g"]
    [q] = parsed.quarantine
    assert q.line == 2 and reason in q.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"garbage\nmore garbage\n", "not FollowTheMoney JSON lines"),
        ('{"id": "é"}'.encode("latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "e.json", content)
    with pytest.raises(InputError, match=reason) as info:
        OpenSanctions().parse(path)
    assert str(path) in info.value.location


_value = st.one_of(st.text(max_size=6), st.integers(), st.none())
_entity = st.fixed_dictionaries(
    {},
    optional={
        "id": _value,
        "schema": st.sampled_from(["Person", "Vessel", "Sanction", "Thing", "Nope", ""]),
        "properties": st.one_of(
            st.dictionaries(
                st.sampled_from(["name", "birthDate", "imoNumber", "entity", "bogus"]),
                st.one_of(st.lists(st.text(max_size=8), max_size=2), _value),
                max_size=3,
            ),
            _value,
        ),
        "datasets": st.one_of(st.lists(st.text(max_size=4), max_size=2), _value),
    },
)


@FUZZ
@given(lines=st.lists(st.one_of(_entity.map(json.dumps), st.text(max_size=10)), max_size=5))
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    path = write(tmp_path_factory.mktemp("fuzz") / "e.json", "\n".join(lines))
    assert_list_contract(parse_or_error("opensanctions", path), path, linked=False)
