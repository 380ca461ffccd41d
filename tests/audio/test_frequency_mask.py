"""FrequencyMask: energy in the masked band is removed and elsewhere kept, measured by STFT;
bands are drawn on the mel scale and replay from their params."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.signal import stft

from augment.audio import FrequencyMask
from augment.audio.frequency_mask import hz_to_mel
from augment.core.errors import ConfigError
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000


def _noise(rate: int = RATE) -> AudioSample:
    return AudioSample(
        (0.1 * np.random.default_rng(0).standard_normal(2 * rate)).astype(np.float32), rate
    )


def _band_db(y: np.ndarray, x: np.ndarray, rate: int, low: float, high: float) -> float:
    f, _, big_x = stft(x, rate, nperseg=1024)
    _, _, big_y = stft(y, rate, nperseg=1024)
    band = (f > low) & (f < high)
    return 10 * np.log10(np.sum(np.abs(big_y[band]) ** 2) / np.sum(np.abs(big_x[band]) ** 2))


@pytest.mark.parametrize("rate", [8000, 16000, 44100])
def test_the_band_loses_its_energy_and_the_rest_keeps_it(rate: int) -> None:
    noise = _noise(rate)
    out = FrequencyMask().apply(noise, {"bands": [[1000.0, 2000.0]]}).waveform
    assert out.shape == noise.waveform.shape and out.dtype == np.float32
    assert _band_db(out, noise.waveform, rate, 1100, 1900) < -30  # measured about -40 dB
    assert abs(_band_db(out, noise.waveform, rate, 50, 800)) < 0.1
    assert abs(_band_db(out, noise.waveform, rate, 2300, rate / 2 - 100)) < 0.1


def test_no_band_gives_the_input_back_and_stereo_is_masked_alike() -> None:
    noise = _noise()
    same = FrequencyMask().apply(noise, {"bands": []}).waveform
    np.testing.assert_array_equal(same, noise.waveform)
    stereo = AudioSample(np.stack([noise.waveform, noise.waveform]), RATE)
    out = FrequencyMask().apply(stereo, {"bands": [[300.0, 600.0]]}).waveform
    np.testing.assert_array_equal(out[0], out[1])
    assert _band_db(out[0], noise.waveform, RATE, 350, 550) < -30


def test_bands_are_drawn_on_the_mel_scale_within_the_width_range() -> None:
    transform = FrequencyMask(count=1, width=[0.05, 0.1])
    top = hz_to_mel(RATE / 2)
    lows = []
    for i in range(200):
        params = transform.draw_params(example_rng(0, i), _noise())
        assert json.loads(json.dumps(params)) == params
        ((low, high),) = params["bands"]
        width = (hz_to_mel(high) - hz_to_mel(low)) / top
        assert 0.049 <= width <= 0.101 and 0 <= low < high <= RATE / 2
        lows.append(hz_to_mel(low) / top)
    # uniform on the mel scale: about half the bands start below the middle of its range
    assert 0.4 < np.mean(np.array(lows) < 0.475) < 0.6


def test_replays_from_params(speech) -> None:
    out, params = FrequencyMask().run(speech, example_rng(1, 1))
    again = FrequencyMask().apply(speech, json.loads(json.dumps(params)))
    assert again.waveform.tobytes() == out.waveform.tobytes()


def test_a_width_above_one_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^width: "):
        FrequencyMask(width=[0.1, 1.5])
