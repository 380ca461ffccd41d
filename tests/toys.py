"""Small transforms and makers used by the core tests (registered under Toy* names)."""

from __future__ import annotations

import io
import os
import time
from typing import Any

import numpy as np
from PIL import Image

from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform, register_fuser
from augment.core.validation import as_range
from augment.dataset.example import Example


@register
class ToyShift(Transform):
    """Adds a random offset to every pixel (float images)."""

    kind = "image"

    def __init__(self, amount: float | list[float] = 1.0) -> None:
        self.amount = as_range("amount", amount, symmetric=True)

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        return {"offset": float(rng.uniform(*self.amount))}

    def apply(self, sample: ImageSample, params: Params) -> ImageSample:
        return sample.replace(image=sample.image + params["offset"])


@register
class ToyScale(Transform):
    """Multiplies pixels by a random factor; fusable to test the fusion hook."""

    kind = "image"
    fusion_key = "toy-multiply"

    def __init__(self, factor: float | list[float] = (0.5, 2.0)) -> None:
        self.factor = as_range("factor", factor, lo=0.0)

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        return {"factor": float(rng.uniform(*self.factor))}

    def apply(self, sample: ImageSample, params: Params) -> ImageSample:
        return sample.replace(image=sample.image * params["factor"])


FUSER_CALLS: list[int] = []


def _fuse_multiply(sample: ImageSample, steps: list[tuple[Transform, Params]]) -> ImageSample:
    FUSER_CALLS.append(len(steps))
    factor = float(np.prod([p["factor"] for _, p in steps]))
    return sample.replace(image=sample.image * factor)


register_fuser("toy-multiply", _fuse_multiply)


class NoiseImageMaker:
    """Makes a random 16x16 PNG per task; optionally slow, optionally failing on 'bad' tasks."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        if task.get("bad"):
            from augment.core.errors import InputError

            raise InputError(task["source"], "not an image")
        if self.delay:
            time.sleep(self.delay)
        pixels = rng.integers(0, 256, size=(16, 16), dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="PNG")
        return Example(
            data=buffer.getvalue(),
            suffix=".png",
            label=task["label"],
            source=task.get("source"),
            params={"mean": float(pixels.mean())},
            columns={"note": task.get("note", "")},
        )


class BatchNoiseImageMaker(NoiseImageMaker):
    """The same examples made a chunk at a time; a bad task fails the whole batch call."""

    batch_calls: int = 0

    def make_batch(self, tasks: list[dict[str, Any]], rngs: list[np.random.Generator]):
        type(self).batch_calls += 1
        return [self.make(task, rng) for task, rng in zip(tasks, rngs, strict=True)]


class DyingMaker(NoiseImageMaker):
    """Kills its process (no cleanup, no flush) on the task whose "n" is `die_at`: a run
    cut at a known example, for the resume tests."""

    def __init__(self, die_at: int) -> None:
        super().__init__()
        self.die_at = die_at

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        if task["n"] == self.die_at:
            os._exit(3)
        return super().make(task, rng)
