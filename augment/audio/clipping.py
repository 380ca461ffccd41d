"""Hard clipping of the loudest samples, as an overdriven microphone or ADC does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import as_float32, check_audio
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range


@register
class Clipping(Transform):
    """Clip the waveform so that a drawn fraction of its samples hit the ceiling.

    Realistic for talkers too close to a phone or a cheap headset with fixed gain: peaks are
    flattened, harmonics appear. The ceiling is set from the signal itself (the quantile of
    |x| that leaves `clip_fraction` above it), so the same setting means the same damage for
    loud and quiet clips. The level is not restored; AutomaticGain can follow.
    """

    kind = "audio"

    def __init__(self, clip_fraction: float | Sequence[float] = (0.0, 0.02)) -> None:
        self.clip_fraction = as_range("clip_fraction", clip_fraction, 0.0, 0.5)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"clip_fraction": round(uniform(rng, self.clip_fraction), 5)}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "Clipping")
        x = np.asarray(sample.waveform, dtype=np.float32)
        fraction = params["clip_fraction"]
        if fraction <= 0 or x.size == 0:
            return sample
        ceiling = float(np.quantile(np.abs(x), 1.0 - fraction))
        if ceiling <= 0:
            return sample
        return sample.replace(waveform=as_float32(np.clip(x, -ceiling, ceiling)))
