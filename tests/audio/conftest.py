"""Shared audio fixtures: a speech-like test signal with pauses, made here (no data files)."""

from __future__ import annotations

import numpy as np
import pytest

from augment.core.sample import AudioSample

RATE = 16000


def speechlike(seconds: float = 3.0, rate: int = RATE, seed: int = 0) -> np.ndarray:
    """Voiced bursts (harmonics of a gliding f0, syllable-rate envelope) separated by pauses."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    f0 = 120 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 25))
    syllables = np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None) ** 2
    words = (np.sin(2 * np.pi * 0.5 * t) > -0.3).astype(float)  # pauses ~ 40% of the time
    x = voiced * syllables * words + 0.01 * rng.standard_normal(t.size) * words
    return (0.2 * x / np.max(np.abs(x))).astype(np.float32)


@pytest.fixture
def speech() -> AudioSample:
    return AudioSample(speechlike(), RATE, label="hello world", extra={"speaker": "s1"})


@pytest.fixture
def make_speech():
    """The speech-like signal generator, for tests that need other lengths or rates."""
    return speechlike
