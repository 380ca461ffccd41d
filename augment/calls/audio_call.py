"""The audiomentations-style call: `call_audio(pipeline, samples=..., sample_rate=...)`.

A thin layer over `pipeline.run` on an AudioSample. Integer PCM is scaled to float the way
WAV readers do (int16 / 32768, int32 / 2147483648); floats pass as they are. The layout is
never guessed: (n,) is mono and (channels, n) is channels-first; an (n, channels) array is
read that way only with `channels_last=True`, and a channels-first array with more channels
than samples is refused as the likely mix-up. The result is float32 in the input's layout.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.calls.errors import CallError
from augment.core.sample import AudioSample
from augment.core.seeding import implicit_rng
from augment.core.transform import Transform

INTEGER_FULL_SCALE = {np.dtype(np.int16): 32768.0, np.dtype(np.int32): 2147483648.0}


def call_audio(
    pipeline: Transform,
    samples: Any,
    sample_rate: int,
    rng: np.random.Generator | None = None,
    channels_last: bool = False,
) -> np.ndarray:
    """Augment a waveform like an audiomentations Compose call; float32 out, same layout.

    samples: (n,) or (channels, n) float or int16/int32 PCM; (n, channels) with
        channels_last=True. sample_rate: in Hz; the pipeline must keep it (a rate change
        would leave the caller with audio at an unknown rate: use `pipeline.run` on an
        AudioSample for that).
    """
    waveform = audio_waveform(samples, channels_last)
    rate = _checked_rate(sample_rate)
    out, _ = pipeline.run(AudioSample(waveform, rate), rng if rng is not None else implicit_rng())
    if out.sample_rate != rate:
        raise CallError(
            "sample_rate",
            f"the pipeline changed the rate from {rate} to {out.sample_rate} Hz; "
            "call pipeline.run(AudioSample(...)) to get the new rate with the audio",
        )
    result = np.asarray(out.waveform, dtype=np.float32)
    return np.ascontiguousarray(result.T) if channels_last and result.ndim == 2 else result


def audio_waveform(samples: Any, channels_last: bool = False) -> np.ndarray:
    """The pipeline's float32 (n,) or (channels, n) waveform for `samples`, checked."""
    if not isinstance(samples, np.ndarray):
        raise CallError("samples", f"expected a NumPy array, got {type(samples).__name__}")
    if samples.ndim not in (1, 2):
        raise CallError("samples", f"shape {samples.shape}: expected (n,) or (channels, n)")
    if samples.dtype in INTEGER_FULL_SCALE:
        waveform = samples.astype(np.float32) * np.float32(1 / INTEGER_FULL_SCALE[samples.dtype])
    elif samples.dtype in (np.float32, np.float64):
        waveform = samples.astype(np.float32, copy=False)
        if not np.all(np.isfinite(waveform)):
            raise CallError("samples", "contains NaN or infinite values")
    else:
        raise CallError(
            "samples", f"dtype {samples.dtype} is not supported: use float32/64, int16 or int32"
        )
    if waveform.ndim == 2 and channels_last:
        waveform = np.ascontiguousarray(waveform.T)
    elif waveform.ndim == 2 and waveform.shape[0] > waveform.shape[1]:
        raise CallError(
            "samples",
            f"shape {samples.shape} reads as {samples.shape[0]} channels of {samples.shape[1]} "
            "samples; for (n, channels) audio pass channels_last=True",
        )
    return waveform


def _checked_rate(sample_rate: Any) -> int:
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int | np.integer):
        raise CallError("sample_rate", f"expected a whole number of Hz, got {sample_rate!r}")
    if sample_rate <= 0:
        raise CallError("sample_rate", f"must be positive, got {sample_rate}")
    return int(sample_rate)
