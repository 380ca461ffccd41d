"""Training batches made on a Dask cluster (tests/conftest.py `dask_client`): every item the
same bytes as indexing the dataset here, batch by batch, in order, epoch by epoch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from augment import AugmentedDataset, build_pipeline
from augment.core.sample import ImageSample
from augment.training_dask import batch_bag, batch_ranges, stream_batches
from synth import SynthCharDataset


def _bytes(items: list[Any]) -> list[tuple[bytes, Any]]:
    """Items as comparable bytes: (image bytes, label) for both datasets' outputs."""
    out = []
    for item in items:
        image, label = (item.image, item.label) if isinstance(item, ImageSample) else item
        out.append((np.ascontiguousarray(image).tobytes(), label))
    return out


def _augmented() -> AugmentedDataset:
    rng = np.random.default_rng(0)
    base = [
        ImageSample(rng.random((12, 12), dtype=np.float32), label="ab"[i % 2]) for i in range(9)
    ]
    pipeline = build_pipeline([{"Rotate": {"degrees": 15}}, {"Contrast": {"factor": [0.6, 1.4]}}])
    return AugmentedDataset(base, pipeline, seed=4)


@pytest.mark.parametrize(
    "make", [lambda: SynthCharDataset("0123", per_class=3, size=16, seed=2), _augmented]
)
def test_cluster_batches_hold_the_local_items(dask_client: Any, make: Any) -> None:
    dataset = make()
    for epoch in (0, 1):
        dataset.set_epoch(epoch)
        local = _bytes([dataset[i] for i in range(len(dataset))])
        streamed = list(stream_batches(dask_client, dataset, batch_size=5))
        assert [len(batch) for batch in streamed] == [len(r) for r in batch_ranges(len(dataset), 5)]
        assert [item for batch in streamed for item in _bytes(batch)] == local
        bag = batch_bag(dataset, batch_size=4)
        assert bag.npartitions == -(-len(dataset) // 4)
        assert _bytes(bag.compute(scheduler=dask_client)) == local
    assert local != _bytes([make()[i] for i in range(len(dataset))])  # epoch 1 is new draws


def test_batch_ranges_cover_the_dataset_once() -> None:
    assert batch_ranges(7, 3) == [range(0, 3), range(3, 6), range(6, 7)]
    assert batch_ranges(0, 3) == []
