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


def test_data_centric_loop_runs_on_crops_made_here(tmp_path: Path) -> None:
    """The loop end to end at tiny size, on 'real' crops drawn here with PIL's own font."""
    import csv
    import json

    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    real = tmp_path / "real"
    (real / "images").mkdir(parents=True)
    font = ImageFont.load_default(size=22)
    rng = np.random.default_rng(0)
    rows = []
    for k in range(24):
        label = "17x"[k % 3]
        image = Image.new("L", (28, 30), int(rng.integers(150, 255)))
        ImageDraw.Draw(image).text((7, 2), label, fill=int(rng.integers(0, 90)), font=font)
        image.save(real / "images" / f"{k}.png")
        rows.append({"file_name": f"images/{k}.png", "label": label})
    with open(real / "labels.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file_name", "label"])
        writer.writeheader()
        writer.writerows(rows)

    spec = importlib.util.spec_from_file_location("loop", EXAMPLES / "data_centric_loop.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    work = tmp_path / "work"
    scores = example.main(real, work, per_class=4, epochs=1)
    assert set(scores) == {"uniform_dev", "uniform_test", "focused_dev", "focused_test"}
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert (work / "report" / "focus.yaml").exists()
    focused = (work / "focused" / "manifest.jsonl").read_text().splitlines()
    assert len(focused) == 12  # the same count as the uniform crops: 3 classes x 4
    assert all("focus_reason" in json.loads(line) for line in focused)
