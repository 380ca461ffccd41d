"""Train a tiny one-object detector (class + box) with boxes augmented through the pipeline.

Each image holds one shape (square, disc or triangle) on a textured background; the
network predicts its class and its box. Training images go through the albumentations-
style call, `pipeline(image=..., bboxes=..., bbox_format="coco", class_labels=...)`, so
rotation, scaling and shifts move the box with the pixels, and `ToTensor` makes the
tensor. Called without a generator, the pipeline draws differently in every DataLoader
worker and epoch, with no `worker_init_fn`.

    python examples/train_detector.py shapes/ --make 2000 --epochs 12

`--make N` first writes N generated images into the folder (`NNNNNN.png` and
`boxes.csv` with `file_name,label,x,y,width,height` in pixels, COCO-style), skipped if
the folder already has a boxes.csv; point it at your own folder of that layout instead.
A fifth of the images is held out; the script prints the class accuracy, the mean IoU of
the predicted boxes and the share with IoU >= 0.5. `--no-augment` trains on the images as
they are, for comparison.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, ImageDraw
from torch import nn
from torch.utils.data import DataLoader, Dataset

from augment import ToTensor, build_pipeline

SHAPES = ("square", "disc", "triangle")
SIZE = 64
BOX_AUGMENTATION = [
    {"Rotate": {"degrees": 12}},
    {"Scale": {"factor": [0.8, 1.2]}},
    {"Translate": {"x": 0.15, "y": 0.15}},
    {"Maybe": {"p": 0.3, "transform": "Blur"}},
    {"Contrast": {"factor": [0.6, 1.4]}},
]


def draw_image(rng: np.random.Generator) -> tuple[Image.Image, str, list[float]]:
    """A noisy gradient background and one shape in a contrasting colour; its COCO box."""
    ramp = np.linspace(0, 1, SIZE)[None, :, None] * rng.uniform(-80, 80, 3)
    ground = rng.uniform(60, 190, 3) + ramp + rng.normal(0, 12, (SIZE, SIZE, 3))
    image = Image.fromarray(np.clip(ground, 0, 255).astype(np.uint8))
    side = float(rng.uniform(14, 34))
    x, y = (float(v) for v in rng.uniform(2, SIZE - side - 2, 2))
    shape = SHAPES[int(rng.integers(len(SHAPES)))]
    colour = tuple(int(c) for c in (ground.mean((0, 1)) + 128 + rng.uniform(-40, 40, 3)) % 256)
    pen = ImageDraw.Draw(image)
    if shape == "square":
        pen.rectangle((x, y, x + side, y + side), fill=colour)
    elif shape == "disc":
        pen.ellipse((x, y, x + side, y + side), fill=colour)
    else:
        pen.polygon([(x, y + side), (x + side, y + side), (x + side / 2, y)], fill=colour)
    return image, shape, [x, y, side, side]


def make_data(folder: Path, count: int, seed: int) -> None:
    """Write `count` generated images and their boxes.csv (skipped if one exists)."""
    if (folder / "boxes.csv").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(count):
        image, shape, box = draw_image(rng)
        image.save(folder / f"{k:06d}.png")
        rows.append([f"{k:06d}.png", shape, *(f"{v:.2f}" for v in box)])
    with open(folder / "boxes.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["file_name", "label", "x", "y", "width", "height"], *rows])


@dataclass(frozen=True)
class Boxes(Dataset[tuple[torch.Tensor, int, torch.Tensor]]):
    """Images with one box each; augmented (image, box moved with it) when a pipeline is set."""

    rows: list[dict[str, str]]
    folder: Path
    pipeline: Any = None

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int, torch.Tensor]:
        row = self.rows[index]
        image = np.asarray(Image.open(self.folder / row["file_name"]).convert("RGB"))
        box = [float(row[key]) for key in ("x", "y", "width", "height")]
        if self.pipeline is not None:
            out = self.pipeline(image=image, bboxes=[box], bbox_format="coco", class_labels=[0])
            if len(out["bboxes"]):  # a box pushed wholly out of frame: keep the original
                image, box = out["image"], list(out["bboxes"][0][:4])
        x, y, w, h = box
        target = torch.tensor([x + w / 2, y + h / 2, w, h], dtype=torch.float32) / SIZE
        return ToTensor()(image), SHAPES.index(row["label"]), target


def model() -> nn.Module:
    """Four conv blocks, then one linear layer for 3 class scores and 4 box numbers."""
    blocks: list[nn.Module] = []
    for inputs, outputs in ((3, 16), (16, 32), (32, 64), (64, 64)):
        blocks += [nn.Conv2d(inputs, outputs, 3, padding=1), nn.BatchNorm2d(outputs), nn.ReLU()]
        blocks.append(nn.MaxPool2d(2))
    return nn.Sequential(*blocks, nn.Flatten(), nn.Linear(64 * 4 * 4, len(SHAPES) + 4))


def loss_of(
    net: nn.Module, images: torch.Tensor, labels: torch.Tensor, boxes: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy on the class plus 5 x L1 on the box (centre, size as image fractions)."""
    out = net(images)
    return nn.functional.cross_entropy(out[:, :3], labels) + 5 * nn.functional.l1_loss(
        out[:, 3:].sigmoid(), boxes
    )


def iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Intersection over union of (centre x, centre y, w, h) boxes, row by row."""
    a_lo, a_hi = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2
    b_lo, b_hi = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    overlap = (torch.minimum(a_hi, b_hi) - torch.maximum(a_lo, b_lo)).clamp(min=0).prod(1)
    return overlap / (a[:, 2:].prod(1) + b[:, 2:].prod(1) - overlap)


def train(net: nn.Module, data: Boxes, epochs: int, workers: int) -> None:
    loader: DataLoader[tuple[torch.Tensor, int, torch.Tensor]] = DataLoader(
        data, batch_size=64, shuffle=True, num_workers=workers, persistent_workers=workers > 0
    )
    optimiser = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=2e-3, total_steps=max(1, epochs * len(loader))
    )
    for epoch in range(epochs):
        net.train()
        for images, labels, boxes in loader:
            optimiser.zero_grad()
            loss = loss_of(net, images, labels, boxes)
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch}: last batch loss {loss.item():.3f}", flush=True)


def evaluate(net: nn.Module, data: Boxes) -> dict[str, float]:
    """Class accuracy, mean IoU and the share of boxes with IoU >= 0.5 on unaugmented images."""
    net.eval()
    hits, overlaps = [], []
    with torch.no_grad():
        for images, labels, boxes in DataLoader(data, batch_size=256):
            out = net(images)
            hits.append(out[:, :3].argmax(1) == labels)
            overlaps.append(iou(out[:, 3:].sigmoid(), boxes))
    found, overlap = torch.cat(hits).float(), torch.cat(overlaps)
    return {
        "accuracy": found.mean().item(),
        "mean_iou": overlap.mean().item(),
        "iou_at_0.5": (overlap >= 0.5).float().mean().item(),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    """Train on 4/5 of the folder, print and return the scores on the other fifth."""
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    if args.make:
        make_data(args.data, args.make, args.seed)
    with open(args.data / "boxes.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    order = np.random.default_rng(args.seed).permutation(len(rows))
    cut = len(rows) * 4 // 5
    train_rows, test_rows = [rows[k] for k in order[:cut]], [rows[k] for k in order[cut:]]
    net = model()
    augmentation = build_pipeline([] if args.no_augment else BOX_AUGMENTATION)
    train(net, Boxes(train_rows, args.data, augmentation), args.epochs, args.workers)
    scores = evaluate(net, Boxes(test_rows, args.data))
    print(
        f"{len(test_rows)} test images: accuracy {scores['accuracy']:.3f}, "
        f"mean IoU {scores['mean_iou']:.3f}, IoU >= 0.5 for {scores['iou_at_0.5']:.3f}"
    )
    if args.out:
        torch.save({"state_dict": net.state_dict(), "classes": SHAPES}, args.out)
    return scores


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder with images and boxes.csv")
    parser.add_argument("--make", type=int, default=0, help="first generate N images into it")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-augment", action="store_true", help="train on the images as they are")
    parser.add_argument("--out", type=Path, help="save the trained model here (.pt)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
