"""Box-annotated inputs as a run needs them, whatever layout they came in.

Every reader (metadata rows, COCO JSON, YOLO folders) gives task entries whose columns hold
`bboxes` (in the input's own box format), per-box label columns (`category`, ...),
optional `keypoints`, a `mask` file and per-box `segmentation` polygons, plus the run's
categories, which the COCO and YOLO output layouts need to number the classes. Table rows
may hold these as JSON text (a CSV cell), parsed here once so the makers see lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# per-box columns: filtered together with the boxes when one is dropped
BOX_LABEL_COLUMNS = (
    "category",
    "category_id",
    "bbox_labels",
    "class_labels",
    "iscrowd",
    "box_number",  # a box's position among its input's boxes (COCO keypoints name it)
)
# the first of these present names each box's category
NAME_COLUMNS = ("category", "bbox_labels", "class_labels", "category_id")
TARGET_COLUMNS = ("bboxes", "keypoints", "mask", "segmentation")


@dataclass(frozen=True)
class BoxInputs:
    """Task entries with box columns, their box format and the run's categories.

    categories: {"id", "name"} in id order (a YOLO class is its position here).
    name_column: the per-box column naming each box's category.
    notes: what the reader could not carry, one line each, for the command to say.
    """

    entries: list[dict[str, Any]]
    bbox_format: str
    categories: list[dict[str, Any]]
    name_column: str
    notes: tuple[str, ...] = ()


def from_rows(in_dir: Path, entries: list[dict[str, Any]], bbox_format: str) -> BoxInputs:
    """Box columns of table rows (metadata.jsonl/csv, labels.csv): JSON text parsed, mask
    paths resolved under IN; a row whose columns cannot be read is reported alone."""
    parsed = [_parsed(in_dir, entry) for entry in entries]
    present = {key for entry in parsed for key in entry["columns"]}
    name_column = next((c for c in NAME_COLUMNS if c in present), NAME_COLUMNS[0])
    names = sorted({str(v) for e in parsed for v in e["columns"].get(name_column, [])})
    if name_column == "category_id":
        categories = [{"id": int(n), "name": n} for n in sorted(names, key=int)]
    else:
        categories = [{"id": i, "name": name} for i, name in enumerate(names, start=1)]
    return BoxInputs(parsed, bbox_format, categories, name_column)


def _parsed(in_dir: Path, entry: dict[str, Any]) -> dict[str, Any]:
    if entry.get("problem"):
        return entry
    columns = dict(entry["columns"])
    try:
        for key in ("bboxes", "keypoints", "segmentation", *BOX_LABEL_COLUMNS):
            if key in columns:
                columns[key] = _as_list(columns[key], key)
        if "mask" in columns:
            columns["mask"] = _mask_path(in_dir, columns["mask"])
    except ValueError as err:
        return entry | {"columns": columns, "problem": str(err)}
    return entry | {"columns": columns}


def _as_list(value: Any, key: str) -> list[Any]:
    """A list column as it came (JSON rows) or from JSON text (a CSV cell)."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError as err:
            raise ValueError(f"column {key}: not a JSON list ({err.msg})") from None
    if not isinstance(value, list):
        raise ValueError(f"column {key}: expected a list, got {type(value).__name__}")
    return value


def _mask_path(in_dir: Path, value: Any) -> str:
    """The mask file named by a row, relative to IN (kept inside it), as an absolute path."""
    if not isinstance(value, str) or not value or "\0" in value:
        raise ValueError(f"column mask: expected a file name, got {value!r}")
    root = in_dir.resolve()
    try:
        path = (root / value).resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop
        raise ValueError(f"mask {value!r} is a looping symbolic link") from None
    if not path.is_relative_to(root):
        raise ValueError(f"mask {value!r} points outside {in_dir}")
    if not path.is_file():
        raise ValueError(f"mask {value!r}: no such file")
    return str(path)
