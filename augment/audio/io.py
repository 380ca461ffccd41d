"""Reading and encoding audio files, and the noise columns a noisy copy's manifest row gets.

Inputs decode to float32 (n,) or (channels, n); an empty, silent or undecodable file is an
InputError naming it, so a long run reports it and goes on.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import soundfile as sf

from augment.audio.levels import rms_db
from augment.core.errors import InputError
from augment.core.sample import AudioSample

FORMATS = {"flac": ("FLAC", "PCM_16"), "wav": ("WAV", "PCM_16"), "ogg": ("OGG", "VORBIS")}
SILENT_INPUT_DB = -90.0
NOISE_COLUMNS = ("noise_source", "noise_file", "noise_offset_s", "snr_db_achieved")


def read_audio(path: str | Path) -> AudioSample:
    """Decode a file to float32 (n,) or (channels, n); InputError for empty/silent/corrupt."""
    return _decode(str(path), str(path))


def decode_audio(data: bytes, name: str) -> AudioSample:
    """`read_audio` of encoded bytes (e.g. a dataset row's audio); `name` for errors."""
    return _decode(io.BytesIO(data), name)


def _decode(file: str | BinaryIO, name: str) -> AudioSample:
    try:
        data, rate = sf.read(file, dtype="float32", always_2d=True)
    except (RuntimeError, sf.LibsndfileError, OSError) as err:
        raise InputError(name, f"cannot decode audio ({str(err).splitlines()[0]})") from None
    if data.shape[0] == 0:
        raise InputError(name, "empty audio (no samples)")
    waveform = data[:, 0] if data.shape[1] == 1 else np.ascontiguousarray(data.T)
    bad = int(waveform.size - np.count_nonzero(np.isfinite(waveform)))
    if bad:  # one would turn every level, filter and mix into NaN
        raise InputError(name, f"{bad} NaN or infinite samples")
    if rms_db(waveform) < SILENT_INPUT_DB:
        raise InputError(name, "silent audio (level below -90 dBFS)")
    return AudioSample(np.ascontiguousarray(waveform), int(rate))


def encode_audio(sample: AudioSample, file_format: str) -> bytes:
    """The sample as FLAC, WAV (16-bit) or OGG Vorbis bytes, clipped to [-1, 1] first."""
    container, subtype = FORMATS[file_format]
    buffer = io.BytesIO()
    data = np.clip(sample.waveform, -1.0, 1.0)
    sf.write(buffer, data.T if data.ndim == 2 else data, sample.sample_rate, format=container,
             subtype=subtype)  # fmt: skip
    return buffer.getvalue()


def noise_columns(sample: AudioSample) -> dict[str, Any]:
    """Flat manifest columns from what BackgroundNoise measured (asked vs achieved SNR)."""
    record = sample.extra.get("background_noise")
    if not record:
        return {}
    columns = {key: record.get(key) for key in NOISE_COLUMNS}
    columns["snr_db_asked"] = record.get("snr_db")
    return columns
