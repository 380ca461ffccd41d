"""The audio boundary scales integer PCM and refuses NaN, inf, empty and silent clips."""

from __future__ import annotations

import numpy as np
import pytest

from augment.audio.waveform_checks import WaveformError, checked_waveform


def test_float32_passes_through_and_float64_is_cast():
    x = np.linspace(-0.5, 0.5, 100, dtype=np.float32)
    assert checked_waveform(x) is x
    assert checked_waveform(x.astype(np.float64)).dtype == np.float32


@pytest.mark.parametrize(
    ("dtype", "full_scale", "expected"),
    [(np.int16, -32768, -1.0), (np.int32, -(2**31), -1.0), (np.uint8, 0, -1.0)],
)
def test_integer_pcm_is_scaled_to_full_scale_one(dtype, full_scale, expected):
    x = np.array([full_scale, 0 if dtype != np.uint8 else 128], dtype=dtype)
    out = checked_waveform(x)
    assert out.dtype == np.float32 and out[0] == expected and out[1] == 0.0


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_one_nan_or_inf_sample_is_refused_not_reported_silent(bad):
    x = np.sin(np.arange(1000, dtype=np.float32) / 10)
    x[500] = bad
    with pytest.raises(WaveformError, match="1 NaN or infinite samples"):
        checked_waveform(x, "clip.wav")


@pytest.mark.parametrize(
    ("waveform", "words"),
    [
        (np.zeros(0, np.float32), "empty audio"),
        (np.zeros(100, np.float32), "silent audio"),
        (np.zeros((16000, 2), np.float32) + 0.1, "transposed"),
        (np.zeros((2, 2, 10), np.float32), "is not (n,)"),
        (np.zeros(10, bool), "is not audio"),
        ([0.1, 0.2], "expected a NumPy array"),
    ],
)
def test_the_rest_is_refused_on_one_line_naming_the_input(waveform, words):
    with pytest.raises(WaveformError) as err:
        checked_waveform(waveform, "clip.wav")
    assert str(err.value).startswith("clip.wav: ") and words in str(err.value)
