"""A folder of images or audio as a table of fixed statistics, one row per crop or segment.

Files are found the way every command finds inputs (metadata.parquet/jsonl/csv, labels.csv or
class folders), so labels come along when the folder has them. A file that cannot be
read is skipped and reported; a seeded subsample keeps large folders quick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from augment.analysis.audio_features import (
    AUDIO_STATISTICS,
    AUDIO_SUFFIXES,
    read_segments,
    segment_statistics,
)
from augment.analysis.image_features import (
    IMAGE_STATISTICS,
    IMAGE_SUFFIXES,
    crop_statistics,
    read_crop,
)
from augment.core.errors import InputError
from augment.dataset.readers import read_labelled_files


@dataclass
class FeatureSet:
    """Rows of statistics with the label and source file of each row."""

    kind: str  # "image" or "audio"
    names: tuple[str, ...]
    values: np.ndarray
    labels: list[str | None]
    files: list[Path]
    skipped: list[str] = field(default_factory=list)


def folder_kind(files: list[Path], folder: Path) -> str:
    """'image' or 'audio', whichever the folder's files mostly are."""
    images = sum(p.suffix.lower() in IMAGE_SUFFIXES for p in files)
    sounds = sum(p.suffix.lower() in AUDIO_SUFFIXES for p in files)
    if not images and not sounds:
        raise InputError(str(folder), "no image or audio files")
    return "image" if images >= sounds else "audio"


def load_feature_set(
    folder: Path, limit: int = 2000, seed: int = 0, segment_seconds: float = 1.0
) -> FeatureSet:
    """Statistics of at most `limit` rows (files, or audio segments) drawn with `seed`."""
    found = read_labelled_files(folder, IMAGE_SUFFIXES | AUDIO_SUFFIXES)
    kind = folder_kind([f.path for f in found], folder)
    suffixes = IMAGE_SUFFIXES if kind == "image" else AUDIO_SUFFIXES
    found = [f for f in found if f.path.suffix.lower() in suffixes]
    rng = np.random.default_rng(seed)
    if len(found) > limit:
        found = [found[k] for k in sorted(rng.choice(len(found), limit, replace=False))]
    rows, labels, files, skipped = [], [], [], []
    for item in found:
        try:
            if kind == "image":
                stats = [crop_statistics(read_crop(item.path))]
            else:
                stats = [segment_statistics(s) for s in read_segments(item.path, segment_seconds)]
        except InputError as err:
            skipped.append(str(err))
            continue
        rows += stats
        labels += [item.label] * len(stats)
        files += [item.path] * len(stats)
    if not rows:
        raise InputError(str(folder), f"no readable {kind} files ({len(skipped)} skipped)")
    names = IMAGE_STATISTICS if kind == "image" else AUDIO_STATISTICS
    values = np.array(rows)
    if len(values) > limit:  # audio segments
        keep = np.sort(rng.choice(len(values), limit, replace=False))
        values, labels, files = values[keep], [labels[k] for k in keep], [files[k] for k in keep]
    return FeatureSet(kind, names, values, labels, files, skipped)
