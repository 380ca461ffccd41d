"""Which reader a box-annotated input needs: table rows with box columns (the usual input
folder), a COCO instances JSON, or a YOLO folder (`--input-format`)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from augment.dataset.box_columns import BoxInputs, from_rows
from augment.dataset.coco_input import read_coco
from augment.dataset.readers import list_inputs
from augment.dataset.yolo_input import read_yolo

INPUT_FORMATS = ("folder", "coco", "yolo")


def read_box_inputs(
    in_dir: Path,
    input_format: str,
    bbox_format: str,
    extensions: frozenset[str],
    coco_json: Path | None = None,
    skip: Path | None = None,
) -> BoxInputs:
    """The entries of IN read as `input_format`; files under `skip` (OUT inside IN) left out."""
    if input_format == "coco":
        found = read_coco(in_dir, coco_json)
    elif input_format == "yolo":
        found = read_yolo(in_dir, extensions)
    else:
        return from_rows(in_dir, list_inputs(in_dir, extensions, skip=skip), bbox_format)
    if skip is None:
        return found
    skipped = Path(os.path.abspath(skip))
    kept = [e for e in found.entries if not Path(e["source"]).is_relative_to(skipped)]
    return dataclasses.replace(found, entries=kept)
