"""The bundled scenes measure like the places they stand for, not like white or pink noise."""

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import welch

from augment.audio.noise_bank import BUNDLED_SCENES, bundled_dir


def load(scene):
    x, rate = sf.read(bundled_dir() / f"{scene}.flac", dtype="float64")
    return x, rate


def octave_shares(x, rate):
    f, p = welch(x, rate, nperseg=4096)
    total = p.sum()
    return {
        c: 10 * np.log10(p[(f >= c / 2**0.5) & (f < c * 2**0.5)].sum() / total)
        for c in (63, 125, 250, 500, 1000, 2000, 4000)
    }


def level_spread(x, rate):
    frame = rate // 8
    levels = 10 * np.log10(np.mean(x[: x.size // frame * frame].reshape(-1, frame) ** 2, 1))
    p10, p90 = np.percentile(levels, [10, 90])
    return p90 - p10


@pytest.mark.parametrize("scene", BUNDLED_SCENES)
def test_bundled_scene_format_length_and_licence(scene):
    info = sf.info(bundled_dir() / f"{scene}.flac")
    assert info.format == "FLAC" and info.samplerate >= 16000 and info.duration >= 55
    assert (bundled_dir() / "README.md").is_file() and (bundled_dir() / "LICENSE").is_file()


@pytest.mark.parametrize("scene", BUNDLED_SCENES)
def test_not_white_or_pink(scene):
    x, rate = load(scene)
    bands = octave_shares(x, rate)
    # White noise rises 3 dB per octave, pink is flat; every scene falls above its peak.
    assert bands[4000] < max(bands.values()) - 6
    assert level_spread(x, rate) > 2.0  # real scenes fluctuate; stationary noise ~0.5 dB


def test_car_is_low_frequency_and_steady():
    x, rate = load("car")
    bands = octave_shares(x, rate)
    assert max(bands, key=bands.get) <= 125
    assert bands[2000] < bands[125] - 10
    assert level_spread(x, rate) < 6


def test_crowd_follows_the_speech_spectrum_and_is_smoother_than_one_talker():
    x, rate = load("crowd")
    bands = octave_shares(x, rate)
    assert max(bands, key=bands.get) in (250, 500, 1000)
    assert bands[4000] < bands[500] - 10
    assert 2.0 < level_spread(x, rate) < 8  # one talker with pauses: > 20 dB


def test_street_fluctuates_with_passing_traffic():
    x, rate = load("street")
    assert level_spread(x, rate) > 6
