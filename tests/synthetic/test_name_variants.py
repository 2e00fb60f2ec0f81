"""The seeded DPRK query generator: same seed same queries, every kind valid, negatives
that no listed name could be a spelling of."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from sanctrace.screening import korean
from sanctrace.screening.screen import check_text
from sanctrace.synthetic import name_variants as nv
from sanctrace.synthetic.parties import listed_parties
from sanctrace.workspace import Workspace

# Real entries of the bundled lists (UN Consolidated List 2024 DPRK entries, OFAC SDN list and
# OFAC crypto addresses; see src/sanctrace/data/SOURCES.md): ids, names and identifiers as
# ``listed_parties`` gives them for the bundled workspace.
PARTIES = [
    nv.Party("ofac-20157", "Person", ("KIM Jong Un",)),
    nv.Party(
        "unsc-KPi.079", "Person", ("PAK MUN IL", "Pak Mun-il"), (("passportNumber", "563335509"),)
    ),
    nv.Party("ofac-23001", "Person", ("CH'OE So'k-min",)),
    nv.Party("unsc-KPi.012", "Person", ("MUN CHO'NG-CH'O'L", "Mun Chong-Chol")),
    nv.Party(
        "unsc-KPe.002",
        "Organization",
        (
            "KOREA RYONBONG GENERAL CORPORATION",
            "KOREA YONBONG GENERAL CORPORATION",
            "LYONGAKSAN GENERAL TRADING CORPORATION",
        ),
    ),
    nv.Party("ofac-17069", "Vessel", ("CHONG CHON GANG",), (("imoNumber", "IMO7937317"),)),
    nv.Party(
        "ofac-wallet-eth-0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
        "CryptoWallet",
        (),
        (("publicKey", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"),),
    ),
    nv.Party(
        "ofac-wallet-trx-TFdTr9C3BqQrzKBXqSxJfAZFTh8UwBAfSg",
        "CryptoWallet",
        (),
        (("publicKey", "TFdTr9C3BqQrzKBXqSxJfAZFTh8UwBAfSg"),),
    ),
]
ETH, TRX = PARTIES[6].entity_id, PARTIES[7].entity_id


def texts(queries: list[nv.Query], kind: str, expected: str | None = None) -> set[str]:
    return {
        q.text for q in queries if q.kind == kind and (expected is None or q.expected == expected)
    }


def one_edit(a: str, b: str) -> bool:
    """Whether b is a with one deletion, insertion, substitution or transposition."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


@pytest.fixture(scope="module")
def bundled_parties(bundled_ws_path: Path) -> list[nv.Party]:
    with Workspace.open(bundled_ws_path) as ws:
        return listed_parties(ws)


@pytest.fixture(scope="module")
def bundled(bundled_parties: list[nv.Party]) -> nv.Generated:
    return nv.generate(bundled_parties, seed=20261124, negative_count=600)


def test_same_seed_same_queries_other_seed_other_choices() -> None:
    first = nv.generate(PARTIES, seed=7, negative_count=50)
    assert nv.generate(PARTIES, seed=7, negative_count=50) == first
    assert nv.generate(list(reversed(PARTIES)), seed=7, negative_count=50) == first
    assert nv.generate(PARTIES, seed=8, negative_count=50).queries != first.queries


def test_exact_names_and_person_orders() -> None:
    queries = nv.generate(PARTIES, seed=1, negative_count=0).queries
    assert texts(queries, "exact", "ofac-20157") == {"KIM Jong Un"}
    assert {"Jong Un KIM", "KIM, Jong Un"} <= texts(queries, "order", "ofac-20157")
    assert texts(queries, "glue", "ofac-20157") <= {
        "KIM Jong-un",
        "KIM Jongun",
        "Kim Jong Un",
        "Kim Jongun",
    }
    assert texts(queries, "glue", "ofac-20157")


def test_surname_spellings_come_from_the_korean_table() -> None:
    queries = nv.generate(PARTIES, seed=1, negative_count=0).queries
    for text in texts(queries, "surname", "unsc-KPi.079"):
        family, _, rest = text.partition(" ")
        assert family.lower() in korean.SURNAMES["박"] and family.lower() != "pak"
        assert rest.lower().replace("-", " ") == "mun il"


def test_romanization_reads_the_same_korean_name() -> None:
    queries = nv.generate(PARTIES, seed=1, negative_count=0).queries
    variants = [q for q in queries if q.kind == "romanization"]
    assert variants
    for q in variants:
        assert q.text != q.source
        assert korean.korean_keys(q.text) & korean.korean_keys(q.source) or q.schema != "Person"


def test_hangul_only_where_every_syllable_reads_one_way() -> None:
    generated = nv.generate(PARTIES, seed=1, negative_count=0)
    hangul = {q.source: q.text for q in generated.queries if q.kind == "hangul"}
    assert hangul["MUN CHO'NG-CH'O'L"] == "문정철"
    assert hangul["CH'OE So'k-min"] == "최석민"
    assert "KIM Jong Un" not in hangul  # Jong is 정 or 종, Un 은 or 운
    assert generated.skipped["hangul"] >= 2
    for source, text in hangul.items():
        assert korean.korean_keys(text) & korean.korean_keys(source)


def test_typos_are_one_edit_and_keep_the_surname_initial() -> None:
    parties = [nv.Party("p", "Person", ("PYONGYANG KWANGMYONG",)), *PARTIES]
    for seed in range(30):
        for q in nv.generate(parties, seed=seed, negative_count=0).queries:
            if q.kind != "typo":
                continue
            changed = [
                (a, b) for a, b in zip(q.source.split(), q.text.split(), strict=True) if a != b
            ]
            assert len(changed) == 1
            before, after = changed[0]
            assert len(before) >= 5 and one_edit(before.lower(), after.lower())
            if q.schema == "Person":
                assert q.text[0] == q.source[0]


def test_identifiers_in_the_formats_people_paste() -> None:
    queries = nv.generate(PARTIES, seed=1, negative_count=0).queries
    assert texts(queries, "imo") == {"IMO7937317", "IMO 7937317", "7937317", "imo7937317"}
    assert texts(queries, "crypto", ETH) == {
        "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
        "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
        "0x098B716B8AAF21512996DC57EB0615E2383E2F96",
    }
    # base58 is case-sensitive: only as listed
    assert texts(queries, "crypto", TRX) == {"TFdTr9C3BqQrzKBXqSxJfAZFTh8UwBAfSg"}
    documents = [q for q in queries if q.kind == "document"]
    assert {q.text for q in documents} >= {"563335509", "563 335 509", "563-335-509"}
    assert {q.field for q in documents} == {"passportNumber"}


def test_legal_forms_and_dropped_tokens_of_organisations() -> None:
    parties = [nv.Party("o", "Organization", ("KOREA TANGUN TRADING CORPORATION",))]
    legal, dropped = set(), set()
    for seed in range(20):
        queries = nv.generate(parties, seed=seed, negative_count=0).queries
        legal |= texts(queries, "legal_form")
        dropped |= texts(queries, "drop")
    assert legal == {"KOREA TANGUN TRADING CORP", "KOREA TANGUN TRADING CO."}
    assert dropped <= {
        "TANGUN TRADING CORPORATION",
        "KOREA TANGUN CORPORATION",
        "KOREA TANGUN TRADING",
    }
    assert dropped


def test_every_kind_yields_valid_queries_for_existing_parties(
    bundled: nv.Generated, bundled_parties: list[nv.Party]
) -> None:
    ids = {p.entity_id for p in bundled_parties}
    kinds = Counter(q.kind for q in bundled.queries)
    assert set(kinds) == {*nv.POSITIVE_KINDS, *nv.NEGATIVE_KINDS}
    for q in bundled.queries:
        assert check_text(q.text) == q.text
        assert (q.expected is None) == q.kind.startswith("negative_")
        assert q.expected is None or q.expected in ids
        assert q.schema in (None, "Person", "Organization", "Vessel", "CryptoWallet")
    # every name and alias is asked for as listed
    listed = {(p.entity_id, n) for p in bundled_parties for n in p.names}
    assert {(q.expected, q.text) for q in bundled.queries if q.kind == "exact"} == listed


def test_negatives_never_collide_with_listed_names(
    bundled: nv.Generated, bundled_parties: list[nv.Party]
) -> None:
    listed = nv.listed_forms(bundled_parties)
    plain = {re.sub(r"\W+", " ", n).strip().lower() for p in bundled_parties for n in p.names}
    negatives = [q for q in bundled.queries if q.expected is None]
    assert len(negatives) >= 500
    for q in negatives:
        assert not nv.collides(q.text, listed)
        assert re.sub(r"\W+", " ", q.text).strip().lower() not in plain


def test_near_misses_keep_the_surname_and_all_but_one_syllable(bundled: nv.Generated) -> None:
    near = [q for q in bundled.queries if q.kind == "negative_near"]
    assert near
    for q in near:
        source, text = q.source.split(), q.text.split()
        assert source[0] == text[0] and len(source) == len(text)
        assert sum(a.lower() != b.lower() for a, b in zip(source, text, strict=True)) == 1


def test_syllable_tables_read_back_what_romanize_writes() -> None:
    rng = random.Random(3)
    for syllable in rng.sample("김정은철민석일광룡봉", 5):
        for system in ("mr", "nk"):
            latin = korean.romanize(syllable, system).lower()  # type: ignore[arg-type]
            assert syllable in nv.syllable_table(system)[latin]  # type: ignore[arg-type]


def test_a_respelling_of_a_listed_name_is_no_negative() -> None:
    listed = nv.listed_forms([nv.Party("unsc-KPi.076", "Person", ("RI PYONG CHOL",))])
    assert nv.collides("Lee Pyeong-cheol", listed)  # same Korean key
    assert nv.collides("RI PYONG CHUL", listed)  # the lists' other spelling of 철
    assert nv.collides("Pyong Chol", listed)  # part of the listed name
    assert not nv.collides("RI PYONG SOK", listed)
    assert nv.consonants("Chol") == nv.consonants("Chul") == nv.consonants("Cheol")
    assert nv.consonants("Chol") != nv.consonants("Jin")
