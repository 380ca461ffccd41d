"""call_audio: the pipeline's own draws, integer PCM scaled, layouts never guessed."""

from __future__ import annotations

import numpy as np
import pytest

from augment import AudioSample, build_pipeline, example_rng
from augment.calls import CallError, call_audio

RATE = 16000
PIPELINE = build_pipeline([{"Gain": {}}, {"ColoredNoise": {"snr_db": 20}}])
UNITY = build_pipeline({"Gain": {"gain_db": 0}})


def _tone(n: int = RATE) -> np.ndarray:
    return (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / RATE)).astype(np.float32)


def test_same_draws_and_bytes_as_running_the_pipeline() -> None:
    out = call_audio(PIPELINE, samples=_tone(), sample_rate=RATE, rng=example_rng(5, 1))
    direct, _ = PIPELINE.run(AudioSample(_tone(), RATE), example_rng(5, 1))
    assert out.dtype == np.float32 and out.tobytes() == direct.waveform.tobytes()


@pytest.mark.parametrize(("dtype", "full_scale"), [(np.int16, 32768), (np.int32, 2**31)])
def test_integer_pcm_is_scaled_to_float(dtype, full_scale: int) -> None:
    pcm = np.array([-full_scale, -1, 0, 1, full_scale - 1], dtype=dtype)
    out = call_audio(UNITY, samples=pcm, sample_rate=RATE)
    np.testing.assert_array_equal(out, (pcm / full_scale).astype(np.float32))
    assert out.dtype == np.float32 and out.min() == -1.0


def test_channels_last_only_when_asked_and_returned_that_way() -> None:
    stereo = np.stack([_tone(), 0.5 * _tone()])  # (2, n)
    first = call_audio(PIPELINE, stereo, RATE, rng=example_rng(0, 0))
    last = call_audio(PIPELINE, stereo.T.copy(), RATE, rng=example_rng(0, 0), channels_last=True)
    assert first.shape == (2, RATE) and last.shape == (RATE, 2)
    np.testing.assert_array_equal(last, first.T)
    with pytest.raises(CallError, match=r"reads as 16000 channels of 2 samples.*channels_last"):
        call_audio(PIPELINE, stereo.T.copy(), RATE)


@pytest.mark.parametrize(
    ("samples", "rate", "message"),
    [
        (np.zeros(10, np.uint8), RATE, "samples: dtype uint8"),
        (np.full(10, np.nan, np.float32), RATE, "samples: contains NaN"),
        (np.zeros((1, 2, 3), np.float32), RATE, r"samples: shape \(1, 2, 3\)"),
        ([0.0, 0.1], RATE, "samples: expected a NumPy array"),
        (np.zeros(10, np.float32), 0, "sample_rate: must be positive"),
        (np.zeros(10, np.float32), 16000.0, "sample_rate: expected a whole number"),
    ],
)
def test_bad_audio_is_a_one_line_error(samples, rate, message: str) -> None:
    with pytest.raises(CallError, match=message):
        call_audio(UNITY, samples, rate)


def test_a_pipeline_that_changes_the_rate_is_refused_not_misreported() -> None:
    with pytest.raises(CallError, match="changed the rate from 16000 to 8000"):
        call_audio(build_pipeline({"Resample": {"sample_rate": 8000}}), _tone(), RATE)
