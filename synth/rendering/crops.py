"""One synthetic crop from a task and a generator: draw, render, augment.

Shared by the dataset writer (`synth ocr`) and the in-memory dataset, so file i of a run
and item i of a `SynthCharDataset` with the same seed and settings are the same crop.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass
class Crop:
    """A finished crop with what the manifest records."""

    image: np.ndarray
    label: str
    font: str
    bbox: list[float] | None
    render: dict[str, Any]
    augment: dict[str, Any] | None


def make_crop(
    task: dict[str, str],
    rng: np.random.Generator,
    *,
    options: RenderOptions,
    pipeline: Transform | None,
    fonts_root,
    backgrounds: BackgroundBank | None,
    neighbours: str | None,
) -> Crop:
    """Render task {"char", "font"} with `rng`, then augment it with the same generator."""
    char, font = task["char"], task["font"]
    params, image, mask, box = _draw_and_render(
        task,
        rng,
        neighbours,
        options=options,
        fonts_root=fonts_root,
        backgrounds=backgrounds,
        centre_mask=pipeline is not None,
    )
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
    tasks: list[dict[str, str]],
    rngs: list[np.random.Generator],
    *,
    options: RenderOptions,
    pipeline: Transform | None,
    fonts_root,
    backgrounds: BackgroundBank | None,
    neighbours: dict[str, str],
) -> list[Crop]:
    """`make_crop` for many tasks, augmenting the stack at once (augment's batch path).

    Each crop uses its own generator in the same order as `make_crop`, so the params match;
    the batch path reproduces the per-crop pixels and does not depend on how tasks are split.
    """
    if pipeline is None:
        return [
            make_crop(
                task,
                rng,
                options=options,
                pipeline=None,
                fonts_root=fonts_root,
                backgrounds=backgrounds,
                neighbours=neighbours.get(task["font"]),
            )
            for task, rng in zip(tasks, rngs, strict=True)
        ]
    if not tasks:
        return []
    result, renders = augment_stack(
        tasks,
        rngs,
        options=options,
        pipeline=pipeline,
        fonts_root=fonts_root,
        backgrounds=backgrounds,
        neighbours=neighbours,
    )
    boxes = mask_boxes(result.images[..., 3])
    colours = colour_of(result.images)
    return [
        Crop(image, new or task["char"], task["font"], box, params, applied)
        for image, new, task, box, params, applied in zip(
            colours, result.labels, tasks, boxes, renders, result.params, strict=True
        )
    ]


def augment_stack(
    tasks: list[dict[str, str]],
    rngs: list[np.random.Generator],
    *,
    options: RenderOptions,
    pipeline: Transform,
    fonts_root,
    backgrounds: BackgroundBank | None,
    neighbours: dict[str, str],
) -> tuple[BatchResult, list[dict[str, Any]]]:
    """The crops of `tasks` rendered as one RGBA stack (alpha: the centre glyph's mask) and
    augmented by `pipeline` on augment's batch path, with their render params: what
    `make_crops` makes crops of, and all that a training batch needs (no boxes, no
    per-crop objects)."""
    from augment.images.batch import collector_paused, run_batch

    with collector_paused():  # thousands of small param dicts, no cycles (as run_batch)
        layers, renders = _render_stack(tasks, rngs, options, fonts_root, backgrounds, neighbours)
    return run_batch(pipeline, layers, rngs, [task["char"] for task in tasks]), renders


def _render_stack(
    tasks: list[dict[str, str]],
    rngs: list[np.random.Generator],
    options: RenderOptions,
    fonts_root,
    backgrounds: BackgroundBank | None,
    neighbours: dict[str, str],
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The crops of `tasks` as one RGBA stack (alpha: the centre glyph's mask) and their
    render params, ready for the batch path: drawn, their coverage painted and their colour
    stage painted for the whole batch at once (the same pixels as `render_layers` crop by
    crop)."""
    renders = draw_render_params_batch(
        rngs,
        tasks,
        [neighbours.get(task["font"]) for task in tasks],
        options=options,
        fonts_root=fonts_root,
        backgrounds=backgrounds,
    )
    coverage, centre, _ = render_coverages(renders, fonts_root, centre_mask=True)
    assert centre is not None  # asked for (centre_mask)
    layers = np.empty((len(tasks), *options.size, 4), np.uint8)
    layers[..., 3] = centre
    layers[..., :3] = paint_stack(coverage, renders, backgrounds)
    return layers, renders


def _draw_and_render(
    task: dict[str, str],
    rng: np.random.Generator,
    neighbours: str | None,
    *,
    options: RenderOptions,
    fonts_root,
    backgrounds: BackgroundBank | None,
    centre_mask: bool,
) -> tuple[dict[str, Any], np.ndarray, np.ndarray | None, list[float]]:
    """The render params of `task` drawn with `rng`, the crop, the centre glyph's mask (if
    asked) and its box."""
    params = draw_render_params(
        rng,
        task["char"],
        task["font"],
        options=options,
        fonts_root=fonts_root,
        backgrounds=backgrounds,
        neighbours=neighbours,
    )
    image, mask, box = render_layers(
        task["char"],
        params,
        fonts_root=fonts_root,
        backgrounds=backgrounds,
        centre_mask=centre_mask,
    )
    return params, image, mask, box
