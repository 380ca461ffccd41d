"""Consecutive geometric transforms compose into one map and remap once."""

from __future__ import annotations

import numpy as np
from image_helpers import gradient_energy, letter_like

import augment.images.geometry.fuser as fuser_module
from augment import ImageSample, Maybe, Sequence, example_rng
from augment.core import transform as transform_module
from augment.core.transform import get_batch_fuser, get_fuser
from augment.images import Contrast, GridWarp, Rotate, Scale


def test_geometry_fuser_is_registered() -> None:
    assert get_fuser("geometry") is fuser_module.fuse_geometry
    assert get_batch_fuser("geometry") is fuser_module.fuse_geometry_batch


def test_rotate_then_back_is_close_to_identity() -> None:
    image = letter_like(64, np.float32)
    pipeline = Sequence([Rotate((10, 10)), Rotate((-10, -10))])
    out = pipeline(ImageSample(image), example_rng(0, 0))
    # one remap of an identity map: interior pixels come back almost exactly
    assert np.abs(out.image - image)[4:-4, 4:-4].max() < 0.02
    # remapped twice, the same round trip loses visibly more
    step = Rotate((10, 10))(ImageSample(image), example_rng(0, 0))
    twice = Rotate((-10, -10))(step, example_rng(0, 0))
    assert (
        np.abs(twice.image - image)[4:-4, 4:-4].mean()
        > 5 * np.abs(out.image - image)[4:-4, 4:-4].mean()
    )


def test_fused_pipeline_is_sharper_than_step_by_step() -> None:
    image = letter_like(64, np.float32)
    steps = [Rotate(12), Scale((0.85, 1.15)), GridWarp(magnitude=(0.15, 0.25))]
    fused_energy, separate_energy = [], []
    for index in range(8):
        rng_params = example_rng(3, index)
        sample = ImageSample(image)
        params = [t.draw_params(rng_params, sample) for t in steps]
        fused = fuser_module.fuse_geometry(sample, list(zip(steps, params, strict=True)))
        separate = sample
        for t, p in zip(steps, params, strict=True):
            separate = t.apply(separate, p)
        fused_energy.append(gradient_energy(fused.image))
        separate_energy.append(gradient_energy(separate.image))
    assert np.mean(fused_energy) > 1.1 * np.mean(separate_energy)


def test_sequence_calls_the_fuser_once_per_geometric_run(monkeypatch) -> None:
    calls = []
    original = fuser_module.fuse_geometry

    def counting(sample, steps):
        calls.append([type(t).__name__ for t, _ in steps])
        return original(sample, steps)

    batch_fuser = fuser_module.fuse_geometry_batch
    monkeypatch.setitem(transform_module._FUSERS, "geometry", (counting, batch_fuser))
    pipeline = Sequence([Rotate(5), Maybe(Scale(), p=1.0), GridWarp(), Contrast()])
    pipeline(ImageSample(letter_like()), example_rng(0, 1))
    assert calls == [["Rotate", "Scale", "GridWarp"]]


def test_magnitudes_are_relative_to_image_size() -> None:
    """The same config moves a feature by the same fraction at 32 px and 128 px."""
    t = GridWarp(magnitude=(0.3, 0.3))
    shifts = []
    for size in (32, 128):
        kp = np.array([[size * 0.25 - 0.5, size * 0.25 - 0.5]])  # an interior vertex
        out = t(ImageSample(np.zeros((size, size), np.uint8), keypoints=kp), example_rng(0, 0))
        shifts.append(np.abs(out.keypoints - kp).max() / size)
    assert abs(shifts[0] - shifts[1]) < 0.01 and shifts[0] > 0.01


def test_strided_views_are_accepted() -> None:
    base = np.arange(32 * 32 * 3, dtype=np.uint8).reshape(3, 32, 32)
    view = base.transpose(1, 2, 0)  # strides (32, 1, 1024): not C-contiguous
    for transform in (Rotate(10), GridWarp()):
        out = transform(ImageSample(view), example_rng(0, 0)).image
        expected = transform(ImageSample(np.ascontiguousarray(view)), example_rng(0, 0)).image
        assert np.array_equal(out, expected)


def test_field_after_any_matrix_samples_exactly_where_the_chain_points() -> None:
    """The shortcut grids (affine + field, perspective + field, field on the input side)
    agree with mapping every pixel centre through the chain point by point."""
    from augment.images.geometry.coordinate_map import CoordinateMap, pixel_grid

    rng = np.random.default_rng(3)
    n, h, w = 3, 20, 28
    perspective = np.tile(np.eye(3), (n, 1, 1))
    perspective[:, 2, :2] = rng.uniform(-0.004, 0.004, (n, 2))
    perspective[:, :2, 2] = rng.uniform(-2, 2, (n, 2))
    affine = np.tile(np.eye(3), (n, 1, 1))
    affine[:, :2, :2] += rng.uniform(-0.1, 0.1, (n, 2, 2))
    field = rng.uniform(-1.5, 1.5, (n, 5, 6, 2))
    chains = [(affine, field), (perspective, field), (field, perspective), (perspective, field[:1])]
    for stages in chains:
        cmap = CoordinateMap(h, w, stages)
        x, y = cmap.sampling_grid()
        points = np.broadcast_to(pixel_grid(h, w), (n, h * w, 2))
        expected = cmap.backward(points).reshape(n, h, w, 2)
        np.testing.assert_allclose(x, expected[..., 0], atol=2e-4)
        np.testing.assert_allclose(y, expected[..., 1], atol=2e-4)
