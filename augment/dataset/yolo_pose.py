"""Ultralytics pose datasets: data.yaml's `kpt_shape` [K, D] and `flip_idx`, and label lines
`class cx cy w h x1 y1 [v1] ... xK yK [vK]` (normalised; D = 3 adds a visibility, 0 for a
point not labelled).

Keypoints become rows [x, y, v, box_number] in pixels, as COCO keypoints do, so the same
code moves them and both output layouts write them back; D = 2 points are visible (v = 2)
unless at (0, 0), Ultralytics' mark of a missing point. `flip_idx` (each keypoint's mirror
partner) goes into every category, where mirrored copies find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VISIBLE = 2  # COCO's "labelled and visible"


@dataclass(frozen=True)
class PoseShape:
    """Keypoints per box, values per keypoint (2 or 3) and the mirror partners."""

    points: int
    dims: int
    flip_idx: tuple[int, ...] | None

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> PoseShape:
        """The shape data.yaml declares; ValueError naming what is wrong."""
        shape = data.get("kpt_shape")
        if not (isinstance(shape, list) and len(shape) == 2 and all(type(v) is int for v in shape)
                and shape[0] > 0 and shape[1] in (2, 3)):  # fmt: skip
            raise ValueError(f"{where}: kpt_shape must be [keypoints, 2 or 3], got {shape!r}")
        flip = data.get("flip_idx")
        if flip is not None and sorted(flip) != list(range(shape[0])):
            raise ValueError(f"{where}: flip_idx must order the {shape[0]} keypoints, got {flip!r}")
        return cls(shape[0], shape[1], None if flip is None else tuple(flip))

    def category_fields(self) -> dict[str, Any]:
        """What each category records about its keypoints (COCO's `keypoints` names)."""
        fields: dict[str, Any] = {"keypoints": [f"kp{k}" for k in range(self.points)]}
        if self.flip_idx is not None:
            fields["flip_idx"] = list(self.flip_idx)
        return fields

    def line_values(self) -> int:
        """The numbers after the class on one line: the box and the keypoints."""
        return 4 + self.points * self.dims


def pose_points(values: list[float], shape: PoseShape, size: tuple[int, int], box: int) -> list:
    """The keypoint rows [x, y, v, box] in pixels of a line's values after its box."""
    width, height = size
    rows = []
    for k in range(shape.points):
        point = values[4 + k * shape.dims : 4 + (k + 1) * shape.dims]
        x, y = point[0] * width, point[1] * height
        if shape.dims == 3:
            visibility = int(point[2])
        else:
            visibility = 0 if point[0] == point[1] == 0 else VISIBLE
        rows.append([x, y, visibility, box])
    return rows
