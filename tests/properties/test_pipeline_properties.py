"""Property-based tests of image pipelines (hypothesis): for any valid pipeline and any
image the transforms take, the output keeps the documented dtype, shape and range, replay
from the recorded params reproduces it, and boxes and keypoints stay consistent with it.

Pipelines are drawn from the registry (every image transform that builds with defaults,
nested in Sequence, OneOf, SomeOf and Maybe), so a new transform is covered with no edit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from augment import ImageSample, build_pipeline, example_rng

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "images"))
from image_helpers import registered_image_transforms

LEAVES = registered_image_transforms()
GEOMETRIC = {"Affine", "Elastic", "GridWarp", "Mirror", "Perspective", "Rotate", "Scale",
             "Shear", "Translate"}  # fmt: skip
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

leaf = st.sampled_from(LEAVES)
steps = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda t, p: {"Maybe": {"transform": t, "p": p}}, inner, st.floats(0, 1)),
        st.lists(inner, min_size=1, max_size=3).map(lambda ts: {"OneOf": {"transforms": ts}}),
        st.lists(inner, min_size=1, max_size=3).map(lambda ts: {"Sequence": {"transforms": ts}}),
        st.lists(inner, min_size=1, max_size=3).map(
            lambda ts: {"SomeOf": {"transforms": ts, "n": [0, len(ts)]}}
        ),
    ),
    max_leaves=6,
)
pipelines = st.lists(steps, min_size=1, max_size=4)


@st.composite
def images(draw: st.DrawFn) -> np.ndarray:
    h, w = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    channels = draw(st.sampled_from([None, 3, 4]))
    shape = (h, w) if channels is None else (h, w, channels)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.random(shape, dtype=np.float32)


@SETTINGS
@given(config=pipelines, image=images(), index=st.integers(0, 10**6))
def test_output_keeps_dtype_shape_and_range_and_replays(config, image, index):
    pipeline = build_pipeline(config)
    sample = ImageSample(image, label="b")
    out, params = pipeline.run(sample, example_rng(0, index))
    assert out.image.dtype == image.dtype and out.image.shape == image.shape
    if image.dtype == np.float32:
        assert np.isfinite(out.image).all()
        assert out.image.min() >= -1e-5 and out.image.max() <= 1 + 1e-5
    replayed = pipeline.apply(sample, json.loads(json.dumps(params)))
    assert replayed.image.tobytes() == out.image.tobytes() and replayed.label == out.label


geometric_steps = st.lists(st.sampled_from(sorted(GEOMETRIC & set(LEAVES))), min_size=1, max_size=4)


@SETTINGS
@given(
    config=geometric_steps,
    size=st.integers(16, 48),
    corners=st.lists(st.floats(0.1, 0.9), min_size=4, max_size=4),
    index=st.integers(0, 10**6),
)
def test_boxes_and_keypoints_stay_consistent_with_the_image(config, size, corners, index):
    """A box drawn as a bright rectangle: after any geometric pipeline the moved box still
    covers the rectangle's pixels (or was dropped), inside the canvas; the same params
    replay boxes and keypoints exactly."""
    x0, x1 = sorted(corners[:2])
    y0, y1 = sorted(corners[2:])
    box = np.array(
        [[x0 * size, y0 * size, max(x1 * size, x0 * size + 2), max(y1 * size, y0 * size + 2)]]
    )
    image = np.zeros((size, size), np.float32)
    bx0, by0, bx1, by1 = box[0]
    image[int(np.ceil(by0)) : int(by1), int(np.ceil(bx0)) : int(bx1)] = 1.0
    keypoints = np.array([[(bx0 + bx1) / 2, (by0 + by1) / 2]])
    pipeline = build_pipeline(config)
    sample = ImageSample(image, boxes=box, keypoints=keypoints)
    out, params = pipeline.run(sample, example_rng(3, index))
    assert out.boxes.shape[1] == 4 and out.keypoints.shape == (1, 2)
    if len(out.boxes):
        ox0, oy0, ox1, oy1 = out.boxes[0]
        assert ox0 <= ox1 and oy0 <= oy1
        assert ox0 >= -1e-6 and oy0 >= -1e-6 and ox1 <= size + 1e-6 and oy1 <= size + 1e-6
        ink = np.argwhere(out.image > 0.5)
        if len(ink):  # the bright pixels lie inside the moved box (one pixel of slack)
            assert ink[:, 1].min() >= ox0 - 1.5 and ink[:, 1].max() <= ox1 + 0.5
            assert ink[:, 0].min() >= oy0 - 1.5 and ink[:, 0].max() <= oy1 + 0.5
    replayed = pipeline.apply(sample, json.loads(json.dumps(params)))
    np.testing.assert_array_equal(replayed.boxes, out.boxes)
    np.testing.assert_array_equal(replayed.keypoints, out.keypoints)
