"""The background part's paint for a whole stack of crops at once: the same bytes as
`Background.render` crop by crop.

Per crop the paint is a dozen small OpenCV calls; here the crops of each background kind
are painted by one compiled loop over the stack (`paint_kernels`), which keeps the
arithmetic of the per-crop calls. The noise field's bicubic upscale and photo crops stay
per crop (OpenCV's bicubic of a multi-channel stack rounds differently from one channel).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from synth.scene.backgrounds import (
    BackgroundBank,
    atlas_window,
    centred_grid,
    render_background,
)
from synth.scene.paint_kernels import paint_flat, paint_gradient, paint_layers, paint_noise

_VALUES = np.arange(256, dtype=np.float64)


def paint_stack(
    coverage: np.ndarray, params: Sequence[dict[str, Any]], bank: BackgroundBank | None
) -> np.ndarray:
    """RGB crops (n, H, W, 3) uint8 from their text coverage (n, H, W) and render params."""
    images = np.empty((*coverage.shape, 3), np.uint8)
    kinds: dict[str, list[int]] = {}
    for i, crop in enumerate(params):
        kinds.setdefault(crop["background"]["kind"], []).append(i)
    for kind, rows in kinds.items():
        chosen = [params[i] for i in rows]
        _PAINTERS.get(kind, _paint_layers)(coverage, chosen, np.asarray(rows), images, bank)
    return images


def _texts(params: list[dict[str, Any]]) -> np.ndarray:
    return np.asarray([p["text"] for p in params], np.float32)


def _paint_flat(coverage, params, rows, images, bank) -> None:
    """Flat paint: per crop and channel a table of the 256 coverage values, as OpenCV's
    `transform` makes it (float32 coefficients, double arithmetic, rounded half to even)."""
    text = np.asarray([p["text"] for p in params], np.float64)
    paint = np.asarray([p["background"]["colour"] for p in params], np.float64)
    scale = ((text - paint) / 255.0).astype(np.float32).astype(np.float64)
    offset = paint.astype(np.float32).astype(np.float64)
    tables = np.rint(scale[:, :, None] * _VALUES + offset[:, :, None])  # (n, 3, 256)
    paint_flat(coverage, np.clip(tables, 0, 255).astype(np.uint8), rows, images)


def _paint_gradient(coverage, params, rows, images, bank) -> None:
    """Linear ramps from `colour` to `end` across each crop at its angle."""
    xs, ys = centred_grid(*coverage.shape[1:])
    backgrounds = [p["background"] for p in params]
    # NumPy's cosine and sine, as the per-crop render takes them (numba's are libm's)
    turns = np.asarray([[np.cos(b["angle"]), np.sin(b["angle"])] for b in backgrounds], np.float32)
    ends = np.asarray([[b["colour"], b["end"]] for b in backgrounds], np.float64)
    paint_gradient(coverage, np.stack([xs, ys]), turns, ends, _texts(params), rows, images)


def _paint_noise(coverage, params, rows, images, bank) -> None:
    """Printed/worn textures: the coarse cells upscaled (per crop: OpenCV's bicubic of a
    multi-channel stack rounds differently), plus grain, around the base colour."""
    h, w = coverage.shape[1:]
    backgrounds = [p["background"] for p in params]
    fields = np.empty((len(params), h, w), np.float32)
    for field, b in zip(fields, backgrounds, strict=True):
        coarse = atlas_window(b["coarse_at"], b["cells"], b["cells"])
        field[:] = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
        field *= np.float32(b["amplitude"])
        if b["grain"] > 0:
            field += atlas_window(b["grain_at"], h, w) * np.float32(b["grain"])
    colours = np.asarray([b["colour"] for b in backgrounds], np.float32)
    paint_noise(coverage, fields, colours, _texts(params), rows, images)


def _paint_layers(coverage, params, rows, images, bank) -> None:
    """Photo crops (and any other kind): each layer rendered alone, blended together."""
    size = coverage.shape[1:]
    layers = np.stack([render_background(p["background"], size, bank) for p in params])
    paint_layers(coverage, layers, _texts(params), rows, images)


_PAINTERS = {"flat": _paint_flat, "gradient": _paint_gradient, "noise": _paint_noise}
