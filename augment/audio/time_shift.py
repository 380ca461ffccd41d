"""Move the audio in time within its clip: circularly, or with silence filling the gap."""

from __future__ import annotations

import numpy as np

from augment.audio._common import as_float32, check_audio
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range, check_choice

MODES = ("silence", "circular")


@register
class TimeShift(Transform):
    """Shift the waveform by a drawn number of seconds, keeping the clip length.

    Realistic for clip-level classification where the event does not start at the same
    moment in every recording (a keyword spoken early or late in a 1 s window, as in the
    ±100 ms shift used on Speech Commands). "silence" pads the gap with zeros and drops what
    leaves the clip (right for speech: nothing wraps around); "circular" rolls the end back
    to the start, realistic only for stationary sounds (engines, hum, rain), where the
    seam is not heard.

    shift_s: a number s for (-s, s), or [low, high], in seconds (positive is later).
    mode: "silence" or "circular".
    """

    kind = "audio"

    def __init__(self, shift_s: float | list[float] = 0.1, mode: str = "silence") -> None:
        self.shift_s = as_range("shift_s", shift_s, -60.0, 60.0, symmetric=True)
        self.mode = check_choice("mode", mode, MODES)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"shift_samples": round(uniform(rng, self.shift_s) * sample.sample_rate)}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "TimeShift")
        x = np.asarray(sample.waveform, dtype=np.float32)
        shift, n = int(params["shift_samples"]), x.shape[-1]
        if self.mode == "circular":
            return sample.replace(waveform=as_float32(np.roll(x, shift, axis=-1)))
        y = np.zeros_like(x)
        if abs(shift) < n:
            if shift >= 0:
                y[..., shift:] = x[..., : n - shift]
            else:
                y[..., :shift] = x[..., -shift:]
        return sample.replace(waveform=y)
