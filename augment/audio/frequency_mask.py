"""SpecAugment-style frequency masking, done where it belongs: on the waveform's STFT."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.signal import istft, stft

from augment.audio._common import as_float32, check_audio
from augment.core.draws import uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range

WINDOW_S = 0.032  # STFT window (about 512 samples at 16 kHz), hop a quarter of it


@register
class FrequencyMask(Transform):
    """Remove one or more frequency bands: STFT bins in each band are zeroed, then the
    waveform is resynthesised (overlap-add; elsewhere it comes back unchanged).

    Realistic as a regulariser (SpecAugment's frequency masks, which it applies to mel
    bands): the model learns not to rely on one band, which helps with real notches from
    cheap microphones, room modes and band-limited channels. Bands are drawn on the mel
    scale, so low bands are narrow in Hz, as in SpecAugment.

    count: how many bands, a whole number or [low, high].
    width: each band's width as a fraction of the mel range up to Nyquist, [low, high].
    """

    kind = "audio"

    def __init__(
        self, count: int | Sequence[int] = (1, 2), width: float | Sequence[float] = (0.02, 0.15)
    ) -> None:
        low, high = as_range("count", count, 0, 20)
        if low != int(low) or high != int(high):
            raise ConfigError("count", f"expected whole numbers, got {count!r}")
        self.count = (int(low), int(high))
        self.width = as_range("width", width, 0.0, 1.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        top = hz_to_mel(sample.sample_rate / 2)
        bands = []
        for _ in range(int(rng.integers(self.count[0], self.count[1] + 1))):
            width = uniform(rng, self.width)
            start = rng.random() * (1.0 - width)
            low, high = mel_to_hz(start * top), mel_to_hz((start + width) * top)
            bands.append([round(low, 1), round(high, 1)])
        return {"bands": bands}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "FrequencyMask")
        x = np.asarray(sample.waveform, dtype=np.float32)
        if not params["bands"] or x.shape[-1] == 0:
            return sample.replace(waveform=as_float32(x))
        return sample.replace(waveform=remove_bands(x, sample.sample_rate, params["bands"]))


def remove_bands(x: np.ndarray, rate: int, bands: list[list[float]]) -> np.ndarray:
    """`x` (..., n) with the STFT bins inside each [low, high] Hz band zeroed (a clip
    shorter than the window is padded with silence for the transform, then cut back)."""
    n = x.shape[-1]
    window = 2 ** round(math.log2(WINDOW_S * rate))
    overlap = window - window // 4
    padded = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, max(0, window - n))])
    freqs, _, spectrum = stft(padded, rate, nperseg=window, noverlap=overlap, axis=-1)
    removed = np.zeros(freqs.shape, dtype=bool)
    for low, high in bands:
        removed |= (freqs >= low) & (freqs <= high)
    spectrum[..., removed, :] = 0.0
    _, y = istft(spectrum, rate, nperseg=window, noverlap=overlap, time_axis=-1, freq_axis=-2)
    y = y[..., :n]
    if y.shape[-1] < n:
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, n - y.shape[-1])])
    return as_float32(y)


def hz_to_mel(hz: float) -> float:
    """The HTK mel scale (2595 log10(1 + f / 700))."""
    return 2595.0 * math.log10(1.0 + hz / 700.0)


def mel_to_hz(mel: float) -> float:
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)
