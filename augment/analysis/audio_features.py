"""Fixed simple statistics of audio segments, for telling generated sound from real sound.

Files are read as mono at 16 kHz and cut into segments of a fixed length (a long noise
recording gives many samples, a short spoken word one). Per segment: its level, its
spectrum as 1/3-octave band levels relative to the total (the shape, whatever the level),
and how much the level fluctuates over 50 ms frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from augment.audio.resampling import resample
from augment.core.errors import InputError

RATE = 16_000
AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3"})
THIRD_OCTAVES = (100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000,
                 2500, 3150, 4000, 5000, 6300)  # fmt: skip
AUDIO_STATISTICS = (
    "level_db",  # RMS level, dB full scale
    *(f"band_{f}hz_db" for f in THIRD_OCTAVES),  # band level minus the total, dB
    "fluctuation_db",  # standard deviation of the 50 ms frame levels
    "l10_minus_l90_db",  # level exceeded 10% of the time minus that exceeded 90%
)
FRAME = 800  # 50 ms
FFT = 1024
FLOOR_DB = -120.0


def read_segments(path: Path, seconds: float, most: int = 30) -> list[np.ndarray]:
    """At most `most` consecutive segments of `seconds` (a shorter file is one segment)."""
    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
    except (OSError, RuntimeError, sf.LibsndfileError) as err:
        raise InputError(str(path), f"cannot read audio: {err}") from None
    mono = resample(data.mean(axis=1), rate, RATE)
    size = round(seconds * RATE)
    if mono.size < 2 * FRAME:
        raise InputError(str(path), f"shorter than {2 * FRAME / RATE:.1f} s")
    if mono.size <= size:
        return [mono]
    return [mono[k * size : (k + 1) * size] for k in range(min(most, mono.size // size))]


def _db(power: np.ndarray | float) -> np.ndarray:
    return np.maximum(10 * np.log10(np.maximum(power, 1e-30)), FLOOR_DB)


def segment_statistics(x: np.ndarray) -> np.ndarray:
    """The AUDIO_STATISTICS of one segment at RATE, in that order."""
    frames = x[: x.size // FRAME * FRAME].reshape(-1, FRAME)
    frame_db = _db((frames.astype(np.float64) ** 2).mean(axis=1))
    spectrum = _power_spectrum(x)
    freqs = np.fft.rfftfreq(FFT, 1 / RATE)
    bands = np.array(
        [
            spectrum[(freqs >= f * 2 ** (-1 / 6)) & (freqs < f * 2 ** (1 / 6))].sum()
            for f in THIRD_OCTAVES
        ]
    )
    shape = _db(bands) - _db(bands.sum())
    l10, l90 = np.percentile(frame_db, [90, 10])
    level = _db(float((x.astype(np.float64) ** 2).mean()))
    return np.array([level, *shape, frame_db.std(), l10 - l90], dtype=np.float64)


def _power_spectrum(x: np.ndarray) -> np.ndarray:
    """Mean power spectrum over Hann-windowed frames of FFT samples, half overlapping."""
    padded = np.pad(x, (0, max(0, FFT - x.size)))
    starts = range(0, padded.size - FFT + 1, FFT // 2)
    window = np.hanning(FFT)
    frames = np.stack([padded[s : s + FFT] * window for s in starts])
    return (np.abs(np.fft.rfft(frames, axis=1)) ** 2).mean(axis=0)
