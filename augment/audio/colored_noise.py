"""Add synthetic white, pink or brown noise at an SNR: the least realistic noise here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import as_float32, check_audio, db_to_gain
from augment.audio.levels import SILENT_DB, rms_db, speech_level
from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range, check_choice


def colored_noise(n: int, exponent: float, seed: int) -> np.ndarray:
    """Gaussian noise with power spectrum ~ 1/f**exponent (0 white, 1 pink, 2 brown), unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n)
    f[0] = f[1] if n > 1 else 1.0
    spectrum *= f ** (-exponent / 2.0)
    x = np.fft.irfft(spectrum, n)
    return x / max(float(np.sqrt(np.mean(x * x))), 1e-12)


@register
class ColoredNoise(Transform):
    """Add stationary Gaussian noise with a 1/f^exponent spectrum at an SNR drawn in dB.

    The audio counterpart of per-pixel image noise: documented as the LEAST realistic noise
    in the toolkit. Real backgrounds fluctuate in level, have structure (voices, engines,
    clatter) and a scene-specific spectrum; prefer BackgroundNoise with recorded or bundled
    scenes. Useful as a regulariser or to mimic hiss of a cheap preamplifier (white).
    The SNR uses the same speech level as BackgroundNoise (P.56 by default); silent speech
    is returned unchanged.
    """

    kind = "audio"

    def __init__(
        self,
        snr_db: float | Sequence[float] = (5.0, 30.0),
        exponent: float | Sequence[float] = (0.0, 2.0),
        level_method: str = "p56",
    ) -> None:
        self.snr_db = as_range("snr_db", snr_db, -30.0, 100.0)
        self.exponent = as_range("exponent", exponent, -2.0, 3.0)
        self.level_method = check_choice("level_method", level_method, ("p56", "rms"))

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        return {
            "snr_db": round(uniform(rng, self.snr_db), 4),
            "exponent": round(uniform(rng, self.exponent), 4),
            "noise_seed": int(rng.integers(2**31)),
        }

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "ColoredNoise")
        x = np.asarray(sample.waveform, dtype=np.float64)
        level = speech_level(x, sample.sample_rate, self.level_method)
        if level <= SILENT_DB or x.shape[-1] == 0:
            return sample
        noise = colored_noise(x.shape[-1], params["exponent"], params["noise_seed"])
        gain = db_to_gain(level - params["snr_db"] - rms_db(noise))
        return sample.replace(waveform=as_float32(x + gain * noise))
