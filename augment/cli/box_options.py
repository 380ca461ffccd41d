"""`augment images` with boxes, keypoints and masks: the options that turn moving them on,
and what they change in a copies run (the inputs, the maker, the layout, the record).

Moving targets is on with --bbox-format, --input-format coco|yolo (or any other box
option); without them a run is exactly what it was (position columns are left out of the
copies, as the command notes).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from augment.calls.box_formats import BOX_FORMATS
from augment.cli.common import fail, layout_option
from augment.cli.copies import CopiesOptions, Medium
from augment.core.registry import build_pipeline, dump_pipeline
from augment.core.transform import Transform
from augment.dataset.box_columns import BoxInputs
from augment.dataset.box_inputs import INPUT_FORMATS, read_box_inputs
from augment.dataset.keypoint_names import flip_orders
from augment.dataset.layouts import CocoLayout, Layout, YoloLayout
from augment.dataset.layouts.detection import BoxClasses
from augment.images.maker import ImageExampleMaker
from augment.images.target_columns import TargetColumns

OUT_LAYOUTS = ("files", "coco", "yolo")
NATIVE_FORMATS = {"coco": "coco", "yolo": "yolo"}  # the box format of each input format

BboxFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--bbox-format",
        help="Format of the bboxes column of metadata rows: coco (x, y, w, h pixels), yolo "
        "(cx, cy, w, h normalised), pascal_voc (x0, y0, x1, y1 pixels) or albumentations. "
        "Boxes, keypoints and mask files then move with the pixels.",
    ),
]
InputFormatOpt = Annotated[
    str,
    typer.Option(
        "--input-format",
        help="folder (class folders or a metadata table), coco (IN/annotations.json or "
        "--coco-json, images in IN or IN/images) or yolo (IN/images, IN/labels, data.yaml).",
    ),
]
CocoJsonOpt = Annotated[
    Path | None, typer.Option("--coco-json", help="With --input-format coco: the JSON file.")
]
LayoutOpt = Annotated[
    str,
    typer.Option(
        "--layout",
        help="files (label folders), coco (images/ + annotations.json) or yolo (images/, "
        "labels/, data.yaml).",
    ),
]
MinVisibilityOpt = Annotated[
    float,
    typer.Option(
        "--min-visibility",
        min=0.0,
        max=1.0,
        help="Drop a box (and its labels) when less than this fraction of it stays in the "
        "image; set on every geometric step.",
    ),
]
MinAreaOpt = Annotated[
    float,
    typer.Option("--min-area", min=0.0, help="Drop a box (and its labels) under this many pixels."),
]


@dataclass(frozen=True)
class BoxOptions:
    """What the box options of one `augment images` command asked for."""

    bbox_format: str | None = None
    input_format: str = "folder"
    coco_json: Path | None = None
    layout: str = "files"
    min_visibility: float = 0.0
    min_area: float = 0.0

    @property
    def active(self) -> bool:
        defaults = BoxOptions(min_visibility=self.min_visibility)  # it applies without boxes
        return self != defaults

    def checked_format(self, shards: int | None) -> str:
        """The box format the inputs carry; a conflicting combination fails on one line."""
        _choice("--input-format", self.input_format, INPUT_FORMATS)
        _choice("--layout", self.layout, OUT_LAYOUTS)
        if self.bbox_format is not None:
            _choice("--bbox-format", self.bbox_format, BOX_FORMATS)
        if self.coco_json is not None and self.input_format != "coco":
            fail("--coco-json needs --input-format coco")
        if shards and self.layout != "files":
            fail(f"--shards writes tar shards; it cannot be combined with --layout {self.layout}")
        native = NATIVE_FORMATS.get(self.input_format)
        if native and self.bbox_format not in (None, native):
            fail(f"--bbox-format: a {self.input_format} input's boxes are {native}")
        if not (native or self.bbox_format):
            fail("--bbox-format: needed to read the rows' boxes (coco, yolo or pascal_voc)")
        return native or str(self.bbox_format)

    def record(self) -> dict[str, Any]:
        """The options as run.json keeps them (a rerun with others is refused)."""
        return {"boxes": dataclasses.asdict(self) | {"coco_json": _shown(self.coco_json)}}


def box_run(
    boxes: BoxOptions, medium: Medium, options: CopiesOptions
) -> tuple[Medium, CopiesOptions]:
    """The copies run with targets moved: box-aware inputs, the maker moving them, the
    layout asked for and the options in the command record."""
    bbox_format = boxes.checked_format(options.shards)
    if options.in_dir is None:
        fail("--bbox-format/--input-format: boxes are read from IN, not from --hf-dataset")
    found = read_box_inputs(
        options.in_dir, boxes.input_format, bbox_format, medium.extensions,
        boxes.coco_json, skip=options.out,
    )  # fmt: skip
    for note in found.notes:
        print(f"note: {note}", file=sys.stderr)
    flips = flip_orders(found.categories)
    for name, order in flips.items():
        pairs = sum(k < partner for k, partner in enumerate(order))
        print(f"note: {name}: {pairs} left/right keypoint pairs trade places in mirrored copies",
              file=sys.stderr)  # fmt: skip
    targets = TargetColumns(bbox_format, boxes.min_area, flips)
    maker = partial(ImageExampleMaker, targets=targets)
    layout = _layout(boxes.layout, found, options.shards)
    options = dataclasses.replace(
        options, inputs=found.entries, layout=layout, record=boxes.record()
    )
    return dataclasses.replace(medium, maker=maker), options


def with_min_visibility(build: Callable[[], Transform], value: float) -> Transform:
    """The pipeline with `min_visibility` set on every step that has one (the geometric
    ones); 0 leaves the pipeline as it was built."""
    pipeline = build()
    if value <= 0:
        return pipeline
    return build_pipeline(_set_key(dump_pipeline(pipeline), "min_visibility", value), kind="image")


def _set_key(node: Any, key: str, value: Any) -> Any:
    """A config with every `key` argument, at any depth (inside Maybe, OneOf...), set to
    `value`: a dumped config names every argument, so no step is missed."""
    if isinstance(node, dict):
        return {k: value if k == key else _set_key(v, key, value) for k, v in node.items()}
    if isinstance(node, list):
        return [_set_key(v, key, value) for v in node]
    return node


def _layout(name: str, found: BoxInputs, shards: int | None) -> Layout:
    """The layout asked for; COCO and YOLO need a class for every box, checked before
    anything is written."""
    if name == "files":
        return layout_option(shards)
    for entry in found.entries:
        columns = entry["columns"]
        if columns.get("bboxes") and found.name_column not in columns and not entry.get("problem"):
            fail(
                f"{entry['source']}: --layout {name} needs a class per box "
                f"(a {found.name_column} column beside bboxes)"
            )
    classes = BoxClasses(found.bbox_format, tuple(found.categories), found.name_column)
    return CocoLayout(classes) if name == "coco" else YoloLayout(classes)


def _choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        fail(f"{option}: expected one of {', '.join(choices)}, got {value!r}")


def _shown(path: Path | None) -> str | None:
    return None if path is None else str(path.resolve())
