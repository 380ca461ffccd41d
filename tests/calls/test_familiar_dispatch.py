"""A pipeline called with the keywords of albumentations or audiomentations answers as they
do, through the same draws as `run` (the familiar calls are a layer, not a second path)."""

from __future__ import annotations

import numpy as np
import pytest

from augment import ImageSample, build_pipeline, example_rng


def test_image_keywords_return_an_albumentations_style_dict_with_the_same_pixels():
    pipeline = build_pipeline([{"Rotate": {"degrees": 20}}, {"Contrast": {}}])
    image = np.random.default_rng(0).integers(0, 256, (24, 24, 3), dtype=np.uint8)
    out = pipeline(image=image, bboxes=[[2, 2, 10, 10]], bbox_format="pascal_voc",
                   labels=["x"], rng=example_rng(0, 3))  # fmt: skip
    direct, _ = pipeline.run(ImageSample(image, boxes=np.array([[2.0, 2, 10, 10]])),
                             example_rng(0, 3))  # fmt: skip
    assert out["image"].tobytes() == direct.image.tobytes()
    assert len(out["bboxes"]) == len(out["labels"]) == len(direct.boxes)


def test_audio_keywords_return_float32_samples():
    pipeline = build_pipeline([{"Gain": {"gain_db": [-6, -6]}}])
    pcm = (np.sin(np.arange(8000) / 5) * 10000).astype(np.int16)
    out = pipeline(samples=pcm, sample_rate=8000)
    assert out.dtype == np.float32 and out.shape == pcm.shape
    np.testing.assert_allclose(out, pcm / 32768 * 10 ** (-6 / 20), atol=1e-6)


def test_a_sample_and_keywords_together_or_nothing_at_all_is_refused():
    pipeline = build_pipeline(["Rotate"])
    image = np.zeros((8, 8), np.uint8)
    with pytest.raises(TypeError, match="not both"):
        pipeline(ImageSample(image), image=image)
    with pytest.raises(TypeError, match="nothing to augment"):
        pipeline()
