from __future__ import annotations

from typing import Any

import pytest

from sanctrace.screening import features as ft
from sanctrace.screening.entity import prepare
from sanctrace.screening.matcher import FEATURES
from sanctrace.screening.names import name_tokens
from sanctrace.screening.similarity import align, token_similarity

from .factory import entity


def run(func: Any, query: dict[str, Any], candidate: dict[str, Any]) -> ft.FeatureResult:
    result: ft.FeatureResult = func(prepare(query), prepare(candidate))
    return result


def test_every_feature_has_a_docstring() -> None:
    for feature in FEATURES:
        assert len(feature.doc) > 40, feature.name


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("kim", "kim", 1.0, 1.0),
        ("basharr", "bashar", 0.9, 1.0),  # doubled letter
        ("donlad", "donald", 0.8, 1.0),  # transposition is one edit
        ("mohammed", "muhammad", 0.8, 0.9),  # vowels only
        ("ortiz", "ortega", 0.0, 0.59),
        ("j", "jean", 0.8, 0.8),  # an initial
        ("44", "4", 0.0, 0.0),
    ],
)
def test_token_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= token_similarity(a, b) <= high


def test_korean_syllables_are_not_typos() -> None:
    assert token_similarity("jin", "chol", korean_mode=True) == 0.0
    assert token_similarity("jin", "chin", korean_mode=True) > 0.9  # one syllable
    assert token_similarity("jomg", "jong", korean_mode=True) > 0.6  # a typo


@pytest.mark.parametrize(
    ("a", "b", "kind", "at_least", "below"),
    [
        ("Putin, Vladimir", "Vladimir Putin", "person", 0.95, 1.01),
        ("AlisherUsmanov", "Alisher Usmanov", "person", 0.9, 1.01),
        ("Kim Jongun", "Kim Jong Un", "person", 0.9, 1.01),
        ("U.S. Department of State", "United States Department of State", "org", 0.8, 1.01),
        ("Boris Johnson", "Alexandre Boris de Pfeffel Johnson", "person", 0.7, 1.01),
        ("Sergey Ivanov", "Sergey Viktorovich LAVROV", "person", 0.0, 0.5),
        ("KIM SOK JIN", "KIM SOK CHOL", "person", 0.0, 0.7),
        ("China National Pipeline Corporation", "China National Petroleum Corporation",
         "org", 0.0, 0.7),
    ],
)  # fmt: skip
def test_align(a: str, b: str, kind: str, at_least: float, below: float) -> None:
    score = align(name_tokens(a, kind), name_tokens(b, kind)).score
    assert at_least <= score < below


def test_name_similarity_explains_the_pairing() -> None:
    result = run(
        ft.name_similarity,
        entity("Person", "Sergey Ivanov"),
        entity("Person", "Sergey Viktorovich LAVROV"),
    )
    assert "sergey=sergey" in result.detail
    assert "query only: ivanov" in result.detail
    assert "candidate only: viktorovich lavrov" in result.detail


def test_name_similarity_same_script() -> None:
    # 종 and 정 are both "Jong" in the lists' romanisation: Hangul is compared as written
    result = run(ft.name_similarity, entity("Person", "김종은"), entity("Person", "김정은"))
    assert result.score < 0.7


def test_weak_alias_counts_less() -> None:
    strong = run(ft.name_similarity, entity("Person", "Kim Il"), entity("Person", "Kim Il"))
    weak = run(ft.name_similarity, entity("Person", "Kim Il"), entity("Person", weakAlias="Kim Il"))
    assert weak.score < strong.score and "weak alias" in weak.detail


def test_korean_name_key() -> None:
    result = run(ft.korean_name_key, entity("Person", "김정은"), entity("Person", "KIM Jong Un"))
    assert result.score == 1.0 and "김:" in result.detail
    assert (
        run(ft.korean_name_key, entity("Person", "Kim Il"), entity("Person", "Kim Jong Un"))
        == ft.NONE
    )


def test_identifier_match() -> None:
    result = run(
        ft.identifier_match,
        entity("Vessel", imoNumber="IMO 7937317"),
        entity("Vessel", "CHONG CHON GANG", imoNumber="7937317"),
    )
    assert result == ft.FeatureResult(1.0, "same imo: 7937317")


def test_vessel_number_conflict() -> None:
    result = run(
        ft.vessel_number_conflict,
        entity("Vessel", "CHONG CHON GANG", imoNumber="7937317"),
        entity("Vessel", "CHONG CHON GANG", imoNumber="8132835"),
    )
    assert result.score == 1.0 and "different IMO" in result.detail


@pytest.mark.parametrize(
    ("query", "candidate", "score"),
    [
        ("1984-01-08", "1984-01-08", 0.0),
        ("1984", "1984-01-08", 0.0),
        ("1984-01-09", "1984-01-08", 0.5),
        ("1983", "1984-01-08", 1.0),
    ],
)
def test_birth_date_conflict(query: str, candidate: str, score: float) -> None:
    result = run(
        ft.birth_date_conflict,
        entity("Person", "X", birthDate=query),
        entity("Person", "X", birthDate=candidate),
    )
    assert result.score == score


def test_qualifier_conflicts_say_why() -> None:
    q = entity("Person", "Kim Il", nationality="kp", gender="male")
    c = entity("Person", "Kim Il", nationality="cn", gender="female")
    assert run(ft.country_conflict, q, c).detail == "different countries: kp vs cn"
    assert run(ft.gender_conflict, q, c).detail == "different gender: male vs female"
    assert run(ft.schema_conflict, q, entity("Vessel", "Kim Il")).score == 1.0
    assert run(ft.schema_conflict, q, entity("LegalEntity", "Kim Il")) == ft.NONE
