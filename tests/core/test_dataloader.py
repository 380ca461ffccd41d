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


def _images_by_epoch(dataset, loader_options: dict, epochs: int = 3) -> list[list[bytes]]:
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=4, collate_fn=_as_list, persistent_workers=True, **loader_options
    )
    seen = []
    for epoch in range(epochs):
        dataset.set_epoch(epoch)
        seen.append([x.tobytes() for batch in loader for x in batch])
    return seen


@pytest.mark.parametrize("context", ["fork", "spawn"])
def test_set_epoch_reaches_persistent_workers(context: str) -> None:
    """Persistent workers keep the dataset they started with; set_epoch must still reach
    them, or every epoch would repeat the first one's draws."""
    import operator

    from augment import build_pipeline
    from augment.training import AugmentedDataset

    base = [ImageSample(np.full((8, 8), 100, np.uint8)) for _ in range(8)]
    pipeline = build_pipeline([{"Brightness": {"delta": 0.3}}, "Rotate"])
    dataset = AugmentedDataset(base, pipeline, seed=2, to_output=operator.attrgetter("image"))
    options = {"num_workers": 2, "multiprocessing_context": context}
    seen = _images_by_epoch(dataset, options)
    for epoch, images in enumerate(seen):
        dataset.set_epoch(epoch)
        assert images == [dataset[i].tobytes() for i in range(8)]
    assert seen[0] != seen[1] != seen[2]


def test_synthetic_crops_change_per_epoch_in_persistent_workers() -> None:
    import operator

    from synth import SynthCharDataset

    dataset = SynthCharDataset("01", per_class=4, seed=0, to_output=operator.attrgetter("image"))
    seen = _images_by_epoch(dataset, {"num_workers": 2}, epochs=2)
    assert seen[0] != seen[1]
    dataset.set_epoch(1)
    assert seen[1] == [dataset[i].tobytes() for i in range(8)]


def test_a_pickled_dataset_keeps_its_epoch_as_a_snapshot() -> None:
    import pickle

    from augment import build_pipeline
    from augment.training import AugmentedDataset

    dataset = AugmentedDataset([], build_pipeline(["Invert"]), seed=0)
    dataset.set_epoch(5)
    copy = pickle.loads(pickle.dumps(dataset))
    assert copy.epoch == 5
    copy.set_epoch(6)
    assert dataset.epoch == 5
