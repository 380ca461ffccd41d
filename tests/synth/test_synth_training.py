"""SynthCharDataset: balanced, deterministic, case-distinct, usable by a DataLoader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from synth import SynthCharDataset


def test_balanced_deterministic_and_case_distinct(two_fonts: Path) -> None:
    data = SynthCharDataset("oO1", per_class=4, fonts=two_fonts, size=24, seed=5)
    assert len(data) == 12 and data.classes == ["o", "O", "1"]
    targets = [data[i][1] for i in range(len(data))]
    assert Counter(targets) == {0: 4, 1: 4, 2: 4}
    first, again = (
        data[0][0],
        SynthCharDataset("oO1", per_class=4, fonts=two_fonts, size=24, seed=5)[0][0],
    )
    assert first.shape == (24, 24, 3) and first.tobytes() == again.tobytes()
    sample = data.sample(1)
    assert sample.label == "O" and sample.extra["font"] == "DejaVuSans.ttf"
    assert sample.boxes.shape == (1, 4)


def test_epochs_draw_new_crops(two_fonts: Path) -> None:
    data = SynthCharDataset("ab", per_class=2, fonts=two_fonts, seed=0)
    before = data[0][0]
    data.set_epoch(1)
    assert data[0][0].tobytes() != before.tobytes()


def test_batch_matches_items_in_labels_and_shape(two_fonts: Path) -> None:
    data = SynthCharDataset("ab12", per_class=3, fonts=two_fonts, seed=0, augment="clean")
    images, targets = data.batch(range(len(data)))
    assert images.shape == (12, 32, 32, 3)
    assert targets.tolist() == [data[i][1] for i in range(12)]
    assert images[3].tobytes() == data[3][0].tobytes()  # no augmentation: identical


def test_torch_dataloader_with_workers(two_fonts: Path) -> None:
    torch = pytest.importorskip("torch")
    data = SynthCharDataset("ab", per_class=4, fonts=two_fonts, size=16, seed=1)
    loader = torch.utils.data.DataLoader(data, batch_size=4, num_workers=2)
    batches = list(loader)
    assert len(batches) == 2
    images = torch.cat([b[0] for b in batches]).numpy()
    assert images.shape == (8, 16, 16, 3)
    assert np.array_equal(images[0], data[0][0])  # workers draw from (seed, index)


def test_box_follows_the_ink_through_augmentation(two_fonts: Path) -> None:
    plain = {"p_neighbour": 0, "p_underline": 0, "p_border": 0, "backgrounds": {"flat": 1}}
    data = SynthCharDataset(
        "LT",
        per_class=6,
        fonts=two_fonts,
        size=48,
        seed=2,
        render=plain,
        augment=[{"Rotate": {"degrees": [25, 35]}}, {"Blur": {"size": 0.01}}],
    )
    for index in range(len(data)):
        sample = data.sample(index)
        colour = np.asarray(sample.extra["render"]["background"]["colour"])
        text = np.asarray(sample.extra["render"]["text"])
        # ink: pixels at least a quarter of the way from background to text colour
        ink = (
            np.abs(sample.image.astype(int) - colour).max(axis=2)
            > 0.3 * np.abs(text - colour).max()
        )
        ys, xs = np.nonzero(ink)
        x0, y0, x1, y1 = sample.boxes[0]
        assert abs(xs.min() - x0) <= 1.5 and abs(xs.max() + 1 - x1) <= 1.5
        assert abs(ys.min() - y0) <= 1.5 and abs(ys.max() + 1 - y1) <= 1.5
        assert sample.image.shape == (48, 48, 3)


def test_batch_path_gives_the_same_crops_as_one_by_one(two_fonts: Path) -> None:
    data = SynthCharDataset("ab12", per_class=4, fonts=two_fonts, seed=3)  # photo preset
    images, targets = data.batch(range(len(data)))
    for i in range(len(data)):
        image, target = data[i]
        assert target == targets[i] and image.tobytes() == images[i].tobytes()


def test_maker_batches_match_single_examples(two_fonts: Path) -> None:
    from augment.core.seeding import example_rng
    from synth.maker import OcrCropMaker

    maker = OcrCropMaker(
        str(two_fonts), {}, [{"Rotate": {"degrees": 20}}, "Blur"], {"DejaVuSans.ttf": "xyz"}
    )
    tasks = [{"char": c, "font": "DejaVuSans.ttf"} for c in "abcdef"]
    single = [maker.make(t, example_rng(0, i)) for i, t in enumerate(tasks)]
    split = maker.make_batch(tasks[:2], [example_rng(0, i) for i in range(2)]) + maker.make_batch(
        tasks[2:], [example_rng(0, i) for i in range(2, 6)]
    )
    assert [e.data for e in split] == [e.data for e in single]
    assert [e.params for e in split] == [e.params for e in single]
    assert [e.columns for e in split] == [e.columns for e in single]


def test_dataloader_fetches_whole_batches_through_the_batch_path(two_fonts: Path) -> None:
    torch = pytest.importorskip("torch")

    calls: list[int] = []

    class Counting(SynthCharDataset):
        def __getitems__(self, indices):
            calls.append(len(indices))
            return super().__getitems__(indices)

    data = Counting("ab1", per_class=4, fonts=two_fonts, size=20, seed=2)  # photo preset
    loader = torch.utils.data.DataLoader(data, batch_size=5, shuffle=True)
    seen = {}
    for images, targets in loader:
        for image, target in zip(images.numpy(), targets.tolist(), strict=True):
            seen[image.tobytes()] = target
    assert calls == [5, 5, 2]  # one call per batch, not one per item
    one_by_one = {data[i][0].tobytes(): data[i][1] for i in range(len(data))}
    assert seen == one_by_one
    with pytest.raises(IndexError):
        data.__getitems__([0, len(data)])


def test_crop_settings_are_keywords_and_an_unknown_one_is_refused(two_fonts: Path) -> None:
    data = SynthCharDataset("a", per_class=1, fonts=two_fonts, size=(20, 24), augment="clean")
    assert data[0][0].shape == (20, 24, 3) and data.recipe.pipeline is None
    with pytest.raises(TypeError, match="colour"):
        SynthCharDataset("a", per_class=1, fonts=two_fonts, colour="red")


def test_a_huge_dataset_is_not_listed_in_memory():
    """Tasks are computed from their index: 2 * 10^7 items cost no more than ten (it took
    4 GB when the tasks were a list)."""
    import tracemalloc

    tracemalloc.start()
    dataset = SynthCharDataset("01", per_class=10**7, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(dataset) == 2 * 10**7 and peak < 50 * 2**20
    assert dataset.tasks[-1]["char"] == "1" and dataset.tasks[2]["char"] == "0"
