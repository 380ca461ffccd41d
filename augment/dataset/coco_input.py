"""A COCO instances JSON (images, annotations, categories) as the tasks of a run.

Each image becomes one entry whose `bboxes` column holds its annotations' boxes in COCO's
own format (x, y, width, height in pixels), with per-box `category` (names), `category_id`
and `iscrowd`. COCO keypoints (x, y, visibility triplets per annotation) become rows
[x, y, v, n] of the `keypoints` column, n being the box's `box_number` (its position in the
image's annotations), so the COCO layout gives each kept box its own keypoints back.
Polygon segmentations become the per-box `segmentation` column (a box without one gets an
empty list); run-length (RLE) segmentations, COCO's crowd regions, are not carried, and the
command says how many were left out. A file that is not a COCO JSON stops the command (one
line naming it and the place); an image file that is missing is reported for that image
alone and the run goes on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from augment.core.errors import InputError
from augment.core.text_files import read_text
from augment.dataset.box_columns import BoxInputs

COCO_JSON_NAME = "annotations.json"


def read_coco(in_dir: Path, coco_json: Path | None) -> BoxInputs:
    """The entries and categories of the COCO JSON (`coco_json`, or IN/annotations.json)."""
    path = coco_json if coco_json is not None else in_dir / COCO_JSON_NAME
    data = _load(path)
    categories = _categories(path, data)
    names = {c["id"]: c["name"] for c in categories}
    boxes = _boxes_by_image(path, data, names)
    entries = [_entry(in_dir, image, boxes.get(image["id"], []), names) for image in data["images"]]
    if not entries:
        raise InputError(str(path), "lists no images")
    runs = sum(isinstance(a.get("segmentation"), dict) for a in data["annotations"])
    notes = (f"{path}: {runs} run-length (RLE) segmentations are not carried; their boxes are",)
    return BoxInputs(entries, "coco", categories, "category", notes if runs else ())


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise InputError(str(path), f"not JSON ({err.msg} at line {err.lineno})") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "expected a JSON object with images and annotations")
    for key in ("images", "annotations", "categories"):
        if not isinstance(data.get(key), list):
            raise InputError(str(path), f"expected a list under {key!r} (a COCO instances file)")
    for i, image in enumerate(data["images"]):
        if not (isinstance(image, dict) and isinstance(image.get("file_name"), str)):
            raise InputError(str(path), f"images[{i}]: needs an id and a file_name")
        if not _is_int(image.get("id")):
            raise InputError(str(path), f"images[{i}]: needs an integer id")
    return data


def _categories(path: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The categories in id order, with every field they have (supercategory, ...); ids and
    names must be unique (a box's class is looked up by name in the output layouts)."""
    found = []
    for i, category in enumerate(data["categories"]):
        if not (isinstance(category, dict) and _is_int(category.get("id"))):
            raise InputError(str(path), f"categories[{i}]: needs an integer id and a name")
        found.append({**category, "name": str(category.get("name", category["id"]))})
    for key in ("id", "name"):
        values = [c[key] for c in found]
        if len(set(values)) != len(values):
            raise InputError(str(path), f"categories: two categories share a {key}")
    return sorted(found, key=lambda c: c["id"])


def _boxes_by_image(
    path: Path, data: dict[str, Any], names: dict[int, str]
) -> dict[int, list[dict[str, Any]]]:
    """Each image id's annotations (checked), in the file's order."""
    image_ids = {image["id"] for image in data["images"]}
    by_image: dict[int, list[dict[str, Any]]] = {}
    for i, annotation in enumerate(data["annotations"]):
        problem = _annotation_problem(annotation, image_ids, names)
        if problem:
            raise InputError(str(path), f"annotations[{i}]: {problem}")
        by_image.setdefault(annotation["image_id"], []).append(annotation)
    return by_image


def _annotation_problem(annotation: Any, image_ids: set[int], names: dict[int, str]) -> str | None:
    if not isinstance(annotation, dict):
        return "expected an object"
    if annotation.get("image_id") not in image_ids:
        return f"image_id {annotation.get('image_id')!r} names no image"
    if annotation.get("category_id") not in names:
        return f"category_id {annotation.get('category_id')!r} names no category"
    box = annotation.get("bbox")
    if not (isinstance(box, list) and len(box) == 4 and all(_is_number(v) for v in box)):
        return f"bbox {box!r}: expected [x, y, width, height]"
    if box[2] < 0 or box[3] < 0:
        return f"bbox {box!r}: negative width or height"
    points = annotation.get("keypoints", [])
    if not (isinstance(points, list) and len(points) % 3 == 0 and all(map(_is_number, points))):
        return "keypoints: expected a list of x, y, visibility triplets"
    return None


def _entry(
    in_dir: Path, image: dict[str, Any], annotations: list[dict], names: dict[int, str]
) -> dict[str, Any]:
    """One image's task entry: its file (under IN or IN/images) and its boxes."""
    columns = {
        "source_image_id": image["id"],
        "bboxes": [[float(v) for v in a["bbox"]] for a in annotations],
        "category": [names[a["category_id"]] for a in annotations],
        "category_id": [a["category_id"] for a in annotations],
        "iscrowd": [int(a.get("iscrowd", 0)) for a in annotations],
    }
    if any(a.get("keypoints") for a in annotations):
        columns["box_number"] = list(range(len(annotations)))
        columns["keypoints"] = [
            [*a["keypoints"][j : j + 3], n]
            for n, a in enumerate(annotations)
            for j in range(0, len(a.get("keypoints", [])), 3)
        ]
    if any(isinstance(a.get("segmentation"), list) and a["segmentation"] for a in annotations):
        columns["segmentation"] = [
            a["segmentation"] if isinstance(a.get("segmentation"), list) else []
            for a in annotations
        ]
    path, problem = _image_path(in_dir, image["file_name"])
    entry = {"source": str(path), "label": None, "columns": columns}
    return entry | {"problem": problem} if problem else entry


def _image_path(in_dir: Path, name: str) -> tuple[Path, str | None]:
    root = in_dir.resolve()
    if "\0" in name:
        return root, f"file_name {name!r} holds a NUL character"
    for folder in (root, root / "images"):
        try:
            path = (folder / name).resolve()
        except (OSError, RuntimeError):  # a symbolic-link loop
            return root / name, f"file_name {name!r} is a looping symbolic link"
        if not path.is_relative_to(root):
            return path, f"file_name {name!r} points outside {in_dir}"
        if path.is_file():
            return path, None
    return root / name, f"no such image (file_name {name!r}, looked in IN and IN/images)"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value
