"""Sample-rate conversion by polyphase filtering (fast for 16k <-> 8k, exact lengths)."""

from __future__ import annotations

from math import gcd

import numpy as np
from scipy.signal import resample_poly


def resample(x: np.ndarray, orig_rate: int, target_rate: int) -> np.ndarray:
    """Resample along the last axis; float32 out, length round(n * target / orig)."""
    if orig_rate == target_rate:
        return np.asarray(x, dtype=np.float32)
    g = gcd(int(orig_rate), int(target_rate))
    up, down = int(target_rate) // g, int(orig_rate) // g
    y = resample_poly(np.asarray(x, dtype=np.float32), up, down, axis=-1)
    n = round(x.shape[-1] * target_rate / orig_rate)
    return np.ascontiguousarray(y[..., :n], dtype=np.float32)
