"""The photo-chars preset: loads, keeps labels and sizes, same bytes for the same seed, and
fires each step with the probability its YAML states (counted over many copies)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from image_helpers import letter_like

from augment.core.errors import ConfigError
from augment.core.registry import dump_pipeline
from augment.core.sample import ImageSample
from augment.core.seeding import example_rng
from augment.images.augment_list import augment_samples
from augment.images.presets import PRESETS, load_preset, preset_names

PRESET = "photo-chars"


def _configured_steps() -> list[tuple[str, float]]:
    """(transform name, p) of each Maybe step, read from the YAML file itself."""
    config = yaml.safe_load(PRESETS.path(PRESET).read_text(encoding="utf-8"))["pipeline"]
    steps = []
    for step in config:
        maybe = step["Maybe"]
        (name,) = maybe["transform"]
        steps.append((name, float(maybe["p"])))
    return steps


def test_preset_is_listed_and_unknown_names_list_the_known_ones() -> None:
    assert PRESET in preset_names()
    with pytest.raises(ConfigError, match=PRESET):
        load_preset("photo-charz")
    with pytest.raises(ConfigError, match="unknown preset"):
        load_preset("../audio/presets/robust-speech")


def test_steps_are_what_photographed_crops_vary_in_and_never_mirror() -> None:
    names = {name for name, _ in _configured_steps()}
    wanted = {"Scale", "Translate", "Perspective", "Lighting", "Blur", "LowResolution"}
    assert wanted | {"JpegCompression", "Contrast"} <= names
    assert "Mirror" not in str(dump_pipeline(load_preset(PRESET)))


def test_each_step_fires_with_its_configured_probability() -> None:
    pipeline = load_preset(PRESET)
    steps = _configured_steps()
    n = 1500
    samples = [ImageSample(letter_like(32, np.uint8, 3), label="E") for _ in range(n)]
    results = augment_samples(pipeline, samples, [example_rng(5, i) for i in range(n)])
    fired = np.zeros(len(steps))
    for out, params in results:
        assert out.label == "E" and out.image.shape == (32, 32, 3)
        fired += [step["Maybe"]["applied"] for step in params["steps"]]
    expected = np.array([p for _, p in steps])
    standard_error = np.sqrt(expected * (1 - expected) / n)  # at most 0.013 at n=1500
    assert np.all(np.abs(fired / n - expected) < 4 * standard_error), fired / n


@pytest.mark.parametrize("shape", [(45, 23, 3), (80, 51), (32, 32)])
def test_same_seed_same_bytes_and_the_size_is_kept(shape: tuple[int, ...]) -> None:
    pipeline = load_preset(PRESET)
    rng = np.random.default_rng(len(shape))
    sample = ImageSample(rng.integers(0, 256, shape, dtype=np.uint8), label="k")
    for index in range(40):
        first, params = pipeline.run(sample, example_rng(3, index))
        again, _ = load_preset(PRESET).run(sample, example_rng(3, index))
        assert first.image.tobytes() == again.image.tobytes()
        assert first.image.shape == shape and first.image.dtype == np.uint8
        assert pipeline.apply(sample, params).image.tobytes() == first.image.tobytes()
