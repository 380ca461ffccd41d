"""The bundled scene files measure like the places they stand for, not like white or pink
noise, against the published spectra (LTASS, EN 1793-3) and the targets of issue 19."""

import numpy as np
import pytest
import soundfile as sf

from augment.audio.noise_bank import BUNDLED_SCENES, bundled_dir, bundled_files
from augment.audio.scenes import VARIANTS
from augment.audio.scenes.measure import (
    LTASS_BYRNE_1994,
    TRAFFIC_EN1793_3,
    a_weighted_db,
    coloured_noise,
    level_fluctuation_db,
    spectrum_distance,
    speech_spectrum,
    third_octave_levels,
)


def load(name):
    x, rate = sf.read(bundled_dir() / f"{name}.flac", dtype="float64")
    return x, rate


def distance_to(x, rate, reference):
    return spectrum_distance(third_octave_levels(x, rate), reference)


def test_every_variant_is_bundled_and_the_folder_stays_small():
    files = sorted(p.stem for p in bundled_dir().glob("*.flac"))
    assert files == sorted(VARIANTS)
    assert sum(p.stat().st_size for p in bundled_dir().iterdir()) < 12e6
    assert (bundled_dir() / "README.md").is_file() and (bundled_dir() / "LICENSE").is_file()


@pytest.mark.parametrize("scene", BUNDLED_SCENES)
def test_each_scene_name_selects_its_variants(scene):
    files = bundled_files(scene)
    assert files and all(f.startswith(scene) for f in files)
    for name in files:
        info = sf.info(bundled_dir() / name)
        assert info.format == "FLAC" and info.samplerate == 16000 and info.duration >= 29


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_no_variant_is_white_or_pink(name):
    x, rate = load(name)
    levels = third_octave_levels(x, rate)
    assert levels[-1] < levels.max() - 10  # 6.3 kHz: white rises, pink is flat
    assert level_fluctuation_db(x, rate) > 1.2  # stationary noise: 0.2 (white)-1.0 (pink)


@pytest.mark.parametrize("name", [n for n in VARIANTS if n.startswith("car")])
def test_car_is_low_frequency_and_steady(name):
    x, rate = load(name)
    levels = third_octave_levels(x, rate)
    assert np.argmax(levels) <= 4 and levels[0] - levels[-1] > 25
    assert 10 * np.log10(np.mean(x**2)) - a_weighted_db(x, rate) > 10
    assert level_fluctuation_db(x, rate) < 3.5


@pytest.mark.parametrize("name", [n for n in VARIANTS if n.startswith(("crowd", "cafe"))])
def test_babble_follows_the_speech_spectrum(name):
    """Within 4 dB of the LTASS tilted to the variant's vocal effort (ANSI S3.5), 2 dB
    nearer than pink noise; a raised or loud crowd is brighter than the plain LTASS."""
    x, rate = load(name)
    pink = coloured_noise(1, 30, rate)
    reference = speech_spectrum(VARIANTS[name].params.get("vocal_effort", "normal"))
    mine = distance_to(x, rate, reference)
    assert mine < 4.0 and mine < distance_to(pink, rate, reference) - 2
    if VARIANTS[name].params.get("vocal_effort", "normal") != "normal":
        assert mine < distance_to(x, rate, LTASS_BYRNE_1994) - 1


@pytest.mark.parametrize("name", [n for n in VARIANTS if n.startswith("street")])
def test_street_follows_the_traffic_spectrum(name):
    """EN 1793-3 is a roadside spectrum; 40 m away air absorption makes it duller."""
    x, rate = load(name)
    assert distance_to(x, rate, TRAFFIC_EN1793_3) < (5.0 if name == "street_distant" else 3.0)
