"""Pitch shift by a few semitones without changing the tempo (librosa phase vocoder)."""

from __future__ import annotations

from collections.abc import Sequence

import librosa
import numpy as np

from augment.audio._common import as_float32, check_audio
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range


@register
class PitchShift(Transform):
    """Shift the pitch by a number of semitones drawn in a range, tempo unchanged.

    Realistic within about +-2 semitones (other talkers' voices); larger shifts move the
    formants too and start to sound processed ("chipmunk"). Slower than the other audio
    transforms (STFT phase vocoder, librosa.effects.pitch_shift).
    """

    kind = "audio"

    def __init__(self, semitones: float | Sequence[float] = (-2.0, 2.0)) -> None:
        self.semitones = as_range("semitones", semitones, -12.0, 12.0, symmetric=True)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"semitones": round(uniform(rng, self.semitones), 3)}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "PitchShift")
        if params["semitones"] == 0 or sample.waveform.shape[-1] < 2048:
            return sample
        y = librosa.effects.pitch_shift(
            np.asarray(sample.waveform, dtype=np.float32),
            sr=sample.sample_rate,
            n_steps=params["semitones"],
            res_type="soxr_hq",
        )
        return sample.replace(waveform=as_float32(y))
