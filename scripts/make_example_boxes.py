"""Generate examples/boxes/: three small scenes of shapes with their boxes, two ways.

Each 96x64 RGB image holds a few filled shapes (squares and discs) on a grey gradient.
The same annotations are written as a COCO instances file (`annotations.json`, images in
`images/`) and as a `metadata.jsonl` whose rows carry `bboxes` (coco format), `category`,
`keypoints` (each shape's centre) and `mask` (a PNG of class ids in `masks/`), so the README's
box commands run on either input form. Drawn by code, no outside data; deterministic.
Usage: python scripts/make_example_boxes.py [--out examples/boxes]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image

WIDTH, HEIGHT = 96, 64
CATEGORIES = [{"id": 1, "name": "square"}, {"id": 2, "name": "disc"}]
# per image: (category id, x, y, size, RGB colour)
SCENES = [
    [(1, 8, 10, 20, (200, 40, 40)), (2, 50, 20, 24, (40, 160, 60))],
    [(2, 10, 30, 18, (40, 60, 200)), (1, 60, 6, 16, (220, 180, 30)), (1, 70, 40, 14, (20, 20, 20))],
    [(2, 36, 14, 30, (160, 40, 160))],
]


def draw(scene: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """The scene's RGB pixels and its mask of category ids (0 is background)."""
    ramp = np.linspace(90, 170, WIDTH, dtype=np.float64)
    image = np.repeat(np.tile(ramp, (HEIGHT, 1))[:, :, None], 3, axis=2).astype(np.uint8)
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    ys, xs = np.mgrid[:HEIGHT, :WIDTH]
    for category, x, y, size, colour in scene:
        if category == 1:
            inside = (xs >= x) & (xs < x + size) & (ys >= y) & (ys < y + size)
        else:
            r = size / 2
            inside = (xs + 0.5 - x - r) ** 2 + (ys + 0.5 - y - r) ** 2 <= r * r
        image[inside] = colour
        mask[inside] = category
    return image, mask


def main(out: Path) -> None:
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "masks").mkdir(exist_ok=True)
    names = {c["id"]: c["name"] for c in CATEGORIES}
    images, annotations, rows = [], [], []
    for i, scene in enumerate(SCENES):
        image, mask = draw(scene)
        name = f"scene{i}.png"
        Image.fromarray(image).save(out / "images" / name)
        Image.fromarray(mask).save(out / "masks" / name)
        images.append({"id": i + 1, "file_name": name, "width": WIDTH, "height": HEIGHT})
        boxes = [[x, y, size, size] for _, x, y, size, _ in scene]
        for (category, *_), box in zip(scene, boxes, strict=True):
            annotations.append({"id": len(annotations) + 1, "image_id": i + 1,
                                "category_id": category, "bbox": box,
                                "area": box[2] * box[3], "iscrowd": 0})  # fmt: skip
        rows.append({"file_name": f"images/{name}", "bboxes": boxes,
                     "category": [names[c] for c, *_ in scene],
                     "keypoints": [[x + s / 2 - 0.5, y + s / 2 - 0.5] for _, x, y, s, _ in scene],
                     "mask": f"masks/{name}"})  # fmt: skip
    coco = {"images": images, "annotations": annotations, "categories": CATEGORIES}
    (out / "annotations.json").write_text(json.dumps(coco, indent=1) + "\n")
    (out / "metadata.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("examples/boxes"))
    main(parser.parse_args().out)
