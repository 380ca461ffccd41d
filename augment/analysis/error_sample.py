"""A seeded random sample of errors to look at and tag by hand, as error analysis is done:
a contact sheet for images, an HTML page with players for audio, and a CSV to tag them."""

from __future__ import annotations

import csv
import html
import io
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from augment.analysis.join import JoinedPrediction

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3", ".opus", ".m4a"})
TAG_COLUMNS = ("tags", "note")
CELL, CAPTION, GAP, COLUMNS = 96, 14, 4, 10


def sample_errors(rows: Sequence[JoinedPrediction], size: int, seed: int) -> list[JoinedPrediction]:
    """Up to `size` errors drawn without replacement with `seed`, in file-name order."""
    errors = sorted((r for r in rows if r.wrong), key=lambda r: r.file_name)
    if len(errors) <= size:
        return errors
    picked = np.random.default_rng(seed).choice(len(errors), size=size, replace=False)
    return [errors[k] for k in sorted(picked.tolist())]


def is_audio(rows: Sequence[JoinedPrediction]) -> bool:
    return any(Path(r.file_name).suffix.lower() in AUDIO_SUFFIXES for r in rows)


def write_tag_csv(path: Path, sample: Sequence[JoinedPrediction]) -> None:
    """errors_to_tag.csv: one sampled error a row, with empty `tags` (comma-separated, e.g.
    'blurred,occluded') and `note` columns; add a column per tag if you prefer ticking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file_name", "label", "prediction", "score", *TAG_COLUMNS])
    for r in sample:
        score = "" if r.score is None else f"{r.score:.6g}"
        writer.writerow([r.file_name, r.label, r.prediction, score, *([""] * len(TAG_COLUMNS))])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def error_sheet(data_dir: Path, sample: Sequence[JoinedPrediction]) -> Image.Image:
    """The sampled errors in a grid, each captioned 'label->prediction'; a file that cannot
    be opened (e.g. inside a shard) is a grey cell, still captioned."""
    rows = max(1, -(-len(sample) // COLUMNS))
    width = COLUMNS * (CELL + GAP) + GAP
    sheet = Image.new("RGB", (width, rows * (CELL + CAPTION + GAP) + GAP), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for k, r in enumerate(sample):
        x = GAP + (k % COLUMNS) * (CELL + GAP)
        y = GAP + (k // COLUMNS) * (CELL + CAPTION + GAP)
        cell = _thumbnail(data_dir / r.file_name)
        sheet.paste(cell, (x + (CELL - cell.width) // 2, y + (CELL - cell.height) // 2))
        draw.text((x, y + CELL + 1), f"{r.label}->{r.prediction}"[:16], fill=(0, 0, 0))
    return sheet


def _thumbnail(path: Path) -> Image.Image:
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
    except (OSError, ValueError):
        return Image.new("RGB", (CELL, CELL), (180, 180, 180))
    scale = min(CELL / image.width, CELL / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.LANCZOS
    return image.resize(size, resample)


def write_audio_page(report_dir: Path, data_dir: Path, sample: Sequence[JoinedPrediction]) -> Path:
    """errors.html with one <audio> player per sampled error; the clips are copied into
    REPORT/error_audio/ so the page keeps working wherever the report is moved."""
    audio_dir = report_dir / "error_audio"
    audio_dir.mkdir(exist_ok=True)
    items = []
    for k, r in enumerate(sample):
        source = data_dir / r.file_name
        local = f"{k:04d}{source.suffix.lower()}"
        if source.is_file():
            shutil.copyfile(source, audio_dir / local)
        player = f'<audio controls preload="none" src="error_audio/{local}"></audio>'
        items.append(
            f"<tr><td>{html.escape(r.file_name)}</td><td>{html.escape(r.label)}</td>"
            f"<td>{html.escape(r.prediction)}</td><td>{player}</td></tr>"
        )
    page = report_dir / "errors.html"
    page.write_text(
        "<!doctype html><meta charset='utf-8'><title>errors</title>"
        f"<p>{len(sample)} sampled errors from {html.escape(os.fspath(data_dir))}</p>"
        "<table><tr><th>file</th><th>label</th><th>prediction</th><th>listen</th></tr>"
        + "\n".join(items)
        + "</table>\n",
        encoding="utf-8",
    )
    return page
