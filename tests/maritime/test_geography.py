"""Land and sea, distance from shore (and its error), ports."""

from __future__ import annotations

import numpy as np
import pytest

from sanctrace.maritime import geography
from sanctrace.maritime.geography import (
    METRES_PER_NM,
    destination,
    distance_from_port_m,
    distance_from_shore_nm,
    haversine_m,
    is_land,
    ports,
)


def test_haversine_and_destination_agree() -> None:
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195, rel=1e-4)
    lat, lon = destination(33.0, 28.0, 57.0, 25_000.0)
    assert haversine_m(33.0, 28.0, lat, lon) == pytest.approx(25_000.0, rel=1e-9)
    assert geography.bearing_deg(33.0, 28.0, lat, lon) == pytest.approx(57.0, abs=1e-6)


def test_land_and_sea() -> None:
    # Pyongyang and Shanghai on land; the Yellow Sea and the mid-Pacific at sea
    assert is_land([39.02, 31.23, 35.0, 0.0], [125.75, 121.47, 124.0, -150.0]).tolist() == [
        True,
        True,
        False,
        False,
    ]


def test_distance_from_shore_on_land_far_out_and_capped() -> None:
    near = distance_from_shore_nm([39.02, 0.0, 33.2], [125.75, -150.0, 28.5])
    assert near[0] == 0.0  # Pyongyang
    assert near[1] == geography.CAP_NM  # further than the cap
    assert 80 < near[2] < 140  # between Egypt and Crete


def _probed_distance_nm(lat: float, lon: float, limit_nm: float = 80.0) -> float:
    """Distance to the nearest land probe on discs around the point, 0.25 nm apart in
    radius and 1 degree in bearing: the slow truth the grid stands in for."""
    bearings = np.arange(0.0, 360.0, 1.0)
    for radius in np.arange(0.25, limit_nm, 0.25):
        la, lo = destination(
            np.full(bearings.size, lat),
            np.full(bearings.size, lon),
            bearings,
            np.full(bearings.size, radius * METRES_PER_NM),
        )
        if is_land(la, lo).any():
            return float(radius)
    return limit_nm


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (31.9, 29.0),  # off the Egyptian coast
        (34.3, 26.5),  # south of Crete
        (38.6, 124.2),  # Korea Bay
        (36.0, 123.0),  # Yellow Sea
        (39.3, 128.8),  # East Sea off Wonsan
        (32.5, 34.2),  # off Tel Aviv
    ],
)
def test_grid_distance_is_within_the_documented_error(lat: float, lon: float) -> None:
    """The module docstring promises about 4 nm; measured here against dense probing."""
    truth = _probed_distance_nm(lat, lon)
    assert truth < 80
    assert float(distance_from_shore_nm(lat, lon)) == pytest.approx(truth, abs=4.5)


def test_ports_are_real_and_near_their_coordinates() -> None:
    p = ports()
    assert len(p.locode) > 3900
    names = dict(zip(p.locode, p.name, strict=True))
    assert names["KPNAM"] == "Nampo"
    assert names["EGPSD"] == "Port Said"
    assert float(distance_from_port_m(31.26, 32.30)[0]) < 5_000  # Port Said
    assert float(distance_from_port_m(33.2, 28.5)[0]) > 150_000  # open sea
