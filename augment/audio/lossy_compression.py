"""MP3 or Opus encoding and decoding at a drawn bitrate, in memory through libsndfile."""

from __future__ import annotations

import inspect
import io
from collections.abc import Sequence

import numpy as np
import soundfile as sf

from augment.audio._common import check_audio
from augment.audio.codec import fit_length
from augment.audio.resampling import resample
from augment.core.draws import uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range

# libsndfile (MP3 through LAME and mpg123, Opus through libopus) format, subtype and the
# sample rates each encoder takes; other rates are resampled to the next one up and back.
CODECS = {
    "mp3": (
        "MP3",
        "MPEG_LAYER_III",
        (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000),
    ),
    "opus": ("OGG", "OPUS", (8000, 12000, 16000, 24000, 48000)),
}
# MP3 at a constant bitrate (libsndfile's default, variable, reads the level as a VBR
# quality); libsndfile's Opus takes no bitrate mode and varies around the target.
BITRATE_MODE = {"mp3": "CONSTANT", "opus": None}
OPUS_KBPS = (6.0, 256.0)  # libsndfile maps compression level 1..0 linearly onto this range


@register
class LossyCompression(Transform):
    """Encode and decode with MP3 or Opus at a bitrate drawn in kbit/s (per channel).

    Realistic for audio that went through a podcast, a streaming service or a voice message
    (MP3 at 32-128 kbit/s: high frequencies cut, pre-echo on onsets) or a VoIP or WebRTC
    call (Opus at 8-32 kbit/s: band-limited and smeared at low rates). Timing is kept
    (libsndfile removes the encoder delay) and so is the length. MP3 runs at a constant
    bitrate, kept within its MPEG version's range (8..64 kbit/s at 8-12 kHz, 8..160 at
    16-24 kHz, 32..320 at 32-48 kHz) and snapped to a standard one; Opus takes 6..256
    kbit/s and varies its rate with the content around the target.

    codecs: which codecs may be drawn, from "mp3" and "opus".
    bitrate_kbps: a number or [low, high], drawn uniformly and rounded to whole kbit/s.
    """

    kind = "audio"

    def __init__(
        self,
        codecs: Sequence[str] = ("mp3", "opus"),
        bitrate_kbps: float | Sequence[float] = (16, 64),
    ) -> None:
        if isinstance(codecs, str) or not codecs or any(c not in CODECS for c in codecs):
            raise ConfigError("codecs", f"expected a list from {list(CODECS)}, got {codecs!r}")
        for codec in codecs:
            check_encoder(codec)
        self.codecs = list(codecs)
        self.bitrate_kbps = as_range("bitrate_kbps", bitrate_kbps, 6.0, 320.0)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        codec = self.codecs[int(rng.integers(len(self.codecs)))]
        return {"codec": codec, "bitrate_kbps": round(uniform(rng, self.bitrate_kbps))}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "LossyCompression")
        x = np.asarray(sample.waveform, dtype=np.float32)
        if x.shape[-1] == 0:
            return sample.replace(waveform=x.copy())
        channels = x if x.ndim == 2 else x[None]
        coded = [
            round_trip(c, sample.sample_rate, params["codec"], params["bitrate_kbps"])
            for c in channels
        ]
        y = np.stack(coded) if x.ndim == 2 else coded[0]
        return sample.replace(waveform=np.ascontiguousarray(y, dtype=np.float32))


def check_encoder(codec: str) -> None:
    """Refuse at build time a codec this libsndfile cannot encode (MP3 and Opus need
    libsndfile 1.1+, which soundfile 0.13+ bundles, and soundfile's compression_level)."""
    container, subtype, _ = CODECS[codec]
    encodes = container in sf.available_formats() and subtype in sf.available_subtypes(container)
    if not encodes or "compression_level" not in inspect.signature(sf.write).parameters:
        raise ConfigError(
            "codecs",
            f"{codec}: soundfile {sf.__version__} with libsndfile {sf.__libsndfile_version__} "
            "cannot encode it; soundfile>=0.13 bundles a libsndfile that can",
        )


def round_trip(x: np.ndarray, rate: int, codec: str, kbps: float) -> np.ndarray:
    """Mono float audio through `codec` at `kbps`; float32, same length and timing."""
    rates = CODECS[codec][2]
    coding_rate = next((r for r in rates if r >= rate), rates[-1])
    narrow = np.clip(resample(x, rate, coding_rate), -1.0, 32767 / 32768)
    buffer = io.BytesIO(encoded_bytes(narrow, coding_rate, codec, kbps))
    decoded, _ = sf.read(buffer, dtype="float32")
    decoded = fit_length(decoded, narrow.shape[-1])
    return fit_length(resample(decoded, coding_rate, rate), x.shape[-1])


def encoded_bytes(x: np.ndarray, rate: int, codec: str, kbps: float) -> bytes:
    """The encoded stream of mono audio at a coding rate (to measure the bitrate)."""
    container, subtype, _ = CODECS[codec]
    buffer = io.BytesIO()
    sf.write(
        buffer,
        x,
        rate,
        format=container,
        subtype=subtype,
        compression_level=compression_level(codec, kbps, rate),
        bitrate_mode=BITRATE_MODE[codec],
    )
    return buffer.getvalue()


def compression_level(codec: str, kbps: float, rate: int) -> float:
    """libsndfile's compression level (0 best .. 1 smallest) that asks for `kbps`.

    MP3: libsndfile maps the level linearly onto the bitrate range of the MPEG version the
    rate implies and LAME snaps to the nearest standard bitrate; Opus: linearly onto 6..256.
    """
    if codec == "mp3":
        low, high = (
            (32.0, 320.0) if rate >= 32000 else (8.0, 160.0) if rate >= 16000 else (8.0, 64.0)
        )
    else:
        low, high = OPUS_KBPS
    kbps = min(max(float(kbps), low), high)
    return min((high - kbps + 0.5) / (high - low), 0.999)
