"""Small helpers shared by the audio transforms (not a transform)."""

from __future__ import annotations

import numpy as np

from augment.core.sample import AudioSample


def as_float32(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def check_audio(sample: object, name: str) -> AudioSample:
    if not isinstance(sample, AudioSample):
        raise TypeError(f"{name} takes an AudioSample, got {type(sample).__name__}")
    return sample
