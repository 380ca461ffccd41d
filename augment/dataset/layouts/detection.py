"""What the COCO and YOLO layouts share: images in `images/`, masks in `masks/`, and the
boxes of each finished example (from the manifest's rows) in pixel corners with their class.

Both are the files layout with another placement: the same making, resuming and
metadata.parquet; at the end each writes its annotation files from the finished rows, so a
resumed run's annotations are whole too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from augment.calls.box_formats import to_corners
from augment.core.errors import AugsynthError
from augment.dataset.layouts.files import FilesLayout

IMAGES_DIR = "images"


@dataclass(frozen=True)
class ImagesFolder:
    """Example i is `images/0000012.png`; its mask `masks/0000012.png`."""

    def example(self, index: int, label: str | None, suffix: str) -> str:
        return f"{IMAGES_DIR}/{index:07d}{suffix}"

    def file(self, index: int, label: str | None, column: str, suffix: str) -> str:
        return f"{column}s/{index:07d}{suffix}"


IMAGES_FOLDER = ImagesFolder()


@dataclass(frozen=True)
class BoxClasses:
    """How rows name their boxes and classes: the rows' box format, the run's categories
    (COCO category objects: "id", "name" and any other field; a YOLO class is the position)
    and the per-box column naming them."""

    bbox_format: str
    categories: tuple[dict[str, Any], ...]
    name_column: str

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> BoxClasses:
        categories = tuple(dict(c) for c in record["categories"])
        return cls(record["bbox_format"], categories, record["name_column"])

    def record(self) -> dict[str, Any]:
        return {"bbox_format": self.bbox_format, "categories": list(self.categories),
                "name_column": self.name_column}  # fmt: skip

    @property
    def names(self) -> list[str]:
        return [str(c["name"]) for c in self.categories]

    def row_boxes(self, row: dict[str, Any]) -> tuple[np.ndarray, list[int]]:
        """A row's boxes as (N, 4) pixel corners and each box's position in the categories."""
        boxes = np.asarray(row.get("bboxes", []), dtype=np.float64).reshape(-1, 4)
        corners = to_corners(boxes, self.bbox_format, row["width"], row["height"])
        names = [str(v) for v in row.get(self.name_column, [])]
        if len(names) != len(boxes):
            raise AugsynthError(
                f"{row['file_name']}: {len(boxes)} boxes but {len(names)} {self.name_column} "
                "values; the COCO and YOLO layouts need one class per box"
            )
        positions = {name: k for k, name in enumerate(self.names)}
        unknown = sorted(set(names) - set(positions))
        if unknown:
            raise AugsynthError(f"{row['file_name']}: no category named {unknown[0]!r}")
        return corners, [positions[name] for name in names]


def box_keypoints(row: dict[str, Any], number: int) -> list[list[Any]]:
    """Box `number`'s keypoints (rows [x, y, v, box_number]) as [x, y, v]; one unlabelled or
    moved out of the image becomes [0, 0, 0], as COCO and Ultralytics mark a point not seen."""
    width, height = row["width"], row["height"]
    points = []
    for x, y, visibility, owner in (point[:4] for point in row.get("keypoints", [])):
        if owner != number:
            continue
        inside = -0.5 <= x < width - 0.5 and -0.5 <= y < height - 0.5
        points.append([x, y, visibility] if visibility > 0 and inside else [0, 0, 0])
    return points


@dataclass(frozen=True)
class BoxFolderLayout(FilesLayout):
    """A files layout that also writes the boxes in a detection format: its run record names
    the layout and the run's classes, so a resumed run numbers the classes the same way."""

    classes: BoxClasses
    name: ClassVar[str]

    def record(self) -> dict[str, Any]:
        return {"layout": self.name, **self.classes.record()}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> BoxFolderLayout:
        return cls(BoxClasses.from_record(record))
