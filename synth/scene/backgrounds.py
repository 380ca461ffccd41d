"""What is behind the text: flat paint, a gradient, a printed/worn texture, or a photo crop.

The random draw (`synth.scene.background_draws`) returns JSON-able params;
`render_background` is a pure function of them. The `Background` part draws a background
and a text colour that stands out against it, and paints the crop from its text coverage.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PIL import Image

from augment.core.errors import InputError
from synth.scene.background_draws import NOISE_ATLAS, THUMB, UNIFORMS, draw_backgrounds

if TYPE_CHECKING:
    from synth.rendering.canvas import ColourCanvas
    from synth.rendering.context import CharContext

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})
MAX_SIDE = 1024
ATLAS_SEED = 20261126
TEXTURE_MANIFEST = "textures.json"  # synth.textures.pack.MANIFEST (imported there from here)


class BackgroundBank:
    """Photos from a user folder (walls, shop fronts, paper) cut into background crops.

    Images load lazily and are cached per process; params name them by relative path. In a
    texture pack (synth.textures.pack: its textures.json names each file's surface) a draw
    picks a surface, then a file of it, so 60 paper tiles do not crowd out 12 stones.
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
        self.surfaces = _surfaces(self.directory, self.files)

    def pick(self, point: float) -> str:
        """The file at `point` in [0, 1): uniform over files, or in a texture pack uniform
        over surfaces, then over that surface's files."""
        if not self.surfaces:
            return self.files[min(int(point * len(self.files)), len(self.files) - 1)]
        scaled = min(point * len(self.surfaces), len(self.surfaces) - 1e-9)
        files = self.surfaces[int(scaled)]
        return files[min(int((scaled % 1.0) * len(files)), len(files) - 1)]

    def image(self, name: str) -> np.ndarray:
        return _load_image(self.directory / name)

    def thumbnail(self, name: str) -> np.ndarray:
        return _thumbnail(self.directory / name)


def _surfaces(directory: Path, files: list[str]) -> list[list[str]]:
    """The readable files of a texture pack grouped by surface (sorted by name), or [] for a
    folder without a textures.json manifest."""
    manifest = directory / TEXTURE_MANIFEST
    if not manifest.is_file():
        return []
    try:
        records = json.loads(manifest.read_text(encoding="utf-8"))["textures"]
        by_file = {r["file"]: r["surface"] for r in records}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputError(str(manifest), f"not a texture pack manifest ({err!r})") from None
    groups: dict[str, list[str]] = {}
    for name in files:
        groups.setdefault(by_file.get(name, "other"), []).append(name)
    return [groups[surface] for surface in sorted(groups)]


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

    uniforms = UNIFORMS

    def draw(self, uniforms: np.ndarray, contexts: Sequence[CharContext]) -> list[dict[str, Any]]:
        # the contexts of a batch share their options and bank
        return draw_backgrounds(uniforms, contexts[0].options, contexts[0].bank)

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
