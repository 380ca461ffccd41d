"""Convolve speech with a synthetic room impulse response (RT60 and distance drawn)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import as_float32, check_audio
from augment.audio.room_ir import convolve_keeping_level, room_impulse_response
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range


@register
class Reverb(Transform):
    """Make speech sound as if recorded in a room: RT60 and direct-to-reverberant ratio drawn.

    Realistic for far-field recordings (meeting rooms, kitchens, halls: RT60 0.3-1.0 s,
    DRR -5..10 dB); a near-field headset has little reverberation, so keep the transform
    rare or the DRR high for such test sets. The impulse response is statistical (exponential
    noise tail with faster decay at high frequencies, early reflections), not a simulation
    of a specific geometry. The output keeps the input length and RMS level.
    """

    kind = "audio"

    def __init__(
        self,
        rt60_s: float | Sequence[float] = (0.2, 0.8),
        drr_db: float | Sequence[float] = (-3.0, 12.0),
    ) -> None:
        self.rt60_s = as_range("rt60_s", rt60_s, 0.05, 5.0)
        self.drr_db = as_range("drr_db", drr_db, -20.0, 40.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {
            "rt60_s": round(uniform(rng, self.rt60_s), 4),
            "drr_db": round(uniform(rng, self.drr_db), 4),
            "ir_seed": int(rng.integers(2**31)),
        }

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "Reverb")
        x = np.asarray(sample.waveform, dtype=np.float32)
        n = x.shape[-1]
        if n == 0:
            return sample
        ir = room_impulse_response(
            params["rt60_s"], params["drr_db"], sample.sample_rate, params["ir_seed"]
        )
        return sample.replace(waveform=as_float32(convolve_keeping_level(x, ir)))
