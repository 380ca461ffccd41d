"""The COCO layout: `images/0000012.png` and one `annotations.json` (COCO instances: images,
annotations with bbox, area and iscrowd, segmentation and keypoints where the input had them,
the input's categories), plus metadata.parquet.

Image ids are the example index + 1 and annotation ids count the boxes in index order from
1, so the same run always writes the same file; boxes are COCO's x, y, width, height in
pixels of the augmented image.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from augment.core.polygon_area import flat_polygons_area
from augment.dataset.atomic import write_atomic
from augment.dataset.layouts.base import Row, WriteJob
from augment.dataset.layouts.detection import (
    IMAGES_FOLDER,
    BoxClasses,
    BoxFolderLayout,
    box_keypoints,
)
from augment.dataset.layouts.files import FilesPass, finished_rows

ANNOTATIONS_NAME = "annotations.json"


@dataclass(frozen=True)
class CocoLayout(BoxFolderLayout):
    """Images under images/ and their boxes in annotations.json (the files layout's making,
    parts and metadata otherwise)."""

    name: ClassVar[str] = "coco"

    def describe(self) -> str:
        return "a COCO folder (images/, annotations.json)"

    def start(self, job: WriteJob) -> CocoPass:
        return CocoPass(job)

    def finish(self, out_dir: Path) -> None:
        """metadata.parquet, then annotations.json from the finished manifest."""
        super().finish(out_dir)
        coco = coco_json(list(finished_rows(out_dir)), self.classes)
        text = json.dumps(coco, ensure_ascii=False) + "\n"
        write_atomic(out_dir / ANNOTATIONS_NAME, text.encode("utf-8"))


class CocoPass(FilesPass):
    """The files layout's pass, placing images under images/."""

    placement = IMAGES_FOLDER


def coco_json(rows: list[Row], classes: BoxClasses) -> dict[str, Any]:
    """The COCO instances document of the finished rows (metadata rows with their index)."""
    images: list[Row] = []
    annotations: list[Row] = []
    for row in rows:
        image_id = row["index"] + 1
        name = row["file_name"].removeprefix("images/")
        images.append({"id": image_id, "file_name": name,
                       "width": row["width"], "height": row["height"]})  # fmt: skip
        annotations += _row_annotations(row, classes, image_id, len(annotations) + 1)
    categories = list(classes.categories)
    return {"images": images, "annotations": annotations, "categories": categories}


def _row_annotations(row: Row, classes: BoxClasses, image_id: int, first_id: int) -> list[Row]:
    """A row's boxes as annotations numbered from `first_id`, with their keypoints if the
    input had COCO keypoints (rows [x, y, v, box_number])."""
    corners, positions = classes.row_boxes(row)
    crowd = row.get("iscrowd") or [0] * len(positions)
    numbers = row.get("box_number")
    segmentation = row.get("segmentation")
    annotations = []
    for k, ((x0, y0, x1, y1), position) in enumerate(zip(corners, positions, strict=True)):
        box = [float(x0), float(y0), float(x1 - x0), float(y1 - y0)]
        annotation = {
            "id": first_id + k, "image_id": image_id,
            "category_id": classes.categories[position]["id"], "bbox": box,
            "area": box[2] * box[3], "iscrowd": int(crowd[k]),
        }  # fmt: skip
        if segmentation is not None and segmentation[k]:
            # COCO's area of a segmented object is the area of its polygons
            polygons = segmentation[k]
            annotation |= {"segmentation": polygons, "area": flat_polygons_area(polygons)}
        if numbers is not None:
            annotation |= _keypoints(row, numbers[k])
        annotations.append(annotation)
    return annotations


def _keypoints(row: Row, number: int) -> Row:
    """Box `number`'s keypoints as COCO triplets (`box_keypoints`)."""
    flat = [value for point in box_keypoints(row, number) for value in point]
    return {"keypoints": flat, "num_keypoints": sum(v > 0 for v in flat[2::3])}
