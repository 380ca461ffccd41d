"""compare.png: real and generated samples side by side, with the statistics that differ
most. Audio samples are drawn as spectrograms (0-8 kHz, 80 dB range)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from augment.analysis.audio_features import read_segments
from augment.analysis.compare import Comparison
from augment.analysis.feature_sets import FeatureSet
from augment.core.errors import InputError
from augment.preview import contact_sheet

SHOWN = 12
AUDIO_CELL = (160, 96)
LINES = 8


def _pictures(feature_set: FeatureSet, count: int, seed: int) -> list[np.ndarray]:
    files = list(dict.fromkeys(feature_set.files))
    picked = np.random.default_rng(seed).permutation(len(files))[:count]
    pictures = []
    for k in sorted(picked.tolist()):
        try:
            pictures.append(_picture(feature_set.kind, files[k]))
        except (InputError, OSError):
            continue
    return pictures


def _picture(kind: str, path: Path) -> np.ndarray:
    if kind == "image":
        with Image.open(path) as opened:
            return np.asarray(opened.convert("RGB"))
    picture = Image.fromarray(spectrogram(read_segments(path, 1.0, most=1)[0]))
    return np.asarray(picture.resize(AUDIO_CELL, Image.Resampling.BILINEAR))  # time fills it


def spectrogram(x: np.ndarray, fft: int = 256) -> np.ndarray:
    """A dB spectrogram as uint8, low frequencies at the bottom."""
    starts = range(0, max(1, x.size - fft + 1), fft // 2)
    frames = np.stack(
        [np.pad(x[s : s + fft], (0, max(0, fft - x[s : s + fft].size))) for s in starts]
    )
    power = np.abs(np.fft.rfft(frames * np.hanning(fft), axis=1)) ** 2
    db = 10 * np.log10(power.T[::-1] + 1e-12)
    scaled = np.clip((db - db.max() + 80) / 80, 0, 1)
    return (scaled * 255).astype(np.uint8)


def compare_png(
    comparison: Comparison, generated: FeatureSet, real: FeatureSet, seed: int = 0
) -> Image.Image:
    """The side-by-side picture; text lines below it give the AUC and the top distances."""
    cell = (96, 96) if comparison.kind == "image" else AUDIO_CELL
    sheet = contact_sheet(
        [_pictures(real, SHOWN, seed), _pictures(generated, SHOWN, seed)],
        ["real", "generated"],
        cell_size=cell,
    )
    lines = [f"auc={comparison.auc:.2f} (0.5 = indistinguishable), {comparison.kind}, "
             f"{comparison.generated} generated vs {comparison.real} real rows"]  # fmt: skip
    lines += [
        f"{d.name}: real {d.real_mean:.3g}, generated {d.generated_mean:.3g}, "
        f"distance {d.distance:.2f} real std"
        for d in comparison.statistics[:LINES]
    ]
    out = Image.new("RGB", (max(sheet.width, 560), sheet.height + 14 * len(lines) + 10), "white")
    out.paste(sheet, (0, 0))
    draw = ImageDraw.Draw(out)
    for k, line in enumerate(lines):
        draw.text((6, sheet.height + 4 + 14 * k), line, fill=(0, 0, 0))
    return out
