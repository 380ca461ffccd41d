"""In-memory speech codecs through libsndfile: G.711 mu-law/A-law and GSM 06.10."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

CODEC_SUBTYPES = {"ulaw": "ULAW", "alaw": "ALAW", "gsm": "GSM610"}
GSM_FRAME = 160  # samples per 20 ms GSM frame at 8 kHz


def encode_decode(x: np.ndarray, sample_rate: int, codec: str) -> np.ndarray:
    """Round-trip mono float audio through `codec`; same length out, float32.

    Input is clipped to [-1, 1) first, as a real encoder fed 16-bit PCM would see it.
    """
    subtype = CODEC_SUBTYPES[codec]
    n = x.shape[-1]
    pad = (-n) % GSM_FRAME if codec == "gsm" else 0
    data = np.clip(np.pad(np.asarray(x, dtype=np.float32), (0, pad)), -1.0, 32767 / 32768)
    buffer = io.BytesIO()
    sf.write(buffer, data, sample_rate, format="RAW", subtype=subtype)
    buffer.seek(0)
    y, _ = sf.read(
        buffer, samplerate=sample_rate, channels=1, format="RAW", subtype=subtype, dtype="float32"
    )
    if y.size < n:
        y = np.pad(y, (0, n - y.size))
    return np.ascontiguousarray(y[:n], dtype=np.float32)


def encode_decode_channels(x: np.ndarray, sample_rate: int, codec: str) -> np.ndarray:
    """`encode_decode` for (n,) or (channels, n) audio, channel by channel."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        return encode_decode(x, sample_rate, codec)
    return np.stack([encode_decode(c, sample_rate, codec) for c in x])


def fit_length(x: np.ndarray, n: int) -> np.ndarray:
    """Trim or zero-pad the last axis to n samples (rate round trips can be off by one)."""
    if x.shape[-1] >= n:
        return x[..., :n]
    pad = [(0, 0)] * (x.ndim - 1) + [(0, n - x.shape[-1])]
    return np.pad(x, pad)
