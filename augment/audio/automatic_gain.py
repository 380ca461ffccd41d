"""Automatic gain control: a phone or conferencing front end levelling the talker."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.signal import lfilter

from augment.audio._common import as_float32, check_audio, db_to_gain
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range, check_number

ATTACK_S = 0.01
RELEASE_S = 0.4
NOISE_GATE_DB = -60.0


@register
class AutomaticGain(Transform):
    """Slowly steer the level towards a target RMS, with limited boost (an AGC).

    Realistic for phone and conferencing audio: quiet talkers are lifted, loud ones brought
    down within tens of milliseconds, and the background between words is "pumped" up
    because the AGC cannot tell noise from a quiet talker. Gain follows a peak-ish envelope
    (10 ms attack, 400 ms release) and never exceeds `max_gain_db`; below -60 dBFS the gain
    is frozen at its maximum so silence stays silence-like.
    """

    kind = "audio"

    def __init__(
        self, target_db: float | Sequence[float] = (-26.0, -16.0), max_gain_db: float = 20.0
    ) -> None:
        self.target_db = as_range("target_db", target_db, -60.0, 0.0)
        self.max_gain_db = check_number("max_gain_db", max_gain_db, 0.0, 60.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"target_db": round(uniform(rng, self.target_db), 4)}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "AutomaticGain")
        x = np.asarray(sample.waveform, dtype=np.float32)
        if x.shape[-1] == 0:
            return sample
        power = (
            (x.astype(np.float64) ** 2) if x.ndim == 1 else np.mean(x.astype(np.float64) ** 2, 0)
        )
        sr = sample.sample_rate
        # Envelope: fast attack on rising power, slow release, both first-order.
        fast = lfilter(
            [1 - np.exp(-1 / (ATTACK_S * sr))], [1, -np.exp(-1 / (ATTACK_S * sr))], power
        )
        slow = lfilter(
            [1 - np.exp(-1 / (RELEASE_S * sr))], [1, -np.exp(-1 / (RELEASE_S * sr))], power
        )
        level = np.sqrt(np.maximum(fast, slow))
        floor = db_to_gain(NOISE_GATE_DB)
        gain = db_to_gain(params["target_db"]) / np.maximum(level, floor)
        gain = np.minimum(gain, db_to_gain(self.max_gain_db))
        return sample.replace(waveform=as_float32(x * gain))
