"""A task's box, keypoint, mask and segmentation columns through the pipeline, by the
albumentations-style call (`augment.calls.ImageCall`): the same conversion, the same moving
of targets and the same dropping of per-box labels as `pipeline(image=..., bboxes=...)`, so
the CLI and the library cannot disagree about where a box goes. A box's segmentation
polygons (COCO's lists) ride along as extra keypoints (`augment.images.polygons`) and are
dropped with their box.

Input boxes must lie in the image: a coordinate up to EDGE_TOLERANCE pixels outside (float
rounding in exported annotations) is clipped, anything further refused with the file
named. After the pipeline, boxes smaller than `min_area` pixels are dropped with their
labels (the geometry has already clipped them and dropped those below min_visibility).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from PIL import Image

from augment.calls.errors import CallError
from augment.calls.image_call import ImageCall
from augment.core.errors import InputError
from augment.core.sample import ImageSample
from augment.dataset.box_columns import BOX_LABEL_COLUMNS, TARGET_COLUMNS
from augment.dataset.keypoint_names import FlipOrders
from augment.images.keypoint_flips import swap_sides
from augment.images.polygons import densified, polygon_problem, settled

EDGE_TOLERANCE = 1.0  # pixels
MASK_SUFFIX = ".png"


@dataclass(frozen=True)
class TargetCall:
    """A task's call, and where its segmentation polygons ride among the keypoints.

    user_points: the task's own keypoints, which come first; polygon_sizes: per box, the
    vertex count of each of its polygons, whose vertices follow in that order.
    """

    call: ImageCall
    user_points: int = 0
    polygon_sizes: list[list[int]] | None = None


@dataclass(frozen=True)
class TargetColumns:
    """How a run reads its target columns: the box format, the smallest box kept, and per
    category the left/right partner of each named keypoint (`keypoint_flips`)."""

    bbox_format: str
    min_area: float = 0.0
    keypoint_flips: FlipOrders = field(default_factory=dict)

    def call(self, task: dict[str, Any], image: np.ndarray) -> TargetCall | None:
        """The call holding `image` and the task's targets (None: the task has none)."""
        columns = task["columns"]
        if not any(key in columns for key in TARGET_COLUMNS):
            return None
        labels = {key: columns[key] for key in BOX_LABEL_COLUMNS if key in columns}
        if "bboxes" not in columns:
            labels = {}  # per-box labels without boxes are ordinary columns
        mask = _read_mask(columns["mask"]) if "mask" in columns else None
        try:
            call = ImageCall.from_arguments(
                image, mask, columns.get("bboxes"), columns.get("keypoints"),
                self.bbox_format, **labels,
            )  # fmt: skip
        except CallError as err:
            raise InputError(task["source"], str(err)) from None
        call = _inside(call, task["source"])
        if "segmentation" not in columns:
            return TargetCall(call)
        return _with_polygons(call, columns["segmentation"], task["source"])

    def sample(self, target: TargetCall, task: dict[str, Any]) -> ImageSample:
        """The call's sample with the task's label and its other columns."""
        moved = (*TARGET_COLUMNS, *target.call.labels)
        extra = {k: v for k, v in task["columns"].items() if k not in moved}
        return target.call.sample.replace(label=task.get("label"), extra=extra)

    def columns(
        self, target: TargetCall, out: ImageSample, mirrored: bool = False
    ) -> tuple[dict[str, Any], bytes | None]:
        """The moved targets as columns (boxes in the input's format), and the moved mask's
        PNG bytes if the task had a mask. In a `mirrored` copy, left and right keypoints
        trade places within each box."""
        if out.boxes is not None and self.min_area > 0:
            out = _without_small(out, self.min_area)
        polygons = None
        if target.polygon_sizes is not None:
            out, polygons = _polygons_out(target, out)
        result = target.call.result(out)
        columns: dict[str, Any] = {k: v for k, v in out.extra.items() if k != "box_indices"}
        if "bboxes" in result:
            columns["bboxes"] = [[float(v) for v in box] for box in result["bboxes"]]
            columns.update({name: list(result[name]) for name in target.call.labels})
        if "keypoints" in result:
            columns["keypoints"] = [[*map(_plain, point)] for point in result["keypoints"]]
            if mirrored and self.keypoint_flips and "box_number" in columns:
                owners = dict(zip(columns["box_number"], columns.get("category", []), strict=False))
                columns["keypoints"] = swap_sides(columns["keypoints"], owners, self.keypoint_flips)
        if polygons is not None:
            columns["segmentation"] = polygons
        return columns, _png(result["mask"]) if "mask" in result else None


def _with_polygons(call: ImageCall, segmentation: Any, source: str) -> TargetCall:
    """The call with each box's polygons (densified) appended to its keypoints."""
    boxes = call.sample.boxes
    count = 0 if boxes is None else len(boxes)
    if not isinstance(segmentation, list) or len(segmentation) != count:
        raise InputError(source, f"segmentation: expected one polygon list per box ({count})")
    width, height = call.sample.width, call.sample.height
    for i, polygons in enumerate(segmentation):
        problem = polygon_problem(polygons) or _outside(polygons, width, height)
        if problem:
            raise InputError(source, f"segmentation[{i}]: {problem}")
    rides = [densified(polygons) for polygons in segmentation]
    sizes = [[len(points) for points in box] for box in rides]
    vertices = [points for box in rides for points in box]
    own = call.sample.keypoints
    user_points = 0 if own is None else len(own)
    # polygon vertices are corner coordinates; keypoints are pixel centres
    riders = np.concatenate(vertices) - 0.5 if vertices else np.zeros((0, 2))
    points = riders if own is None else np.concatenate([own, riders])
    sample = call.sample.replace(keypoints=points)
    return TargetCall(replace(call, sample=sample), user_points, sizes)


def _outside(polygons: list[list[float]], width: int, height: int) -> str | None:
    """A vertex further outside the image than EDGE_TOLERANCE, as boxes are refused."""
    for flat in polygons:
        x, y = np.asarray(flat[0::2]), np.asarray(flat[1::2])
        bad = (x < -EDGE_TOLERANCE) | (x > width + EDGE_TOLERANCE)
        bad |= (y < -EDGE_TOLERANCE) | (y > height + EDGE_TOLERANCE)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            return f"vertex ({x[k]:g}, {y[k]:g}) lies outside the {width}x{height} image"
    return None


def _polygons_out(target: TargetCall, out: ImageSample) -> tuple[ImageSample, list]:
    """`out` with the task's own keypoints only, and the kept boxes' moved polygons."""
    assert out.keypoints is not None and target.polygon_sizes is not None
    own, riders = out.keypoints[: target.user_points], out.keypoints[target.user_points :]
    moved, start = [], 0
    for sizes in target.polygon_sizes:
        box = []
        for size in sizes:
            box.append(riders[start : start + size] + 0.5)
            start += size
        moved.append(settled(box, out.width, out.height))
    kept = out.extra.get("box_indices", range(len(moved)))
    polygons = [moved[k] for k in kept]
    return out.replace(keypoints=own if target.call.keypoints is not None else None), polygons


def _inside(call: ImageCall, source: str) -> ImageCall:
    """The call with boxes clipped to the image, or InputError for a box outside it."""
    boxes = call.sample.boxes
    if boxes is None or len(boxes) == 0:
        return call
    size = np.array([call.sample.width, call.sample.height] * 2, dtype=np.float64)
    outside = np.any((boxes < -EDGE_TOLERANCE) | (boxes > size + EDGE_TOLERANCE), axis=1)
    if np.any(outside):
        i = int(np.flatnonzero(outside)[0])
        given = call.boxes.coords[i].tolist() if call.boxes is not None else []
        raise InputError(
            source,
            f"bboxes[{i}] {call.bbox_format} box {given} lies outside the "
            f"{call.sample.width}x{call.sample.height} image",
        )
    clipped = np.clip(boxes, 0, size)
    return ImageCall(
        call.sample.replace(boxes=clipped), call.pixels, call.mask, call.boxes,
        call.keypoints, call.bbox_format, call.labels,
    )  # fmt: skip


def _without_small(out: ImageSample, min_area: float) -> ImageSample:
    """`out` without the boxes under `min_area` pixels; the kept indices recorded as the
    geometry records them, so the call drops their labels too."""
    assert out.boxes is not None
    areas = (out.boxes[:, 2] - out.boxes[:, 0]) * (out.boxes[:, 3] - out.boxes[:, 1])
    keep = np.flatnonzero(areas >= min_area)
    indices = out.extra.get("box_indices", range(len(out.boxes)))
    extra = {**out.extra, "box_indices": [indices[k] for k in keep]}
    return out.replace(boxes=out.boxes[keep], extra=extra)


def _read_mask(path: str) -> Image.Image:
    """A mask file as the PIL image the call takes (its palette kept)."""
    try:
        with Image.open(path) as mask:
            mask.load()
            return mask.copy()
    except (OSError, ValueError, SyntaxError) as err:
        raise InputError(path, f"cannot read mask ({type(err).__name__})") from None


def _png(mask: Image.Image) -> bytes:
    out = io.BytesIO()
    mask.save(out, format="PNG")
    return out.getvalue()


def _plain(value: Any) -> Any:
    """A keypoint value as JSON writes it (NumPy scalars as numbers)."""
    return value.item() if isinstance(value, np.generic) else value
