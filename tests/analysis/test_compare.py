"""`augment compare`: ~0.5 for two halves of one set, ~1.0 for obviously different sets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import typer
from PIL import Image
from typer.testing import CliRunner

from augment.analysis.compare import CompareOptions, compare_folders
from augment.analysis.domain_auc import auc, domain_auc
from augment.analysis.image_features import IMAGE_STATISTICS, crop_statistics
from augment.cli.compare import compare_command


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(compare_command)
    return app


def glyph_crop(rng: np.random.Generator, noise: float) -> np.ndarray:
    """A dark bar of random size and place on a light ground, with pixel noise."""
    image = np.full((32, 32), rng.uniform(0.6, 0.9))
    top, left = rng.integers(4, 10, size=2)
    image[top : top + rng.integers(12, 20), left : left + rng.integers(4, 14)] = rng.uniform(
        0.1, 0.3
    )
    return np.clip(image + rng.normal(0, noise, image.shape), 0, 1)


def image_folder(path: Path, count: int, noise: float, seed: int, labels: str = "ab") -> Path:
    rng = np.random.default_rng(seed)
    lines = ["file_name,label"]
    path.mkdir()
    for k in range(count):
        Image.fromarray((glyph_crop(rng, noise) * 255).astype(np.uint8)).save(path / f"{k}.png")
        lines.append(f"{k}.png,{labels[k % len(labels)]}")
    (path / "labels.csv").write_text("\n".join(lines) + "\n")
    return path


def test_auc_counts_pairs_and_ties() -> None:
    y = np.array([1, 1, 0, 0])
    assert auc(np.array([0.9, 0.8, 0.1, 0.2]), y) == 1.0
    assert auc(np.array([0.1, 0.2, 0.9, 0.8]), y) == 0.0
    assert auc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5


def test_domain_auc_on_gaussians() -> None:
    rng = np.random.default_rng(0)
    same = rng.normal(size=(600, 10))
    assert abs(domain_auc(same[:300], same[300:]) - 0.5) < 0.08
    assert domain_auc(same[:300], same[300:] + 3) > 0.99
    assert domain_auc(same[:300], same[300:], seed=1) == domain_auc(same[:300], same[300:], 1)


def test_ink_statistics_do_not_depend_on_polarity() -> None:
    crop = glyph_crop(np.random.default_rng(0), 0.0)
    dark, light = (crop_statistics(np.repeat(c[:, :, None], 3, axis=2)) for c in (crop, 1 - crop))
    for name in ("ink_fraction", "glyph_height", "glyph_width", "glyph_x", "glyph_y"):
        k = IMAGE_STATISTICS.index(name)
        assert dark[k] == pytest.approx(light[k])
    assert dark[IMAGE_STATISTICS.index("ink_fraction")] < 0.5


def test_images_two_halves_near_half_and_different_sets_near_one(tmp_path: Path) -> None:
    first = image_folder(tmp_path / "a", 200, 0.02, seed=0)
    second = image_folder(tmp_path / "b", 200, 0.02, seed=1)
    noisy = image_folder(tmp_path / "c", 200, 0.25, seed=2)
    same, _, _ = compare_folders(first, second)
    different, _, _ = compare_folders(noisy, second)
    assert abs(same.auc - 0.5) < 0.12
    assert different.auc > 0.98
    assert different.statistics[0].name == "noise"
    assert {c.label for c in different.classes} == {"a", "b"}


def noise_folder(path: Path, files: int, colour: str, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    path.mkdir()
    for k in range(files):
        x = rng.normal(0, 0.05, 16_000 * 3)
        if colour == "brown":
            x = np.cumsum(x) * 0.02
            x -= np.convolve(x, np.ones(401) / 401, mode="same")
        sf.write(path / f"{k}.wav", x.astype(np.float32), 16_000)
    return path


def test_audio_two_halves_near_half_and_different_sets_near_one(tmp_path: Path) -> None:
    white_a = noise_folder(tmp_path / "a", 12, "white", seed=0)
    white_b = noise_folder(tmp_path / "b", 12, "white", seed=1)
    brown = noise_folder(tmp_path / "c", 12, "brown", seed=2)
    options = CompareOptions(segment_seconds=0.5)
    same, _, _ = compare_folders(white_a, white_b, options)
    different, _, _ = compare_folders(brown, white_b, options)
    assert same.kind == "audio" and same.generated == 72  # 12 files, 6 segments each
    assert abs(same.auc - 0.5) < 0.15
    assert different.auc > 0.98


def test_cli_prints_auc_writes_the_picture_and_is_deterministic(tmp_path: Path) -> None:
    generated = image_folder(tmp_path / "g", 40, 0.2, seed=0)
    real = image_folder(tmp_path / "r", 40, 0.02, seed=1)
    outputs = []
    for name in ("o1", "o2"):
        result = CliRunner().invoke(_app(), [str(generated), str(real), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("auc=")
        outputs.append((tmp_path / name / "compare.json").read_bytes())
        with Image.open(tmp_path / name / "compare.png") as picture:
            assert picture.width > 200
    assert outputs[0] == outputs[1]


def test_cli_bad_folder_is_one_line(tmp_path: Path) -> None:
    real = image_folder(tmp_path / "r", 10, 0.02, seed=1)
    result = CliRunner().invoke(_app(), [str(tmp_path / "missing"), str(real)])
    assert result.exit_code == 1
    assert "no such folder" in result.output and result.output.count("\n") == 1
