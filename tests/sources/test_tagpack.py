"""``tagpack``: GraphSense TagPacks as ``chain_tag`` rows (fixtures: excerpts of real packs)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sanctrace.errors import InputError
from sanctrace.sources.base import Parsed
from sanctrace.sources.ingest import ingest
from sanctrace.sources.tagpack import TagPack, concepts, confidence_levels, is_a
from sanctrace.workspace import Workspace
from tests.sources.factory import assert_fits, parse_or_error, write
from tests.sources.strategies import FUZZ

TAGS = Path(__file__).parent / "fixtures" / "tags"
# one tag's fields, for bad tags that differ from it in one field
BITSTAMP = "  label: x\n  currency: BTC\n  address: 1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa\n"


def tags(parsed: Parsed) -> dict[str, dict[str, Any]]:
    return {row["address"]: row for row in parsed.rows["chain_tag"]}


def pack(tmp_path: Path, body: str, name: str = "pack.yaml") -> Path:
    """A small TagPack: the header below, then ``body`` (tags, or more header fields)."""
    return write(tmp_path / name, "title: Test pack\ncreator: tests\n" + body)


def assert_tagpack_contract(parsed: Parsed | InputError, path: Path) -> None:
    """An ``InputError`` naming the file, or every tag read either lands (fitting the table)
    or is quarantined with a reason and its place in the YAML."""
    if isinstance(parsed, InputError):
        assert str(path) in str(parsed) and parsed.reason
        return
    rows = parsed.rows.get("chain_tag", [])
    assert parsed.rows_read == len(rows) + len(parsed.quarantine)
    for q in parsed.quarantine:
        assert q.reason and q.element and q.element.startswith("tags[")
    assert_fits("chain_tag", rows)


def test_pack_level_values_are_inherited() -> None:
    """lazarus.yaml gives label, category, abuse, confidence, source and actor once, in its
    header; each tag gives only its address and currency."""
    parsed = TagPack().parse(TAGS / "lazarus_excerpt.yaml")
    assert parsed.quarantine == []
    row = tags(parsed)["134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak"]
    assert row == {
        "chain": "btc",
        "address": "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak",
        "label": "Lazarus group",
        "category": "user",
        "abuse": "sanction",
        "confidence": "authority_data",
        "confidence_level": 60,
        "is_cluster_definer": False,
        "actor": "lazarusgroup",
        "tag_source": "https://www.treasury.gov/resource-center/sanctions/OFAC-Enforcement/Pages/20200302.aspx",
        "tagpack": "OFAC Tagpack",
    }


def test_a_tag_overrides_the_pack() -> None:
    """ronin_bridge.yaml: the pack says ETH, service_hack, cluster definer; each tag its label."""
    rows = tags(TagPack().parse(TAGS / "ronin_bridge.yaml"))
    assert rows["0x29fc9b71492ec63696cf9cd56e9832a42b0dced0"]["label"] == "Ronin bridge exploiter 4"
    assert {r["label"] for r in rows.values()} == {
        "Ronin bridge exploiter",
        *(f"Ronin bridge exploiter {n}" for n in range(4, 9)),
    }
    assert {
        (r["chain"], r["abuse"], r["category"], r["is_cluster_definer"]) for r in rows.values()
    } == {("eth", "service_hack", None, True)}


def test_per_tag_category_and_abuse() -> None:
    """hacks.yaml: the pack gives currency and confidence; tags give category or abuse."""
    rows = tags(TagPack().parse(TAGS / "hacks_excerpt.yaml"))
    bitstamp = rows["1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa"]
    assert (bitstamp["category"], bitstamp["abuse"], bitstamp["actor"]) == (
        "exchange",
        None,
        "bitstamp",
    )
    hack = rows["1EnJHhq8Jq8vDuZA5ahVh6H4t6jh1mB4rq"]
    assert (hack["label"], hack["category"], hack["abuse"]) == (
        "Nicehash hack",
        None,
        "service_hack",
    )
    assert {(r["confidence"], r["confidence_level"]) for r in rows.values()} == {("web_crawl", 20)}


def test_confidence_levels_and_concepts_are_graphsense_s() -> None:
    levels = confidence_levels()
    assert levels["ownership"] == 100 and levels["authority_data"] == 60
    assert levels["service_data"] == 50 and levels["web_crawl"] == 20
    assert list(levels.values()) == sorted(levels.values(), reverse=True)
    assert is_a("defi_bridge", "service") and is_a("mixing_service", "service")
    assert is_a("sanction", "abuse") and not is_a("sanction", "service")
    assert not is_a("user", "service") and not is_a("nonsense", "service")
    assert {"exchange", "mixing_service", "defi_bridge", "sanction", "service_hack"} <= set(
        concepts()
    )


def test_a_pack_without_confidence_keeps_none() -> None:
    """The INTERPOL OFAC pack gives no confidence: the tags keep none, nothing is invented."""
    parsed = TagPack().parse(TAGS / "ofac_excerpt.yaml")
    assert {(r["confidence"], r["confidence_level"]) for r in parsed.rows["chain_tag"]} == {
        (None, None)
    }


def test_evm_addresses_fold_to_lower_case() -> None:
    rows = tags(TagPack().parse(TAGS / "lazarus_excerpt.yaml"))
    assert rows["0x098b716b8aaf21512996dc57eb0615e2383e2f96"]["chain"] == "eth"
    # a token ticker with a 0x address is an EVM account too
    usdt = tags(TagPack().parse(TAGS / "ofac_excerpt.yaml"))
    assert usdt["0xfac583c0cf07ea434052c49115a4682172ab6b4f"]["chain"] == "usdt"


def test_bitcoin_addresses_keep_their_case() -> None:
    rows = tags(TagPack().parse(TAGS / "hacks_excerpt.yaml"))
    assert "1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa" in rows


def test_malformed_address_is_quarantined_with_its_place() -> None:
    """ofac.yaml files a TRON address under BTC: its base58 version byte is not bitcoin's."""
    parsed = TagPack().parse(TAGS / "ofac_excerpt.yaml")
    [q] = parsed.quarantine
    assert (q.line, q.element) == (15, "tags[3]")
    assert "'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq' is not a mainnet bitcoin address" in q.reason
    assert q.raw and "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq" in q.raw
    assert len(parsed.rows["chain_tag"]) == 4


def test_same_tag_twice_is_quarantined() -> None:
    """tornado_cash.yaml lists one address again with a trailing space."""
    parsed = TagPack().parse(TAGS / "tornado_cash_excerpt.yaml")
    assert len(parsed.rows["chain_tag"]) == 2
    [q] = parsed.quarantine
    assert q.element == "tags[2]" and "tagged 'tornado.cash' twice" in q.reason


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        (
            "  label: x\n  currency: BTC\n  tx_hash: ab12\n",
            "a transaction tag (tx_hash, no address)",
        ),
        ("  label: x\n  currency: BTC\n", "the tag has no address"),
        ("  label: x\n  address: 1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa\n", "no currency or network"),
        ("  currency: BTC\n  address: 1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa\n", "no label"),
        (
            "  label: x\n  currency: ETH\n  address: 0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n",
            "read as a number: quote it",
        ),
        ("  label: x\n  currency: ETH\n  address: '0x098B716B'\n", "is not an EVM address"),
        (
            "  label: x\n  currency: BTC\n"
            "  address: bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecx\n",
            "bad bech32 checksum",
        ),
        (
            BITSTAMP + "  category: exchagne\n",
            "unknown category 'exchagne'",
        ),
        (
            BITSTAMP + "  abuse: theft\n",
            "unknown abuse 'theft'",
        ),
        (
            BITSTAMP + "  confidence: sure\n",
            "unknown confidence 'sure'",
        ),
        (
            BITSTAMP + "  is_cluster_definer: maybe\n",
            "is_cluster_definer must be true or false",
        ),
        (
            BITSTAMP + "  categroy: exchange\n",
            "unknown tag field(s) 'categroy'",
        ),
        (
            "  label: [a, b]\n  currency: BTC\n  address: 1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa\n",
            "label must be text, not a list",
        ),
    ],
)
def test_bad_tags_are_quarantined(tmp_path: Path, tag: str, reason: str) -> None:
    good = "- label: good\n  currency: BTC\n  address: 3A1KUd5H4hBEHk4bZB4C3hGgvuXuVX7p7t\n"
    path = pack(tmp_path, "tags:\n" + good + "-" + tag[1:])
    parsed = TagPack().parse(path)
    assert len(parsed.rows["chain_tag"]) == 1
    [q] = parsed.quarantine
    assert reason in q.reason
    assert (q.line, q.element) == (7, "tags[1]")


def test_category_case_is_folded_and_taproot_accepted(tmp_path: Path) -> None:
    path = pack(
        tmp_path,
        "currency: BTC\nlabel: x\ntags:\n"
        "- address: bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297\n"
        "  category: Exchange\n",
    )
    [row] = TagPack().parse(path).rows["chain_tag"]
    assert row["category"] == "exchange"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "the file is empty"),
        ("just text", "not a TagPack: the document is a string"),
        ("- a\n- b\n", "not a TagPack: the document is a list"),
        ("title: x\ncreator: y\n", "no 'tags' list"),
        ("title: x\ncreator: y\ntags: {}\n", "'tags' is a mapping, not a list"),
        ("title: x\ncreator: y\ntags: []\n", "the TagPack has no tags"),
        ("creator: y\ntags:\n- address: a\n", "the header has no 'title'"),
        (
            "title: x\ncreator: y\nauthor: z\ntags:\n- address: a\n",
            "unknown TagPack field(s) 'author'",
        ),
        ("title: x\ncreator: y\naddress: a\ntags:\n- label: a\n", "belong(s) in a tag"),
        ("title: x\ncreator: y\ntags:\n- address: [\n", "not valid YAML"),
        ("title: x\n---\ntitle: y\n", "not valid YAML"),
        ("title: !!python/object:os.system x\ncreator: y\ntags: [1]\n", "not valid YAML"),
        ("title: x\ncreator: y\nlastmod: 2022-13-45\ntags: [1]\n", "unreadable YAML value"),
        ("[" * 5000 + "]" * 5000, "the document is a list"),  # deep nesting is harmless
    ],
)
def test_not_a_tagpack(tmp_path: Path, body: str, reason: str) -> None:
    path = write(tmp_path / "x.yaml", body)
    with pytest.raises(InputError, match=reason.replace("(", r"\(").replace(")", r"\)")) as info:
        TagPack().parse(path)
    assert str(path) in info.value.location


def test_an_actorpack_is_named() -> None:
    with pytest.raises(InputError, match=r"this is an ActorPack"):
        TagPack().parse(TAGS / "actorpack_excerpt.yaml")


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    path = pack(tmp_path, "tags:\n- address: 'unclosed\n  label: x\n")
    with pytest.raises(InputError) as info:
        TagPack().parse(path)
    assert info.value.location.startswith(f"{path}:")


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """The 'billion laughs': nine levels of ten aliases each would be 10**9 nodes."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    path = write(
        tmp_path / "bomb.yaml",
        "title: x\ncreator: y\ncontext:\n"
        + "".join(f"  {line}\n" for line in levels)
        + "tags:\n- address: 1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa\n  currency: BTC\n  label: x\n"
        + "  context: *a9\n",
    )
    started = time.perf_counter()
    with pytest.raises(InputError, match="aliases expand the document too far"):
        TagPack().parse(path)
    assert time.perf_counter() - started < 2


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = pack(tmp_path, "context: &a [*a]\ntags:\n- address: x\n")
    with pytest.raises(InputError, match="aliases expand"):
        TagPack().parse(path)


def test_modest_aliases_are_harmless(tmp_path: Path) -> None:
    """An anchor reused by a few tags is ordinary YAML and reads as if written out."""
    path = pack(
        tmp_path,
        "tags:\n"
        "- &t {address: 1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa, currency: BTC, label: x}\n"
        "- {<<: *t, address: 3A1KUd5H4hBEHk4bZB4C3hGgvuXuVX7p7t}\n",
    )
    parsed = TagPack().parse(path)
    assert sorted(tags(parsed)) == [
        "1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa",
        "3A1KUd5H4hBEHk4bZB4C3hGgvuXuVX7p7t",
    ]


def test_ingest_and_reingest(empty_ws: Workspace, tmp_path: Path) -> None:
    first = ingest(empty_ws, "tagpack", TAGS / "ofac_excerpt.yaml", uri="test:ofac.yaml")
    assert (first.tables["chain_tag"], first.rows_quarantined) == (4, 1)
    again = ingest(empty_ws, "tagpack", TAGS / "ofac_excerpt.yaml", uri="test:ofac.yaml")
    assert again.unchanged
    with empty_ws.writing() as w:
        assert w.query("SELECT count(*) FROM chain_tag") == [(4,)]
        assert w.query("SELECT count(*) FROM quarantine") == [(1,)]
    # a newer version of the same pack (same URI) replaces the earlier tags
    newer = tmp_path / "ofac.yaml"
    text = (TAGS / "ofac_excerpt.yaml").read_text().split("tags:\n")[0] + (
        "tags:\n- address: 3K35dyL85fR9ht7UgzPfd1gLRRXQtNTqE3\n  currency: BTC\n"
    )
    newer.write_text(text)
    ingest(empty_ws, "tagpack", newer, uri="test:ofac.yaml")
    with empty_ws.writing() as w:
        assert w.query("SELECT address FROM chain_tag") == [("3K35dyL85fR9ht7UgzPfd1gLRRXQtNTqE3",)]


def test_bundled_workspace_has_the_tags(bundled_ws_path: Path) -> None:
    with Workspace.open(bundled_ws_path) as ws, ws.writing() as w:
        packs = dict(w.query("SELECT tagpack, count(*) FROM chain_tag GROUP BY 1"))
        assert packs["Ronin bridge hack"] == 6 and packs["Tornado.cash"] == 38
        assert sum(packs.values()) > 1_400
        [(label, category, abuse)] = w.query(
            "SELECT label, category, abuse FROM chain_tag WHERE chain = 'eth' AND "
            "address = '0x098b716b8aaf21512996dc57eb0615e2383e2f96' AND tagpack = 'OFAC Tagpack'"
        )
        assert (label, category, abuse) == ("Lazarus group", "user", "sanction")
        mixers = w.query("SELECT count(*) FROM chain_tag WHERE category = 'mixing_service'")
        assert mixers == [(85,)]  # Tornado.cash 38, Blender.io 45, sinbad.io 2


def test_every_bundled_pack_reads(tmp_path: Path) -> None:
    from sanctrace.data import DEFAULTS, bundled

    for kind, rel in DEFAULTS:
        if kind == "tagpack":
            parsed = TagPack().parse(bundled(rel))
            assert_tagpack_contract(parsed, bundled(rel))
            assert len(parsed.quarantine) <= 8, rel  # kucoin's truncated addresses


_VALUES = st.one_of(
    st.sampled_from(
        [
            "1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa",
            "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
            "bc1qq7p0es3dv5hcynjjf40f2xjjr6qp5py47d2f6n847vduuq9gvnyq7y9ecd",
            "BTC",
            "ETH",
            "exchange",
            "service_hack",
            "authority_data",
            "",
            "2022-13-45",
        ]
    ),
    st.text(max_size=10),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
_FIELDS = st.sampled_from(
    [
        "address",
        "currency",
        "network",
        "label",
        "category",
        "abuse",
        "confidence",
        "is_cluster_definer",
        "source",
        "actor",
        "tx_hash",
        "context",
        "bogus",
    ]
)


@st.composite
def tagpack_documents(draw: st.DrawFn) -> bytes:
    """TagPack-shaped YAML with drawn fields, sometimes cut short or with noise appended."""
    header: dict[str, Any] = {"title": draw(st.sampled_from(["T", "", None])), "creator": "c"}
    header.update(draw(st.dictionaries(_FIELDS, _VALUES, max_size=3)))
    header["tags"] = draw(st.lists(st.dictionaries(_FIELDS, _VALUES, max_size=5), max_size=4))
    text = yaml.safe_dump(header, sort_keys=False)
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    if draw(st.integers(0, 4)) == 0:
        text += draw(st.sampled_from(["&a [*a]", "- *x", "\t:", "{", "!!binary zz", "? [a]\n: b"]))
    return text.encode()


@FUZZ
@given(body=st.one_of(tagpack_documents(), st.binary(max_size=200)))
def test_fuzz(tmp_path_factory: pytest.TempPathFactory, body: bytes) -> None:
    path = write(tmp_path_factory.mktemp("fuzz") / "pack.yaml", body)
    assert_tagpack_contract(parse_or_error("tagpack", path), path)
