"""Change the sample rate (e.g. to 8 kHz narrowband telephony) with the rate bookkeeping."""

from __future__ import annotations

import numpy as np

from augment.audio._common import check_audio
from augment.audio.resampling import resample
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import check_int


@register
class Resample(Transform):
    """Resample to `sample_rate` Hz (polyphase filter); the sample's rate is updated.

    Realistic as a narrowband channel when going down to 8 kHz (everything above 4 kHz is
    lost, as on a classic phone line); going back up afterwards keeps the band limit, which is
    what a model trained at 16 kHz sees when fed telephone audio.
    """

    kind = "audio"

    def __init__(self, sample_rate: int = 8000) -> None:
        self.sample_rate = check_int("sample_rate", sample_rate, 1000, 384000)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "Resample")
        y = resample(sample.waveform, sample.sample_rate, self.sample_rate)
        return sample.replace(waveform=y, sample_rate=self.sample_rate)
