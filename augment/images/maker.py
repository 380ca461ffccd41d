"""The ExampleMaker behind `augment images`: augmented copies of input image files."""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.errors import InputError
from augment.core.sample import ImageSample
from augment.core.transform import Transform
from augment.dataset.example import Example
from augment.dataset.hf_inputs import stored_media
from augment.dataset.readers import raise_problem
from augment.images.augment_list import augment_samples
from augment.images.io import FORMATS, decode_image, encode_image, read_image
from augment.images.keypoint_flips import reflections
from augment.images.photometric.base import PhotometricTransform
from augment.images.target_columns import MASK_SUFFIX, TargetCall, TargetColumns

Prepared = tuple[ImageSample, TargetCall | None]  # a task's sample, and its targets' call


class ImageExampleMaker:
    """Makes augmented copies of input images (picklable: a pipeline and a format).

    A chunk decodes each source once and augments its small images as stacks (augment's
    batch path); one copy made alone goes the same way, so its bytes never depend on the
    chunk it was made in. With `targets`, the box, keypoint and mask columns of a task
    move with its pixels (`target_columns`).
    """

    def __init__(
        self, pipeline: Transform, file_format: str = "png", targets: TargetColumns | None = None
    ) -> None:
        self.pipeline = pipeline
        self.file_format = file_format
        self.targets = targets

    @property
    def dropped_columns(self) -> frozenset[str]:
        """Input columns that describe positions in the image (boxes, keypoints): a pipeline
        that moves pixels would make them wrong in the copies, so they are left out rather
        than copied unchanged (the command says so)."""
        if only_colour(self.pipeline):
            return frozenset()
        return POSITION_COLUMNS - MOVED_COLUMNS if self.targets else POSITION_COLUMNS

    def source(self, task: dict[str, Any]) -> ImageSample:
        """The task's input as read, before augmentation (what a preview shows first)."""
        return self._prepared(task)[0]

    def augment(self, task: dict[str, Any], rng: np.random.Generator) -> tuple[ImageSample, dict]:
        """The augmented copy and its params, as `make` encodes them."""
        return augment_samples(self.pipeline, [self.source(task)], [rng])[0]

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        sample, call = self._prepared(task)
        out, params = augment_samples(self.pipeline, [sample], [rng])[0]
        return self._example(task, out, params, call)

    def _prepared(self, task: dict[str, Any], image: np.ndarray | None = None) -> Prepared:
        """The task's sample (its targets attached by their call, if any)."""
        raise_problem(task)
        image = _read(task) if image is None else image
        call = self.targets.call(task, image) if self.targets else None
        if call is None or self.targets is None:
            return _sample(task, image), None
        return self.targets.sample(call, task), call

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
        # the errors stay; each good task's place is filled by its example below
        results: list[Example | str] = [""] * len(tasks)
        prepared: dict[int, Prepared] = {}
        for k, task in enumerate(tasks):
            source = decoded[_key(task)]
            if isinstance(source, str):
                results[k] = source
                continue
            try:
                prepared[k] = self._prepared(task, source)
            except InputError as err:  # its targets (a box outside the image, a bad mask)
                results[k] = str(err)
        good = list(prepared)
        samples = [prepared[k][0] for k in good]
        augmented = augment_samples(self.pipeline, samples, [rngs[k] for k in good])
        for k, (out, params) in zip(good, augmented, strict=True):
            results[k] = self._example(tasks[k], out, params, prepared[k][1])
        return results

    def _example(
        self, task: dict[str, Any], out: ImageSample, params: dict, call: TargetCall | None
    ) -> Example:
        files: dict[str, tuple[str, bytes]] = {}
        if call is None or self.targets is None:
            dropped = self.dropped_columns
            columns = {k: v for k, v in out.extra.items() if isinstance(k, str)}
            columns = {k: v for k, v in columns.items() if k not in dropped}
        else:
            mirrored = reflections(params) % 2 == 1
            columns, mask = self.targets.columns(call, out, mirrored)
            if mask is not None:
                files["mask"] = (MASK_SUFFIX, mask)
        columns.update(width=out.width, height=out.height)
        return Example(
            data=encode_image(out.image, self.file_format),
            suffix=FORMATS[self.file_format][1],
            label=out.label,  # a label-aware step (Mirror with a label_map) may change it
            source=task.get("source_file", task["source"]),
            params=params,
            columns=columns,
            files=files,
        )


POSITION_COLUMNS = frozenset(
    {"bbox", "bboxes", "box", "boxes", "keypoints", "points", "segmentation"}
)
MOVED_COLUMNS = frozenset({"bboxes", "keypoints", "segmentation"})  # what TargetColumns moves


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
