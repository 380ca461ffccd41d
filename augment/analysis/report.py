"""`augment errors`: join predictions with a dataset folder and write the error report.

The report is made in a temporary folder beside REPORT and renamed into place when done,
so an interrupted or failed run leaves the previous report (or none), never half of one.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from augment.analysis.confusion import class_accuracy, confusion_matrix, confusion_pairs
from augment.analysis.error_sample import (
    error_sheet,
    is_audio,
    sample_errors,
    write_audio_page,
    write_tag_csv,
)
from augment.analysis.focus_file import focus_summary, write_focus
from augment.analysis.join import Joined, join_predictions
from augment.analysis.plots import confusion_png, slice_bars_png
from augment.analysis.predictions import read_predictions
from augment.analysis.slices import Slice, attribute_slices
from augment.analysis.summary_text import summary_markdown
from augment.analysis.tags import count_tags
from augment.core.errors import InputError

MATRIX_CLASSES = 60  # a larger confusion matrix shows the classes with the most errors


@dataclass(frozen=True)
class ReportOptions:
    sample: int = 100  # errors in the contact sheet / audio page and errors_to_tag.csv
    seed: int = 0
    bins: int = 5  # quantile bins per numeric attribute
    min_count: int = 5  # smallest slice reported
    top: int = 20  # items per section of summary.md and focus.yaml
    plots: int = 6  # attributes with a bar plot
    tags: Path | None = None  # a filled errors_to_tag.csv


@dataclass(frozen=True)
class ReportResult:
    joined: Joined
    errors: int
    slices: list[Slice]
    written: list[str]


def build_report(
    predictions: Path, data_dir: Path, out_dir: Path, options: ReportOptions = ReportOptions()
) -> ReportResult:
    """Write REPORT (see the module docstring of each part); returns what the CLI prints."""
    joined = join_predictions(read_predictions(predictions), data_dir)
    rows = joined.rows
    errors = sum(r.wrong for r in rows)
    tags = None if options.tags is None else count_tags(options.tags, errors)
    tags_text = None if options.tags is None else options.tags.read_bytes()
    classes, pairs = class_accuracy(rows), confusion_pairs(rows)
    slices = attribute_slices(rows, options.bins, options.min_count)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _check_replaceable(out_dir, data_dir)
    with tempfile.TemporaryDirectory(
        prefix=f".{out_dir.name}.", dir=out_dir.parent, ignore_cleanup_errors=True
    ) as tmp:
        work = Path(tmp)
        _write_pictures(work, joined, slices, options)
        sample = sample_errors(rows, options.sample, options.seed)
        if is_audio(rows):
            write_audio_page(work, data_dir, sample)
        else:
            error_sheet(data_dir, sample).save(work / "errors_sample.png")
        if tags_text is None:
            write_tag_csv(work / "errors_to_tag.csv", sample)
        else:  # keep the hand-filled tags, even when they were REPORT's own file
            (work / "errors_to_tag.csv").write_bytes(tags_text)
        summary = focus_summary(classes, pairs, slices, options.top)
        if tags is not None:
            summary["tags"] = [{"tag": t.tag, "count": t.count, "share": round(t.share, 6)}
                               for t in tags[1]]  # fmt: skip
        write_focus(work / "focus.yaml", summary)
        text = summary_markdown(classes, pairs, slices, tags, options.top)
        (work / "summary.md").write_text(text, encoding="utf-8")
        written = sorted(str(p.relative_to(work)) for p in work.rglob("*") if p.is_file())
        _replace(work, out_dir)
    return ReportResult(joined, errors, slices, written)


def _write_pictures(
    work: Path, joined: Joined, slices: list[Slice], options: ReportOptions
) -> None:
    rows = joined.rows
    if sum(r.wrong for r in rows) and len({r.label for r in rows}) > MATRIX_CLASSES:
        worst = class_accuracy(rows)
        keep = {c.label for c in sorted(worst, key=lambda c: -c.errors)[:MATRIX_CLASSES]}
        rows = [r for r in rows if r.label in keep and r.prediction in keep]
    confusion_png(*confusion_matrix(rows)).save(work / "confusion.png")
    overall = sum(r.wrong for r in joined.rows) / len(joined.rows)
    explaining = (s.attribute for s in slices if s.excess > 0)  # attributes worth a plot
    attributes = list(dict.fromkeys(explaining))[: options.plots]
    for number, attribute in enumerate(attributes, start=1):
        mine = sorted((s for s in slices if s.attribute == attribute), key=_bin_order)[:30]
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", attribute)[:60]
        slice_bars_png(attribute, mine, overall).save(work / f"attribute_{number}_{safe}.png")


def _bin_order(s: Slice) -> tuple[float, str]:
    """Numeric bins in value order, categories by count (largest first)."""
    return (s.low, "") if s.low is not None else (-s.count, s.value)


def _check_replaceable(out_dir: Path, data_dir: Path) -> None:
    """REPORT may be new, empty or an earlier report; never the dataset or another folder."""
    target, data = out_dir.resolve(), data_dir.resolve()
    if target == data or target in data.parents:
        raise InputError(str(out_dir), "is (or holds) the dataset folder; choose another -o")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "focus.yaml").is_file():
        raise InputError(str(out_dir), "exists and is not an error report; choose another -o")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(str(out_dir), "exists and is not a folder")


def _replace(work: Path, out_dir: Path) -> None:
    """Move the finished report into place, replacing an older one."""
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    work.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
