"""Hugging Face `datasets` reads our output folders with their labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from toys import NoiseImageMaker

from augment.dataset.writer import Run, write_dataset

datasets = pytest.importorskip("datasets")


def test_imagefolder_loads_images_and_labels(tmp_path: Path) -> None:
    tasks = [
        {"label": label, "note": f"n{i}"} for i, label in enumerate(["a", "A", "7", "a/b"] * 3)
    ]
    write_dataset(tmp_path, tasks, NoiseImageMaker(), run=Run({"name": "hf"}, 0))
    loaded = datasets.load_dataset("imagefolder", data_dir=str(tmp_path), split="train")
    assert len(loaded) == len(tasks)
    assert sorted(loaded["label"]) == sorted(t["label"] for t in tasks)
    row = loaded[0]
    assert np.asarray(row["image"]).shape == (16, 16)
    assert row["note"].startswith("n")
