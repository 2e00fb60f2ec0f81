from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.screening.korean import (
    fold,
    is_romanised_korean,
    korean_keys,
    romanize,
    split_hangul_name,
    surname_hangul,
)

# UN Consolidated List (2024-09-26) DPRK entries, with the spellings users type
SAME_PERSON = [
    ("KIM Jong Un", ["김정은", "Kim Jong-un", "Kim Jongun", "Gim Jeong-eun", "Kim Chŏng-ŭn",
                     "Jong Un KIM", "kim jong un", "KIM JONG-UN"]),
    ("RI JE-SON", ["리제선", "Ri Je Son", "Lee Je-seon", "Yi Je Son", "Rhee Jeson", "I Je-son"]),
    ("PAK TO CHUN", ["박도춘", "Park Do-chun", "Bak Do Chun", "Pak Tochun"]),
    ("CHOE CHUN YONG", ["최춘영", "Choi Chun-yeong", "Chwe Chun Yong", "Choe Chunyong"]),
    ("RI WON HO", ["리원호", "Lee Won-ho", "Ri Won-ho"]),
    ("RYU JIN", ["류진", "Yu Jin", "Yoo Jin", "Ryu Chin"]),
    ("JANG YONG SON", ["장영선", "Chang Yong-son", "Jang Yeong-seon"]),
    ("JON MYONG GUK", ["전명국", "Jeon Myeong-guk", "Chon Myong Kuk"]),
    ("KANG RYONG", ["Kang Yong", "Gang Ryong"]),
    ("CHO CHUN RYONG", ["조춘룡", "Jo Chun-ryong", "Cho Chun Yong"]),
    ("RA KY'ONG-SU", ["Ra Kyong Su", "Na Gyeong-su"]),
    ("MUN CHO'NG-CH'O'L", ["Mun Chong Chol", "Moon Jeong-cheol", "문정철"]),
    ("KO CHOL MAN", ["고철만", "Koh Cheol-man", "Go Chol Man"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("listed", "variant"), [(listed, v) for listed, variants in SAME_PERSON for v in variants]
)
def test_variants_share_a_key(listed: str, variant: str) -> None:
    assert korean_keys(listed) & korean_keys(variant), (korean_keys(listed), korean_keys(variant))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("KIM SOK JIN", "KIM SOK CHOL"),
        ("PAEK JIN-HO", "PAEK CHANG-HO"),
        ("YU CHA OK", "YU CHOL U"),
        ("Park Joon-hee", "Park Chung-hee"),
        ("이재형", "이재명"),
        ("KIM YONG CHOL", "KIM YONG CHUN"),
        ("RI CHUN HWAN", "RI CHUN SONG"),
        ("Kim Jong Un", "Pak Jong Un"),
    ],
)
def test_different_people_do_not(a: str, b: str) -> None:
    assert korean_keys(a)
    assert not korean_keys(a) & korean_keys(b)


@pytest.mark.parametrize(
    "name", ["Angela Merkel", "Vladimir Putin", "Xi Jinping", "", "Kim", "김", "x" * 300]
)
def test_non_korean_names_have_no_key(name: str) -> None:
    assert korean_keys(name) == frozenset()


@pytest.mark.parametrize(
    ("hangul", "rr", "mr", "nk"),
    [
        ("김정은", "Gim Jeong-eun", "Kim Chŏngŭn", "Kim Jong Un"),
        ("리제선", "Ri Je-seon", "Ri Chesŏn", "Ri Je Son"),
        ("박도춘", "Bak Do-chun", "Pak Toch'un", "Pak To Chun"),
        ("최춘영", "Choe Chun-yeong", "Ch'oe Ch'unyŏng", "Choe Chun Yong"),
    ],
)
def test_romanize(hangul: str, rr: str, mr: str, nk: str) -> None:
    assert romanize(hangul, "rr") == rr
    assert romanize(hangul, "mr") == mr
    assert romanize(hangul, "nk") == nk


def test_romanize_leaves_latin_alone() -> None:
    assert romanize("abc 김 def", "nk") == "abc Kim def"


@pytest.mark.parametrize(
    ("name", "split"),
    [("김정은", ("김", "정은")), ("남궁민수", ("남궁", "민수")), ("김 정은", ("김", "정은"))],
)
def test_split_hangul_name(name: str, split: tuple[str, str]) -> None:
    assert split_hangul_name(name) == split


@pytest.mark.parametrize(
    ("a", "b"),
    [("Jong Un", "Jeong-eun"), ("chŏngŭn", "jongun"), ("Chol", "Cheol"), ("Ryong", "Yong")],
)
def test_fold(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_surnames_and_syllables() -> None:
    assert surname_hangul("Rhee") == {"이"}
    assert surname_hangul("Merkel") == frozenset()
    assert is_romanised_korean("jongun")
    assert not is_romanised_korean("shevchenko")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_keys_never_raise(text: str) -> None:
    assert isinstance(korean_keys(text), frozenset)
