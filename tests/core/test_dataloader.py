"""A pipeline called without a generator inside a real PyTorch DataLoader."""

from __future__ import annotations

import numpy as np
import pytest
import toys

from augment.core.sample import ImageSample

torch = pytest.importorskip("torch")


class _Draws(torch.utils.data.Dataset):
    """Each item is the offset the pipeline drew for it: no seed, no worker_init_fn."""

    def __init__(self) -> None:
        self.pipeline = toys.ToyShift(1000.0)

    def __len__(self) -> int:
        return 8

    def __getitem__(self, index: int) -> float:
        sample = ImageSample(image=np.zeros((1, 1), dtype=np.float32))
        return float(self.pipeline(sample).image[0, 0])


def _epoch(loader) -> list[float]:
    return [float(x) for batch in loader for x in batch]


def test_workers_and_epochs_draw_differently() -> None:
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(_Draws(), batch_size=2, num_workers=2)
    first, second = _epoch(loader), _epoch(loader)
    # batches alternate between the two workers: their draws must not repeat each other
    assert len(set(first)) == len(first)
    assert len(set(second)) == len(second)
    assert not set(first) & set(second)
