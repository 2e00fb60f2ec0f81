from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.screening.entity import QueryEntity, prepare
from sanctrace.screening.matcher import DEFAULT_THRESHOLD, feature_docs, match

from .factory import entity

# UN Consolidated List (2024-09-26) entries, as the lists write them
KIM_YONG_CHOL = entity("Person", "KIM YONG CHOL", birthDate="1962-02-18", nationality="kp")
RI_JE_SON = entity("Person", "RI JE-SON", alias="RI CHE-SON", birthDate="1938")
PAK_TO_CHUN = entity("Person", "PAK TO CHUN", birthDate="1944-03-09", nationality="kp")
CHOE_CHUN_YONG = entity("Person", "CHOE CHUN YONG", nationality="kp")
KIM_JONG_UN = entity("Person", "KIM Jong Un", birthDate="1984-01-08", gender="male")
KOMID = entity("Organization", "KOREA MINING DEVELOPMENT TRADING CORPORATION", alias="KOMID")
CHONG_CHON_GANG = entity("Vessel", "CHONG CHON GANG", imoNumber="7937317", flag="kp")
WALLET = entity("CryptoWallet", publicKey="0x098B716B8Aaf21512996dC57EB0615e2383E2f96")

MATCHES: list[tuple[Any, dict[str, Any]]] = [
    (QueryEntity(["김정은"]), KIM_JONG_UN),
    (QueryEntity(["Kim Jong-un"]), KIM_JONG_UN),
    (QueryEntity(["Gim Jeong-eun"], schema="Person"), KIM_JONG_UN),
    (QueryEntity(["Jong Un Kim"]), KIM_JONG_UN),
    (QueryEntity(["리제선"]), RI_JE_SON),
    (QueryEntity(["Lee Je-seon"], birth_dates=["1938-05-01"]), RI_JE_SON),
    (QueryEntity(["Park Do-chun"]), PAK_TO_CHUN),
    (QueryEntity(["박도춘"]), PAK_TO_CHUN),
    (QueryEntity(["Choi Chun-yeong"]), CHOE_CHUN_YONG),
    (QueryEntity(["최춘영"]), CHOE_CHUN_YONG),
    (QueryEntity(["General Kim Yong-chol"]), KIM_YONG_CHOL),
    (QueryEntity(["Korea Mining Development Trading Corp."]), KOMID),
    (QueryEntity(["KOMID"]), KOMID),
    (QueryEntity.from_text("IMO 7937317"), CHONG_CHON_GANG),
    (QueryEntity.from_text("0x098b716b8aaf21512996dc57eb0615e2383e2f96"), WALLET),
]
NON_MATCHES: list[tuple[Any, dict[str, Any]]] = [
    (QueryEntity(["Kim Jong Il"]), KIM_JONG_UN),
    (QueryEntity(["Pak Jong Un"]), KIM_JONG_UN),
    (QueryEntity(["Kim Yong Chun"]), KIM_YONG_CHOL),
    (QueryEntity(["Angela Merkel"]), KIM_JONG_UN),
    (QueryEntity(["Korea Kwangson Banking Corp"]), KOMID),
    (QueryEntity.from_text("IMO 8132835"), CHONG_CHON_GANG),
    # a name that matches but the birth year and the gender do not
    (QueryEntity(["Kim Jong Un"], birth_dates=["1950"], genders=["female"]), KIM_JONG_UN),
]


@pytest.mark.parametrize(("query", "candidate"), MATCHES)
def test_matches(query: Any, candidate: dict[str, Any]) -> None:
    result = match(query, candidate)
    assert result.score >= DEFAULT_THRESHOLD, result.explanation


@pytest.mark.parametrize(("query", "candidate"), NON_MATCHES)
def test_non_matches(query: Any, candidate: dict[str, Any]) -> None:
    result = match(query, candidate)
    assert result.score < DEFAULT_THRESHOLD, result.explanation


def test_explanation_shape() -> None:
    query = QueryEntity(["Kim Jong Un"], birth_dates=["1950"])
    result = match(query, KIM_JONG_UN).to_dict()
    assert set(result) == {"score", "explanation"}
    explanation = result["explanation"]
    assert explanation["name_similarity"]["weight"] == 1.0
    assert explanation["korean_name_key"]["score"] == 1.0
    assert explanation["birth_date_conflict"]["detail"].startswith("different birth dates")
    assert explanation["birth_date_conflict"]["weight"] < 0
    assert 0.0 <= result["score"] <= 1.0


def test_prepared_entities_give_the_same_result() -> None:
    query = QueryEntity(["Lee Je-seon"])
    assert match(prepare(query.to_entity()), prepare(RI_JE_SON)) == match(query, RI_JE_SON)


def test_feature_docs() -> None:
    docs = feature_docs()
    assert docs["identifier_match"]["role"] == "evidence"
    assert all(d["description"] for d in docs.values())


@pytest.mark.parametrize(
    "bad",
    [QueryEntity([""]), QueryEntity(["\x00\x01"]), QueryEntity(["a" * 10_240]), QueryEntity()],
)
def test_bad_queries_raise_input_error(bad: QueryEntity) -> None:
    with pytest.raises(InputError):
        match(bad, KIM_JONG_UN)


@pytest.mark.parametrize("bad", [None, "KIM", {"properties": "x"}])
def test_bad_entities_raise_input_error(bad: Any) -> None:
    with pytest.raises(InputError):
        match(bad, KIM_JONG_UN)


def test_candidates_with_junk_properties_do_not_raise() -> None:
    junk = {"schema": 7, "properties": {"name": [None, 3, "", "KIM Jong Un"], "imoNumber": "x"}}
    assert match(QueryEntity(["Kim Jong Un"]), junk).score >= DEFAULT_THRESHOLD


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_garbage_queries_raise_only_input_error(text: str) -> None:
    try:
        result = match(QueryEntity.from_text(text), KIM_JONG_UN)
    except InputError:
        return
    assert 0.0 <= result.score <= 1.0
