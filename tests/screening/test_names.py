from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.screening.names import (
    MAX_QUERY_CHARS,
    check_query,
    name_tokens,
    normalize,
    skeleton,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  KIM   Jong\tUn ", "kim jong un"),
        ("François Hollande", "francois hollande"),
        ("Margarita Simonyán", "margarita simonyan"),
        ("Владимир Путин", "владимир путин"),  # script kept
        ("김정은", "김정은"),  # Hangul is not decomposed
        ("ＫＩＭ", "kim"),  # full-width
        ("Kim\u200bJong\x00Un", "kim jong un"),  # zero-width and control characters
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kim jong-un", ["kim", "jong", "un"]),
        ("o'neil, mary", ["oneil", "mary"]),
        ("a.b.c. company", ["abc", "company"]),
        ("ra ky'ong-su", ["ra", "kyong", "su"]),  # UN list: apostrophe for a breve
        ("kim tong my’ong", ["kim", "tong", "myong"]),
        ("al-qa'ida/islamic army", ["al", "qaida", "islamic", "army"]),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    ("name", "kind", "tokens", "generic"),
    [
        ("Dalian Haibo Freight Co. Ltd.", "org", ["dalian", "haibo", "freight", "llc"], [3]),
        ("KOREA MINING DEVELOPMENT TRADING CORPORATION", "org",
         ["korea", "mining", "development", "corp"], [3]),
        ("Tosco GRP", "org", ["tosco", "grp"], [1]),
        ("ABC Comp", "org", ["abc", "co"], [1]),
        ("Green Pine Associated JSC", "org", ["green", "pine", "associated", "jsc"], [3]),
        ("Korea Kwangson Banking Corp", "org", ["korea", "kwangson", "banking", "corp"], [3]),
        ("Joint Stock Company Rosneft", "org", ["jsc", "rosneft"], [0]),
        ("General Kim Yong Chol", "person", ["general", "kim", "yong", "chol"], [0]),
        ("Dr. Rami Makhlouf", "person", ["dr", "rami", "makhlouf"], [0]),
        ("1st International Bank", "org", ["1", "intl", "bank"], [1]),
        ("Brigade Fourty-four", "org", ["brigade", "44"], []),
        ("The Group", "org", ["the", "grp"], []),  # all generic: still a name
        ("Ig0r Sech1n", "person", ["igor", "sechin"], []),
    ],
)  # fmt: skip
def test_name_tokens(name: str, kind: str, tokens: list[str], generic: list[int]) -> None:
    result = name_tokens(name, kind)
    assert list(result.tokens) == tokens
    assert [i for i, g in enumerate(result.generic) if g] == generic


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("김정은", ["kim", "jong", "un"]),  # Hangul -> North Korean style, as the lists write
        ("리제선", ["ri", "je", "son"]),
        ("박도춘", ["pak", "to", "chun"]),
        ("최춘영", ["choe", "chun", "yong"]),
        ("Шевченко", ["shevchenko"]),  # Cyrillic through rigour
        ("Ким Чен Ын", ["kim", "chen", "yn"]),
        ("习近平", ["xi", "jin", "ping"]),  # Chinese characters -> pinyin
    ],
)
def test_transliteration(name: str, tokens: list[str]) -> None:
    assert list(name_tokens(name, "person").tokens) == tokens


def test_script_tokens_kept_for_same_script_comparison() -> None:
    assert name_tokens("김정은", "person").script == ("김", "정", "은")
    assert name_tokens("Kim Jong Un", "person").script == ()


@pytest.mark.parametrize(
    ("a", "b"),
    [("nooristani", "nuristani"), ("sergey", "sergei"), ("hassan", "hasan"), ("barack", "barak")],
)
def test_skeleton_meets(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("ortiz", "ortega"), ("chen", "hen"), ("44", "4")])
def test_skeleton_keeps_apart(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize(
    "query", ["", "   ", "\x00\x01\x02", "\u200b\u200b", "!!!", "x" * (MAX_QUERY_CHARS + 1)]
)
def test_check_query_refuses_garbage(query: str) -> None:
    with pytest.raises(InputError, match="query"):
        check_query(query)


def test_check_query_refuses_non_text() -> None:
    with pytest.raises(InputError):
        check_query(b"kim")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_name_tokens_never_raise(text: str) -> None:
    result = name_tokens(text, "any")
    assert len(result.tokens) == len(result.generic)


@settings(max_examples=10, deadline=None)
@given(st.text(min_size=1, max_size=200).map(lambda s: (s * 10_240)[:10_240]))
def test_long_names_are_cut_not_raised(text: str) -> None:
    name_tokens(text, "person")
    with pytest.raises(InputError):
        check_query(text)
