"""Masks, keypoints and boxes move with the image through every geometric transform."""

from __future__ import annotations

import numpy as np
import pytest
from image_helpers import centroid, dot_image, registered_image_transforms

from augment import ImageSample, Sequence, build_pipeline, example_rng
from augment.images import (
    Affine,
    Elastic,
    GridWarp,
    Mirror,
    Perspective,
    Rotate,
    Scale,
    Shear,
    Translate,
)
from augment.images.geometry.base import GeometricTransform

TRANSFORMS = {
    "Rotate": Rotate(degrees=30),
    "Scale": Scale(factor=(0.7, 1.4), aspect=(0.8, 1.2)),
    "Translate": Translate(x=0.15, y=0.15),
    "Shear": Shear(x=20, y=10),
    "Affine": Affine(degrees=20, scale=(0.8, 1.2), translate=0.1, shear=10),
    "Perspective": Perspective(distortion=(0.05, 0.1)),
    "GridWarp": GridWarp(cells=4, magnitude=(0.2, 0.35)),
    "Elastic": Elastic(alpha=(0.03, 0.05), sigma=0.3),
    "Mirror": Mirror(),
    "Fused": Sequence([Rotate(15), Scale((0.8, 1.2)), GridWarp(magnitude=0.3), Elastic()]),
    "FieldFirst": Sequence([GridWarp(magnitude=0.3), Rotate(25), Perspective()]),
}


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_keypoint_on_a_bright_dot_stays_on_the_dot(name: str) -> None:
    transform = TRANSFORMS[name]
    for index, (x, y) in enumerate([(30.0, 27.0), (20.0, 40.0), (41.0, 22.0)]):
        sample = ImageSample(dot_image(64, x, y), keypoints=np.array([[x, y]]))
        out = transform(sample, example_rng(5, index))
        kx, ky = out.keypoints[0]
        cx, cy = centroid(out.image, kx, ky)
        assert abs(cx - kx) < 0.6 and abs(cy - ky) < 0.6, (name, (kx, ky), (cx, cy))


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_box_contains_the_moved_mask_and_stays_tight(name: str) -> None:
    transform = TRANSFORMS[name]
    for index in range(3):
        mask = np.zeros((64, 64), np.int32)
        mask[22:40, 18:30] = 3
        box = np.array([[18.0, 22.0, 30.0, 40.0]])  # pixel edges
        sample = ImageSample(np.zeros((64, 64), np.uint8), mask=mask, boxes=box)
        out = transform(sample, example_rng(9, index))
        ys, xs = np.nonzero(out.mask)
        assert set(np.unique(out.mask)) <= {0, 3}  # nearest neighbour: no blended ids
        (x0, y0, x1, y1) = out.boxes[0]
        # every mask pixel [c, c+1) x [r, r+1) lies in the box, up to rounding of nearest
        assert xs.min() >= x0 - 1 and xs.max() + 1 <= x1 + 1, name
        assert ys.min() >= y0 - 1 and ys.max() + 1 <= y1 + 1, name
        # and the box is not much larger than the mask
        assert x0 >= xs.min() - 2.5 and x1 <= xs.max() + 1 + 2.5, name
        assert y0 >= ys.min() - 2.5 and y1 <= ys.max() + 1 + 2.5, name


def test_boxes_are_clipped_and_dropped_below_min_visibility() -> None:
    boxes = np.array([[2.0, 2.0, 12.0, 12.0], [40.0, 40.0, 50.0, 50.0]])
    sample = ImageSample(np.zeros((64, 64), np.uint8), boxes=boxes)
    shift = Translate(x=(-0.125, -0.125), y=0.0, min_visibility=0.5)  # 8 px to the left
    out = shift(sample, example_rng(0, 0))
    # first box is 6 of 10 px outside: 40% visible < 50% -> dropped; second moved by 8 px
    np.testing.assert_allclose(out.boxes, [[32.0, 40.0, 42.0, 50.0]], atol=1e-6)
    assert out.extra["box_indices"] == [1]
    keep_all = Translate(x=(-0.125, -0.125), y=0.0, min_visibility=0.3)(sample, example_rng(0, 0))
    np.testing.assert_allclose(keep_all.boxes[0], [0.0, 2.0, 4.0, 12.0], atol=1e-6)


def test_keypoints_leaving_the_frame_are_kept_in_order() -> None:
    sample = ImageSample(np.zeros((32, 32), np.uint8), keypoints=np.array([[1.0, 5.0], [20, 5]]))
    out = Translate(x=(-0.25, -0.25), y=0.0)(sample, example_rng(0, 0))
    np.testing.assert_allclose(out.keypoints, [[-7.0, 5.0], [12.0, 5.0]], atol=1e-6)


def test_mirror_moves_targets_exactly() -> None:
    image = np.arange(16 * 20, dtype=np.uint8).reshape(16, 20)
    sample = ImageSample(
        image,
        label="A",
        keypoints=np.array([[3.0, 4.0]]),
        boxes=np.array([[0.0, 1.0, 5.0, 6.0]]),
        mask=image.astype(np.int32),
    )
    out = Mirror()(sample, example_rng(0, 0))
    np.testing.assert_array_equal(out.image, image[:, ::-1])
    np.testing.assert_array_equal(out.mask, image[:, ::-1])
    np.testing.assert_allclose(out.keypoints, [[16.0, 4.0]])
    np.testing.assert_allclose(out.boxes, [[15.0, 1.0, 20.0, 6.0]])


def test_targets_follow_a_config_built_pipeline() -> None:
    pipeline = build_pipeline(
        [{"Rotate": {"degrees": 20}}, {"Maybe": {"transform": "GridWarp", "p": 1.0}}]
    )
    sample = ImageSample(dot_image(48, 30, 20), keypoints=np.array([[30.0, 20.0]]))
    out = pipeline(sample, example_rng(1, 2))
    kx, ky = out.keypoints[0]
    cx, cy = centroid(out.image, kx, ky)
    assert abs(cx - kx) < 0.6 and abs(cy - ky) < 0.6


SETTINGS = {  # remapping settings worth covering; every other transform with defaults
    "Rotate": {"border": "constant", "fill": 0.5},
    "Scale": {"interpolation": "cubic"},
    "Translate": {"border": "reflect"},
    "GridWarp": {"interpolation": "nearest"},
}
GEOMETRIC = [
    {name: SETTINGS.get(name, {})} for name in registered_image_transforms(GeometricTransform)
]


@pytest.mark.parametrize("config", GEOMETRIC, ids=str)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("channels", [None, 3, 4])
@pytest.mark.parametrize("shape", [(16, 16), (23, 41)])
def test_geometry_handles_every_pixel_format_and_size(config, dtype, channels, shape) -> None:
    h, w = shape
    rng = np.random.default_rng(0)
    image = rng.random((h, w, channels) if channels else (h, w)).astype(np.float32)
    image = (image * 255).astype(np.uint8) if dtype == np.uint8 else image
    sample = ImageSample(image, label="A", mask=np.ones((h, w), np.uint8))
    out = build_pipeline([config, {"Rotate": {"degrees": 5}}])(sample, example_rng(0, 1))
    assert out.image.shape == image.shape and out.image.dtype == image.dtype
    assert out.mask.shape == (h, w) and out.mask.dtype == np.uint8
    if dtype == np.float32:
        assert np.isfinite(out.image).all()
        assert out.image.min() >= -1e-5 and out.image.max() <= 1 + 1e-5


def test_grid_warp_keeps_the_image_border_in_place() -> None:
    edge_points = np.array([[-0.5, 10.0], [31.5, 20.0], [12.0, -0.5], [7.0, 31.5]])
    sample = ImageSample(np.zeros((32, 32), np.uint8), keypoints=edge_points)
    out = GridWarp(magnitude=(0.4, 0.4))(sample, example_rng(0, 3))
    np.testing.assert_allclose(out.keypoints, edge_points, atol=1e-6)
