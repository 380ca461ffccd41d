"""Synthetic room impulse responses and their measured reverberation time.

The model is the statistical one of room acoustics: a direct sound, a few sparse early
reflections in the first ~50 ms, then a diffuse tail of Gaussian noise whose energy decays
exponentially (60 dB in RT60 seconds). High frequencies decay faster than low ones in real
rooms (air and wall absorption); the tail is split in three bands with RT60 scaled by
1.15 (below 500 Hz), 1.0 (500-4000 Hz) and 0.7 (above), so `rt60` is the mid-band value.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, oaconvolve, sosfilt

BAND_EDGES_HZ = (500.0, 4000.0)
BAND_RT60_SCALE = (1.15, 1.0, 0.7)


def room_impulse_response(
    rt60: float, drr_db: float, sample_rate: int, seed: int, pre_delay_s: float = 0.004
) -> np.ndarray:
    """A mono impulse response: direct sound at sample 0, diffuse tail with decay `rt60`.

    `drr_db` is the direct-to-reverberant energy ratio (high = close talker).
    """
    rng = np.random.default_rng(seed)
    n = max(int(1.3 * rt60 * sample_rate), 16)
    t = np.arange(n) / sample_rate
    noise = rng.standard_normal(n)
    tail = np.zeros(n)
    nyquist = sample_rate / 2.0
    low, high = (min(e, 0.95 * nyquist) for e in BAND_EDGES_HZ)
    bands = [
        sosfilt(butter(4, low, "lowpass", fs=sample_rate, output="sos"), noise),
        sosfilt(butter(4, [low, high], "bandpass", fs=sample_rate, output="sos"), noise)
        if high > low * 1.05
        else np.zeros(n),
        sosfilt(butter(4, high, "highpass", fs=sample_rate, output="sos"), noise)
        if high < 0.95 * nyquist
        else np.zeros(n),
    ]
    for band, scale in zip(bands, BAND_RT60_SCALE, strict=True):
        tail += band * np.exp(-3.0 * np.log(10.0) * t / (rt60 * scale))
    start = int(pre_delay_s * sample_rate)
    tail[:start] = 0.0
    # Early reflections: a handful of discrete echoes, stronger than the diffuse tail.
    for _ in range(6):
        delay = int(rng.uniform(pre_delay_s, 0.05) * sample_rate)
        if delay < n:
            tail[delay] += (
                rng.choice((-1.0, 1.0))
                * rng.uniform(1.0, 3.0)
                * np.exp(-3.0 * np.log(10.0) * delay / sample_rate / rt60)
                * np.sqrt(np.mean(tail[start : start + sample_rate // 100] ** 2) + 1e-12)
            )
    reverberant = float(np.sum(tail**2))
    direct = np.sqrt(reverberant * 10.0 ** (drr_db / 10.0))
    ir = tail
    ir[0] = direct
    return (ir / np.sqrt(np.sum(ir**2))).astype(np.float32)


def schroeder_rt60(ir: np.ndarray, sample_rate: int, fit_db: tuple[float, float] = (-5, -25)):
    """RT60 by Schroeder backward integration, line fit between `fit_db` (T20 by default)."""
    energy = np.asarray(ir, dtype=np.float64) ** 2
    edc = np.cumsum(energy[::-1])[::-1]
    edc_db = 10.0 * np.log10(edc / edc[0] + 1e-300)
    hi, lo = fit_db
    idx = np.nonzero((edc_db <= hi) & (edc_db >= lo))[0]
    t = idx / sample_rate
    slope, _ = np.polyfit(t, edc_db[idx], 1)
    return float(-60.0 / slope)


def convolve_keeping_level(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """`x` (n,) or (channels, n) through the impulse response `ir`, cut to its length and
    scaled back to its RMS level: a room changes the sound, not how loud the take is."""
    n = x.shape[-1]
    y = oaconvolve(x, ir if x.ndim == 1 else ir[None, :], axes=-1)[..., :n]
    before = float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))
    after = float(np.sqrt(np.mean(y.astype(np.float64) ** 2)))
    return y * (before / after) if after > 0 else y
