"""The YOLO layout: `images/0000012.png`, `labels/0000012.txt` (one `class cx cy w h` line
per box, normalised by the augmented image's size) and `data.yaml` (the class names, and
images/ as the train and val folders), as Ultralytics reads a dataset; plus metadata.parquet.

A box with a segmentation is written as Ultralytics' segment line, `class x1 y1 x2 y2 ...`;
an object in several parts becomes one outline, its parts joined by zero-width bridges
(each walked there and back), as Ultralytics joins COCO's multi-part objects. When the
categories name keypoints (COCO keypoints, a YOLO pose input), every line is a pose line,
`class cx cy w h` and K `x y visibility` triplets, and data.yaml has kpt_shape and flip_idx.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from augment.dataset.atomic import write_atomic
from augment.dataset.keypoint_names import flip_orders
from augment.dataset.layouts.base import Row, WriteJob
from augment.dataset.layouts.detection import (
    IMAGES_DIR,
    IMAGES_FOLDER,
    BoxClasses,
    BoxFolderLayout,
    box_keypoints,
)
from augment.dataset.layouts.files import FilesPass, finished_rows

LABELS_DIR = "labels"
DATA_YAML_NAME = "data.yaml"


@dataclass(frozen=True)
class YoloLayout(BoxFolderLayout):
    """Images under images/, their boxes under labels/, the class names in data.yaml (the
    files layout's making, parts and metadata otherwise)."""

    name: ClassVar[str] = "yolo"

    def describe(self) -> str:
        return "a YOLO folder (images/, labels/, data.yaml)"

    def start(self, job: WriteJob) -> YoloPass:
        return YoloPass(job)

    def finish(self, out_dir: Path) -> None:
        """metadata.parquet, then labels/ and data.yaml from the finished manifest."""
        super().finish(out_dir)
        for row in finished_rows(out_dir):
            text = label_text(row, self.classes)
            write_atomic(out_dir / LABELS_DIR / f"{row['index']:07d}.txt", text.encode("utf-8"))
        names = dict(enumerate(self.classes.names))
        pose = pose_fields(self.classes)
        data = {"train": IMAGES_DIR, "val": IMAGES_DIR, "names": names, **pose}
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        write_atomic(out_dir / DATA_YAML_NAME, text.encode("utf-8"))


class YoloPass(FilesPass):
    """The files layout's pass, placing images under images/."""

    placement = IMAGES_FOLDER


def label_text(row: Row, classes: BoxClasses) -> str:
    """A row's label file: `class cx cy w h` per box (its segment line, or its pose line),
    six decimals."""
    corners, positions = classes.row_boxes(row)
    width, height = row["width"], row["height"]
    segmentation = row.get("segmentation") or [[]] * len(positions)
    points = keypoints_per_box(classes)
    numbers = row.get("box_number") or [None] * len(positions)
    lines = []
    for k, ((x0, y0, x1, y1), position) in enumerate(zip(corners, positions, strict=True)):
        values: tuple[float, ...]
        if segmentation[k] and not points:
            outline = joined(segmentation[k])
            values = tuple(v / (width if j % 2 == 0 else height) for j, v in enumerate(outline))
        else:
            values = ((x0 + x1) / 2 / width, (y0 + y1) / 2 / height,
                      (x1 - x0) / width, (y1 - y0) / height)  # fmt: skip
        if points:
            values += pose_values(row, numbers[k], points)
        lines.append(f"{position} " + " ".join(f"{v:.6f}" for v in values) + "\n")
    return "".join(lines)


def keypoints_per_box(classes: BoxClasses) -> int:
    """K of a pose dataset: the most keypoints a category names (0: not a pose dataset)."""
    named = [c["keypoints"] for c in classes.categories if isinstance(c.get("keypoints"), list)]
    return max(map(len, named), default=0)


def pose_fields(classes: BoxClasses) -> dict[str, Any]:
    """data.yaml's kpt_shape and flip_idx of a pose dataset (empty otherwise)."""
    points = keypoints_per_box(classes)
    if not points:
        return {}
    orders = [o for o in flip_orders(classes.categories).values() if len(o) == points]
    flip = list(orders[0]) if orders else list(range(points))
    return {"kpt_shape": [points, 3], "flip_idx": flip}


def pose_values(row: Row, number: int | None, points: int) -> tuple[float, ...]:
    """Box `number`'s keypoints as x, y, visibility triplets, normalised (`box_keypoints`:
    a point not seen is 0, 0, 0, Ultralytics' mark of no point), padded to `points`."""
    width, height = row["width"], row["height"]
    own = [] if number is None else box_keypoints(row, number)[:points]
    values = [v for x, y, visibility in own for v in (x / width, y / height, visibility)]
    return tuple(values + [0.0] * (3 * points - len(values)))


def joined(polygons: list[list[float]]) -> list[float]:
    """One flat outline of an object's polygons: each part walked from its first vertex back
    to it, the parts linked first to last by bridges walked there and back again."""
    if len(polygons) == 1:
        return list(polygons[0])
    outline: list[float] = []
    for flat in polygons:
        outline += [*flat, *flat[:2]]
    for flat in reversed(polygons[:-1]):
        outline += flat[:2]
    return outline
