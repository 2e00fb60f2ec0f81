"""The synthetic AIS generator: seeded, planted at sea, truth beside the output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sanctrace.maritime.geography import distance_from_shore_nm, is_land
from sanctrace.synthetic.ais import (
    CSV_COLUMNS,
    Config,
    Generated,
    background,
    generate,
    main,
    write,
)


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(
        Config(seed=11, copies=2, encounters=2, loitering=2, gaps=2, identity=5, near_misses=1)
    )


def test_same_seed_same_data(generated: Generated) -> None:
    again = generate(
        Config(seed=11, copies=2, encounters=2, loitering=2, gaps=2, identity=5, near_misses=1)
    )
    pd.testing.assert_frame_equal(again.positions, generated.positions)
    assert again.truth == generated.truth
    other = generate(
        Config(seed=12, copies=1, encounters=2, loitering=2, gaps=2, identity=5, near_misses=1)
    )
    assert other.truth["events"][0] != generated.truth["events"][0]


def test_background_is_the_real_traffic_copied_with_new_mmsis(generated: Generated) -> None:
    real = background()
    assert len(real) == 22_287 and real["id"].nunique() == 256
    mmsi = generated.positions["mmsi"].astype(str)
    copies = mmsi[mmsi.str.startswith("2")]
    assert len(copies) == 2 * len(real)
    assert copies.str.len().eq(9).all()
    assert generated.truth["background_positions"] == 2 * len(real)


def test_planted_positions_are_at_sea(generated: Generated) -> None:
    planted = generated.positions[~generated.positions["mmsi"].astype(str).str.startswith("2")]
    assert len(planted) > 5_000
    assert not is_land(planted["lat"].to_numpy(), planted["lon"].to_numpy()).any()


def test_the_truth_plants_every_kind_and_its_near_misses(generated: Generated) -> None:
    kinds = {e["kind"] for e in generated.truth["events"]}
    assert {"encounter", "loitering", "gap", "draught", "jump"} <= kinds
    assert {k for k in kinds if k.startswith("near-miss:")} == {
        f"near-miss:{k}"
        for k in (
            "encounter-too-short",
            "encounter-too-far",
            "encounter-too-fast",
            "loitering-too-short",
            "loitering-too-fast",
            "loitering-near-shore",
            "gap-too-short",
            "gap-near-shore",
            "gap-low-score",
        )
    }
    assert {k for k in kinds if k.startswith("identity:")} == {
        "identity:two_places",
        "identity:name_change",
        "identity:call_sign_change",
        "identity:imo_change",
        "identity:imo_check_digit",
    }
    for event in generated.truth["events"]:
        if event["kind"] == "loitering":
            assert float(distance_from_shore_nm(event["lat"], event["lon"])) >= 35


def test_draught_reports_change_only_after_the_event(generated: Generated) -> None:
    laden = [e for e in generated.truth["events"] if e["kind"] == "draught" and e["event"] == "gap"]
    assert laden
    event = laden[0]
    rows = generated.static[generated.static["mmsi"] == event["vessels"][0]]
    before = rows[rows["ts"] <= pd.Timestamp(event["start"])]["draught"].unique()
    after = rows[rows["ts"] > pd.Timestamp(event["end"])]["draught"].unique()
    assert before.tolist() == [event["draught_before"]]
    assert after.tolist() == [event["draught_after"]]


def test_write_gives_an_ais_csv_and_the_truth(generated: Generated, tmp_path: Path) -> None:
    write(generated, tmp_path)
    text = (tmp_path / "positions.csv").read_text(encoding="utf-8").splitlines()
    assert text[0] == ",".join(CSV_COLUMNS)
    assert len(text) == len(generated.positions) + 1
    frame = pd.read_csv(tmp_path / "positions.csv", dtype={"mmsi": str, "imo": str})
    with_identity = frame[frame["name"].notna()]
    assert len(with_identity) == len(generated.static)
    assert np.all(frame["timestamp"].str.endswith("Z"))
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert truth == json.loads(json.dumps(generated.truth))


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seed", "2", "--out", str(tmp_path)]) == 0
    assert "planted events" in capsys.readouterr().out
    assert (tmp_path / "positions.csv").exists() and (tmp_path / "truth.json").exists()
