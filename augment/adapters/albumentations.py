"""Run any albumentations 2.0.x transform inside an augsynth pipeline, seeded from ours.

Config: `{Albumentations: {transform: "CLAHE", kwargs: {clip_limit: 2.0}}}`; in Python,
`Albumentations(A.CLAHE(clip_limit=2.0))` works too. Each call draws a seed from our
per-example generator and reseeds the wrapped transform with it, so outputs are
reproducible from (seed, index) and differ between DataLoader workers (albumentations'
own generator is not involved). The seed is recorded in params, which replays the call
byte for byte; the parameters albumentations reports applying are recorded beside it
(small values only) under "applied".

Masks, keypoints and boxes travel through albumentations' own target handling
(boxes as pascal_voc pixel edges, clipped; keypoints as xy, never removed).
"""

from __future__ import annotations

import threading
import warnings
import weakref
from typing import Any, ClassVar

import numpy as np

from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform

MAX_RECORDED_ARRAY = 16  # larger arrays in albumentations' applied params are not recorded

_composes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def _albumentations():
    import albumentations

    return albumentations


@register
class Albumentations(Transform):
    """Wrap an albumentations transform (by class name and kwargs, or an instance).

    Realistic as far as the wrapped transform is: use it for distortions augsynth does
    not have (CLAHE, ISO noise, weather effects, ...), keeping our seeding, params
    recording and dataset writing.

    transform: an albumentations class name (e.g. "CLAHE") or an instance.
    kwargs: constructor arguments when `transform` is a name; `p` defaults to 1 (use
        Maybe for probabilities, so they are recorded).
    """

    kind: ClassVar[str] = "image"
    nested_arguments: ClassVar[tuple[str, ...]] = ()  # "transform" is not one of ours

    def __init__(self, transform: Any, kwargs: dict[str, Any] | None = None) -> None:
        A = _albumentations()
        if isinstance(transform, str):
            cls = getattr(A, transform, None)
            if not (isinstance(cls, type) and issubclass(cls, A.BasicTransform)):
                raise ConfigError("transform", f"albumentations has no transform {transform!r}")
            if kwargs is not None and not isinstance(kwargs, dict):
                raise ConfigError("kwargs", f"expected a mapping, got {kwargs!r}")
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    instance = cls(**{"p": 1.0, **(kwargs or {})})
            except (TypeError, ValueError) as err:
                first = str(err).splitlines()[0]
                raise ConfigError("kwargs", f"{transform}: {first}") from None
            for warning in caught:  # albumentations only warns about unknown arguments
                if "not valid" in str(warning.message):
                    raise ConfigError("kwargs", str(warning.message))
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
            transform = instance
        elif isinstance(transform, A.BasicTransform):
            if kwargs:
                raise ConfigError("kwargs", "give kwargs with a class name, not an instance")
            kwargs = _recordable(transform.get_transform_init_args())
        else:
            raise ConfigError("transform", f"expected a class name or instance, got {transform!r}")
        self.transform = transform
        self.kwargs = dict(kwargs or {})

    def get_config(self) -> dict[str, Any]:
        return {"transform": type(self.transform).__name__, "kwargs": _recordable(self.kwargs)}

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return {"seed": int(rng.integers(2**32))}

    def run(self, sample: ImageSample, rng: np.random.Generator) -> tuple[ImageSample, Params]:
        params = self.draw_params(rng, sample)
        out, applied = self._call(sample, params["seed"])
        return out, {**params, "applied": applied}

    def apply(self, sample: ImageSample, params: Params) -> ImageSample:
        return self._call(sample, params["seed"])[0]

    def _compose(self, boxes: bool, keypoints: bool) -> tuple[Any, threading.Lock]:
        """One albumentations Compose per target combination, built lazily per process."""
        with _cache_lock:
            per_instance = _composes.setdefault(self, {})
            key = (boxes, keypoints)
            if key not in per_instance:
                A = _albumentations()
                compose = A.Compose(
                    [self.transform],
                    bbox_params=A.BboxParams(
                        format="pascal_voc", label_fields=["box_index"], clip=True
                    )
                    if boxes
                    else None,
                    keypoint_params=A.KeypointParams(format="xy", remove_invisible=False)
                    if keypoints
                    else None,
                    save_applied_params=True,
                    strict=False,
                )
                per_instance[key] = (compose, threading.Lock())
            return per_instance[key]

    def _call(self, sample: ImageSample, seed: int) -> tuple[ImageSample, list]:
        has_boxes, has_points = sample.boxes is not None, sample.keypoints is not None
        compose, lock = self._compose(has_boxes, has_points)
        data: dict[str, Any] = {"image": sample.image}
        if sample.mask is not None:
            data["mask"] = sample.mask
        if has_boxes:
            data["bboxes"] = np.asarray(sample.boxes, dtype=np.float64).reshape(-1, 4)
            data["box_index"] = list(range(len(data["bboxes"])))
        if has_points:
            data["keypoints"] = np.asarray(sample.keypoints, dtype=np.float64).reshape(-1, 2)
        with lock:  # reseeding mutates the wrapped transform: one call at a time
            compose.set_random_seed(seed)
            result = compose(**data)
        changes: dict[str, Any] = {"image": result["image"]}
        if sample.mask is not None:
            changes["mask"] = result["mask"]
        if has_points:
            changes["keypoints"] = np.asarray(result["keypoints"], dtype=np.float64)[:, :2]
        if has_boxes and sample.boxes is not None:
            boxes = np.asarray(result["bboxes"], dtype=np.float64).reshape(-1, 4)
            changes["boxes"] = boxes
            kept = [int(i) for i in result["box_index"]]
            if len(kept) < len(sample.boxes):
                previous = sample.extra.get("box_indices", list(range(len(sample.boxes))))
                changes["extra"] = {**sample.extra, "box_indices": [previous[i] for i in kept]}
        applied = [[name, _recordable(p)] for name, p in result.get("applied_transforms", [])]
        return sample.replace(**changes), applied


def _recordable(value: Any) -> Any:
    """Albumentations' applied params as JSON-able values; big arrays are left out."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            converted = _recordable(v)
            if converted is not _SKIP:
                out[str(k)] = converted
        return out
    if isinstance(value, np.ndarray):
        return value.tolist() if value.size <= MAX_RECORDED_ARRAY else _SKIP
    if isinstance(value, list | tuple):
        items = [_recordable(v) for v in value]
        return _SKIP if _SKIP in items else items
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return _SKIP


_SKIP = object()
