"""The geometry fuser: a run of geometric steps becomes one coordinate map, one remap.

Registered with the core as `register_fuser("geometry", fuse_geometry, fuse_geometry_batch)`,
for one sample and for a batch of same-size images. Matrices multiply, warps are evaluated
through the composed map, so the image is interpolated once (sharper and faster than one
remap per step). Masks, keypoints and boxes follow the same map and
class labels follow label-aware steps (Mirror). Remapping settings (interpolation, border,
fill, min_visibility) come from the first step of the run that has them.

On a batch of letter-sized crops the cost is per-call overhead, not pixels: the maps of all
crops are built at once with stacked matrix products (one `stage_batch` call per leaf
step), and each crop is remapped by a single OpenCV call, giving the same pixels as the
single-sample fuser.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform, register_fuser
from augment.images.geometry.coordinate_map import CoordinateMap
from augment.images.geometry.remap import remap, remap_stack
from augment.images.geometry.targets import move_boxes, move_keypoints, move_mask
from augment.images.image_batch import ImageBatch

if TYPE_CHECKING:
    from augment.images.geometry.base import GeometricTransform

Leaves = list[tuple["GeometricTransform", Params]]

DEFAULT_SETTINGS = {
    "interpolation": "linear",
    "border": "replicate",
    "fill": 0.0,
    "min_visibility": 0.0,
}


def remapping_settings(steps: list[tuple[Any, dict]]) -> dict[str, Any]:
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
    """Apply consecutive geometric steps to an image sample with a single remap."""
    height, width = sample.image.shape[:2]
    cmap = build_map(steps, height, width)
    label = sample.label
    for transform, params in steps:
        label = transform.relabel(label, params)
    settings = remapping_settings(steps)
    image = remap(
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
    if sample.boxes is not None:
        boxes, kept = move_boxes(sample.boxes, cmap, settings["min_visibility"])
        if len(kept) < len(sample.boxes):
            previous = extra.get("box_indices", list(range(len(sample.boxes))))
            extra = {**extra, "box_indices": [previous[i] for i in kept]}
    return ImageSample(image, label=label, mask=mask, keypoints=keypoints, boxes=boxes, extra=extra)


def fuse_geometry_batch(
    batch: ImageBatch, steps: list[Transform], params: list[list[Params]]
) -> ImageBatch:
    """Apply a run of geometric steps (each with every example's params) to a batch, one
    remap per image through the fused map of that image's own leaf steps.

    The steps share the "geometry" fusion key, so they and their leaves are geometric."""
    images = batch.images
    if all(_plain_leaf(t) for t in steps):  # the common case: one structure for all
        all_leaves = [
            cast(Leaves, list(zip(steps, ps, strict=True))) for ps in zip(*params, strict=True)
        ]
        return batch.with_images(_remap_examples(images, all_leaves, [list(range(len(batch)))]))
    labels = list(batch.labels)
    all_leaves = []
    for i in range(len(batch)):
        leaves = cast(
            Leaves,
            [leaf for t, ps in zip(steps, params, strict=True) for leaf in t.fused_steps(ps[i])],
        )
        all_leaves.append(leaves)
        for leaf, p in leaves:
            labels[i] = leaf.relabel(labels[i], p)
    return batch.with_images(_remap_examples(images, all_leaves), labels)


def _plain_leaf(t: Transform) -> bool:
    """A leaf (not a combinator) that keeps labels and has a fixed border: its examples
    need no sorting by structure, border or label."""
    return (
        type(t).fused_steps is Transform.fused_steps
        and t.keeps_label
        and getattr(t, "border", None) != "random"
    )


def _remap_examples(
    stack: np.ndarray, all_leaves: list[Leaves], groups: list[list[int]] | None = None
) -> np.ndarray:
    """Each image remapped once through the fused map of its own geometric leaves.

    Examples whose leaves are the same transforms (Maybe/OneOf may differ) and whose
    remapping settings agree are mapped and remapped together: `groups`, found from the
    leaves unless the caller knows them.
    """
    h, w = stack.shape[1:3]
    if groups is None:
        members: dict[Any, list[int]] = defaultdict(list)
        for i, leaves in enumerate(all_leaves):
            members[tuple((id(leaf), p.get("border")) for leaf, p in leaves)].append(i)
        groups = list(members.values())
    stages, rows = _pooled_stages(all_leaves, h, w)
    if len(groups) == 1 and len(groups[0]) == len(stack):  # one structure: no reassembly
        return _remap_group(stack, all_leaves, groups[0], stages, rows)
    out = np.empty_like(stack)  # every row is written below
    for index in groups:
        out[index] = _remap_group(stack[index], all_leaves, index, stages, rows)
    return out


def _remap_group(
    images: np.ndarray,
    all_leaves: list[Leaves],
    index: list[int],
    stages: dict[int, np.ndarray],
    rows: list[list[int]],
) -> np.ndarray:
    """The examples at `index` (`images`), which share their leaves' structure, remapped
    through their maps in one stack (unchanged when they have no geometric leaf)."""
    leaves = all_leaves[index[0]]
    if not leaves:
        return images
    cmap = CoordinateMap(images.shape[1], images.shape[2])
    for k, (leaf, _) in enumerate(leaves):
        cmap = cmap.then(stages[id(leaf)][[rows[i][k] for i in index]])
    settings = remapping_settings(leaves)
    return remap_stack(
        images,
        cmap,
        interpolation=settings["interpolation"],
        border=settings["border"],
        fill=settings["fill"],
    )


def _pooled_stages(
    all_leaves: list[Leaves], height: int, width: int
) -> tuple[dict[int, np.ndarray], list[list[int]]]:
    """Each leaf's stages for every example that has it, and each example's rows in them.

    One `stage_batch` call per leaf rather than one per leaf and structure: with Maybe steps
    a stack has many small structures, and building their stages costs more than remapping.
    """
    pooled: dict[int, tuple[GeometricTransform, list[Params]]] = {}
    rows = []
    for leaves in all_leaves:
        example_rows = []
        for leaf, p in leaves:
            params = pooled.setdefault(id(leaf), (leaf, []))[1]
            example_rows.append(len(params))
            params.append(p)
        rows.append(example_rows)
    stages = {key: leaf.stage_batch(ps, height, width) for key, (leaf, ps) in pooled.items()}
    return stages, rows


register_fuser("geometry", fuse_geometry, fuse_geometry_batch)
