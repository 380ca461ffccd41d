"""The examples run against the current API (small sizes, so the suite stays fast)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("torch")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_training_loop_example_runs_with_dataloader_workers() -> None:
    accuracy = load_example("training_loop").main(epochs=1, per_class=8, workers=2)
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

    work = tmp_path / "work"
    scores = load_example("data_centric_loop").main(real, work, per_class=4, epochs=1)
    assert set(scores) == {"uniform_dev", "uniform_test", "focused_dev", "focused_test"}
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert (work / "report" / "focus.yaml").exists()
    focused = (work / "focused" / "manifest.jsonl").read_text().splitlines()
    assert len(focused) == 12  # the same count as the uniform crops: 3 classes x 4
    assert all("focus_reason" in json.loads(line) for line in focused)


def run_example(name: str, argv: list[str]) -> Any:
    """Run examples/NAME.py's main(argv) in this process (its DataLoader workers still fork)."""
    return load_example(name).main(argv)


def test_image_classifier_example_trains_on_synth_crops_and_writes_predictions(
    tmp_path: Path,
) -> None:
    """Crops from SynthCharDataset (what `synth ocr` writes) in class folders; the
    predictions CSV is the table `augment errors` reads."""
    import csv

    from synth import SynthCharDataset

    for name, seed in (("train", 0), ("test", 1)):
        crops = SynthCharDataset("017", per_class=6, seed=seed)
        for k in range(len(crops)):
            sample = crops.sample(k)
            folder = tmp_path / name / str(sample.label)
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(sample.image).save(folder / f"{k}.png")
    argv = [str(tmp_path / "train"), "--test", str(tmp_path / "test"), "--epochs", "1"]
    argv += ["--predictions", str(tmp_path / "preds.csv"), "--out", str(tmp_path / "m.pt")]
    accuracy = run_example("train_image_classifier", argv)
    with open(tmp_path / "preds.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 18 and {row["label"] for row in rows} == set("017")
    assert all((tmp_path / "test" / row["file_name"]).is_file() for row in rows)
    right = sum(row["label"] == row["prediction"] for row in rows) / len(rows)
    assert accuracy == pytest.approx(right)
    assert (tmp_path / "m.pt").is_file()


def test_detector_example_trains_and_reports_iou(tmp_path: Path) -> None:
    example = load_example("train_detector")
    data = tmp_path / "shapes"
    scores = example.main([str(data), "--make", "40", "--epochs", "1", "--workers", "2"])
    assert set(scores) == {"accuracy", "mean_iou", "iou_at_0.5"}
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    rows = csv_rows(data / "boxes.csv")
    assert len(rows) == 40 and {row["label"] for row in rows} <= set(example.SHAPES)


def test_detector_example_boxes_frame_the_augmented_shape(tmp_path: Path) -> None:
    """The box the example's dataset returns after `pipeline(image=..., bboxes=...)` is the
    bounding box of the moved square's pixels (a square's box stays tight under rotation),
    within 1.5 pixels, over 12 augmented copies."""
    example = load_example("train_detector")
    image = np.full((64, 64, 3), 50, np.uint8)
    image[22:42, 22:42] = 230  # a 20 x 20 square at x = y = 22
    Image.fromarray(image).save(tmp_path / "square.png")
    row = {"file_name": "square.png", "label": "square", "x": "22", "y": "22"}
    row |= {"width": "20", "height": "20"}
    moved = example.Boxes([row] * 12, tmp_path, example.build_pipeline(example.BOX_AUGMENTATION))
    for k in range(12):
        pixels, _, box = moved[k]
        grey = pixels.mean(0).numpy()
        rows, cols = np.nonzero(grey > (grey.max() + grey.min()) / 2)
        seen = [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]
        cx, cy, w, h = (box * 64).tolist()
        assert [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2] == pytest.approx(seen, abs=1.5)


def load_example(name: str) -> Any:
    """examples/NAME.py as a module, registered in sys.modules (dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    sys.modules[name] = example
    spec.loader.exec_module(example)
    return example


def csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_speech_example_trains_on_fsdd_named_clips_with_bundled_noise(tmp_path: Path) -> None:
    """Clips named like the Free Spoken Digit Dataset: takes 0-4 are the test split."""
    import soundfile

    rng = np.random.default_rng(0)
    rate = 8000
    time = np.arange(int(0.5 * rate)) / rate
    for label, pitch in (("0", 300.0), ("1", 900.0)):
        for speaker in ("amy", "bob"):
            for take in range(7):
                tone = np.sin(2 * np.pi * pitch * (1 + 0.02 * take) * time) * 0.3
                wave = tone + rng.normal(0, 0.01, time.size)
                soundfile.write(tmp_path / f"{label}_{speaker}_{take}.wav", wave, rate)
    argv = [str(tmp_path), "--epochs", "1", "--workers", "2", "--test-snr", "10"]
    scores = run_example("train_speech_classifier", argv)
    assert set(scores) == {"clean", "noisy"}
    assert all(0.0 <= value <= 1.0 for value in scores.values())
