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


def _first_pixel(sample: ImageSample) -> float:
    return float(sample.image[0, 0])


def test_seeded_dataset_repeats_exactly_for_any_worker_count() -> None:
    from augment.training import AugmentedDataset

    base = [ImageSample(image=np.zeros((1, 1), dtype=np.float32)) for _ in range(6)]
    dataset = AugmentedDataset(base, toys.ToyShift(1000.0), seed=4, to_output=_first_pixel)
    serial = _epoch(torch.utils.data.DataLoader(dataset, batch_size=2, num_workers=0))
    parallel = _epoch(torch.utils.data.DataLoader(dataset, batch_size=2, num_workers=2))
    assert serial == parallel and len(set(serial)) == 6
    dataset.set_epoch(1)
    next_epoch = _epoch(torch.utils.data.DataLoader(dataset, batch_size=2, num_workers=2))
    assert not set(next_epoch) & set(serial)


def _as_list(batch: list) -> list:
    return batch


def test_dataloader_batches_use_getitems_and_match_indexing() -> None:
    from augment import build_pipeline
    from augment.training import AugmentedDataset

    rng = np.random.default_rng(0)
    base = [
        ImageSample(rng.integers(0, 256, (16, 16) if i % 4 else (12, 20, 3), dtype=np.uint8))
        for i in range(10)
    ]
    pipeline = build_pipeline([{"Rotate": {"degrees": 10}}, "Blur", "Contrast"])
    dataset = AugmentedDataset(base, pipeline, seed=1, to_output=lambda s: s.image)
    calls = []
    original = AugmentedDataset.__getitems__

    def counted(self, indices):
        calls.append(list(indices))
        return original(self, indices)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AugmentedDataset, "__getitems__", counted)
        loader = torch.utils.data.DataLoader(dataset, 4, collate_fn=_as_list)
        serial = [x for batch in loader for x in batch]
    assert calls == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    workers = torch.utils.data.DataLoader(dataset, 4, num_workers=2, collate_fn=_as_list)
    parallel = [x for b in workers for x in b]
    for i in range(10):
        assert serial[i].tobytes() == parallel[i].tobytes() == dataset[i].tobytes()
