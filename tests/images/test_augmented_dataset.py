"""AugmentedDataset: batches through the batch path, items independent of their batch."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from image_helpers import letter_like

from augment import AugmentedDataset, ImageSample, build_pipeline, example_rng
from augment.images import augment_list
from augment.images.batch import run_batch

PIPELINE = [
    {"Rotate": {"degrees": 12}},
    {"GridWarp": {"magnitude": [0.0, 0.25]}},
    {"Mirror": {"label_map": {"b": "d"}}},
    {"Blur": {"size": [0.02, 0.06]}},
    {"Contrast": {}},
    {"JpegCompression": {"quality": [30, 80]}},
]


def _base() -> list[ImageSample]:
    """Grey 32 px and RGB 24 px crops, one crop with a box, and extra columns on each."""
    grey, rgb = letter_like(32), letter_like(24, channels=3)
    items = []
    for i in range(12):
        image = np.roll(rgb if i % 3 == 2 else grey, i, axis=1)
        items.append(ImageSample(image, label="bAR"[i % 3], extra={"source": f"s{i}"}))
    items[4] = items[4].replace(boxes=np.array([[9.0, 6.0, 23.0, 26.0]]))
    return items


def _same(a: ImageSample, b: ImageSample) -> bool:
    boxes_equal = (a.boxes is None and b.boxes is None) or np.array_equal(a.boxes, b.boxes)
    return (
        a.image.tobytes() == b.image.tobytes()
        and a.image.shape == b.image.shape
        and a.label == b.label
        and a.extra == b.extra
        and boxes_equal
    )


def test_items_do_not_depend_on_their_batch() -> None:
    dataset = AugmentedDataset(_base(), build_pipeline(PIPELINE), seed=3)
    one_by_one = [dataset[i] for i in range(len(dataset))]
    order = [7, 2, 11, 4, 0, 9, 1, 5, 10, 3, 8, 6]
    for size in (1, 5, 12):
        for start in range(0, 12, size):
            indices = order[start : start + size]
            for i, item in zip(indices, dataset.__getitems__(indices), strict=True):
                assert _same(item, one_by_one[i]), (size, i)


def test_plain_images_go_through_the_batch_path_in_one_call_per_shape() -> None:
    pipeline = build_pipeline(PIPELINE)
    base = _base()
    dataset = AugmentedDataset(base, pipeline, seed=3)
    with mock.patch.object(augment_list, "run_batch", wraps=run_batch) as spy:
        items = dataset.__getitems__(list(range(12)))
    assert sorted(len(call.args[1]) for call in spy.call_args_list) == [4, 7]  # RGB, grey
    grey = [i for i in range(12) if i % 3 != 2 and i != 4]
    stacked = run_batch(
        pipeline,
        np.stack([base[i].image for i in grey]),
        [example_rng(3, i, 0) for i in grey],
        [base[i].label for i in grey],
    )
    for k, i in enumerate(grey):
        assert items[i].image.tobytes() == stacked.images[k].tobytes()
        assert items[i].label == stacked.labels[k] and items[i].extra == base[i].extra
    assert {items[i].label for i in grey if base[i].label == "b"} <= {"b", "d"}


def test_a_sample_with_targets_runs_alone_and_its_box_moves() -> None:
    pipeline = build_pipeline(PIPELINE)
    base = _base()
    item = AugmentedDataset(base, pipeline, seed=3)[4]
    alone = pipeline(base[4], example_rng(3, 4, 0))
    assert _same(item, alone) and item.boxes is not None
    assert not np.array_equal(item.boxes, base[4].boxes)


def test_epochs_negative_indices_and_range() -> None:
    pipeline = build_pipeline(PIPELINE)
    dataset = AugmentedDataset(_base(), pipeline, seed=3, to_output=lambda s: s.image)
    first = dataset[0]
    assert dataset[-12].tobytes() == first.tobytes()
    dataset.set_epoch(1)
    assert dataset[0].tobytes() != first.tobytes()
    with pytest.raises(IndexError):
        dataset[12]


def test_without_a_seed_draws_differ_between_calls() -> None:
    dataset = AugmentedDataset(_base(), build_pipeline(PIPELINE))
    a, b = dataset.__getitems__([0, 1]), dataset.__getitems__([0, 1])
    assert a[0].image.tobytes() != b[0].image.tobytes()


def test_large_images_skip_the_stack() -> None:
    """Above the batch path's stacking size, items run one by one (no copies into a stack)."""
    pipeline = build_pipeline(PIPELINE)
    base = [ImageSample(letter_like(160), label="A") for _ in range(3)]
    with mock.patch.object(augment_list, "run_batch", wraps=run_batch) as spy:
        items = AugmentedDataset(base, pipeline, seed=1).__getitems__([0, 1, 2])
    assert spy.call_count == 0
    for i, item in enumerate(items):
        assert _same(item, pipeline(base[i], example_rng(1, i, 0)))
