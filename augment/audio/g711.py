"""G.711 companding (mu-law or A-law, 8 bits per sample) as on digital phone networks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import check_audio
from augment.audio.codec import encode_decode_channels
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform

LAWS = ("ulaw", "alaw")


@register
class G711(Transform):
    """Encode and decode with G.711 mu-law or A-law (libsndfile's standard tables).

    Realistic for any call that crossed the PSTN (mu-law in North America and Japan, A-law
    elsewhere): 8-bit logarithmic quantisation, noise that follows the signal level. The
    codec is meant for 8 kHz narrowband audio; put Resample(8000) before it (BadPhone does).
    `law` is one law or a list to choose from uniformly.
    """

    kind = "audio"

    def __init__(self, law: str | Sequence[str] = ("ulaw", "alaw")) -> None:
        laws = [law] if isinstance(law, str) else list(law)
        if not laws or any(item not in LAWS for item in laws):
            raise ConfigError("law", f"expected 'ulaw', 'alaw' or a list of them, got {law!r}")
        self.law = laws

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {"law": self.law[int(rng.integers(len(self.law)))]}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "G711")
        coded = encode_decode_channels(sample.waveform, sample.sample_rate, params["law"])
        return sample.replace(waveform=coded)
