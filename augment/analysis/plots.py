"""The report's pictures, drawn with Pillow: a confusion matrix and error-rate bars.

Pillow is already a dependency; the two charts are a grid and some bars, not worth adding
matplotlib (and its font cache and backends) for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from PIL import Image, ImageDraw

from augment.analysis.slices import Slice

INK = (0, 0, 0)
GRID = (200, 200, 200)
ERROR_BAR = (200, 60, 40)
CHAR_W, CHAR_H = 6, 11  # Pillow's default bitmap font


def confusion_png(classes: Sequence[str], counts: Sequence[Sequence[int]]) -> Image.Image:
    """Rows are true labels, columns predictions; a cell's darkness is its share of the row,
    so a rare class's confusions show as clearly as a common one's. Counts are written in
    cells large enough to hold them."""
    matrix = np.asarray(counts, dtype=float).reshape(len(classes), len(classes))
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    cell = max(14, min(40, 900 // max(1, len(classes))))
    margin = CHAR_W * min(12, max(len(c) for c in classes)) + 12
    size = margin + cell * len(classes) + 4
    image = Image.new("RGB", (size, size + CHAR_H + 6), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((4, size + 2), "rows: true label, columns: prediction", fill=INK)
    for i, name in enumerate(classes):
        draw.text((4, margin + i * cell + cell // 2 - 5), name[:12], fill=INK)
        draw.text((margin + i * cell + 2, margin - CHAR_H - 4), name[:2], fill=INK)
    for i in range(len(classes)):
        for j in range(len(classes)):
            box = _cell_box(margin, cell, i, j)
            shade = int(255 * (1 - shares[i, j]))
            fill = (shade, shade, 255) if i == j else (255, shade, shade)
            draw.rectangle(box, fill=fill, outline=GRID)
            text = str(int(matrix[i, j]))
            if matrix[i, j] and cell >= CHAR_W * len(text) + 4:
                draw.text((box[0] + 2, box[1] + 2), text, fill=INK)
    return image


def _cell_box(margin: int, cell: int, i: int, j: int) -> tuple[int, int, int, int]:
    left, top = margin + j * cell, margin + i * cell
    return left, top, left + cell, top + cell


def slice_bars_png(attribute: str, slices: Sequence[Slice], overall_rate: float) -> Image.Image:
    """Error rate per slice of one attribute as horizontal bars, the overall rate as a line,
    each bar labelled with errors/count and excess errors."""
    label_w = CHAR_W * min(28, max(len(s.value) for s in slices)) + 10
    bar_w, row_h, top = 360, 18, 26
    width = label_w + bar_w + 170
    image = Image.new("RGB", (width, top + row_h * len(slices) + 24), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((6, 6), f"error rate by {attribute}", fill=INK)
    scale = bar_w / max(max(s.error_rate for s in slices), overall_rate, 1e-9)
    for k, s in enumerate(slices):
        y = top + k * row_h
        draw.text((6, y + 3), s.value[:28], fill=INK)
        draw.rectangle((label_w, y + 2, label_w + s.error_rate * scale, y + row_h - 3), ERROR_BAR)
        note = f"{s.errors}/{s.count} excess {s.excess:+.1f}"
        draw.text((label_w + bar_w + 8, y + 3), note, fill=INK)
    x = label_w + overall_rate * scale
    bottom = top + row_h * len(slices)
    draw.line((x, top - 4, x, bottom), fill=INK, width=1)
    draw.text((label_w, bottom + 6), f"| overall {overall_rate:.1%}", fill=INK)
    return image


def class_histogram_png(before: Mapping[str, int], after: Mapping[str, int]) -> Image.Image:
    """Examples per class before and after balancing, as paired horizontal bars (grey
    before, blue after), classes sorted, counts written beside the bars."""
    labels = sorted(set(before) | set(after))
    label_w = CHAR_W * min(20, max((len(x) for x in labels), default=1)) + 10
    bar_w, row_h, top = 360, 16, 26
    image = Image.new("RGB", (label_w + bar_w + 110, top + row_h * len(labels) + 8), "white")
    draw = ImageDraw.Draw(image)
    draw.text((6, 6), "examples per class: grey before, blue after", fill=INK)
    scale = bar_w / max(1, *before.values(), *after.values())
    for k, label in enumerate(labels):
        y = top + k * row_h
        old, new = before.get(label, 0), after.get(label, 0)
        draw.text((6, y + 2), label[:20], fill=INK)
        draw.rectangle((label_w, y + 1, label_w + new * scale, y + row_h - 2), (70, 110, 220))
        draw.rectangle((label_w, y + 4, label_w + old * scale, y + row_h - 5), (150, 150, 150))
        draw.text((label_w + bar_w + 8, y + 2), f"{old} -> {new}", fill=INK)
    return image
