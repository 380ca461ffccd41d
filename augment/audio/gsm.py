"""GSM 06.10 full-rate speech coding (13 kbit/s), the sound of 2G mobile calls."""

from __future__ import annotations

import numpy as np

from augment.audio._common import check_audio
from augment.audio.codec import encode_decode_channels, fit_length
from augment.audio.resampling import resample
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform

GSM_RATE = 8000


@register
class GSM(Transform):
    """Encode and decode with the GSM 06.10 full-rate codec (libsndfile, in memory).

    Realistic for 2G mobile calls and many older VoIP gateways: buzzy, band-limited,
    pitch-and-envelope coding artefacts. The codec runs at 8 kHz; other rates are resampled
    to 8 kHz and back (the band limit of that step is part of the effect).
    """

    kind = "audio"

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "GSM")
        rate = sample.sample_rate
        narrow = resample(sample.waveform, rate, GSM_RATE)
        coded = encode_decode_channels(narrow, GSM_RATE, "gsm")
        back = fit_length(resample(coded, GSM_RATE, rate), sample.waveform.shape[-1])
        return sample.replace(waveform=back)
