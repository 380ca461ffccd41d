"""TimeShift: a click moves by the drawn amount; silence or wrap-around as chosen."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augment.audio import TimeShift
from augment.core.errors import ConfigError
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000


def _click(at: int = 4000, n: int = RATE) -> AudioSample:
    x = np.zeros(n, np.float32)
    x[at] = 1.0
    return AudioSample(x, RATE)


@pytest.mark.parametrize("mode", ["silence", "circular"])
def test_a_click_moves_by_the_drawn_amount(mode: str) -> None:
    transform = TimeShift(shift_s=0.2, mode=mode)
    shifts = []
    for i in range(30):
        out, params = transform.run(_click(), example_rng(1, i))
        shift = params["shift_samples"]
        assert abs(shift) <= 0.2 * RATE
        assert np.flatnonzero(out.waveform).tolist() == [4000 + shift]
        assert out.waveform.shape == (RATE,)
        shifts.append(shift)
    assert min(shifts) < -1000 and max(shifts) > 1000  # both directions are drawn


def test_silence_drops_what_leaves_and_circular_wraps_it() -> None:
    late = _click(at=RATE - 100)
    params = {"shift_samples": 300}
    assert not np.any(TimeShift(mode="silence").apply(late, params).waveform)
    wrapped = TimeShift(mode="circular").apply(late, params).waveform
    assert np.flatnonzero(wrapped).tolist() == [200]
    gone = TimeShift(mode="silence").apply(_click(), {"shift_samples": -2 * RATE}).waveform
    assert not np.any(gone)


def test_stereo_channels_move_together_and_params_replay_from_json() -> None:
    stereo = AudioSample(np.stack([_click().waveform, 0.5 * _click(at=9000).waveform]), RATE)
    transform = TimeShift(shift_s=[0.05, 0.05])
    out, params = transform.run(stereo, example_rng(0, 0))
    assert params == {"shift_samples": 800}
    assert np.flatnonzero(out.waveform[0]).tolist() == [4800]
    assert np.flatnonzero(out.waveform[1]).tolist() == [9800]
    again = transform.apply(stereo, json.loads(json.dumps(params)))
    assert again.waveform.tobytes() == out.waveform.tobytes()


def test_bad_mode_names_the_field() -> None:
    with pytest.raises(ConfigError, match=r"^mode: "):
        TimeShift(mode="wrap")
