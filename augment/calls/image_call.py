"""The albumentations-style call: `call_image(pipeline, image=..., bboxes=..., ...)` -> dict.

A thin layer over `pipeline.run`: inputs are converted to an ImageSample (pixels, mask,
boxes as pixel corners, keypoints), the pipeline draws and applies exactly as it would on
that sample, and the result is converted back to the types, layouts and box format that
came in. Per-box label fields (any extra keyword, e.g. `class_labels=[...]`) and extra box
columns (an (N, 5) array with the class last) are filtered together with the boxes that
survive, from the indices the geometry records (`extra["box_indices"]`). The result holds
the params too, so `replay_image` reproduces it byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.calls.box_formats import check_format, from_corners, to_corners
from augment.calls.errors import CallError
from augment.calls.masks import MaskLayout, to_mask
from augment.calls.pixels import PixelLayout, to_pixels
from augment.calls.rows import Rows, split_rows, take
from augment.core.sample import ImageSample
from augment.core.seeding import implicit_rng
from augment.core.transform import Params, Transform

RESERVED = ("params",)  # a result key, so not a label field name


@dataclass(frozen=True)
class ImageCall:
    """One call's inputs as an ImageSample, and how to give the result back."""

    sample: ImageSample
    pixels: PixelLayout
    mask: MaskLayout | None
    boxes: Rows | None
    keypoints: Rows | None
    bbox_format: str
    labels: dict[str, Any]

    @classmethod
    def from_arguments(
        cls,
        image: Any,
        mask: Any = None,
        bboxes: Any = None,
        keypoints: Any = None,
        bbox_format: str = "coco",
        **labels: Any,
    ) -> ImageCall:
        pixels, layout = to_pixels(image)
        height, width = pixels.shape[:2]
        moved: dict[str, Any] = {}
        mask_layout = None
        if mask is not None:
            moved["mask"], mask_layout = to_mask(mask, (height, width))
        boxes = None
        if bboxes is not None:
            boxes = split_rows(bboxes, 4, "bboxes")
            moved["boxes"] = to_corners(boxes.coords, check_format(bbox_format), width, height)
        points = None
        if keypoints is not None:
            points = split_rows(keypoints, 2, "keypoints")
            moved["keypoints"] = points.coords
        labels = _checked_labels(labels, None if boxes is None else len(boxes.coords))
        sample = ImageSample(pixels, **moved)
        return cls(sample, layout, mask_layout, boxes, points, bbox_format, labels)

    def result(self, out: ImageSample) -> dict[str, Any]:
        """The pipeline's output in the caller's types, with the surviving boxes' labels.

        A pipeline keeps every target it was given, so `out` has those of this call."""
        result: dict[str, Any] = {"image": self.pixels.restore(out.image)}
        if self.mask is not None:
            assert out.mask is not None
            result["mask"] = self.mask.restore(out.mask)
        if self.keypoints is not None:
            assert out.keypoints is not None
            kept = list(range(len(self.keypoints.coords)))
            result["keypoints"] = self.keypoints.rebuild(out.keypoints, kept)
        if self.boxes is not None:
            assert out.boxes is not None
            kept = list(out.extra.get("box_indices", range(len(out.boxes))))
            boxes = from_corners(out.boxes, self.bbox_format, out.width, out.height)
            result["bboxes"] = self.boxes.rebuild(boxes, kept)
            result.update({name: take(values, kept) for name, values in self.labels.items()})
        return result


def call_image(
    pipeline: Transform,
    image: Any,
    *,
    mask: Any = None,
    bboxes: Any = None,
    keypoints: Any = None,
    bbox_format: str = "coco",
    rng: np.random.Generator | None = None,
    **labels: Any,
) -> dict[str, Any]:
    """Augment `image` and its targets like an albumentations Compose call.

    image: PIL image, NumPy (H, W[, C]) array or torch (C, H, W) tensor.
    mask: (H, W) class ids (NumPy, PIL or torch). keypoints: (N, 2+) x, y pixel centres.
    bboxes: (N, 4+) in `bbox_format` (coco, yolo, pascal_voc, albumentations); columns
        after the fourth (e.g. a class) are kept with their box.
    labels: per-box label fields (e.g. class_labels=[...]), filtered with the boxes.
    rng: the generator to draw from (`example_rng(seed, index)` for reproducible runs).
    Returns image, mask, bboxes, keypoints and label fields as given, plus "params".
    """
    call = ImageCall.from_arguments(image, mask, bboxes, keypoints, bbox_format, **labels)
    out, params = pipeline.run(call.sample, rng if rng is not None else implicit_rng())
    return {**call.result(out), "params": params}


def replay_image(pipeline: Transform, params: Params, image: Any, **targets: Any) -> dict[str, Any]:
    """`call_image` with recorded params instead of a draw: the same result, byte for byte."""
    call = ImageCall.from_arguments(image, **targets)
    return {**call.result(pipeline.apply(call.sample, params)), "params": params}


def _checked_labels(labels: dict[str, Any], box_count: int | None) -> dict[str, Any]:
    """Per-box label fields, each as long as the boxes. `label_fields` (albumentations'
    BboxParams habit) is accepted when it names fields that were given."""
    named = labels.pop("label_fields", None)
    if named is not None:
        missing = [name for name in named if name not in labels]
        if missing:
            raise CallError("label_fields", f"names {missing} but no such keyword was given")
    for name, values in labels.items():
        if name in RESERVED:
            raise CallError(name, "is a result key; name the label field otherwise")
        if box_count is None:
            raise CallError(name, "a per-box label field needs bboxes=")
        if not hasattr(values, "__len__") or isinstance(values, str | bytes):
            raise CallError(name, f"expected one label per box, got {type(values).__name__}")
        if len(values) != box_count:
            raise CallError(name, f"{len(values)} labels for {box_count} boxes")
    return labels
