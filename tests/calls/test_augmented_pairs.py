"""AugmentedPairs: (image, label) items in the types that came in, deterministic per
(seed, epoch, index) through AugmentedDataset; ToTensor and Normalize as the last step."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from augment import AugmentedDataset, ImageSample, build_pipeline
from augment.calls import AugmentedPairs, CallError, Normalize, ToTensor

torch = pytest.importorskip("torch")

PIPELINE = build_pipeline(
    [{"Rotate": {"degrees": 10}}, {"Mirror": {"label_map": {"b": "d"}}}, {"Contrast": {}}]
)


def _pairs(count: int = 6) -> list[tuple[Image.Image, object]]:
    rng = np.random.default_rng(0)
    images = [
        Image.fromarray(rng.integers(0, 255, (24, 24, 3), dtype=np.uint8)) for _ in range(count)
    ]
    return [(im, i if i % 2 else "b") for i, im in enumerate(images)]


def test_pil_in_pil_out_same_bytes_as_augmented_dataset_on_the_samples() -> None:
    pairs = _pairs()
    wrapped = AugmentedPairs(pairs, PIPELINE, seed=7)
    samples = [
        ImageSample(np.asarray(im), label=lab if isinstance(lab, str) else None)
        for im, lab in pairs
    ]
    reference = AugmentedDataset(samples, PIPELINE, seed=7)
    for i in range(len(pairs)):
        image, label = wrapped[i]
        assert isinstance(image, Image.Image) and image.mode == "RGB"
        assert np.asarray(image).tobytes() == reference[i].image.tobytes()
        assert label == (i if i % 2 else "d")  # text labels follow Mirror's label_map


def test_deterministic_per_seed_epoch_and_index() -> None:
    wrapped = AugmentedPairs(_pairs(), PIPELINE, seed=1)
    first = [np.asarray(wrapped[i][0]).tobytes() for i in range(6)]
    assert first == [np.asarray(im).tobytes() for im, _ in wrapped.__getitems__(list(range(6)))]
    wrapped.set_epoch(1)
    second = [np.asarray(wrapped[i][0]).tobytes() for i in range(6)]
    assert all(a != b for a, b in zip(first, second, strict=True))
    wrapped.set_epoch(0)
    assert [np.asarray(wrapped[i][0]).tobytes() for i in range(6)] == first


def test_to_tensor_and_normalize_match_torchvision_semantics() -> None:
    image = Image.fromarray(np.arange(48, dtype=np.uint8).reshape(4, 4, 3))
    tensor = ToTensor()(image)
    assert tensor.dtype == torch.float32 and tuple(tensor.shape) == (3, 4, 4)
    np.testing.assert_allclose(
        tensor.numpy(), np.asarray(image).transpose(2, 0, 1) / 255.0, rtol=1e-6
    )
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    normalised = Normalize(mean, std)(image)  # converts first
    expected = (tensor - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]
    torch.testing.assert_close(normalised, expected)
    grey = ToTensor()(np.full((5, 6), 65535, np.uint16))
    assert tuple(grey.shape) == (1, 5, 6) and float(grey.max()) == 1.0


def test_normalize_refuses_bad_statistics() -> None:
    with pytest.raises(CallError, match="std: must be positive"):
        Normalize([0.5], [0.0])
    with pytest.raises(CallError, match="mean: 2 values for a 3-channel image"):
        Normalize([0.5, 0.5], [0.2, 0.2])(torch.zeros(3, 4, 4))


def test_a_dataloader_gives_the_same_batches_for_any_worker_count() -> None:
    output = [ToTensor(), Normalize([0.5], [0.25])]
    wrapped = AugmentedPairs([(im, i) for i, (im, _) in enumerate(_pairs(8))], PIPELINE, 3, output)

    def batches(workers: int) -> list:
        loader = torch.utils.data.DataLoader(wrapped, batch_size=4, num_workers=workers)
        return [(x.clone(), y.clone()) for x, y in loader]

    alone, shared = batches(0), batches(2)
    assert alone[0][0].shape == (4, 3, 24, 24) and alone[0][0].dtype == torch.float32
    for (xa, ya), (xb, yb) in zip(alone, shared, strict=True):
        assert torch.equal(xa, xb) and torch.equal(ya, yb)


def test_items_that_are_not_pairs_are_named() -> None:
    with pytest.raises(CallError, match=r"base\[0\]: expected an \(image, label\) pair"):
        AugmentedPairs([Image.new("RGB", (4, 4))], PIPELINE, seed=0)[0]
