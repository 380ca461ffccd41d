"""Band-limit speech to the 300-3400 Hz telephone channel (G.712-like response)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.signal import ellip, sosfilt

from augment.audio._common import as_float32, check_audio
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import check_number


@lru_cache(maxsize=32)
def telephone_sos(sample_rate: int, low_hz: float, high_hz: float) -> np.ndarray:
    """Elliptic high-pass + low-pass sections meeting a G.712-style mask.

    Passband ripple 0.5 dB; the high-pass reaches 40 dB attenuation by ~low/2.7 (about 100 Hz
    for 300 Hz, below which mains hum lives), the low-pass 50 dB by ~1.16 x high (4 kHz).
    At 8 kHz the low-pass is left out when `high_hz` is too close to Nyquist: the
    resampling filter already does that job.
    """
    sections = [ellip(4, 0.5, 40, low_hz * 0.93, "highpass", fs=sample_rate, output="sos")]
    if high_hz < 0.9 * sample_rate / 2:
        sections.append(ellip(6, 0.5, 50, high_hz, "lowpass", fs=sample_rate, output="sos"))
    return np.vstack(sections)


@register
class TelephoneBand(Transform):
    """Filter to the telephone band (default 300-3400 Hz), flat in band, steep outside.

    Realistic for landline, GSM/AMR-NB and most VoIP narrowband calls, whose channel follows
    the ITU-T G.712 mask: little below 300 Hz (no hum, no chest resonance), nothing above
    3.4-4 kHz (no fricative energy). Unlike audiomentations' BandPassFilter (centre frequency
    and bandwidth fraction, Butterworth) it takes the cutoffs themselves and an elliptic
    response, so the band edges are where the standard puts them.
    """

    kind = "audio"

    def __init__(self, low_hz: float = 300.0, high_hz: float = 3400.0) -> None:
        self.low_hz = check_number("low_hz", low_hz, 20.0, 20000.0)
        self.high_hz = check_number("high_hz", high_hz, self.low_hz * 1.5, 40000.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "TelephoneBand")
        sos = telephone_sos(sample.sample_rate, self.low_hz, self.high_hz)
        x = np.asarray(sample.waveform, dtype=np.float32)
        if x.shape[-1] == 0:
            return sample

        return sample.replace(waveform=as_float32(sosfilt(sos, x, axis=-1)))
