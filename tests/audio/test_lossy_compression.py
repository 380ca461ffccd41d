"""LossyCompression: low bitrates band-limit (measured on a chirp), the bitrate asked is the
bitrate encoded (measured by size), timing and length are kept, replay is exact."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.signal import chirp

from augment.audio import LossyCompression
from augment.audio.lossy_compression import CODECS, encoded_bytes, round_trip
from augment.core.errors import ConfigError
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000


def _chirp(rate: int = RATE, seconds: float = 2.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * chirp(t, 100, seconds, 0.49 * rate)).astype(np.float32)


def _band_db(y: np.ndarray, x: np.ndarray, low: float, high: float) -> float:
    """Energy change (dB) of y against x between low and high Hz."""
    f = np.fft.rfftfreq(x.size, 1 / RATE)
    band = (f > low) & (f < high)
    return 10 * np.log10(
        np.sum(np.abs(np.fft.rfft(y))[band] ** 2) / np.sum(np.abs(np.fft.rfft(x))[band] ** 2)
    )


@pytest.mark.parametrize(("codec", "low_kbps", "high_kbps"), [("mp3", 8, 64), ("opus", 8, 32)])
def test_a_low_bitrate_band_limits_a_chirp_and_a_high_one_does_not(codec, low_kbps, high_kbps):
    x = _chirp()
    narrow, wide = round_trip(x, RATE, codec, low_kbps), round_trip(x, RATE, codec, high_kbps)
    assert _band_db(narrow, x, 5000, 7800) < -40  # measured -102 dB (mp3), -54 dB (opus)
    assert _band_db(wide, x, 5000, 6500) > -3
    for y in (narrow, wide):  # speech band kept
        assert abs(_band_db(y, x, 300, 2000)) < 1.0


@pytest.mark.parametrize("codec", list(CODECS))
@pytest.mark.parametrize("kbps", [16, 32, 64])
def test_the_encoded_bitrate_is_the_one_asked(codec: str, kbps: int) -> None:
    noise = (0.1 * np.random.default_rng(0).standard_normal(4 * RATE)).astype(np.float32)
    measured = len(encoded_bytes(noise, RATE, codec, kbps)) * 8 / 4 / 1000
    assert abs(measured / kbps - 1) < 0.1, measured  # container overhead is a few percent


@pytest.mark.parametrize("codec", list(CODECS))
@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100])
def test_timing_and_length_are_kept_at_any_rate(codec: str, rate: int) -> None:
    t = np.arange(rate) / rate
    burst = (0.3 * np.sin(2 * np.pi * 300 * t) * (np.abs(t - 0.5) < 0.1)).astype(np.float32)
    y = round_trip(burst, rate, codec, 64)
    assert y.shape == burst.shape and y.dtype == np.float32
    middle = burst[int(0.35 * rate) : int(0.65 * rate)]
    lag = int(np.argmax(np.correlate(y, middle, "valid"))) - int(0.35 * rate)
    assert lag == 0


def test_draws_replay_from_json_params_and_stereo_keeps_its_channels() -> None:
    stereo = AudioSample(np.stack([_chirp(), 0.5 * _chirp()]), RATE)
    transform = LossyCompression(bitrate_kbps=[16, 32])
    out, params = transform.run(stereo, example_rng(0, 3))
    assert params["codec"] in ("mp3", "opus") and 16 <= params["bitrate_kbps"] <= 32
    replayed = transform.apply(stereo, json.loads(json.dumps(params)))
    assert replayed.waveform.tobytes() == out.waveform.tobytes()
    assert out.waveform.shape == stereo.waveform.shape
    codecs = {transform.draw_params(example_rng(0, i), stereo)["codec"] for i in range(40)}
    assert codecs == {"mp3", "opus"}


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"codecs": ["aac"]}, "codecs"),
        ({"codecs": "mp3"}, "codecs"),
        ({"bitrate_kbps": 1}, "bitrate_kbps"),
    ],
)
def test_bad_arguments_name_the_field(arguments, field) -> None:
    with pytest.raises(ConfigError, match=f"^{field}: "):
        LossyCompression(**arguments)
