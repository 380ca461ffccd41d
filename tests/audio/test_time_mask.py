"""TimeMask: the drawn spans are silent and nothing else changes; counts and widths are
drawn within their ranges (by counting)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augment.audio import TimeMask
from augment.core.errors import ConfigError
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000


def test_gaps_are_silent_and_the_rest_is_untouched(speech) -> None:
    transform = TimeMask(count=[1, 3], width_s=[0.02, 0.1])
    counts = []
    for i in range(60):
        out, params = transform.run(speech, example_rng(2, i))
        masked = np.zeros(speech.waveform.size, bool)
        for start, length in params["gaps"]:
            assert 0.02 * RATE <= length <= 0.1 * RATE
            masked[start : start + length] = True
        assert not np.any(out.waveform[masked])
        np.testing.assert_array_equal(out.waveform[~masked], speech.waveform[~masked])
        counts.append(len(params["gaps"]))
        assert json.loads(json.dumps(params)) == params
    assert set(counts) == {1, 2, 3}


def test_stereo_is_masked_in_every_channel_and_replays(speech) -> None:
    stereo = AudioSample(np.stack([speech.waveform, speech.waveform]), RATE)
    out, params = TimeMask(count=2).run(stereo, example_rng(0, 1))
    for start, length in params["gaps"]:
        assert not np.any(out.waveform[:, start : start + length])
    assert TimeMask(count=2).apply(stereo, params).waveform.tobytes() == out.waveform.tobytes()


def test_a_gap_never_runs_past_a_short_clip() -> None:
    short = AudioSample(np.ones(100, np.float32), RATE)
    out, params = TimeMask(count=1, width_s=1.0).run(short, example_rng(0, 0))
    assert params["gaps"] == [[0, 100]] and not np.any(out.waveform)


def test_a_fractional_count_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^count: "):
        TimeMask(count=1.5)
