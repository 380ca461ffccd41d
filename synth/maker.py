"""The ExampleMaker behind `synth ocr`: task {"char", "font"} -> PNG bytes + manifest columns.

It holds only plain values so it pickles to worker processes; the pipeline, options and
background bank are built once per process from them.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np

from augment.core.transform import Transform
from augment.dataset.example import Example
from augment.images.batch import collector_paused
from augment.images.encoding import encode_png, encode_pngs
from synth.rendering.crops import Crop, CropRecipe, make_crop, make_crops
from synth.run.config import build_augment
from synth.run.options import RenderOptions
from synth.scene.backgrounds import BackgroundBank


@functools.lru_cache(maxsize=8)
def _pipeline(config_json: str) -> Transform:
    return build_augment(json.loads(config_json))


@functools.lru_cache(maxsize=8)
def _options(options_json: str) -> RenderOptions:
    return RenderOptions.from_dict(json.loads(options_json))


@functools.lru_cache(maxsize=8)
def _bank(directory: str) -> BackgroundBank:
    return BackgroundBank(directory)


class OcrCropMaker:
    """Makes one labelled character crop per task; see `synth.crops.make_crop`."""

    def __init__(
        self,
        fonts_root: str,
        options: dict[str, Any],
        augment: list | dict,
        neighbours: dict[str, str],
        backgrounds: str | None = None,
    ) -> None:
        self.fonts_root = fonts_root
        self.options = options
        self.augment = augment
        self.neighbours = neighbours
        self.backgrounds = backgrounds
        # cache keys for the per-process objects built from the plain settings above
        self.options_key = json.dumps(options, sort_keys=True)
        self.augment_key = json.dumps(augment, sort_keys=True)

    def _recipe(self) -> CropRecipe:
        """The recipe, from this process's cached pipeline, options and photo bank."""
        return CropRecipe(
            options=_options(self.options_key),
            pipeline=_pipeline(self.augment_key),
            fonts_root=self.fonts_root,
            backgrounds=_bank(self.backgrounds) if self.backgrounds else None,
            neighbours=self.neighbours,
        )

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        crop = make_crop(task, rng, self._recipe())
        return self._example(crop, encode_png(crop.image))

    def make_batch(
        self, tasks: list[dict[str, Any]], rngs: list[np.random.Generator]
    ) -> list[Example]:
        """`make` for a run of tasks, several times faster (one augmentation pass per stack).

        Same params and bytes as `make` task by task, whatever the split into batches.
        """
        with collector_paused():  # the chunk's params hold no cycles: collected once after
            crops = make_crops(tasks, rngs, self._recipe())
            if not crops:
                return []
            pngs = encode_pngs(np.stack([crop.image for crop in crops]))
            return [self._example(crop, png) for crop, png in zip(crops, pngs, strict=True)]

    @staticmethod
    def _example(crop: Crop, png: bytes) -> Example:
        return Example(
            data=png,
            suffix=".png",
            label=crop.label,
            params={"render": crop.render, "augment": crop.augment},
            columns={"font": crop.font, "bbox": crop.bbox},
        )
