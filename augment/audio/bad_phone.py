"""A bad phone line in one step: narrowband, telephone band, AGC, clipping, codec, packet loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import check_audio
from augment.audio.automatic_gain import AutomaticGain
from augment.audio.clipping import Clipping
from augment.audio.codec import fit_length
from augment.audio.g711 import G711
from augment.audio.gsm import GSM
from augment.audio.packet_loss import PacketLoss
from augment.audio.resample_rate import Resample
from augment.audio.telephone_band import TelephoneBand
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range, check_probability

CODECS = ("ulaw", "alaw", "gsm")
NARROWBAND_RATE = 8000


@register
class BadPhone(Transform):
    """Make speech sound like it came through a poor phone call, then return to its rate.

    Chain (each part is also a transform of its own): Resample to 8 kHz -> Clipping (an
    overdriven handset, with probability `clip_p`) -> AutomaticGain -> TelephoneBand
    300-3400 Hz (which also removes the low-frequency products of the first two) -> codec (G.711
    mu-law/A-law or GSM 06.10, drawn from `codecs`) -> PacketLoss (bursty, concealed) ->
    Resample back to the input rate, so the output fits a 16 kHz model while holding only
    narrowband content. Realistic for call-centre, voicemail and emergency-call audio; a
    test set of wideband (HD voice, VoIP at 16 kHz) calls needs a milder setting.
    Params hold every part's params under its name, so a copy replays exactly.
    """

    kind = "audio"

    def __init__(
        self,
        codecs: Sequence[str] = CODECS,
        loss_rate: float | Sequence[float] = (0.0, 0.08),
        burst_frames: float | Sequence[float] = (1.0, 3.0),
        clip_p: float = 0.3,
        clip_fraction: float | Sequence[float] = (0.001, 0.02),
        target_db: float | Sequence[float] = (-26.0, -16.0),
    ) -> None:
        codecs = [codecs] if isinstance(codecs, str) else list(codecs)
        if not codecs or any(c not in CODECS for c in codecs):
            raise ConfigError(
                "codecs", f"expected a list drawn from {list(CODECS)}, got {codecs!r}"
            )
        self.codecs = codecs
        self.loss_rate = as_range("loss_rate", loss_rate, 0.0, 0.9)
        self.burst_frames = as_range("burst_frames", burst_frames, 1.0, 50.0)
        self.clip_p = check_probability("clip_p", clip_p)
        self.clip_fraction = as_range("clip_fraction", clip_fraction, 0.0, 0.5)
        self.target_db = as_range("target_db", target_db, -60.0, 0.0)

    def _parts(self) -> dict[str, Transform]:
        return {
            "TelephoneBand": TelephoneBand(),
            "Clipping": Clipping(self.clip_fraction),
            "AutomaticGain": AutomaticGain(self.target_db),
            "PacketLoss": PacketLoss(self.loss_rate, self.burst_frames, 20),
        }

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        sample = check_audio(sample, "BadPhone")
        parts = self._parts()
        codec = self.codecs[int(rng.integers(len(self.codecs)))]
        clip = bool(rng.random() < self.clip_p)
        return {
            "codec": codec,
            "Clipping": parts["Clipping"].draw_params(rng, sample) if clip else None,
            "AutomaticGain": parts["AutomaticGain"].draw_params(rng, sample),
            "PacketLoss": parts["PacketLoss"].draw_params(rng, sample),
        }

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "BadPhone")
        rate, n = sample.sample_rate, sample.waveform.shape[-1]
        parts = self._parts()
        x = Resample(NARROWBAND_RATE).apply(sample, {})
        if params["Clipping"] is not None:
            x = parts["Clipping"].apply(x, params["Clipping"])
        x = parts["AutomaticGain"].apply(x, params["AutomaticGain"])
        x = parts["TelephoneBand"].apply(x, {})
        codec = params["codec"]
        x = GSM().apply(x, {}) if codec == "gsm" else G711(codec).apply(x, {"law": codec})
        x = parts["PacketLoss"].apply(x, params["PacketLoss"])
        x = Resample(rate).apply(x, {})
        return x.replace(waveform=fit_length(x.waveform, n))
