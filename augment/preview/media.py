"""Samples and files for preview cells: an example decoded from the bytes the run writes
(so a preview shows JPEG loss or a codec's band), an original re-encoded losslessly."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from augment.core.sample import AudioSample, ImageSample
from augment.dataset.example import Example
from augment.preview.cells import AUDIO_SUFFIXES


def decode_example(example: Example, name: str) -> ImageSample | AudioSample:
    """The sample an example's bytes hold (an AudioSample for audio suffixes)."""
    if example.suffix in AUDIO_SUFFIXES:
        import soundfile

        data, rate = soundfile.read(io.BytesIO(example.data), dtype="float32", always_2d=True)
        waveform = data[:, 0] if data.shape[1] == 1 else np.ascontiguousarray(data.T)
        return AudioSample(waveform, int(rate), label=example.label)
    from augment.images.io import decode_image

    return ImageSample(decode_image(example.data, name), label=example.label)


def encode_original(sample: Any) -> tuple[bytes, str]:
    """An input sample as a file a browser shows or plays: PNG or 16-bit WAV."""
    if isinstance(sample, AudioSample):
        from augment.audio.io import encode_audio

        return encode_audio(sample, "wav"), ".wav"
    from augment.images.io import encode_image

    return encode_image(sample.image, "png"), ".png"
