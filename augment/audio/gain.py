"""Change the loudness of a clip by a gain drawn in dB."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import as_float32, check_audio, db_to_gain
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range


@register
class Gain(Transform):
    """Multiply the waveform by a gain drawn uniformly in dB.

    Realistic for talkers at different distances or microphones with different sensitivity.
    The result is not clipped: float audio above full scale stays as it is (a later Clipping
    step or the writer decides), so the level change is exact.
    """

    kind = "audio"

    def __init__(self, gain_db: float | Sequence[float] = (-6.0, 6.0)) -> None:
        self.gain_db = as_range("gain_db", gain_db, -120.0, 60.0, symmetric=True)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"gain_db": round(uniform(rng, self.gain_db), 4)}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "Gain")
        gain = db_to_gain(params["gain_db"])
        return sample.replace(waveform=as_float32(sample.waveform * np.float32(gain)))
