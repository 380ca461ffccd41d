"""Dataset layouts, one module each: how a run's examples sit in OUT (see `base.Layout`)."""

from __future__ import annotations

from typing import Any

from augment.core.errors import AugsynthError
from augment.dataset.layouts.base import Layout
from augment.dataset.layouts.coco import CocoLayout
from augment.dataset.layouts.files import FilesLayout
from augment.dataset.layouts.shards import ShardsLayout
from augment.dataset.layouts.yolo import YoloLayout

LAYOUTS: dict[str, type[FilesLayout | ShardsLayout | CocoLayout | YoloLayout]] = {
    "files": FilesLayout,
    "shards": ShardsLayout,
    "coco": CocoLayout,
    "yolo": YoloLayout,
}


def layout_of_record(record: dict[str, Any]) -> Layout:
    """The layout a run record names; an unknown one is refused."""
    name = record.get("layout", "files")
    if name not in LAYOUTS:
        raise AugsynthError(f"run.json names an unknown layout {name!r}")
    return LAYOUTS[name].from_record(record)


def describe_record(record: dict[str, Any]) -> str:
    """The layout a run record names, in words (a record without one is the files layout)."""
    name = record.get("layout", "files")
    if name not in LAYOUTS:
        return f"an unknown layout {name!r}"
    return LAYOUTS[name].from_record(record).describe()


__all__ = [
    "LAYOUTS",
    "CocoLayout",
    "FilesLayout",
    "Layout",
    "ShardsLayout",
    "YoloLayout",
    "describe_record",
    "layout_of_record",
]
