"""The geometry fuser: a run of geometric steps becomes one coordinate map, one resample.

Registered with the core as `register_fuser("geometry", fuse_geometry)`. Matrices multiply,
warps are evaluated through the composed map, so the image is interpolated once (sharper
and faster than one resample per step). Masks, keypoints and boxes follow the same map and
class labels follow label-aware steps (Mirror). Resampling settings (interpolation, border,
fill, min_visibility) come from the first step of the run that has them.
"""

from __future__ import annotations

from typing import Any

from augment.core.sample import ImageSample
from augment.core.transform import register_fuser
from augment.images.geometry.coordinate_map import CoordinateMap
from augment.images.geometry.resample import resample
from augment.images.geometry.targets import move_boxes, move_keypoints, move_mask

DEFAULT_SETTINGS = {
    "interpolation": "linear",
    "border": "replicate",
    "fill": 0.0,
    "min_visibility": 0.0,
}


def resampling_settings(steps: list[tuple[Any, dict]]) -> dict[str, Any]:
    """Interpolation, border (as drawn when 'random'), fill and min_visibility of the run."""
    for transform, params in steps:
        if hasattr(transform, "border"):
            return {
                "interpolation": transform.interpolation,
                "border": params.get("border", transform.border),
                "fill": transform.fill,
                "min_visibility": transform.min_visibility,
            }
    return DEFAULT_SETTINGS


def build_map(steps: list[tuple[Any, dict]], height: int, width: int) -> CoordinateMap:
    """The composed coordinate map of the steps' stages, in order."""
    cmap = CoordinateMap(height, width)
    for transform, params in steps:
        stage = transform.stage(params, height, width)
        if stage is not None:
            cmap = cmap.then(stage[None])
    return cmap


def fuse_geometry(sample: ImageSample, steps: list[tuple[Any, dict]]) -> ImageSample:
    """Apply consecutive geometric steps to an image sample with a single resample."""
    height, width = sample.image.shape[:2]
    cmap = build_map(steps, height, width)
    label = sample.label
    for transform, params in steps:
        label = transform.relabel(label, params)
    settings = resampling_settings(steps)
    image = resample(
        sample.image,
        cmap,
        interpolation=settings["interpolation"],
        border=settings["border"],
        fill=settings["fill"],
    )
    mask, keypoints, boxes, extra = sample.mask, sample.keypoints, sample.boxes, sample.extra
    if mask is not None:
        mask = move_mask(mask, cmap, settings["border"])
    if keypoints is not None:
        keypoints = move_keypoints(keypoints, cmap)
    if boxes is not None:
        boxes, kept = move_boxes(boxes, cmap, settings["min_visibility"])
        if len(kept) < len(sample.boxes):
            previous = extra.get("box_indices", list(range(len(sample.boxes))))
            extra = {**extra, "box_indices": [previous[i] for i in kept]}
    return ImageSample(image, label=label, mask=mask, keypoints=keypoints, boxes=boxes, extra=extra)


register_fuser("geometry", fuse_geometry)
