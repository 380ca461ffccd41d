"""Random nested pipelines: the batch path gives the params, labels and pixels of one-by-one
runs. A seeded sweep over combinators (Maybe, OneOf, SomeOf, Sequence), every image
transform, grey/RGB/RGBA and uint8/float32 crops, with labels a Mirror can change."""

from __future__ import annotations

import numpy as np
import pytest

from augment import ImageSample, build_pipeline, example_rng
from augment.images.batch import run_batch

LEAVES = [
    "Affine", "Blur", "Brightness", "Contrast", "Elastic", "Gamma", "GridWarp", "Invert",
    "JpegCompression", "Lighting", "LowResolution", "Mirror", "Noise", "Perspective", "Rotate",
    "Scale", "Shear", "Translate",
    {"Rotate": {"border": "random"}}, {"Mirror": {"label_map": {"b": "d", "d": "b"}}},
    {"LowResolution": {"upsampling": ["nearest", "cubic"]}}, {"Blur": {"kinds": ["motion"]}},
]  # fmt: skip
LABELS = ["b", "d", "A", "R"]


def _step(rng: np.random.Generator, depth: int = 0):
    x = rng.random()
    if depth > 1 or x < 0.5:
        return LEAVES[int(rng.integers(len(LEAVES)))]
    if x < 0.62:
        return {"Maybe": {"p": float(rng.random()), "transform": _step(rng, depth + 1)}}
    children = [_step(rng, depth + 1) for _ in range(int(rng.integers(1, 4)))]
    if x < 0.76:
        return {"OneOf": {"transforms": children}}
    if x < 0.88:
        return {"Sequence": {"transforms": children}}
    return {"SomeOf": {"transforms": children, "n": [0, len(children)]}}


def _crops(rng: np.random.Generator, n: int) -> np.ndarray:
    h, w = (int(v) for v in rng.choice([3, 17, 32, 45], 2))
    channels = [None, 3, 4][int(rng.integers(3))]
    shape = (n, h, w) if channels is None else (n, h, w, channels)
    if rng.random() < 0.7:
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.random(shape, dtype=np.float32)


@pytest.mark.parametrize("trial", range(60))
def test_random_pipeline_batch_matches_one_by_one(trial: int) -> None:
    rng = np.random.default_rng(trial)
    pipeline = build_pipeline([_step(rng) for _ in range(int(rng.integers(1, 5)))])
    crops = _crops(rng, 6)
    labels = [LABELS[i % 4] for i in range(6)]
    result = run_batch(pipeline, crops, [example_rng(trial, i) for i in range(6)], labels)
    tolerance = 1 if crops.dtype == np.uint8 else 1.5 / 255  # vectorised colour steps round
    for i in range(6):
        single, params = pipeline.run(ImageSample(crops[i], label=labels[i]), example_rng(trial, i))
        assert params == result.params[i] and single.label == result.labels[i]
        assert single.image.shape == result.images[i].shape
        diff = np.abs(single.image.astype(np.float64) - result.images[i].astype(np.float64))
        assert diff.max() <= tolerance, (i, diff.max())
