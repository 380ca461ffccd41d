"""Signal levels in dB: plain RMS and the ITU-T P.56 active speech level (method B).

P.56 measures speech only while the talker is active, so pauses do not lower the level
and an SNR set against it means the same thing for a chatty clip and for a clip that is
mostly silence. The implementation follows the Recommendation's method B:

- envelope: |x| smoothed twice by a first-order filter with time constant 0.03 s;
- hangover 0.2 s: a sample counts as active for a threshold c while the envelope was at or
  above c at most 0.2 s earlier;
- for each threshold c_j, the active level is A_j = 10 log10(total energy / active count);
  the active speech level is where A_j - 20 log10(c_j) falls to the margin M = 15.9 dB,
  interpolated (in dB) between neighbouring thresholds.

The Recommendation uses thresholds spaced 6 dB apart; here they are 0.5 dB apart over the
whole float range, which only makes the interpolation finer. Levels are in dB relative to
full scale (a full-scale square wave is 0 dB); `SILENT_DB` is returned for silence, never NaN.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter1d
from scipy.signal import lfilter

SILENT_DB = -200.0
TIME_CONSTANT_S = 0.03
HANGOVER_S = 0.2
MARGIN_DB = 15.9
THRESHOLD_STEP_DB = 0.5
ENVELOPE_RATE = 2000  # Hz at which the envelope is evaluated (see _envelope)
_FLOOR = 1e-10  # energies below this (about -200 dB) are silence


def _mono_power(x: np.ndarray) -> np.ndarray:
    """Per-sample power, channels averaged: (n,) or (channels, n) -> (n,)."""
    x = np.asarray(x, dtype=np.float64)
    return x * x if x.ndim == 1 else np.mean(x * x, axis=0)


def rms_db(x: np.ndarray) -> float:
    """Root-mean-square level in dBFS over the whole signal (silence included)."""
    power = _mono_power(x)
    if power.size == 0:
        return SILENT_DB
    mean = float(np.mean(power))
    return 10.0 * np.log10(mean) if mean > _FLOOR else SILENT_DB


def _envelope(x: np.ndarray, sample_rate: int, step: int) -> np.ndarray:
    """Twice-smoothed magnitude envelope q of P.56 (time constant 0.03 s), every `step` samples.

    |x| is averaged over blocks of `step` samples and the two first-order smoothers run at
    the block rate (coefficient g**step): with a 30 ms time constant and blocks of ~0.5 ms
    this differs from the per-sample envelope by well under 0.05 dB in the final level,
    and is several times faster.
    """
    x = np.asarray(x)
    magnitude = np.abs(x) if x.ndim == 1 else np.sqrt(np.mean(x * x, axis=0))
    blocks = magnitude.size // step
    if step > 1:
        ones = np.full(step, 1.0 / step, dtype=magnitude.dtype)
        head = magnitude[: blocks * step].reshape(blocks, step) @ ones  # block means (BLAS)
        tail = magnitude[blocks * step :]
        magnitude = np.append(head, tail.mean()) if tail.size else head
    magnitude = magnitude.astype(np.float64)
    g = np.exp(-step / (sample_rate * TIME_CONSTANT_S))
    # Two identical first-order smoothers in cascade = one second-order filter.
    return lfilter([(1.0 - g) ** 2], [1.0, -2.0 * g, g * g], magnitude)


def active_level(x: np.ndarray, sample_rate: int) -> tuple[float, float]:
    """P.56 method B: (active speech level in dBFS, activity factor in [0, 1]).

    Silence (or a signal with no activity) gives (SILENT_DB, 0.0).
    """
    power = _mono_power(x)
    n = power.size
    energy = float(np.sum(power))
    if n == 0 or energy / n <= _FLOOR:
        return SILENT_DB, 0.0
    step = max(1, sample_rate // ENVELOPE_RATE)
    q = _envelope(x, sample_rate, step)
    last_short = step * q.size - n  # the last block holds fewer samples
    hangover = int(np.ceil(HANGOVER_S * sample_rate / step))
    # Active for threshold c at block k  <=>  max(q[k-hangover .. k]) >= c.
    size = hangover + 1
    held = maximum_filter1d(q, size=size, origin=(size - 1) // 2, mode="constant", cval=0.0)
    last = float(held[-1])
    held = np.sort(held)
    top = float(held[-1])
    if top <= 0.0:
        return SILENT_DB, 0.0
    # Thresholds from the envelope peak downwards, 0.5 dB apart, over 200 dB.
    steps = np.arange(0.0, 200.0, THRESHOLD_STEP_DB)
    c_db = 20.0 * np.log10(top) - steps
    c = 10.0 ** (c_db / 20.0)
    counts = step * (held.size - np.searchsorted(held, c, side="left"))
    counts = counts - last_short * (last >= c)
    valid = counts > 0
    a_db = np.full_like(c_db, np.inf)
    a_db[valid] = 10.0 * np.log10(energy / counts[valid])
    diff = a_db - c_db  # large for low thresholds, falls towards the envelope peak
    # Scan upwards from the lowest threshold (the Recommendation's order) to the first one
    # where diff reaches the margin; interpolate between it and the threshold below.
    reached = np.nonzero(diff <= MARGIN_DB)[0]
    if reached.size == 0:
        return float(10.0 * np.log10(energy / n)), 1.0
    j = int(reached[-1])
    if j == len(diff) - 1:
        level_db = float(a_db[j])
    else:
        t = (diff[j + 1] - MARGIN_DB) / (diff[j + 1] - diff[j])
        level_db = float(a_db[j + 1] + t * (a_db[j] - a_db[j + 1]))
    activity = min(1.0, energy / (n * 10.0 ** (level_db / 10.0)))
    return level_db, float(activity)


def speech_level(x: np.ndarray, sample_rate: int, method: str = "p56") -> float:
    """Level of clean speech in dBFS: 'p56' (active speech level) or 'rms'."""
    if method == "rms":
        return rms_db(x)
    return active_level(x, sample_rate)[0]
