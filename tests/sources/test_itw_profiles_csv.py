"""``itw-profiles``: contractor profiles, with photos hashed (pHash) from files beside the CSV
and never from anywhere else."""

from __future__ import annotations

from pathlib import Path

import imagehash
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from sanctrace.sources.base import Parsed
from sanctrace.sources.itw_profiles_csv import ItwProfilesCsv
from sanctrace.synthetic.itworker_photos import picture_image
from tests.sources.factory import csv_text, parse_or_error, write
from tests.sources.itw_contract import assert_itw_contract
from tests.sources.itw_strategies import itw_documents
from tests.sources.strategies import FUZZ

HEADER = ["worker_id", "name", "email", "nationality", "photo", "photo_hash", "accounts"]


def parse_rows(folder: Path, *rows: list[str]) -> Parsed:
    return ItwProfilesCsv().parse(write(folder / "profiles.csv", csv_text(HEADER, rows)))


def test_rows_become_profiles(tmp_path: Path) -> None:
    picture_image(1, 0, 0).save(tmp_path / "face.png")
    parsed = parse_rows(
        tmp_path,
        ["W1", "Kim Jin", "Kim.Jin@Example.com", "Japan", "face.png", "", "acct-2; acct-1"],
        ["W2", "Ana Silva", "", "BR", "", "0123456789ABCDEF", ""],
    )
    assert parsed.quarantine == []
    first, second = parsed.rows["itw_profile"]
    expected = str(imagehash.phash(Image.open(tmp_path / "face.png")))
    assert (first["email"], first["nationality"], first["photo_hash"]) == (
        "kim.jin@example.com",
        "JP",
        expected,
    )
    assert first["accounts"] == "acct-1;acct-2" and first["line"] == 2
    assert (second["photo_hash"], second["accounts"]) == ("0123456789abcdef", None)


def test_a_resized_copy_of_a_photo_hashes_close(tmp_path: Path) -> None:
    picture_image(1, 0, 0).save(tmp_path / "a.png")
    picture_image(1, 0, 2).save(tmp_path / "b.jpg", quality=70)
    picture_image(1, 1, 0).save(tmp_path / "c.png")
    parsed = parse_rows(
        tmp_path,
        ["W1", "A", "", "", "a.png", "", ""],
        ["W2", "B", "", "", "b.jpg", "", ""],
        ["W3", "C", "", "", "c.png", "", ""],
    )
    a, b, c = (int(r["photo_hash"], 16) for r in parsed.rows["itw_profile"])
    assert (a ^ b).bit_count() <= 8 < (a ^ c).bit_count()


@pytest.mark.parametrize(
    ("photo", "reason"),
    [
        ("../outside.png", "outside the CSV's folder"),
        ("/etc/hostname", "outside the CSV's folder"),
        ("missing.png", "no such file"),
        ("notes.txt", "not a readable image"),
        ("link.png", "outside the CSV's folder"),
        ("loop.png", "cannot be read"),
        ("x" * 300 + ".png", "cannot be read"),
        ("a\x00.png", "not a usable path"),
    ],
)
def test_photos_are_read_only_inside_the_folder(tmp_path: Path, photo: str, reason: str) -> None:
    folder = tmp_path / "hr"
    folder.mkdir()
    picture_image(1, 0, 0).save(tmp_path / "outside.png")
    (folder / "notes.txt").write_text("not an image")
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "loop.png").symlink_to(folder / "loop.png")
    parsed = parse_rows(folder, ["W1", "A", "", "", photo, "", ""])
    [q] = parsed.quarantine
    assert reason in q.reason and q.line == 2, q.reason


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["", "A", "", "", "", "", ""], "worker_id is empty"),
        (["W1", "", "", "", "", "", ""], "name is empty"),
        (["W1", "A", "not-an-email", "", "", "", ""], "is not an email address"),
        (["W1", "A", "", "Atlantis", "", "", ""], "not an ISO 3166 code"),
        (["W1", "A", "", "", "", "xyz", ""], "is not 16 hex digits"),
        (["W1", "A" * 2001, "", "", "", "", ""], "at most 2,000"),
    ],
)
def test_bad_row_is_quarantined(tmp_path: Path, cells: list[str], reason: str) -> None:
    parsed = parse_rows(tmp_path, ["W0", "Fine", "", "", "", "", ""], cells)
    assert [r["worker_id"] for r in parsed.rows["itw_profile"]] == ["W0"]
    [q] = parsed.quarantine
    assert reason in q.reason and q.line == 3, q.reason


def test_a_photo_hash_that_disagrees_with_the_file_is_refused(tmp_path: Path) -> None:
    picture_image(1, 0, 0).save(tmp_path / "face.png")
    parsed = parse_rows(tmp_path, ["W1", "A", "", "", "face.png", "0000000000000000", ""])
    [q] = parsed.quarantine
    assert "disagrees" in q.reason


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "profiles.csv"


@given(st.binary(max_size=600))
@FUZZ
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-profiles", scratch), "itw-profiles", scratch)


@given(itw_documents("itw-profiles"))
@FUZZ
def test_fuzz_csv(scratch: Path, data: bytes) -> None:
    write(scratch, data)
    assert_itw_contract(parse_or_error("itw-profiles", scratch), "itw-profiles", scratch)
