"""Where do our default crops differ from real character crops? Distribution gaps, measured.

For every crop of both sets (real: Chars74K natural-image crops of chars74k-dev, at their own
size; ours: default `SynthCharDataset` crops, photo preset, 32x32) the same measurements:
- ink: Otsu threshold on grey; the ink side is the one the border touches less; the glyph is
  the ink component nearest the centre (largest if several cross it);
- glyph_height / glyph_width: the glyph's box relative to the crop height / width;
- glyph_aspect: box height/width after the crop is resized to a square (what a 32x32
  classifier sees); crop_aspect: crop height/width as cut (ours are all 1 at --size 32);
- offset_x / offset_y: glyph box centre minus crop centre, relative to the crop side;
- cut_at_edge: 1 if the glyph touches the crop border, else 0;
- other_ink: ink outside the glyph component (neighbours, clutter), fraction of the crop;
- contrast: |median ink grey - median background grey| / 255; dark_text: 1 if ink darker;
- sharpness: 90th percentile of the gradient magnitude at 32x32 over 255 x contrast (a
  sharp step edge scores about 1, a blurred one less);
- noise: standard deviation of (background - its 3x3 median) at 32x32, / 255;
- saturation_bg / saturation_ink: mean HSV saturation (0..1); brightness_bg: mean V (0..1);
- colour_distance: RGB distance between median ink and median background colours / 441.
Each statistic: mean and 10th/50th/90th percentiles of both sets and the two-sample
Kolmogorov-Smirnov distance (0 = same distribution, 1 = disjoint); the largest gaps last.

    python benchmarks/crop_statistics.py [--quick] [--real DIR] [--render '{"p_line_crop": 0.1}']
        [--backgrounds DIR|pack]

Ends with name=value lines: crop_stat_<name>_{real,ours}_{mean,p10,p50,p90}=...,
crop_stat_<name>_ks=...,
then crop_stat_gap_<rank>=<name> for the five largest KS distances.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from utility_ocr import CHARS, DEFAULT_REAL, real_crops  # noqa: E402

from synth import SynthCharDataset  # noqa: E402
from synth.textures.pack import backgrounds_folder  # noqa: E402

SMALL = 32


def ink_mask(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """Otsu split; the side covering less of the border is ink. Returns (mask, dark ink)."""
    _, high = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    border = np.concatenate([high[0], high[-1], high[:, 0], high[:, -1]])
    dark_text = border.mean() > 0.5  # the border is mostly light: ink is the dark side
    return (high == 0) if dark_text else (high == 1), bool(dark_text)


def glyph_component(mask: np.ndarray) -> np.ndarray:
    """The ink component nearest the crop centre (the largest among those crossing it)."""
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        return mask
    h, w = mask.shape
    x, y, bw, bh, area = (stats[1:, i] for i in range(5))
    crosses = (x <= w / 2) & (x + bw >= w / 2) & (y <= h / 2) & (y + bh >= h / 2)
    if crosses.any():
        best = int(np.argmax(np.where(crosses, area, -1)))
    else:
        distance = np.hypot(centroids[1:, 0] - w / 2, centroids[1:, 1] - h / 2)
        best = int(np.argmin(distance / np.sqrt(area)))
    return labels == best + 1


def geometry(glyph: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    h, w = glyph.shape
    ys, xs = np.nonzero(glyph)
    top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    rel_h, rel_w = (bottom - top) / h, (right - left) / w
    return {
        "glyph_height": rel_h,
        "glyph_width": rel_w,
        "glyph_aspect": rel_h / rel_w,
        "crop_aspect": h / w,
        "offset_x": ((left + right) / 2 - w / 2) / w,
        "offset_y": ((top + bottom) / 2 - h / 2) / h,
        "cut_at_edge": float(top == 0 or left == 0 or bottom == h or right == w),
        "other_ink": float((mask & ~glyph).mean()),
    }


def tone(rgb: np.ndarray, mask: np.ndarray, dark_text: bool) -> dict[str, float]:
    """Contrast, sharpness, noise and colour, the first three at the classifier's 32x32."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    ink_grey, bg_grey = np.median(grey[mask]), np.median(grey[~mask])
    contrast = abs(float(ink_grey - bg_grey)) / 255
    small = cv2.resize(grey, (SMALL, SMALL), interpolation=cv2.INTER_AREA)
    gradient = np.hypot(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1))
    sharpness = float(np.percentile(gradient, 90)) / 4 / max(contrast * 255, 8.0)
    small_mask = cv2.resize(mask.astype(np.uint8), (SMALL, SMALL), interpolation=cv2.INTER_NEAREST)
    residual = small - cv2.medianBlur(small.astype(np.uint8), 3).astype(np.float32)
    background = residual[small_mask == 0]
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV).astype(np.float32) / 255
    ink_rgb = np.median(rgb[mask].astype(np.float32), axis=0)
    bg_rgb = np.median(rgb[~mask].astype(np.float32), axis=0)
    return {
        "contrast": contrast,
        "dark_text": float(dark_text),
        "sharpness": sharpness,
        "noise": float(background.std()) / 255 if background.size else 0.0,
        "saturation_bg": float(hsv[..., 1][~mask].mean()),
        "saturation_ink": float(hsv[..., 1][mask].mean()),
        "brightness_bg": float(hsv[..., 2][~mask].mean()),
        "colour_distance": float(np.linalg.norm(ink_rgb - bg_rgb)) / 441.7,
    }


def measure(rgb: np.ndarray) -> dict[str, float] | None:
    """All statistics of one RGB crop; None when no ink/background split exists (flat)."""
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[:, :, :3]), cv2.COLOR_RGB2GRAY)
    if int(grey.max()) - int(grey.min()) < 10:
        return None
    mask, dark_text = ink_mask(grey)
    if mask.all() or not mask.any():
        return None
    glyph = glyph_component(mask)
    return geometry(glyph, mask) | tone(np.ascontiguousarray(rgb[:, :, :3]), mask, dark_text)


def measure_all(images) -> dict[str, np.ndarray]:
    rows = [m for m in (measure(im) for im in images) if m is not None]
    return {key: np.array([row[key] for row in rows]) for key in rows[0]}


def ours(
    per_class: int, render: dict | None = None, backgrounds: str | None = None
) -> list[np.ndarray]:
    """Default crops, or with `render` overrides and `backgrounds` (a folder, or `pack`)."""
    data = SynthCharDataset(
        CHARS,
        per_class=per_class,
        seed=0,
        render=render,
        backgrounds=backgrounds_folder(backgrounds),
    )
    images = []
    for first in range(0, len(data), 256):
        batch, _ = data.batch(range(first, min(len(data), first + 256)))
        images.extend(batch)
    return images


def compare(real: dict[str, np.ndarray], synth: dict[str, np.ndarray]) -> tuple[dict, dict]:
    from scipy.stats import ks_2samp

    lines, gaps = {}, {}
    for name in real:
        for label, values in (("real", real[name]), ("ours", synth[name])):
            lines[f"crop_stat_{name}_{label}_mean"] = float(values.mean())
            for q in (10, 50, 90):
                lines[f"crop_stat_{name}_{label}_p{q}"] = float(np.percentile(values, q))
        gaps[name] = float(ks_2samp(real[name], synth[name]).statistic)
        lines[f"crop_stat_{name}_ks"] = gaps[name]
    return lines, gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer synthetic crops")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="labels.csv folder")
    parser.add_argument(
        "--render",
        type=json.loads,
        default=None,
        help="RenderOptions overrides as JSON, e.g. "
        "'{\"margin\": [0, 0.2]}': what a candidate default would change",
    )
    parser.add_argument(
        "--backgrounds", default=None, help="photo folder, or `pack` (the texture pack)"
    )
    args = parser.parse_args()
    if not (args.real / "labels.csv").is_file():
        sys.exit(f"error: {args.real / 'labels.csv'}: not found")
    real_images, _ = real_crops(args.real)
    real = measure_all(real_images)
    synth = measure_all(ours(20 if args.quick else 60, args.render, args.backgrounds))
    print(f"measured {len(real['contrast'])} real, {len(synth['contrast'])} ours", file=sys.stderr)
    lines, gaps = compare(real, synth)
    for name, value in lines.items():
        print(f"{name}={value:.3f}")
    for rank, name in enumerate(sorted(gaps, key=gaps.get, reverse=True)[:5], 1):
        print(f"crop_stat_gap_{rank}={name}")


if __name__ == "__main__":
    main()
