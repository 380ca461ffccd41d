"""The robust-speech preset builds, and applies each step with its stated probability."""

import numpy as np
import pytest

from augment.audio.presets import load_preset, preset_names
from augment.core.errors import ConfigError
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng


def test_unknown_preset_names_the_known_ones():
    with pytest.raises(ConfigError, match="robust-speech"):
        load_preset("robust-sp33ch")


def test_robust_speech_probabilities_by_counting():
    assert "robust-speech" in preset_names()
    pipeline = load_preset("robust-speech")
    rate = 16000
    sample = AudioSample(0.1 * np.sin(np.arange(rate) * 0.05).astype(np.float32), rate)
    n = 400
    applied = np.zeros(4)
    for i in range(n):
        params = pipeline.draw_params(example_rng(11, i), sample)
        applied += [step["applied"] for step in _maybes(params)]
    expected = np.array([0.3, 0.85, 0.5, 0.3])
    # binomial standard error at n=400 is at most 0.025: 4 SE bounds
    assert np.all(np.abs(applied / n - expected) < 0.1), applied / n


def _maybes(params):
    found = []
    if isinstance(params, dict):
        if set(params) >= {"applied", "params"}:
            return [params]
        for value in params.values():
            found += _maybes(value)
    elif isinstance(params, list):
        for value in params:
            found += _maybes(value)
    return found
