"""Train a small CNN on a folder of labelled character crops, augmented on the fly.

The folder is any dataset augsynth reads (class folders, `labels.csv` or `metadata.jsonl`),
e.g. the crops `synth ocr` writes. Augmentation uses only the familiar calls: a pipeline
wrapped torchvision-style around `(PIL image, class)` pairs (`augment.AugmentedPairs`) with
`ToTensor` and `Normalize` as output steps, fed by a DataLoader with worker processes.
Each epoch draws fresh augmentations (`set_epoch`), the same ones on every rerun.

    synth ocr -o crops/ --charset digits --per-class 200 --seed 0
    python examples/train_image_classifier.py crops/ --test real_crops/ --epochs 8 \
        --predictions preds.csv     # then: augment errors preds.csv --data real_crops/ -o report/

Without --test a fifth of the folder is held out. `--predictions` writes the test set's
`file_name,label,prediction,score`, the table `augment errors` reads. `--no-augment`
trains on the crops as they are, for comparison.
"""

from __future__ import annotations

import argparse
import csv
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader

from augment import AugmentedPairs, Normalize, ToTensor, build_pipeline
from augment.dataset.readers import read_labelled_files

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"})
OCR_AUGMENTATION = [
    {"Rotate": {"degrees": 8}},
    {"Scale": {"factor": [0.85, 1.1]}},
    {"Maybe": {"p": 0.5, "transform": {"OneOf": {"transforms": ["GridWarp", "Perspective"]}}}},
    {"Maybe": {"p": 0.3, "transform": "Blur"}},
    {"Contrast": {"factor": [0.6, 1.4]}},
]
TO_MODEL: list[Callable[[Any], Any]] = [ToTensor(), Normalize([0.5], [0.25])]
Items = list[tuple[Path, str]]  # (image file, label)


@dataclass(frozen=True)
class Crops(Sequence[tuple[Image.Image, int]]):
    """`(grey PIL image, class index)` pairs: what torchvision's ImageFolder would give."""

    files: list[Path]
    labels: list[int]
    size: int

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> tuple[Image.Image, int]:  # type: ignore[override]
        with Image.open(self.files[index]) as image:
            grey = image.convert("L").resize((self.size, self.size), Image.Resampling.BILINEAR)
        return grey, self.labels[index]


def labelled_files(folder: Path) -> Items:
    """The folder's labelled images (unlabelled files and unusable rows are left out)."""
    found = read_labelled_files(folder, IMAGE_SUFFIXES)
    return [(f.path, f.label) for f in found if f.label is not None and f.problem is None]


def crops(items: Items, index: dict[str, int], size: int) -> Crops:
    return Crops([path for path, _ in items], [index.get(label, -1) for _, label in items], size)


def split(items: Items, seed: int) -> tuple[Items, Items]:
    """A seeded 80/20 split, for a folder given without --test."""
    order = torch.randperm(len(items), generator=torch.Generator().manual_seed(seed)).tolist()
    cut = len(items) * 4 // 5
    return [items[k] for k in order[:cut]], [items[k] for k in order[cut:]]


def model(classes: int, size: int) -> nn.Module:
    """Three conv blocks and a linear layer: enough for 32x32 characters."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * (size // 8) ** 2, classes),
    )  # fmt: skip


def train(net: nn.Module, data: AugmentedPairs, epochs: int, workers: int) -> None:
    """Adam with a cosine schedule; fresh augmentations every epoch."""
    loader: DataLoader[Any] = DataLoader(
        data,  # type: ignore[arg-type]  # a map-style dataset, not a torch Dataset subclass batch_size=64, shuffle=True, num_workers=workers, persistent_workers=workers > 0
    )
    optimiser = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=3e-3, total_steps=max(1, epochs * len(loader))
    )
    for epoch in range(epochs):
        data.set_epoch(epoch)
        net.train()
        for images, labels in loader:
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(net(images), labels, label_smoothing=0.1)
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch}: last batch loss {loss.item():.3f}", flush=True)


def predict(net: nn.Module, crops: Crops) -> tuple[list[int], list[float]]:
    """The class and softmax score of each test crop, without augmentation."""
    net.eval()
    to_model = [TO_MODEL[1](crops[k][0]) for k in range(len(crops))]
    with torch.no_grad():
        probabilities = torch.cat(
            [net(torch.stack(to_model[k : k + 256])).softmax(1) for k in range(0, len(crops), 256)]
        )
    scores, classes = probabilities.max(1)
    return classes.tolist(), scores.tolist()


def write_predictions(
    path: Path, test: list[tuple[str, str]], names: list[str], found: list[int], scores: list[float]
) -> None:
    """`file_name,label,prediction,score` rows, file names relative to the test folder."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", "label", "prediction", "score"])
        for (file, label), k, score in zip(test, found, scores, strict=True):
            writer.writerow([file, label, names[k], f"{score:.4f}"])


def main(argv: Sequence[str] | None = None) -> float:
    """Train on the folder, print and return the accuracy on the test crops."""
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    items = labelled_files(args.data)
    if args.test is None:
        train_items, test_items = split(items, args.seed)
    else:
        train_items, test_items = items, labelled_files(args.test)
    names = sorted({label for _, label in train_items})
    index = {name: k for k, name in enumerate(names)}
    train_crops = crops(train_items, index, args.size)
    test_crops = crops(test_items, index, args.size)  # a class not trained on counts as wrong
    pipeline = build_pipeline([] if args.no_augment else OCR_AUGMENTATION)
    net = model(len(names), args.size)
    train(
        net, AugmentedPairs(train_crops, pipeline, args.seed, TO_MODEL), args.epochs, args.workers
    )
    found, scores = predict(net, test_crops)
    accuracy = sum(k == t for k, t in zip(found, test_crops.labels, strict=True)) / len(found)
    print(f"accuracy on {len(found)} test crops ({len(names)} classes): {accuracy:.3f}")
    if args.predictions:
        root = args.test if args.test is not None else args.data
        shown = [(os.path.relpath(p, root), label) for p, label in test_items]
        write_predictions(args.predictions, shown, names, found, scores)
    if args.out:
        torch.save({"state_dict": net.state_dict(), "classes": names}, args.out)
    return accuracy


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder of labelled training crops")
    parser.add_argument("--test", type=Path, help="folder of labelled test crops")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--size", type=int, default=32, help="crops are resized to SIZE x SIZE")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-augment", action="store_true", help="train on the crops as they are")
    parser.add_argument("--predictions", type=Path, help="write the test predictions CSV here")
    parser.add_argument("--out", type=Path, help="save the trained model here (.pt)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
