"""Small inputs for the explorer: letter-like images in class folders, and two speech-like clips.

The explorer's web stack is in the dev extra, so `make test` has it; without it these tests
fail saying what to install rather than passing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image, ImageDraw, ImageFont

missing = [m for m in ("starlette", "uvicorn", "httpx") if importlib.util.find_spec(m) is None]
if missing:
    raise pytest.UsageError(
        f"tests/explore need {', '.join(missing)}: pip install -e '.[dev]' (make test does)"
    )


def letter_image(label: str, shift: int, size: int = 32) -> np.ndarray:
    """The label drawn dark on a light ground (Pillow's bundled font), shifted by `shift`."""
    image = Image.new("L", (size, size + 8), 225)
    font = ImageFont.load_default(size=size - 6)
    ImageDraw.Draw(image).text((size // 2 + shift - 1, size // 2 + 4), label, fill=30, font=font,
                               anchor="mm")  # fmt: skip
    return np.asarray(image)


@pytest.fixture
def image_dir(tmp_path: Path) -> Path:
    root = tmp_path / "crops"
    for label in ("a", "b", "c"):
        (root / label).mkdir(parents=True)
        for i in range(3):
            Image.fromarray(letter_image(label, i)).save(root / label / f"{label}{i}.png")
    return root


@pytest.fixture
def audio_dir(tmp_path: Path) -> Path:
    """Two 0.6 s clips: harmonic tones with a syllable-rate envelope, in class folders."""
    root = tmp_path / "speech"
    rate = 16000
    t = np.arange(int(0.6 * rate)) / rate
    for label, pitch in (("yes", 140.0), ("no", 210.0)):
        (root / label).mkdir(parents=True)
        voice = sum(np.sin(2 * np.pi * pitch * h * t) / h for h in range(1, 6))
        envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * t) ** 2
        sf.write(root / label / f"{label}.wav", (0.2 * voice * envelope).astype(np.float32), rate)
    return root
