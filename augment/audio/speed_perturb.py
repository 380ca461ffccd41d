"""Speed perturbation: play faster or slower, pitch and tempo together (Kaldi-style)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import check_audio
from augment.audio.resampling import resample
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range


@register
class SpeedPerturb(Transform):
    """Change playback speed by a factor drawn in a range (0.9-1.1 is the ASR standard).

    Realistic as speaker variation: faster speech with a higher voice, as from a shorter
    vocal tract. Implemented as resampling (the factor is rounded to 1/1000 so the polyphase
    filter stays small). The clip length changes; the transcript stays true.
    """

    kind = "audio"

    def __init__(self, factor: float | Sequence[float] = (0.9, 1.1)) -> None:
        self.factor = as_range("factor", factor, 0.5, 2.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"factor": round(uniform(rng, self.factor), 3)}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "SpeedPerturb")
        milli = round(params["factor"] * 1000)
        if milli == 1000:
            return sample
        # Playing at factor f = treating the samples as recorded at rate*f, then resampling.
        y = resample(sample.waveform, milli, 1000)
        return sample.replace(waveform=y)
