"""The ExampleMaker behind `augment images`: augmented copies of input image files."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from augment.core.errors import InputError
from augment.core.sample import ImageSample
from augment.core.transform import Transform
from augment.dataset.example import Example
from augment.dataset.hf_inputs import stored_media
from augment.dataset.readers import raise_problem
from augment.images.augment_list import augment_samples
from augment.images.io import FORMATS, decode_image, encode_image, read_image
from augment.images.photometric.base import PhotometricTransform


class ImageExampleMaker:
    """Makes augmented copies of input images (picklable: a pipeline and a format).

    A chunk decodes each source once and augments its small images as stacks (augment's
    batch path); one copy made alone goes the same way, so its bytes never depend on the
    chunk it was made in.
    """

    def __init__(self, pipeline: Transform, file_format: str = "png") -> None:
        self.pipeline = pipeline
        self.file_format = file_format

    @property
    def dropped_columns(self) -> frozenset[str]:
        """Input columns that describe positions in the image (boxes, keypoints): a pipeline
        that moves pixels would make them wrong in the copies, so they are left out rather
        than copied unchanged (the command says so)."""
        return frozenset() if only_colour(self.pipeline) else POSITION_COLUMNS

    def source(self, task: dict[str, Any]) -> ImageSample:
        """The task's input as read, before augmentation (what a preview shows first)."""
        raise_problem(task)
        return _sample(task, _read(task))

    def augment(self, task: dict[str, Any], rng: np.random.Generator) -> tuple[ImageSample, dict]:
        """The augmented copy and its params, as `make` encodes them."""
        return augment_samples(self.pipeline, [self.source(task)], [rng])[0]

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        return self._example(task, *self.augment(task, rng))

    def make_batch(
        self, tasks: list[dict[str, Any]], rngs: list[np.random.Generator]
    ) -> list[Example | str]:
        """The chunk's copies; an undecodable source gives its error in place of each copy."""
        decoded: dict[tuple[str, str | None], np.ndarray | str] = {}
        for task in tasks:
            if _key(task) not in decoded:
                try:
                    raise_problem(task)
                    decoded[_key(task)] = _read(task)
                except InputError as err:
                    decoded[_key(task)] = str(err)
        sources = [decoded[_key(task)] for task in tasks]
        good = [k for k, source in enumerate(sources) if not isinstance(source, str)]
        samples = [_sample(tasks[k], cast(np.ndarray, sources[k])) for k in good]
        # the errors stay; each decoded source's place is filled by its example below
        results: list[Example | str] = [s if isinstance(s, str) else "" for s in sources]
        augmented = augment_samples(self.pipeline, samples, [rngs[k] for k in good])
        for k, (out, params) in zip(good, augmented, strict=True):
            results[k] = self._example(tasks[k], out, params)
        return results

    def _example(self, task: dict[str, Any], out: ImageSample, params: dict) -> Example:
        dropped = self.dropped_columns
        columns = {k: v for k, v in out.extra.items() if isinstance(k, str) and k not in dropped}
        columns.update(width=out.width, height=out.height)
        return Example(
            data=encode_image(out.image, self.file_format),
            suffix=FORMATS[self.file_format][1],
            label=out.label,  # a label-aware step (Mirror with a label_map) may change it
            source=task.get("source_file", task["source"]),
            params=params,
            columns=columns,
        )


POSITION_COLUMNS = frozenset({"bbox", "bboxes", "box", "boxes", "keypoints", "points"})


def only_colour(transform: Transform) -> bool:
    """Whether every step of `transform` changes colours only (so positions stay true)."""
    if isinstance(transform, PhotometricTransform):
        return True
    children = list(getattr(transform, "transforms", [])) or [getattr(transform, "transform", None)]
    return all(isinstance(c, Transform) and only_colour(c) for c in children)


def _read(task: dict[str, Any]) -> np.ndarray:
    """The task's input pixels: its file, or a dataset row's stored image."""
    stored = stored_media(task)
    return read_image(task["source"]) if stored is None else decode_image(stored, task["source"])


def _key(task: dict[str, Any]) -> tuple[str, str | None]:
    """Tasks of one source share its decoding; bad table rows (same table) stay apart."""
    return task["source"], task.get("problem")


def _sample(task: dict[str, Any], image: np.ndarray) -> ImageSample:
    return ImageSample(image, label=task.get("label"), extra=dict(task["columns"]))
