"""The background part's random draw for a batch: each example from its own uniforms.

A compiled loop (numba) over the examples draws the background kind, its colours and
texture, and the colours the text must stand out against; photo boxes (which read the
photo's thumbnail) are drawn in Python; then a second loop picks the text colours. Each
example reads only its own row of uniforms, so its params do not depend on the batch.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numba
import numpy as np

from synth.scene.colours import COLOUR_UNIFORMS, LINEAR, can_reach_either, pick_text_colours
from synth.scene.colours import random_colour as colour_into

if TYPE_CHECKING:
    from synth.run.options import RenderOptions
    from synth.scene.backgrounds import BackgroundBank

KINDS = ("flat", "gradient", "noise", "image")
THUMB = 64  # side of the photo thumbnails a box's mean colour is read from
NOISE_ATLAS = 1024  # side of the shared noise that textures are cut from

# Columns of an example's uniforms (the background's, then the text colour's)
_KIND, _BASE, _OTHER = 0, 1, 1 + COLOUR_UNIFORMS
_STRENGTH, _ANGLE, _AMPLITUDE, _CELLS, _GRAIN = range(19, 24)
_CORNERS = 24  # the coarse cells' and the grain's corners in the noise atlas: 4 columns
_PHOTO = 28  # file, side, x0, y0
_TEXT = 32
UNIFORMS = _TEXT + 1 + COLOUR_UNIFORMS

_FLAT, _GRADIENT, _NOISE, _IMAGE = range(4)


@numba.njit(cache=True, nogil=True)
def _kind(point, weights):
    """The kind at `point` in [0, 1) of the cumulative weights (the last one if rounding
    leaves the point past the end); all-zero weights give flat."""
    total = weights.sum()
    last = _FLAT
    for k in range(weights.shape[0]):
        if weights[k] > 0:
            last = k
    point *= total
    for k in range(weights.shape[0]):
        if weights[k] > 0:
            point -= weights[k]
            if point < 0:
                return k
    return last


@numba.njit(cache=True, nogil=True)
def _draw_kernel(uniforms, weights, minimum, linear):
    """Kinds (n,), colours (n, 2, 3) (base and end), reals (n, 4) (angle, amplitude,
    grain, cells), atlas corners (n, 4), and the refs text must contrast with (n, 2, 3)
    with their counts (n,). Textures no text colour can contrast with fall back to flat."""
    n = uniforms.shape[0]
    kinds = np.empty(n, np.int64)
    colours = np.zeros((n, 2, 3), np.int64)
    reals = np.zeros((n, 4))
    corners = np.zeros((n, 4), np.int64)
    refs = np.zeros((n, 2, 3), np.int64)
    counts = np.ones(n, np.int64)
    for i in range(n):
        u = uniforms[i]
        kind = _kind(u[_KIND], weights)
        colour_into(u[_BASE:], colours[i, 0])
        refs[i, 0] = colours[i, 0]
        if kind == _GRADIENT:
            colour_into(u[_OTHER:], refs[i, 1])
            strength = u[_STRENGTH] * 0.6
            for c in range(3):
                base = colours[i, 0, c]
                refs[i, 1, c] = round(base + (refs[i, 1, c] - base) * strength)
            colours[i, 1] = refs[i, 1]
            reals[i, 0] = u[_ANGLE] * 2.0 * math.pi
        elif kind == _NOISE:
            amplitude = 4.0 + u[_AMPLITUDE] * 22.0
            for c in range(3):
                base = colours[i, 0, c]
                refs[i, 0, c] = int(min(255.0, max(0.0, base - 2 * amplitude)))
                refs[i, 1, c] = int(min(255.0, max(0.0, base + 2 * amplitude)))
            reals[i, 1], reals[i, 2] = amplitude, u[_GRAIN] * 6.0
            reals[i, 3] = 2 + int(u[_CELLS] * 7)
            for k in range(4):
                corners[i, k] = int(u[_CORNERS + k] * NOISE_ATLAS)
        if kind in (_GRADIENT, _NOISE):
            counts[i] = 2
            if not can_reach_either(linear, refs[i], 2, minimum):
                kind, counts[i] = _FLAT, 1
                refs[i, 0] = colours[i, 0]
        kinds[i] = kind
    return kinds, colours, reals, corners, refs, counts


def draw_backgrounds(
    uniforms: np.ndarray, options: RenderOptions, bank: BackgroundBank | None
) -> list[dict[str, Any]]:
    """{"text", "background"} params per example from its row of `uniforms` (n, UNIFORMS).

    The options weigh the background kinds, taken in the fixed order of KINDS (so the draw
    does not depend on how a config ordered them); "image" is drawn only with a `bank`.
    """
    kinds, size = options.backgrounds, options.size
    weights = np.asarray(
        [float(kinds.get(k, 0)) if (k != "image" or bank is not None) else 0.0 for k in KINDS]
    )
    minimum = float(options.min_contrast)
    drawn, colours, reals, corners, refs, counts = _draw_kernel(uniforms, weights, minimum, LINEAR)
    backgrounds: list[dict[str, Any]] = []
    for i, (kind, colour, real, at) in enumerate(
        zip(drawn.tolist(), colours.tolist(), reals.tolist(), corners.tolist(), strict=True)
    ):
        if kind == _IMAGE:
            assert bank is not None  # "image" is drawn only when there is a bank
            background, refs[i, 0] = _photo(uniforms[i, _PHOTO : _PHOTO + 4].tolist(), size, bank)
        elif kind == _GRADIENT:
            background = {"kind": "gradient", "colour": colour[0], "end": colour[1]}
            background["angle"] = real[0]
        elif kind == _NOISE:
            background = {
                "kind": "noise",
                "colour": colour[0],
                "amplitude": real[1],
                "cells": int(real[3]),
                "grain": real[2],
                "coarse_at": at[:2],
                "grain_at": at[2:],
            }
        else:
            background = {"kind": "flat", "colour": colour[0]}
        backgrounds.append(background)
    texts = pick_text_colours(
        LINEAR, uniforms[:, _TEXT:], refs, counts, minimum, float(options.p_dark_text)
    ).tolist()
    return [{"text": t, "background": b} for t, b in zip(texts, backgrounds, strict=True)]


def _photo(
    u: list[float], size: tuple[int, int], bank: BackgroundBank
) -> tuple[dict[str, Any], list[int]]:
    """A photo and a box in it (fractions of its sides) with the crop's aspect ratio, and
    the box's mean colour (what the text contrasts with)."""
    name = bank.pick(u[0])
    h, w = size
    side = 0.08 + 0.5 * u[1]
    bw = min(1.0, side * w / max(h, w) * 2.0)
    bh = min(1.0, side * h / max(h, w) * 2.0)
    x0, y0 = u[2] * (1.0 - bw), u[3] * (1.0 - bh)
    box = [float(x0), float(y0), float(x0 + bw), float(y0 + bh)]
    thumb = bank.thumbnail(name)
    region = thumb[
        int(box[1] * THUMB) : max(int(box[3] * THUMB), int(box[1] * THUMB) + 1),
        int(box[0] * THUMB) : max(int(box[2] * THUMB), int(box[0] * THUMB) + 1),
    ]
    mean = [int(v) for v in region.reshape(-1, 3).mean(axis=0)]
    return {"kind": "image", "file": name, "box": box}, mean
