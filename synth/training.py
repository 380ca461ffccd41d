"""Synthetic character crops inside a training loop, no files written.

`SynthCharDataset` is a plain map-style dataset (len + indexing) that PyTorch's DataLoader
takes as it is; torch is not needed to import it. Item i is drawn from (seed, i) exactly as
file i of `synth ocr` with the same seed and settings; later epochs (`set_epoch`) draw
fresh crops. With seed=None, draws come from the implicit per-worker generator.
A DataLoader fetches each batch with one `__getitems__` call, which augments the batch as
one stack (the batch path: faster than item-by-item fetching, same crops).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from augment.core.epoch import EpochIndexing, SharedEpoch
from augment.core.sample import ImageSample
from augment.core.seeding import example_rngs, implicit_rng
from augment.images.batch import collector_paused
from augment.images.pixels import colour_of
from synth.fonts.source import font_source
from synth.rendering.crops import Crop, CropRecipe, augment_stack, make_crop, make_crops
from synth.run.charset import resolve_charset
from synth.run.config import build_augment
from synth.run.options import RenderOptions
from synth.run.plan import balanced_tasks
from synth.scene.backgrounds import BackgroundBank
from synth.textures.pack import backgrounds_folder

if TYPE_CHECKING:
    from typing_extensions import Unpack


class CropSettings(TypedDict, total=False):
    """How `SynthCharDataset` makes its crops: its keyword arguments besides seed and
    to_output (see its docstring); each is optional."""

    fonts: str | Path | None
    font_groups: str | None
    size: int | tuple[int, int]
    augment: Any
    render: RenderOptions | dict[str, Any] | None
    backgrounds: str | Path | None


class SynthCharDataset(EpochIndexing):
    """Balanced labelled character crops rendered on access.

    charset: a named charset ('alnum', 'digits+upper', ...), '@file', or literal characters.
    per_class: crops per character per epoch.
    fonts: a font folder, or "pack" for the fetched font pack (`synth font-pack`)
        (default: the bundled fonts).
    font_groups: only these style groups of a font pack, comma-separated (as
        `synth ocr --font-groups`); alone, they mean the fetched pack.
    size: output size, an int or (height, width) (default 32).
    augment: preset name ('photo', 'scan', 'clean'), a pipeline config, or None for 'photo'.
    render: RenderOptions or a mapping of its fields.
    backgrounds: a folder of photos to cut backgrounds from, or "pack" for the fetched
        texture pack (`synth texture-pack`).
    seed: item i of epoch 0 is drawn from (seed, i); None draws from the implicit generator.
    to_output: maps each ImageSample (image, label, boxes, extra) to what __getitem__
        returns; default (image uint8 (H, W, 3), class index).
    """

    def __init__(
        self,
        charset: str = "alnum",
        per_class: int = 100,
        *,
        seed: int | None = 0,
        to_output: Callable[[ImageSample], Any] | None = None,
        **crops: Unpack[CropSettings],
    ) -> None:
        self.charset = resolve_charset(charset)
        self._set_up_crops(**crops)
        self.tasks = balanced_tasks(self.charset, self.fonts, per_class)
        self.seed = seed
        self.to_output = to_output
        self.classes = list(self.charset)
        self.class_index = {c: i for i, c in enumerate(self.classes)}
        self._epoch = SharedEpoch()

    def _set_up_crops(
        self,
        fonts: str | Path | None = None,
        font_groups: str | None = None,
        size: int | tuple[int, int] = 32,
        augment: Any = None,
        render: RenderOptions | dict[str, Any] | None = None,
        backgrounds: str | Path | None = None,
    ) -> None:
        """The fonts and the crop recipe (`CropSettings`), resolved as `synth ocr` resolves
        its options, so the same settings give the same crops."""
        shape = (size, size) if isinstance(size, int) else tuple(size)
        if isinstance(render, RenderOptions):
            render = render.to_dict()
        options = RenderOptions.from_dict(render, size=shape)
        source = font_source(str(fonts) if fonts else None, font_groups)
        self.fonts = source.load(self.charset)
        photos = backgrounds_folder(backgrounds or None)
        self.recipe = CropRecipe(
            options=options,
            pipeline=build_augment(augment) if augment != "clean" else None,
            fonts_root=self.fonts.root,
            backgrounds=BackgroundBank(photos) if photos else None,
            neighbours=source.load(options.neighbours).coverage,
        )

    def __len__(self) -> int:
        return len(self.tasks)

    def _rngs(self, indices: list[int]) -> list[np.random.Generator]:
        """Epoch 0 draws from (seed, i), as file i of `synth ocr`; later epochs add a stream."""
        if self.seed is None:
            return [implicit_rng()] * len(indices)
        return example_rngs(self.seed, indices, *([self.epoch] if self.epoch else []))

    def _crops(self, indices: Sequence[int]) -> list[Crop]:
        """The crops of `indices`, augmented as one stack (augment's batch path)."""
        positions = [self._position(i) for i in indices]
        return make_crops([self.tasks[i] for i in positions], self._rngs(positions), self.recipe)

    def sample(self, index: int) -> ImageSample:
        """Item `index` as an ImageSample: label, centre-glyph box, font and params in extra."""
        index = self._position(index)
        crop = make_crop(self.tasks[index], self._rngs([index])[0], self.recipe)
        return _as_sample(crop)

    def __getitem__(self, index: int) -> Any:
        return self._output(self.sample(index))

    def __getitems__(self, indices: Sequence[int]) -> list[Any]:
        """Items for a whole DataLoader batch, which PyTorch asks for in one call when a
        dataset has this method: the batch path, several times faster, same crops."""
        return [self._output(_as_sample(crop)) for crop in self._crops(indices)]

    def _output(self, sample: ImageSample) -> Any:
        if self.to_output is not None:
            return self.to_output(sample)
        assert sample.label is not None  # every crop is labelled with its character
        return sample.image, self.class_index[sample.label]

    def batch(self, indices: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Images (n, H, W, 3) uint8 and class indices: the same crops as indexing one by
        one, several times faster (the augmentation runs once on the whole stack)."""
        if self.recipe.pipeline is None or not indices:
            crops = self._crops(indices)
            images = np.asarray([crop.image for crop in crops])
            labels = [crop.label for crop in crops]
        else:
            # The batch's params are freed before the collector runs again, so it never
            # walks them (it would cost about 5 us per crop).
            with collector_paused():
                images, labels = self._augmented(indices)
        if not labels:
            return np.zeros((0, *self.recipe.options.size, 3), np.uint8), np.zeros(0, np.int64)
        targets = np.asarray([self.class_index[label] for label in labels], dtype=np.int64)
        return images, targets

    def _augmented(self, indices: Sequence[int]) -> tuple[np.ndarray, list[str]]:
        """The images (n, H, W, 3) and labels of `indices`, straight from the augmented
        stack (no boxes, no per-crop objects)."""
        positions = [self._position(i) for i in indices]
        tasks = [self.tasks[i] for i in positions]
        result, _ = augment_stack(tasks, self._rngs(positions), self.recipe)
        labels = [new or task["char"] for new, task in zip(result.labels, tasks, strict=True)]
        return colour_of(result.images), labels


def _as_sample(crop: Crop) -> ImageSample:
    boxes = None if crop.bbox is None else np.asarray([crop.bbox])
    extra = {"font": crop.font, "render": crop.render, "augment": crop.augment}
    return ImageSample(crop.image, label=crop.label, boxes=boxes, extra=extra)
