"""Extraction against the hand labels (the benchmark's floor, checked here on the fixtures)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_extraction_recall_on_hand_labels() -> None:
    spec = importlib.util.spec_from_file_location(
        "phishing_quality", ROOT / "benchmarks" / "phishing_quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.extraction()
    for kind in ("urls", "domains", "sha256"):
        assert figures[kind]["recall"] >= 0.99, figures[kind]["missed"]
    assert figures["urls"]["labelled"] >= 20
    assert figures["verdicts"]["agree"] == figures["verdicts"]["labelled"]
