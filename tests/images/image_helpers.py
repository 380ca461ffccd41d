"""Small synthetic images for image-transform tests (no data files needed)."""

from __future__ import annotations

import numpy as np


def dot_image(size: int, x: float, y: float, sigma: float = 1.5) -> np.ndarray:
    """float32 (size, size) black image with a bright Gaussian dot centred at (x, y)."""
    ys, xs = np.mgrid[0:size, 0:size]
    return np.exp(-((xs - x) ** 2 + (ys - y) ** 2) / (2 * sigma**2)).astype(np.float32)


def centroid(image: np.ndarray, x: float, y: float, radius: int = 5) -> tuple[float, float]:
    """Intensity centroid of the window around (x, y)."""
    x0, y0 = round(x) - radius, round(y) - radius
    window = image[max(0, y0) : y0 + 2 * radius + 1, max(0, x0) : x0 + 2 * radius + 1]
    window = np.clip(window - window.max() * 0.2, 0, None)
    ys, xs = np.mgrid[0 : window.shape[0], 0 : window.shape[1]]
    total = window.sum()
    return float((xs * window).sum() / total + max(0, x0)), float(
        (ys * window).sum() / total + max(0, y0)
    )


def gradient_energy(image: np.ndarray) -> float:
    """Mean squared finite difference: drops when an image gets blurrier."""
    f = image.astype(np.float64)
    return float((np.diff(f, axis=0) ** 2).mean() + (np.diff(f, axis=1) ** 2).mean())


def letter_like(size: int = 32, dtype=np.uint8, channels: int | None = None) -> np.ndarray:
    """A crisp synthetic glyph: dark strokes on a light ground."""
    img = np.full((size, size), 0.9, np.float32)
    s = size / 32
    img[int(6 * s) : int(26 * s), int(9 * s) : int(13 * s)] = 0.1
    img[int(6 * s) : int(10 * s), int(9 * s) : int(23 * s)] = 0.1
    img[int(15 * s) : int(18 * s), int(9 * s) : int(20 * s)] = 0.1
    if channels:
        tint = np.linspace(0.8, 1.0, channels, dtype=np.float32)
        img = img[:, :, None] * tint
        if channels == 4:
            img[:, :, 3] = 0.5
    if dtype == np.uint8:
        return (img * 255 + 0.5).astype(np.uint8)
    return img.astype(dtype)


def registered_image_transforms(base: type | None = None) -> list[str]:
    """Names of augsynth's registered image transforms (of `base`, if given) that build
    with no arguments: the contract tests find a new transform here, with no list to
    update. Adapters that need an argument (Albumentations) have their own tests, and the
    test suite's own toys (tests/toys.py) are left out."""
    import inspect

    from augment.core.registry import registered

    names = []
    for name, cls in registered().items():
        if cls.kind != "image" or (base is not None and not issubclass(cls, base)):
            continue
        if not cls.__module__.startswith("augment."):
            continue
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        if all(p.default is not p.empty for p in parameters):
            names.append(name)
    return sorted(names)
