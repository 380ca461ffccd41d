"""The audio boundary: what a pipeline accepts, converted where the meaning is obvious.

Transforms work on float32 waveforms, (n,) mono or (channels, n), in about [-1, 1]. At the
boundary (a library call, a decoded file) integer PCM is scaled to that range (int16 by
32768, int32 by 2**31, uint8 around 128: the WAV conventions), float64 becomes float32, and
the rest is refused on one line: empty or all-zero clips have no speech to measure an SNR
against, a NaN or infinite sample would turn every level, filter and mix into NaN (a
"speech-free" output with no SNR), and an (n, channels) array is not guessed from its shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.errors import AugsynthError

INTEGER_SCALES = {np.dtype(np.int16): 32768.0, np.dtype(np.int32): 2.0**31}
MAX_CHANNELS = 64  # more "channels" than this is an (n, channels) array given the wrong way


class WaveformError(AugsynthError, ValueError):
    """A waveform no transform can take; the message says what was given and why."""


def checked_waveform(waveform: Any, name: str = "waveform") -> np.ndarray:
    """`waveform` as float32 (n,) or (channels, n), or a WaveformError naming `name`."""
    if not isinstance(waveform, np.ndarray):
        raise WaveformError(f"{name}: expected a NumPy array, got {type(waveform).__name__}")
    x = _as_float32(waveform, name)
    if x.ndim not in (1, 2) or (x.ndim == 2 and x.shape[0] > MAX_CHANNELS):
        raise WaveformError(
            f"{name}: shape {x.shape} is not (n,) or (channels, n); pass (n, channels) "
            "audio transposed"
        )
    if x.shape[-1] == 0:
        raise WaveformError(f"{name}: empty audio (no samples)")
    finite = np.isfinite(x)
    if not finite.all():
        bad = int(x.size - np.count_nonzero(finite))
        raise WaveformError(f"{name}: {bad} NaN or infinite samples")
    if not np.any(x):
        raise WaveformError(f"{name}: silent audio (every sample is zero)")
    return x


def _as_float32(waveform: np.ndarray, name: str) -> np.ndarray:
    dtype = waveform.dtype
    if dtype == np.float32:
        return waveform
    if dtype.kind == "f":
        return waveform.astype(np.float32)
    if dtype in INTEGER_SCALES:
        return (waveform / INTEGER_SCALES[dtype]).astype(np.float32)
    if dtype == np.uint8:
        return ((waveform.astype(np.float32) - 128.0) / 128.0).astype(np.float32)
    raise WaveformError(f"{name}: dtype {dtype} is not audio (give float, int16, int32 or uint8)")
