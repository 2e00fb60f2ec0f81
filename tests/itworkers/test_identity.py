"""Profile rules: inconsistent profiles (ITW-07), reused templates (ITW-08) and photos
(ITW-09), laptops shipped to an address several workers share (ITW-12)."""

from __future__ import annotations

from sanctrace.itworkers import identity
from sanctrace.itworkers.rules import parameters
from tests.itworkers.factory import profile, records

P = parameters()


def test_profiles_that_disagree_and_ones_that_only_differ_in_spelling() -> None:
    data = records(
        profile("W1", name="John Smith", nationality="US", education="BSc CS, MIT"),
        profile("W1", name="Jin Song Pak", nationality="JP", education="BSc CS, MIT"),
        profile("W2", name="José Álvarez", location="Madrid, Spain"),
        profile("W2", name="Jose ALVAREZ", location="Madrid Spain"),
    )
    [f] = identity.inconsistent_profiles(data, P["ITW-07"])
    assert f.subject == "W1"
    assert f.detail.startswith("2 profiles disagree on name, nationality (name: Jin Song Pak")


def test_photos_of_different_faces_on_one_worker() -> None:
    data = records(profile("W1", photo_hash="0" * 16), profile("W1", photo_hash="f" * 16))
    [f] = identity.inconsistent_profiles(data, P["ITW-07"])
    assert "photos of different faces" in f.detail


def test_a_template_two_workers_share() -> None:
    data = records(
        profile("W1", document_hash="ab" * 32),
        profile("W2", document_hash="ab" * 32),
        profile("W3", document_hash="cd" * 32),
    )
    fired = identity.reused_templates(data, P["ITW-08"])
    assert sorted(f.subject for f in fired) == ["W1", "W2"]


def test_photos_within_the_distance_group_transitively() -> None:
    data = records(
        profile("W1", photo_hash="ffffffffffffff00"),
        profile("W2", photo_hash="ffffffffffffff0f"),  # 4 bits from W1
        profile("W3", photo_hash="ffffffffffff0f0f"),  # 4 bits from W2, 8 from W1
        profile("W4", photo_hash="0000000000000000"),
    )
    fired = identity.reused_photos(data, P["ITW-09"])
    assert sorted(f.subject for f in fired) == ["W1", "W2", "W3"]
    assert identity.hamming("ff", "0f") == 4


def test_three_workers_at_one_address_but_not_a_couple() -> None:
    farm = [
        profile("W1", shipping_address="12 Oak Street, Apt 3, Austin TX"),
        profile("W2", shipping_address="12 oak st. apt 3, austin, tx"),
        profile("W3", shipping_address="12 OAK ST APT 3 AUSTIN TX"),
    ]
    couple = [
        profile("W8", shipping_address="5 Elm Road"),
        profile("W9", shipping_address="5 Elm Rd"),
    ]
    fired = identity.shared_addresses(records(*farm, *couple), P["ITW-12"])
    assert sorted(f.subject for f in fired) == ["W1", "W2", "W3"]
    assert "equipment for 3 workers ships to one address" in fired[0].detail
