"""Mirror flips only labels that stay valid, and relabels mapped pairs."""

from __future__ import annotations

import numpy as np
import pytest
from image_helpers import letter_like

from augment import ConfigError, ImageSample, Maybe, example_rng
from augment.images import Mirror


def _run(mirror: Mirror, label: str | None) -> tuple[ImageSample, ImageSample]:
    sample = ImageSample(letter_like(), label=label)
    return sample, mirror(sample, example_rng(0, 0))


@pytest.mark.parametrize("label", ["A", "o", "8", "X"])
def test_symmetric_labels_flip_and_keep_their_label(label: str) -> None:
    sample, out = _run(Mirror(), label)
    assert out.label == label
    np.testing.assert_array_equal(out.image, sample.image[:, ::-1])


@pytest.mark.parametrize("label", ["R", "b", "Z", "unknown-class"])
def test_other_labels_are_left_unflipped(label: str) -> None:
    sample, out = _run(Mirror(), label)
    assert out.label == label
    np.testing.assert_array_equal(out.image, sample.image)


def test_label_map_relabels_pairs() -> None:
    mirror = Mirror(label_map={"b": "d", "d": "b", "p": "q", "q": "p"})
    for before, after in [("b", "d"), ("d", "b"), ("p", "q"), ("q", "p")]:
        sample, out = _run(mirror, before)
        assert out.label == after
        np.testing.assert_array_equal(out.image, sample.image[:, ::-1])


def test_configured_symmetric_set_replaces_the_default() -> None:
    mirror = Mirror(symmetric=["cat", "dog"])
    assert _run(mirror, "cat")[1].image is not None
    np.testing.assert_array_equal(_run(mirror, "cat")[1].image, letter_like()[:, ::-1])
    np.testing.assert_array_equal(_run(mirror, "A")[1].image, letter_like())


def test_vertical_axis_and_unlabelled() -> None:
    sample, out = _run(Mirror(axis="vertical"), "B")
    np.testing.assert_array_equal(out.image, sample.image[::-1])
    sample, out = _run(Mirror(flip_unlabelled=False), None)
    np.testing.assert_array_equal(out.image, sample.image)
    sample, out = _run(Mirror(), None)
    np.testing.assert_array_equal(out.image, sample.image[:, ::-1])


def test_maybe_mirror_probability_by_counting() -> None:
    mirror = Maybe(Mirror(), p=0.3)
    sample = ImageSample(letter_like(), label="A")
    flips = sum(
        not np.array_equal(mirror(sample, example_rng(7, i)).image, sample.image)
        for i in range(2000)
    )
    assert abs(flips / 2000 - 0.3) < 0.035


def test_bad_config_names_the_field() -> None:
    with pytest.raises(ConfigError, match="label_map"):
        Mirror(label_map=["b", "d"])
    with pytest.raises(ConfigError, match="axis"):
        Mirror(axis="diagonal")
