"""albumentations transforms inside our pipelines: seeded from our generator, recorded."""

from __future__ import annotations

import json

import albumentations as A
import numpy as np
import pytest
from image_helpers import letter_like

from augment import ConfigError, ImageSample, build_pipeline, dump_pipeline, example_rng
from augment.adapters.albumentations import Albumentations

CONFIG = [{"Albumentations": {"transform": "Rotate", "kwargs": {"limit": 30}}}, "Contrast"]


def _sample() -> ImageSample:
    return ImageSample(letter_like(32, np.uint8, 3), label="A")


def test_config_builds_wraps_and_round_trips() -> None:
    pipeline = build_pipeline(CONFIG)
    assert isinstance(pipeline.transforms[0].transform, A.Rotate)
    assert dump_pipeline(build_pipeline(dump_pipeline(pipeline))) == dump_pipeline(pipeline)


def test_python_constructor_takes_an_instance() -> None:
    wrapped = Albumentations(A.GaussianBlur(blur_limit=(3, 5), p=1.0))
    config = wrapped.get_config()
    assert config["transform"] == "GaussianBlur" and config["kwargs"]["blur_limit"] == [3, 5]
    rebuilt = build_pipeline({"Albumentations": config})
    a = wrapped(_sample(), example_rng(0, 0)).image
    b = rebuilt(_sample(), example_rng(0, 0)).image
    assert a.tobytes() == b.tobytes()


def test_seeded_from_our_generator_reproducible_and_distinct() -> None:
    pipeline = build_pipeline(CONFIG)
    outs = [pipeline(_sample(), example_rng(3, i)).image.tobytes() for i in range(6)]
    again = [pipeline(_sample(), example_rng(3, i)).image.tobytes() for i in range(6)]
    assert outs == again
    assert len(set(outs)) == 6


def test_recorded_seed_replays_bytes_and_applied_params_are_json() -> None:
    pipeline = build_pipeline(CONFIG)
    out, params = pipeline.run(_sample(), example_rng(1, 1))
    recorded = json.loads(json.dumps(params))
    step = recorded["steps"][0]["Albumentations"]
    assert isinstance(step["seed"], int) and step["applied"][0][0] == "Rotate"
    assert pipeline.apply(_sample(), recorded).image.tobytes() == out.image.tobytes()


def test_targets_go_through_albumentations() -> None:
    wrapped = Albumentations("HorizontalFlip")
    sample = ImageSample(
        letter_like(32),
        keypoints=np.array([[3.0, 4.0]]),
        boxes=np.array([[0.0, 1.0, 5.0, 6.0]]),
        mask=(letter_like(32) < 128).astype(np.uint8),
    )
    out = wrapped(sample, example_rng(0, 0))
    np.testing.assert_array_equal(out.image, sample.image[:, ::-1])
    np.testing.assert_array_equal(out.mask, sample.mask[:, ::-1])
    np.testing.assert_allclose(out.keypoints, [[28.0, 4.0]])
    np.testing.assert_allclose(out.boxes, [[27.0, 1.0, 32.0, 6.0]])


def test_bad_config_is_a_one_line_error() -> None:
    with pytest.raises(ConfigError, match="no transform 'NotATransform'"):
        build_pipeline({"Albumentations": {"transform": "NotATransform"}})
    with pytest.raises(ConfigError, match="kwargs"):
        build_pipeline({"Albumentations": {"transform": "Rotate", "kwargs": {"nope": 1}}})


class _Repeated:
    """A dataset returning the same sample, augmented with the implicit generator."""

    def __init__(self) -> None:
        self.pipeline = build_pipeline(CONFIG)

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> bytes:
        return self.pipeline(_sample()).image.tobytes()


def test_dataloader_workers_do_not_repeat_each_other() -> None:
    torch_data = pytest.importorskip("torch.utils.data")
    loader = torch_data.DataLoader(
        _Repeated(), batch_size=None, num_workers=2, multiprocessing_context="fork"
    )
    outputs = list(loader)
    assert len(set(outputs)) == 4
