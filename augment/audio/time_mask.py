"""SpecAugment-style time masking on the waveform: short spans set to silence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import check_audio
from augment.core.draws import uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range


@register
class TimeMask(Transform):
    """Silence a few short spans of the clip (SpecAugment's time masks, on the waveform).

    Realistic as a regulariser rather than as a channel: the model learns to use context
    around a missing stretch, which carries over to real dropouts (a cough over a word, a
    network gap, a clipped-off start). For the sound of lost VoIP packets use PacketLoss;
    this is the plain gap, as SpecAugment masks spectrogram frames. Masks may overlap.

    count: how many gaps, a whole number or [low, high].
    width_s: each gap's length in seconds, a number or [low, high].
    """

    kind = "audio"

    def __init__(
        self, count: int | Sequence[int] = (1, 2), width_s: float | Sequence[float] = (0.02, 0.1)
    ) -> None:
        low, high = as_range("count", count, 0, 100)
        if low != int(low) or high != int(high):
            raise ConfigError("count", f"expected whole numbers, got {count!r}")
        self.count = (int(low), int(high))
        self.width_s = as_range("width_s", width_s, 0.0, 10.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        n = sample.waveform.shape[-1]
        count = int(rng.integers(self.count[0], self.count[1] + 1))
        gaps = []
        for _ in range(count):
            length = min(n, round(uniform(rng, self.width_s) * sample.sample_rate))
            start = int(rng.integers(0, n - length + 1))
            gaps.append([start, length])
        return {"gaps": gaps}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "TimeMask")
        y = np.array(sample.waveform, dtype=np.float32)
        for start, length in params["gaps"]:
            y[..., start : start + length] = 0.0
        return sample.replace(waveform=y)
