"""A YOLO folder (images/, labels/*.txt, data.yaml or classes.txt) as the tasks of a run.

`labels/a/b.txt` annotates `images/a/b.<ext>`, one `class cx cy w h` line per box,
normalised by the image size, as Ultralytics and Darknet write them; an image without a
label file has no boxes. A segment line (`class x1 y1 x2 y2 ...`, Ultralytics'
segmentation format) gives its polygon's extent as the box and the polygon, in pixels of
the image, as the box's `segmentation`. A data.yaml with `kpt_shape` makes every line a
pose line (`augment.dataset.yolo_pose`). Class names come from data.yaml's `names` (a list or an
{index: name} map) or classes.txt (one per line); without either a class is named by its
number. A label file naming no image, or a bad line, is reported for that file alone and
the run goes on; an unreadable data.yaml stops the command.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from augment.core.errors import InputError
from augment.core.text_files import read_text
from augment.dataset.box_columns import BoxInputs
from augment.dataset.yolo_pose import PoseShape, pose_points


def read_yolo(in_dir: Path, extensions: frozenset[str]) -> BoxInputs:
    """The entries (images, then label files naming no image) and the class names."""
    images_dir, labels_dir = in_dir / "images", in_dir / "labels"
    if not images_dir.is_dir():
        raise InputError(str(in_dir), "a YOLO folder needs images/ (and labels/)")
    names, pose = _class_names(in_dir)
    shared = sorted({name for name in names if names.count(name) > 1})
    if shared:  # the output layouts find a box's class by its name
        raise InputError(str(in_dir), f"two classes share the name {shared[0]!r}")
    images = sorted(p for p in images_dir.rglob("*") if p.suffix.lower() in extensions)
    stems = {p.relative_to(images_dir).with_suffix("") for p in images}
    entries = [_entry(p, labels_dir / p.relative_to(images_dir).with_suffix(".txt"), names,
                      pose) for p in images]  # fmt: skip
    for label_file in sorted(labels_dir.rglob("*.txt")) if labels_dir.is_dir() else []:
        if label_file.relative_to(labels_dir).with_suffix("") not in stems:
            problem = "names no image (no file of that name under images/)"
            entries.append({"source": str(label_file), "label": None, "columns": {},
                            "problem": problem})  # fmt: skip
    if not entries:
        raise InputError(str(images_dir), "no input images found")
    if not names:  # classes named by their numbers, up to the largest used
        used = [i for entry in entries for i in entry["columns"].get("category_id", [])]
        names = [str(i) for i in range(max(used, default=-1) + 1)]
    pose_fields = pose.category_fields() if pose is not None else {}
    categories = [{"id": i, "name": name, **pose_fields} for i, name in enumerate(names)]
    return BoxInputs(entries, "yolo", categories, "category")


def _class_names(in_dir: Path) -> tuple[list[str], PoseShape | None]:
    """The class names, and the keypoint shape of a pose dataset (data.yaml `kpt_shape`)."""
    data_yaml, classes_txt = in_dir / "data.yaml", in_dir / "classes.txt"
    if data_yaml.is_file():
        try:
            data = yaml.safe_load(read_text(data_yaml))
        except yaml.YAMLError as err:
            raise InputError(str(data_yaml), f"not YAML ({type(err).__name__})") from None
        names = data.get("names") if isinstance(data, dict) else None
        try:
            declared = isinstance(data, dict) and "kpt_shape" in data
            pose = PoseShape.from_data(data, "kpt_shape") if declared else None
        except ValueError as err:
            raise InputError(str(data_yaml), str(err)) from None
        if isinstance(names, dict) and sorted(names) == list(range(len(names))):
            return [str(names[i]) for i in range(len(names))], pose
        if isinstance(names, list):
            return [str(name) for name in names], pose
        raise InputError(str(data_yaml), "expected names: a list or an {index: name} map")
    if classes_txt.is_file():
        lines = read_text(classes_txt).splitlines()
        return [line.strip() for line in lines if line.strip()], None
    return [], None


def _entry(
    image: Path, label_file: Path, names: list[str], pose: PoseShape | None
) -> dict[str, Any]:
    columns: dict[str, Any] = {"bboxes": [], "category": [], "category_id": []}
    entry: dict[str, Any] = {"source": str(image), "label": None, "columns": columns}
    if not label_file.is_file():
        return entry
    polygons: list[list[float] | None] = []
    points: list[list[float]] = []
    size = functools.cache(lambda: _size(image))  # read from the header only if needed
    try:
        for number, line in enumerate(read_text(label_file).splitlines(), start=1):
            if line.strip():
                class_id, values = _numbers(line, names, f"line {number}", pose)
                box, polygon = _box(values, pose, f"line {number}")
                if pose is not None:
                    points += pose_points(values, pose, size(), len(polygons))
                columns["bboxes"].append(box)
                columns["category_id"].append(class_id)
                columns["category"].append(names[class_id] if names else str(class_id))
                polygons.append(polygon)
        if any(polygon is not None for polygon in polygons):
            columns["segmentation"] = _in_pixels(polygons, size())
        if pose is not None:
            columns |= {"box_number": list(range(len(polygons))), "keypoints": points}
    except (InputError, ValueError) as err:
        return entry | {"problem": f"{label_file}: {err}"}
    return entry


def _numbers(
    line: str, names: list[str], where: str, pose: PoseShape | None
) -> tuple[int, list[float]]:
    """A label line's class and its numbers, checked for the line kinds this folder holds:
    box and segment lines, or pose lines; ValueError naming the line otherwise."""
    fields = line.split()
    if pose is not None and len(fields) != 1 + pose.line_values():
        shape = [pose.points, pose.dims]
        raise ValueError(f"{where}: expected a pose line of {1 + pose.line_values()} values "
                         f"(class, box, kpt_shape {shape}), got {len(fields)}")  # fmt: skip
    segment = len(fields) >= 7 and len(fields) % 2 == 1
    if pose is None and len(fields) != 5 and not segment:
        raise ValueError(f"{where}: expected 'class cx cy w h' or 'class x1 y1 x2 y2 x3 y3 ...', "
                         f"got {len(fields)} values")  # fmt: skip
    try:
        class_id, values = int(fields[0]), [float(v) for v in fields[1:]]
    except ValueError:
        raise ValueError(f"{where}: expected numbers, got {line.strip()!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{where}: a value is not a finite number ({line.strip()!r})")
    if class_id < 0 or (names and class_id >= len(names)):
        raise ValueError(f"{where}: class {class_id} is not among the {len(names)} names")
    return class_id, values


def _box(
    values: list[float], pose: PoseShape | None, where: str
) -> tuple[list[float], list[float] | None]:
    """The line's box [cx, cy, w, h], and its normalised polygon if it is a segment line."""
    if pose is not None or len(values) == 4:
        return values[:4], None
    if not all(0 <= v <= 1 for v in values):
        raise ValueError(f"{where}: a segment's x, y must be normalised to [0, 1]")
    xs, ys = values[0::2], values[1::2]
    box = [(min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs), max(ys) - min(ys)]
    return box, values


def _size(image: Path) -> tuple[int, int]:
    """The image's width and height, from its header."""
    try:
        with Image.open(image) as opened:
            return opened.size
    except (OSError, ValueError, Image.DecompressionBombError) as err:
        raise ValueError(f"cannot read its image's size ({err})") from None


def _in_pixels(
    polygons: list[list[float] | None], size: tuple[int, int]
) -> list[list[list[float]]]:
    """Each box's polygon list in pixels; a box given by a plain line has none."""
    return [
        [] if polygon is None else [[v * size[k % 2] for k, v in enumerate(polygon)]]
        for polygon in polygons
    ]
