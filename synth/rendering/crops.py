"""One synthetic crop from a task and a generator: draw, render, augment.

Shared by the dataset writer (`synth ocr`) and the in-memory dataset, so file i of a run
and item i of a `SynthCharDataset` with the same seed and settings are the same crop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from augment.core.sample import ImageSample
from augment.core.transform import Transform
from augment.images.pixels import colour_of
from synth.rendering.param_draw import draw_render_params, draw_render_params_batch
from synth.rendering.render import mask_box, mask_boxes, render_coverages, render_layers
from synth.run.options import RenderOptions
from synth.scene.background_stack import paint_stack
from synth.scene.backgrounds import BackgroundBank

if TYPE_CHECKING:
    from augment.images.batch import BatchResult


@dataclass(frozen=True)
class CropRecipe:
    """What, besides its task and generator, decides a crop: the same for every crop of a
    run or dataset, so the writer's maker and `SynthCharDataset` each hold one.

    neighbours: font id -> the characters that font covers, to stand beside the centre one.
    """

    options: RenderOptions
    pipeline: Transform | None
    fonts_root: str | Path
    backgrounds: BackgroundBank | None
    neighbours: Mapping[str, str]


@dataclass
class Crop:
    """A finished crop with what the manifest records."""

    image: np.ndarray
    label: str
    font: str
    bbox: list[float] | None
    render: dict[str, Any]
    augment: dict[str, Any] | None


def make_crop(task: dict[str, str], rng: np.random.Generator, recipe: CropRecipe) -> Crop:
    """Render task {"char", "font"} with `rng`, then augment it with the same generator."""
    char, font = task["char"], task["font"]
    pipeline = recipe.pipeline
    params, image, mask, box = _draw_and_render(task, rng, recipe, centre_mask=pipeline is not None)
    if pipeline is None:
        return Crop(image, char, font, box, params, None)
    assert mask is not None  # asked for whenever there is a pipeline
    # The centre glyph's mask rides along as alpha: cheaper and tighter than moving a box.
    out, applied = pipeline.run(ImageSample(np.dstack([image, mask]), label=char), rng)
    return Crop(
        colour_of(out.image),
        out.label or char,
        font,
        mask_box(out.image[:, :, 3]),
        params,
        applied,
    )


def make_crops(
    tasks: list[dict[str, str]], rngs: list[np.random.Generator], recipe: CropRecipe
) -> list[Crop]:
    """`make_crop` for many tasks, augmenting the stack at once (augment's batch path).

    Each crop uses its own generator in the same order as `make_crop`, so the params match;
    the batch path reproduces the per-crop pixels and does not depend on how tasks are split.
    """
    if recipe.pipeline is None:
        return [make_crop(task, rng, recipe) for task, rng in zip(tasks, rngs, strict=True)]
    if not tasks:
        return []
    result, renders = augment_stack(tasks, rngs, recipe)
    boxes = mask_boxes(result.images[..., 3])
    colours = colour_of(result.images)
    return [
        Crop(image, new or task["char"], task["font"], box, params, applied)
        for image, new, task, box, params, applied in zip(
            colours, result.labels, tasks, boxes, renders, result.params, strict=True
        )
    ]


def augment_stack(
    tasks: list[dict[str, str]], rngs: list[np.random.Generator], recipe: CropRecipe
) -> tuple[BatchResult, list[dict[str, Any]]]:
    """The crops of `tasks` rendered as one RGBA stack (alpha: the centre glyph's mask) and
    augmented by the recipe's pipeline on augment's batch path, with their render params:
    what `make_crops` makes crops of, and all that a training batch needs (no boxes, no
    per-crop objects)."""
    from augment.images.batch import collector_paused, run_batch

    assert recipe.pipeline is not None  # a recipe without one has nothing to augment
    with collector_paused():  # thousands of small param dicts, no cycles (as run_batch)
        layers, renders = _render_stack(tasks, rngs, recipe)
    return run_batch(recipe.pipeline, layers, rngs, [task["char"] for task in tasks]), renders


def _render_stack(
    tasks: list[dict[str, str]], rngs: list[np.random.Generator], recipe: CropRecipe
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The crops of `tasks` as one RGBA stack (alpha: the centre glyph's mask) and their
    render params, ready for the batch path: drawn, their coverage painted and their colour
    stage painted for the whole batch at once (the same pixels as `render_layers` crop by
    crop)."""
    renders = draw_render_params_batch(
        rngs,
        tasks,
        [recipe.neighbours.get(task["font"]) for task in tasks],
        options=recipe.options,
        fonts_root=recipe.fonts_root,
        backgrounds=recipe.backgrounds,
    )
    coverage, centre, _ = render_coverages(renders, recipe.fonts_root, centre_mask=True)
    assert centre is not None  # asked for (centre_mask)
    layers = np.empty((len(tasks), *recipe.options.size, 4), np.uint8)
    layers[..., 3] = centre
    layers[..., :3] = paint_stack(coverage, renders, recipe.backgrounds)
    return layers, renders


def _draw_and_render(
    task: dict[str, str], rng: np.random.Generator, recipe: CropRecipe, *, centre_mask: bool
) -> tuple[dict[str, Any], np.ndarray, np.ndarray | None, list[float]]:
    """The render params of `task` drawn with `rng`, the crop, the centre glyph's mask (if
    asked) and its box."""
    params = draw_render_params(
        rng,
        task["char"],
        task["font"],
        options=recipe.options,
        fonts_root=recipe.fonts_root,
        backgrounds=recipe.backgrounds,
        neighbours=recipe.neighbours.get(task["font"]),
    )
    image, mask, box = render_layers(
        task["char"],
        params,
        fonts_root=recipe.fonts_root,
        backgrounds=recipe.backgrounds,
        centre_mask=centre_mask,
    )
    return params, image, mask, box
