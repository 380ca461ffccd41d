"""Batch path: a stack of same-size crops in, a stack out, with little Python per crop.

On letter-sized crops the cost of augmentation is per-call overhead, not pixels. Here the
parameters are drawn per example exactly as `pipeline.run` draws them (same generator, same
order, so the recorded params are the same); then, for each run of geometric steps, the
coordinate maps of all crops are built at once with stacked matrix products and one small
upsampling product, and each crop is resampled by a single OpenCV call. Photometric steps
with a vectorised `transform_batch` run once per stack, and a run of photometric steps
works on the colour channels split off once. A step that chooses between geometry and colour
(a TrivialAugment-style OneOf) is drawn for every example, then applied branch by branch.
Geometry gives the same pixels as the single-example path; the vectorised photometric steps
may differ by rounding.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Sequence as SequenceType
from typing import Any, NamedTuple

import numpy as np

from augment.core.combinators import Maybe, OneOf, Sequence, SomeOf, fusion_runs
from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform
from augment.images.geometry.base import GeometricTransform
from augment.images.geometry.coordinate_map import CoordinateMap
from augment.images.geometry.fuser import resampling_settings
from augment.images.geometry.resample import resample_stack
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_of, with_alpha_of

# Above this many pixels per image, whole-stack arrays (maps, float copies) cost more memory
# traffic than the per-call overhead they save: larger images run one by one.
STACKED_PIXELS_MAX = 128 * 128


class BatchResult(NamedTuple):
    """What run_batch returns: the augmented stack, each image's params and final label."""

    images: np.ndarray
    params: list[Params]
    labels: list[str | None]


def run_batch(
    pipeline: Transform,
    images: np.ndarray | SequenceType[np.ndarray],
    rngs: np.random.Generator | SequenceType[np.random.Generator],
    labels: SequenceType[str | None] | None = None,
) -> BatchResult:
    """Augment a stack (n, H, W[, C]) of same-size images.

    `rngs` is one generator per image (e.g. `example_rngs(seed, indices)`), which reproduces
    `pipeline.run` per image (same params), or one generator shared by the batch.
    `labels` are the class labels label-aware steps see; the result has them as changed
    (Mirror with a label_map).
    """
    stack = np.ascontiguousarray(
        np.stack(list(images)) if not isinstance(images, np.ndarray) else images
    )
    n = stack.shape[0]
    if n == 0:
        return BatchResult(stack, [], [])
    gens = [rngs] * n if isinstance(rngs, np.random.Generator) else list(rngs)
    if len(gens) != n:
        raise ValueError(f"{len(gens)} generators for {n} images")
    labels = [None] * n if labels is None else list(labels)
    steps = list(pipeline.transforms) if type(pipeline) is Sequence else [pipeline]
    draws = _Draws(gens, stack)  # steps keep the shape and dtype: one set of probes serves all
    # Thousands of small param dicts would trigger the cyclic garbage collector again and
    # again (it costs more than the augmentation); they hold no cycles, so pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        small = stack.shape[1] * stack.shape[2] <= STACKED_PIXELS_MAX
        for kind, group in _plan(steps) if small else [("one_by_one", steps)]:
            if kind == "geometry":
                stack, labels = _geometry_group(group, stack, draws, labels)
            elif kind == "photometric":
                stack = _photometric_run(group, stack, draws, labels)
            elif kind == "mixed":
                stack = _apply_drawn(group[0], stack, draws.draw(group[0], labels))
            else:
                stack, labels = _one_by_one(group, stack, draws, labels)
    finally:
        if collecting:
            gc.enable()
    params = [
        {"steps": r} if type(pipeline) is Sequence else r[0][type(pipeline).__name__]
        for r in draws.records
    ]
    return BatchResult(stack, params, labels)


def _plan(steps: list[Transform]) -> list[tuple[str, list[Transform]]]:
    """How the runs of steps are applied: "geometry" (a fused run, stacked), "photometric"
    (consecutive colour-only steps, stacked), "mixed" (one step choosing between geometry and
    colour, e.g. OneOf[Rotate, Blur], applied choice by choice) or "one_by_one"."""
    plan: list[tuple[str, list[Transform]]] = []
    for run in fusion_runs(steps):
        group = [steps[i] for i in run]
        if group[0].fusion_key == "geometry" and all(
            _batchable(t, GeometricTransform) for t in group
        ):
            plan.append(("geometry", group))
        elif len(group) == 1 and _batchable(group[0], PhotometricTransform):
            if plan and plan[-1][0] == "photometric":
                plan[-1][1].append(group[0])
            else:
                plan.append(("photometric", group))
        elif len(group) == 1 and _drawable_mixed(group[0]):
            plan.append(("mixed", group))
        else:
            plan.append(("one_by_one", group))
    return plan


def _batchable(t: Transform, leaf: type[Transform]) -> bool:
    """Whether params can be drawn without applying and every leaf is a `leaf` (no SomeOf
    etc.): a step mixing geometry and colour fits neither stacked run, so it runs one by one."""
    if isinstance(t, leaf):
        return True
    if isinstance(t, Maybe):
        return _batchable(t.transform, leaf)
    if isinstance(t, OneOf | Sequence):
        return all(_batchable(c, leaf) for c in t.transforms)
    return False


def _drawable_mixed(t: Transform) -> bool:
    """Whether every leaf is geometric or photometric under Maybe/OneOf/SomeOf/Sequence
    (params drawable without applying) and no leaf can change the label (a later draw would
    see it)."""
    if isinstance(t, GeometricTransform):
        return type(t).relabel is GeometricTransform.relabel
    if isinstance(t, PhotometricTransform):
        return True
    if isinstance(t, Maybe):
        return _drawable_mixed(t.transform)
    if isinstance(t, OneOf | SomeOf | Sequence):
        return all(_drawable_mixed(c) for c in t.transforms)
    return False


class _Probes(dict):
    """What draw_params sees, one per label: shape, dtype and label (pixels unread)."""

    def __init__(self, stack: np.ndarray) -> None:
        super().__init__()
        self.image = stack[0]

    def __missing__(self, label: str | None) -> ImageSample:
        probe = self[label] = ImageSample(self.image, label=label)
        return probe


def _plain_leaf(t: Transform) -> bool:
    """A geometric leaf that keeps labels and has a fixed border: no per-example sorting."""
    return (
        isinstance(t, GeometricTransform)
        and type(t).relabel is GeometricTransform.relabel
        and getattr(t, "border", None) != "random"
    )


class _Draws:
    """The batch's drawing state: each example's generator and its record of drawn params
    (as Sequence.run records them), and the probes draw_params sees."""

    def __init__(self, gens: list[np.random.Generator], stack: np.ndarray) -> None:
        self.gens = gens
        self.probes = _Probes(stack)
        self.records: list[list[dict[str, Params]]] = [[] for _ in gens]

    def draw(self, t: Transform, labels: list[str | None]) -> list[Params]:
        """Each example's params for step t, recorded."""
        name, draw_params, probes = type(t).__name__, t.draw_params, self.probes
        drawn = [
            draw_params(gen, probes[label]) for gen, label in zip(self.gens, labels, strict=True)
        ]
        for record, p in zip(self.records, drawn, strict=True):
            record.append({name: p})
        return drawn


def _geometry_group(
    group: list[Transform], stack: np.ndarray, draws: _Draws, labels: list[str | None]
) -> tuple[np.ndarray, list[str | None]]:
    n = stack.shape[0]
    drawn = [draws.draw(t, labels) for t in group]
    labels = list(labels)
    if all(_plain_leaf(t) for t in group):  # the common case: one structure for all
        all_leaves = [list(zip(group, d, strict=True)) for d in zip(*drawn, strict=True)]
        return _resample_examples(stack, all_leaves, [list(range(n))]), labels
    all_leaves = []
    for i in range(n):
        leaves = [leaf for t, d in zip(group, drawn, strict=True) for leaf in t.fused_steps(d[i])]
        all_leaves.append(leaves)
        for leaf, p in leaves:
            labels[i] = leaf.relabel(labels[i], p)
    return _resample_examples(stack, all_leaves), labels


def _resample_examples(
    stack: np.ndarray,
    all_leaves: list[list[tuple[GeometricTransform, Params]]],
    groups: list[list[int]] | None = None,
) -> np.ndarray:
    """Each image resampled once through the fused map of its own geometric leaves.

    Examples whose leaves are the same transforms (Maybe/OneOf may differ) and whose
    resampling settings agree are mapped and remapped together: `groups`, found from the
    leaves unless the caller knows them.
    """
    h, w = stack.shape[1:3]
    if groups is None:
        members: dict[Any, list[int]] = defaultdict(list)
        for i, leaves in enumerate(all_leaves):
            members[tuple((id(leaf), p.get("border")) for leaf, p in leaves)].append(i)
        groups = list(members.values())
    stages, rows = _pooled_stages(all_leaves, h, w)
    out = stack.copy()
    for index in groups:
        leaves = all_leaves[index[0]]
        if not leaves:
            continue
        cmap = CoordinateMap(h, w)
        for k, (leaf, _) in enumerate(leaves):
            cmap = cmap.then(stages[id(leaf)][[rows[i][k] for i in index]])
        settings = resampling_settings(leaves)
        out[index] = resample_stack(
            stack[index],
            cmap,
            interpolation=settings["interpolation"],
            border=settings["border"],
            fill=settings["fill"],
        )
    return out


def _pooled_stages(
    all_leaves: list[list[tuple[GeometricTransform, Params]]], height: int, width: int
) -> tuple[dict[int, np.ndarray], list[list[int]]]:
    """Each leaf's stages for every example that has it, and each example's rows in them.

    One `stage_batch` call per leaf rather than one per leaf and structure: with Maybe steps
    a stack has many small structures, and building their stages costs more than resampling.
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


def _photometric_run(
    steps: list[Transform], stack: np.ndarray, draws: _Draws, labels: list[str | None]
) -> np.ndarray:
    """Consecutive photometric steps on one working copy of the colour channels: they change
    colour only, so an RGBA stack's alpha is split off once for the run, not once per step."""
    rgba = stack.ndim == 4 and stack.shape[3] == 4
    colour = colour_of(stack) if rgba else stack.copy()
    for t in steps:
        colour = _photometric_step(t, colour, draws, labels)
    return with_alpha_of(colour, stack) if rgba else colour


def _photometric_step(
    t: Transform, colour: np.ndarray, draws: _Draws, labels: list[str | None]
) -> np.ndarray:
    """Step t on the run's working copy, changed in place when leaves take part of it.

    An example's leaves (a Sequence inside the step) apply in order, each to the previous
    one's output: the k-th leaves of all examples are applied together, grouped by leaf.
    """
    drawn = draws.draw(t, labels)
    if isinstance(t, PhotometricTransform):
        return t.transform_batch(colour, drawn)
    chains = [(i, leaves) for i, p in enumerate(drawn) if (leaves := t.fused_steps(p))]
    depth = 0
    while chains:
        by_leaf: dict[int, tuple[PhotometricTransform, list[int], list[Params]]] = {}
        for i, leaves in chains:
            leaf, leaf_params = leaves[depth]
            entry = by_leaf.setdefault(id(leaf), (leaf, [], []))
            entry[1].append(i)
            entry[2].append(leaf_params)
        # at one depth each example has one leaf: the groups are disjoint
        for leaf, index, ps in by_leaf.values():
            colour[index] = leaf.transform_batch(colour[index], ps)
        depth += 1
        chains = [chain for chain in chains if len(chain[1]) > depth]
    return colour


def _apply_drawn(t: Transform, stack: np.ndarray, params: list[Params]) -> np.ndarray:
    """`t.apply` with each image's drawn params, for a step mixing geometry and colour: the
    examples that took the same branch are applied together, fused as `apply` fuses them."""
    if isinstance(t, GeometricTransform):
        return _resample_examples(stack, [[(t, p)] for p in params])
    if isinstance(t, PhotometricTransform):
        rgba = stack.ndim == 4 and stack.shape[3] == 4
        if rgba:
            return with_alpha_of(t.transform_batch(colour_of(stack), params), stack)
        return t.transform_batch(stack.copy(), params)
    out = stack.copy()
    if isinstance(t, Sequence):
        for group in t.fusion_groups():
            steps = [t.transforms[i] for i in group]
            step_params = [
                [p["steps"][i][type(step).__name__] for p in params]
                for step, i in zip(steps, group, strict=True)
            ]
            if len(group) > 1 and steps[0].fusion_key == "geometry":  # one resample, as fused
                leaves = [
                    [
                        leaf
                        for step, ps in zip(steps, step_params, strict=True)
                        for leaf in step.fused_steps(ps[k])
                    ]
                    for k in range(len(params))
                ]
                out = _resample_examples(out, leaves)
            else:
                for step, ps in zip(steps, step_params, strict=True):
                    out = _apply_drawn(step, out, ps)
        return out
    if isinstance(t, SomeOf):
        return _apply_chosen(t, out, params)
    branches: dict[Any, list[int]] = defaultdict(list)
    for k, p in enumerate(params):
        if isinstance(t, OneOf):
            branches[t.transforms[p["choice"]]].append(k)
        elif p["applied"]:  # Maybe
            branches[t.transform].append(k)
    for branch, index in branches.items():
        out[index] = _apply_drawn(branch, stack[index], [params[k]["params"] for k in index])
    return out


def _apply_chosen(t: SomeOf, out: np.ndarray, params: list[Params]) -> np.ndarray:
    """SomeOf's chosen steps in list order, each on the previous one's output: the k-th
    chosen steps of all examples are applied together, grouped by step (RandAugment-like)."""
    chains = [list(zip(p["chosen"], p["params"], strict=True)) for p in params]
    depth = 0
    while True:
        by_step: dict[int, list[int]] = defaultdict(list)
        for k, chain in enumerate(chains):
            if len(chain) > depth:
                by_step[chain[depth][0]].append(k)
        if not by_step:
            return out
        for step, index in by_step.items():  # disjoint: one step per example at a depth
            step_params = [chains[k][depth][1] for k in index]
            out[index] = _apply_drawn(t.transforms[step], out[index], step_params)
        depth += 1


def _one_by_one(
    group: list[Transform], stack: np.ndarray, draws: _Draws, labels: list[str | None]
) -> tuple[np.ndarray, list[str | None]]:
    """Steps the batch path cannot (or, for large images, need not) stack: run per example."""
    pipeline = group[0] if len(group) == 1 else Sequence(group)
    out = np.empty_like(stack)  # every image is written below
    labels = list(labels)
    for i in range(len(stack)):
        result, p = pipeline.run(ImageSample(stack[i], label=labels[i]), draws.gens[i])
        out[i] = result.image
        labels[i] = result.label
        if len(group) == 1:
            draws.records[i].append({type(pipeline).__name__: p})
        else:
            draws.records[i].extend(p["steps"])
    return out, labels
