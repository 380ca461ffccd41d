"""The scene generators: seeded, parameterised, and physically sensible in what they vary."""

import numpy as np
import pytest

from augment.audio.scenes import FS, render
from augment.audio.scenes.car import car
from augment.audio.scenes.crowd import crowd
from augment.audio.scenes.measure import (
    CENTRES_HZ,
    TRAFFIC_EN1793_3,
    a_weighted_db,
    coloured_noise,
    effort_tilt_db,
    level_fluctuation_db,
    spectrum_distance,
    speech_spectrum,
    third_octave_levels,
)


def test_same_seed_same_bytes_other_seed_other_clip():
    a = render("car", 3, seed=5, speed_kmh=80)
    assert a.tobytes() == render("car", 3, seed=5, speed_kmh=80).tobytes()
    assert not np.allclose(a, render("car", 3, seed=6, speed_kmh=80))
    assert a.size == 3 * FS
    assert 10 * np.log10(np.mean(a**2)) == pytest.approx(-26.0, abs=0.1)


@pytest.mark.parametrize(
    ("scene", "params", "word"),
    [
        ("car", {"speed_kmh": 300}, "speed"),
        ("car", {"vehicle": "tank"}, "tank"),
        ("street", {"distance_m": 0.1}, "distance_m"),
        ("boat", {}, "boat"),
    ],
)
def test_bad_parameters_are_named(scene, params, word):
    with pytest.raises(ValueError, match=word):
        render(scene, 2, seed=1, **params)


def test_car_gets_louder_and_brighter_with_speed():
    """Tyre/road noise grows ~32 dB and wind ~60 dB per decade of speed, so the cabin level
    rises by 9-15 dB(A) from 50 to 130 km/h (published: about 11) and the share above 1 kHz
    (wind) grows."""
    rng_args = {"n": 4 * FS, "vehicle": "mid"}
    slow = car(np.random.default_rng(1), speed_kmh=50, **rng_args)
    fast = car(np.random.default_rng(1), speed_kmh=130, **rng_args)
    assert 9 < a_weighted_db(fast, FS) - a_weighted_db(slow, FS) < 15

    def high_share(x):
        levels = 10 ** (third_octave_levels(x, FS) / 10)
        return levels[10:].sum() / levels.sum()  # bands from 1 kHz

    assert high_share(fast) > 1.5 * high_share(slow)


def test_car_energy_is_low_and_falls_steeply():
    x = render("car", 6, seed=2, speed_kmh=100)
    levels = third_octave_levels(x, FS)
    assert np.argmax(levels) <= 4  # peak at or below 250 Hz
    assert levels[0] - levels[-1] > 25  # 100 Hz to 6.3 kHz
    assert 10 * np.log10(np.mean(x**2)) - a_weighted_db(x, FS) > 10  # dB(lin) - dB(A)


def test_street_follows_the_traffic_spectrum_better_than_white_or_pink():
    x = render("street", 20, seed=3)
    levels = third_octave_levels(x, FS)
    mine = spectrum_distance(levels, TRAFFIC_EN1793_3)
    for exponent in (0, 1):
        other = third_octave_levels(coloured_noise(exponent, 20, FS), FS)
        assert mine < spectrum_distance(other, TRAFFIC_EN1793_3) - 2


def slow_level_std(x):
    """Std of 1 s levels: the swings of passing traffic (50 ms levels also carry the
    statistical fluctuation of low-frequency noise, 3 dB even for stationary brown noise)."""
    levels = 10 * np.log10(np.mean(x[: x.size // FS * FS].reshape(-1, FS) ** 2, axis=1))
    return float(np.std(levels))


def test_street_is_steadier_with_more_and_further_traffic():
    """A single truck can dominate a far road for seconds, so average two seeds."""
    kerb = [render("street", 30, seed=s, vehicles_per_minute=8, distance_m=3) for s in (4, 5)]
    avenue = [
        render("street", 30, seed=s, vehicles_per_minute=60, distance_m=30, lanes=4) for s in (4, 5)
    ]
    assert np.mean([slow_level_std(x) for x in kerb]) > 1.5 * np.mean(
        [slow_level_std(x) for x in avenue]
    )
    assert np.mean([level_fluctuation_db(x, FS) for x in kerb]) > np.mean(
        [level_fluctuation_db(x, FS) for x in avenue]
    )


def test_raised_voices_are_brighter_not_only_louder():
    """ANSI S3.5's raised and loud speech: the bands above 1 kHz rise far more than those
    below 500 Hz, and more the louder the voice."""
    low, high = CENTRES_HZ < 500, (CENTRES_HZ >= 1000) & (CENTRES_HZ <= 4000)
    raised, loud = effort_tilt_db("raised", CENTRES_HZ), effort_tilt_db("loud", CENTRES_HZ)
    assert np.all(effort_tilt_db("normal", CENTRES_HZ) == 0)
    assert raised[high].mean() - raised[low].mean() > 4
    assert loud[high].mean() - loud[low].mean() > raised[high].mean() - raised[low].mean() + 4
    assert np.allclose(speech_spectrum("loud") - speech_spectrum(), loud)


def test_crowd_names_an_unknown_vocal_effort():
    with pytest.raises(ValueError, match="whisper"):
        crowd(np.random.default_rng(0), FS, vocal_effort="whisper")
    with pytest.raises(ValueError, match="whisper"):
        effort_tilt_db("whisper", CENTRES_HZ)
