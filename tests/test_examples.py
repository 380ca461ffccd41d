"""The examples run against the current API (small sizes, so the suite stays fast)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("torch")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_training_loop_example_runs_with_dataloader_workers() -> None:
    spec = importlib.util.spec_from_file_location("training_loop", EXAMPLES / "training_loop.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    accuracy = example.main(epochs=1, per_class=8, workers=2)
    assert 0.0 <= accuracy <= 1.0
