"""What is behind the text: flat paint, a gradient, a printed/worn texture, or a photo crop.

The random draw (`draw_background`) returns JSON-able params plus the colours the text
must stand out against; `render_background` is a pure function of the params. The
`Background` part draws a background and a text colour that stands out against it, and
paints the crop from its text coverage.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PIL import Image

from augment.core.errors import InputError
from synth.scene.colours import Colour, can_reach_either, pick_text_colour, random_colour

if TYPE_CHECKING:
    from synth.rendering.canvas import ColourCanvas
    from synth.rendering.context import CharContext

KINDS = ("flat", "gradient", "noise", "image")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})
THUMB = 64
MAX_SIDE = 1024
NOISE_ATLAS = 1024  # side of the shared noise that textures are cut from
ATLAS_SEED = 20261126


class BackgroundBank:
    """Photos from a user folder (walls, shop fronts, paper) cut into background crops.

    Images load lazily and are cached per process; params name them by relative path.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise InputError(str(self.directory), "backgrounds folder not found")
        found = sorted(
            str(p.relative_to(self.directory))
            for p in self.directory.rglob("*")
            if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        )
        # checked once here (the same in every worker), so a damaged file is left out of the
        # draw instead of losing the crops that would have drawn it
        problems = {name: _problem(self.directory / name) for name in found}
        self.skipped = [problem for problem in problems.values() if problem]
        self.files = [name for name, problem in problems.items() if not problem]
        if not self.files:
            reason = f"{len(found)} damaged" if found else ".png, .jpg, ..."
            raise InputError(str(self.directory), f"no readable background images ({reason})")

    def image(self, name: str) -> np.ndarray:
        return _load_image(self.directory / name)

    def thumbnail(self, name: str) -> np.ndarray:
        return _thumbnail(self.directory / name)


@functools.lru_cache(maxsize=4096)
def _problem(path: Path) -> str | None:
    """Why a background file cannot be used (its header and data checked), or None."""
    try:
        with Image.open(path) as im:
            im.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as err:
        return f"{path}: cannot read background image ({str(err).splitlines()[0]})"
    return None


@functools.lru_cache(maxsize=64)
def _load_image(path: Path) -> np.ndarray:
    try:
        with Image.open(path) as im:
            im = im.convert("RGB")
            if max(im.size) > MAX_SIDE:
                im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            return np.asarray(im)
    except (OSError, ValueError) as err:
        raise InputError(str(path), f"cannot read background image ({err})") from None


@functools.lru_cache(maxsize=256)
def _thumbnail(path: Path) -> np.ndarray:
    return cv2.resize(_load_image(path), (THUMB, THUMB), interpolation=cv2.INTER_AREA)


def _clip_colour(colour, delta: float) -> Colour:
    return [int(min(255.0, max(0.0, c + delta))) for c in colour]


@functools.lru_cache(maxsize=64)
def centred_grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return xs - (w - 1) / 2, ys - (h - 1) / 2


@functools.cache
def _noise_atlas() -> np.ndarray:
    """Fixed white Gaussian noise that noise textures cut windows from.

    A texture is named by where its window sits, so rendering it is a slice, not a
    generator seeded per crop (which cost more than the rest of the background).
    """
    return np.random.default_rng(ATLAS_SEED).standard_normal(
        (NOISE_ATLAS, NOISE_ATLAS), dtype=np.float32
    )


def atlas_window(at: list[int], h: int, w: int) -> np.ndarray:
    """The (h, w) window of the atlas starting at `at` = [row, col] (wrapped to fit)."""
    atlas = _noise_atlas()
    if h > NOISE_ATLAS or w > NOISE_ATLAS:  # a crop larger than the atlas: repeat it
        atlas = np.tile(atlas, (-(-h // NOISE_ATLAS), -(-w // NOISE_ATLAS)))
    row = at[0] % (atlas.shape[0] - h + 1)
    col = at[1] % (atlas.shape[1] - w + 1)
    return atlas[row : row + h, col : col + w]


def _weighted(rng: np.random.Generator, names: list[str], weights: list[float]) -> str:
    point = rng.random() * sum(weights)
    for name, weight in zip(names, weights, strict=True):
        point -= weight
        if point < 0:
            return name
    return names[-1]


def draw_background(
    rng: np.random.Generator,
    kinds: dict[str, float],
    size: tuple[int, int],
    bank: BackgroundBank | None,
    min_contrast: float,
) -> tuple[dict, list[Colour]]:
    """Draw background params and the colours text must contrast with.

    `kinds` weighs the background kinds; "image" needs a bank. A gradient or texture too
    strong for any text colour to reach `min_contrast` falls back to flat paint.
    """
    # in the fixed order of KINDS, so the draw does not depend on how a config ordered them
    # (`synth ocr` passes options through sorted JSON; SynthCharDataset keeps their order)
    names = [k for k in KINDS if kinds.get(k, 0) > 0 and (k != "image" or bank is not None)]
    kind = _weighted(rng, names, [kinds[k] for k in names]) if names else "flat"
    base = random_colour(rng)
    if kind == "image":
        assert bank is not None  # "image" is drawn only when there is a bank
        return _draw_photo(rng, size, bank)
    if kind in _TEXTURES:
        drawn = _TEXTURES[kind](rng, base, min_contrast)
        if drawn is not None:
            return drawn
    return {"kind": "flat", "colour": base}, [base]


def _draw_photo(
    rng: np.random.Generator, size: tuple[int, int], bank: BackgroundBank
) -> tuple[dict, list[Colour]]:
    """A photo and a box in it (fractions of its sides) with the crop's aspect ratio; the
    text contrasts with the box's mean colour."""
    name = bank.files[int(rng.integers(len(bank.files)))]
    h, w = size
    side = 0.08 + 0.5 * rng.random()
    bw = min(1.0, side * w / max(h, w) * 2.0)
    bh = min(1.0, side * h / max(h, w) * 2.0)
    x0, y0 = rng.random() * (1.0 - bw), rng.random() * (1.0 - bh)
    box = [float(x0), float(y0), float(x0 + bw), float(y0 + bh)]
    thumb = bank.thumbnail(name)
    region = thumb[
        int(box[1] * THUMB) : max(int(box[3] * THUMB), int(box[1] * THUMB) + 1),
        int(box[0] * THUMB) : max(int(box[2] * THUMB), int(box[0] * THUMB) + 1),
    ]
    mean = [int(v) for v in region.reshape(-1, 3).mean(axis=0)]
    return {"kind": "image", "file": name, "box": box}, [mean]


def _draw_gradient(
    rng: np.random.Generator, base: Colour, min_contrast: float
) -> tuple[dict, list[Colour]] | None:
    """A ramp from `base` part of the way to another colour (None if text cannot contrast)."""
    other = random_colour(rng)
    strength = float(rng.random() * 0.6)
    end = [round(b + (o - b) * strength) for b, o in zip(base, other, strict=True)]
    refs = [base, end]
    if not can_reach_either(refs, min_contrast):
        return None
    angle = float(rng.random() * 2 * np.pi)
    return {"kind": "gradient", "colour": base, "end": end, "angle": angle}, refs


def _draw_noise(
    rng: np.random.Generator, base: Colour, min_contrast: float
) -> tuple[dict, list[Colour]] | None:
    """A printed/worn texture: coarse cells plus grain, cut from the noise atlas (None if
    text cannot contrast with its extremes)."""
    amplitude = float(4.0 + rng.random() * 22.0)
    cells = int(rng.integers(2, 9))
    grain = float(rng.random() * 6.0)
    refs = [_clip_colour(base, -2 * amplitude), _clip_colour(base, 2 * amplitude)]
    if not can_reach_either(refs, min_contrast):
        return None
    coarse_at, grain_at = rng.integers(NOISE_ATLAS, size=(2, 2)).tolist()
    params = {
        "kind": "noise",
        "colour": base,
        "amplitude": amplitude,
        "cells": cells,
        "grain": grain,
        "coarse_at": coarse_at,
        "grain_at": grain_at,
    }
    return params, refs


_TEXTURES = {"gradient": _draw_gradient, "noise": _draw_noise}


def _per_channel(field: np.ndarray, scale: list[float], offset: list[float]) -> np.ndarray:
    """float32 (H, W, 3): scale[c] * field + offset[c] (faster than NumPy broadcasting)."""
    matrix = [[s, o] for s, o in zip(scale, offset, strict=True)]
    return cv2.transform(field, np.asarray(matrix, dtype=np.float32))


def render_background(
    params: dict, size: tuple[int, int], bank: BackgroundBank | None = None
) -> np.ndarray:
    """The background as float32 (H, W, 3) in 0..255."""
    h, w = size
    kind = params["kind"]
    if kind == "flat":
        return np.tile(np.asarray(params["colour"], dtype=np.float32), (h, w, 1))
    if kind == "gradient":
        xs, ys = centred_grid(h, w)
        ramp = xs * np.float32(np.cos(params["angle"])) + ys * np.float32(np.sin(params["angle"]))
        span = max(float(np.abs(ramp).max()), 1e-6)
        t = (ramp / span + 1.0) * 0.5
        # colour + (end - colour) * t for each channel, in one OpenCV call
        start = params["colour"]
        return _per_channel(t, [e - c for e, c in zip(params["end"], start, strict=True)], start)
    if kind == "noise":
        cells = params["cells"]
        coarse = atlas_window(params["coarse_at"], cells, cells)
        field = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
        field *= np.float32(params["amplitude"])
        if params["grain"] > 0:
            field += atlas_window(params["grain_at"], h, w) * np.float32(params["grain"])
        image = _per_channel(field, [1.0, 1.0, 1.0], params["colour"])
        return np.clip(image, 0.0, 255.0, out=image)
    if kind == "image":
        if bank is None:
            raise InputError(params["file"], "background image named but no backgrounds folder")
        image = bank.image(params["file"])
        ih, iw = image.shape[:2]
        x0, y0, x1, y1 = params["box"]
        left, top = int(x0 * iw), int(y0 * ih)
        right, bottom = max(int(x1 * iw), left + 1), max(int(y1 * ih), top + 1)
        crop = image[top:bottom, left:right]
        return cv2.resize(crop, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    raise ValueError(f"unknown background kind {kind!r}")


class Background:
    """The part behind the text: draws a background and a text colour with the minimum
    contrast to it, and paints the crop: background, then text colour through the coverage."""

    def draw(self, rng: np.random.Generator, context: CharContext) -> dict[str, Any]:
        options = context.options
        background, refs = draw_background(
            rng, options.backgrounds, options.size, context.bank, options.min_contrast
        )
        text = pick_text_colour(rng, refs, options.min_contrast, options.p_dark_text)
        return {"text": text, "background": background}

    def render(self, params: Mapping[str, Any], canvas: ColourCanvas) -> None:
        coverage, text, background = canvas.coverage, params["text"], params["background"]
        if background["kind"] == "flat":  # one affine map of coverage per channel
            paint = background["colour"]
            blend = [[(t - p) / 255.0, p] for t, p in zip(text, paint, strict=True)]
            canvas.image = cv2.transform(coverage, np.asarray(blend, dtype=np.float32))
            return
        layer = render_background(background, coverage.shape, canvas.bank)
        alpha = coverage * np.float32(1.0 / 255.0)
        # layer - (layer - text) * coverage, per channel; OpenCV's per-channel scalars are
        # several times faster than NumPy broadcasting over a trailing 3
        # OpenCV's stubs omit the scalar (tuple) form of the second operand
        towards_text = cv2.subtract(layer, (*map(float, text), 0.0))  # type: ignore[call-overload]
        image = cv2.subtract(layer, cv2.multiply(towards_text, cv2.merge((alpha,) * 3)))
        canvas.image = np.add(image, np.float32(0.5), out=image).astype(np.uint8)
