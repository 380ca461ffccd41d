"""COCO polygons and YOLO segment lines through `augment images`: each written polygon,
rasterised by pycocotools, covers the moved object's pixels; a dropped box takes its polygon
along; clipping at the image edge; run-length segmentations are named, not silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app
from augment.images.polygons import clip_to_rectangle, densified, settled

coco_module = pytest.importorskip("pycocotools.coco")  # a dev extra
pycocotools_mask = pytest.importorskip("pycocotools.mask")
runner = CliRunner()
WIDTH, HEIGHT = 64, 48
# (category id, polygon): a triangle and a small square, each drawn in its own colour
# channel (category 2 red, 1 green), so that interpolated edges never mix them up
OBJECTS = [
    (2, [8.0, 6.0, 34.0, 10.0, 14.0, 36.0]),
    (1, [44.0, 28.0, 54.0, 28.0, 54.0, 38.0, 44.0, 38.0]),
]
CHANNEL = {2: 0, 1: 1}


def _polygon_pixels(flat: list[float]) -> np.ndarray:
    """The polygon's pixels as pycocotools rasterises it (the same rasteriser then checks
    the moved polygons against the moved pixels)."""
    mask = pycocotools_mask.decode(pycocotools_mask.frPyObjects([flat], HEIGHT, WIDTH))
    return mask[..., 0] * np.uint8(255)


def _coco_folder(root: Path, annotations_extra: list[dict] | None = None) -> Path:
    (root / "images").mkdir(parents=True)
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    annotations = []
    for k, (category, flat) in enumerate(OBJECTS):
        image[..., CHANNEL[category]] = _polygon_pixels(flat)
        xs, ys = flat[0::2], flat[1::2]
        box = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
        annotations.append({"id": k + 1, "image_id": 1, "category_id": category,
                            "bbox": box, "segmentation": [flat], "iscrowd": 0})  # fmt: skip
    Image.fromarray(image).save(root / "images" / "a.png")
    document = {
        "images": [{"id": 1, "file_name": "a.png", "width": WIDTH, "height": HEIGHT}],
        "annotations": annotations + (annotations_extra or []),
        "categories": [{"id": 1, "name": "square"}, {"id": 2, "name": "triangle"}],
    }
    (root / "annotations.json").write_text(json.dumps(document))
    return root


def _augment(tmp_path: Path, source: Path, steps: list[dict], *extra: str):
    config = tmp_path / "pipeline.yaml"
    config.write_text(yaml.safe_dump(steps))
    out = tmp_path / "out"
    args = ["images", str(source), "-o", str(out), "--input-format", "coco", "--layout", "coco",
            "--config", str(config), "-n", "3", *extra]  # fmt: skip
    return out, runner.invoke(app, args)


@pytest.mark.parametrize(
    "step",
    [
        {"Rotate": {"degrees": [25, 25], "border": "constant"}},
        {"Perspective": {"distortion": [0.08, 0.08], "border": "constant"}},
        {"Elastic": {"alpha": [0.04, 0.04], "border": "constant"}},
        {"GridWarp": {"magnitude": [0.25, 0.25], "border": "constant"}},
    ],
)
def test_written_polygons_cover_the_moved_pixels(tmp_path: Path, step: dict) -> None:
    out, result = _augment(tmp_path, _coco_folder(tmp_path / "in"), [step])
    assert result.exit_code == 0, result.output
    coco = coco_module.COCO(str(out / "annotations.json"))
    assert len(coco.getAnnIds()) == 6
    for annotation in coco.loadAnns(coco.getAnnIds()):
        info = coco.loadImgs(annotation["image_id"])[0]
        image = np.asarray(Image.open(out / "images" / info["file_name"]))
        pixels = image[..., CHANNEL[annotation["category_id"]]] >= 128
        drawn = coco.annToMask(annotation).astype(bool)
        overlap = (pixels & drawn).sum() / (pixels | drawn).sum()
        assert overlap > 0.9, (step, annotation["id"], overlap)
        assert abs(annotation["area"] - drawn.sum()) <= 0.15 * drawn.sum()
        x, y, w, h = annotation["bbox"]
        xs, ys = annotation["segmentation"][0][0::2], annotation["segmentation"][0][1::2]
        assert x - 1 <= min(xs) and max(xs) <= x + w + 1 and y - 1 <= min(ys)
        assert max(ys) <= y + h + 1


def test_a_mirror_gives_the_mirrored_vertices_back(tmp_path: Path) -> None:
    out, result = _augment(
        tmp_path, _coco_folder(tmp_path / "in"), [{"Mirror": {"axis": "horizontal"}}]
    )
    assert result.exit_code == 0, result.output
    written = json.loads((out / "annotations.json").read_text())["annotations"][:2]
    for (_, flat), annotation in zip(OBJECTS, written, strict=True):
        expected = {(WIDTH - x, y) for x, y in zip(flat[0::2], flat[1::2], strict=True)}
        polygon = annotation["segmentation"][0]
        got = {(x, y) for x, y in zip(polygon[0::2], polygon[1::2], strict=True)}
        assert got == expected


def test_a_dropped_box_takes_its_polygon_and_run_length_masks_are_named(tmp_path: Path) -> None:
    crowd = {"id": 9, "image_id": 1, "category_id": 1, "bbox": [0, 40, 30, 8], "iscrowd": 1,
             "segmentation": {"counts": [400, 10], "size": [HEIGHT, WIDTH]}}  # fmt: skip
    source = _coco_folder(tmp_path / "in", [crowd])
    out, result = _augment(
        tmp_path, source, [{"Mirror": {"axis": "vertical"}}], "--min-area", "150"
    )
    assert result.exit_code == 0, result.output
    assert "1 run-length (RLE) segmentations are not carried; their boxes are" in result.output
    written = json.loads((out / "annotations.json").read_text())["annotations"]
    # the 100-pixel square is under --min-area: its box and polygon are dropped; the crowd
    # region keeps its box
    assert [a["category_id"] for a in written] == [2, 1] * 3
    for triangle, region in zip(written[0::2], written[1::2], strict=True):
        assert len(triangle["segmentation"]) == 1 and triangle["iscrowd"] == 0
        assert "segmentation" not in region and region["iscrowd"] == 1


def test_a_bad_polygon_is_reported_for_its_image_and_the_run_goes_on(tmp_path: Path) -> None:
    source = _coco_folder(tmp_path / "in")
    document = json.loads((source / "annotations.json").read_text())
    document["images"].append({"id": 2, "file_name": "b.png"})
    Image.fromarray(np.zeros((HEIGHT, WIDTH, 3), np.uint8)).save(source / "images" / "b.png")
    bad = [[1, 1, 6, 1, 6]]  # an x without its y
    document["annotations"].append({"id": 5, "image_id": 2, "category_id": 1,
                                    "bbox": [1, 1, 5, 5], "segmentation": bad})  # fmt: skip
    (source / "annotations.json").write_text(json.dumps(document))
    out, result = _augment(tmp_path, source, [{"Mirror": {"axis": "horizontal"}}])
    assert result.exit_code == 0, result.output
    assert "segmentation[0]: a polygon needs at least three x, y pairs" in result.output
    assert len(json.loads((out / "annotations.json").read_text())["images"]) == 3
    # a vertex far outside the image (here it would also ask for 10^11 edge pieces)
    document["annotations"][-1]["segmentation"] = [[1, 1, 6, 1, 1e12, 6]]
    (source / "annotations.json").write_text(json.dumps(document))
    (tmp_path / "again").mkdir()
    out, result = _augment(tmp_path / "again", source, [{"Mirror": {"axis": "horizontal"}}])
    assert result.exit_code == 0, result.output
    assert "segmentation[0]: vertex (1e+12, 6) lies outside the 64x48 image" in result.output


def test_clipping_keeps_the_part_inside_the_image() -> None:
    square = np.array([[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0]])
    got = settled([clip_to_rectangle(square, 20, 20)], 20, 20)
    assert len(got) == 1
    assert sorted(zip(got[0][0::2], got[0][1::2], strict=True)) == [
        (0, 0),
        (0, 10),
        (10, 0),
        (10, 10),
    ]
    assert settled([square + 100], 20, 20) == []  # wholly outside: dropped
    dense = densified([[0.0, 0.0, 20.0, 0.0, 0.0, 20.0]])[0]
    assert np.hypot(*np.diff(np.vstack([dense, dense[:1]]), axis=0).T).max() <= 4.0
    assert settled([dense], 20, 20) != [] and len(settled([dense], 20, 20)[0]) == 6


def _yolo_segments(root: Path) -> Path:
    """The two objects as a YOLO segmentation folder (normalised segment lines)."""
    coco = _coco_folder(root / "coco")
    (root / "yolo" / "labels").mkdir(parents=True)
    (root / "yolo" / "images").mkdir()
    (coco / "images" / "a.png").rename(root / "yolo" / "images" / "a.png")
    lines = []
    for category, flat in OBJECTS:
        scaled = [v / (WIDTH if k % 2 == 0 else HEIGHT) for k, v in enumerate(flat)]
        lines.append(" ".join([str(category - 1), *(f"{v:.6f}" for v in scaled)]))
    (root / "yolo" / "labels" / "a.txt").write_text("\n".join(lines) + "\n")
    (root / "yolo" / "data.yaml").write_text(yaml.safe_dump({"names": ["square", "triangle"]}))
    return root / "yolo"


@pytest.mark.parametrize("layout", ["yolo", "coco"])
def test_yolo_segment_lines_move_with_the_pixels(tmp_path: Path, layout: str) -> None:
    """Ultralytics segment lines in, moved polygons out (segment lines again, or COCO
    polygons), each covering its object's moved pixels."""
    source = _yolo_segments(tmp_path)
    config = tmp_path / "pipeline.yaml"
    config.write_text(yaml.safe_dump([{"Rotate": {"degrees": [25, 25], "border": "constant"}}]))
    out = tmp_path / "out"
    args = ["images", str(source), "-o", str(out), "--input-format", "yolo", "--layout", layout,
            "--config", str(config), "-n", "2"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    if layout == "coco":
        written = json.loads((out / "annotations.json").read_text())["annotations"]
        # a YOLO class is its position among the names: ids 0 (square) and 1 (triangle)
        polygons = [(a["image_id"] - 1, a["category_id"] + 1, a["segmentation"]) for a in written]
    else:
        polygons = []
        for index in range(2):
            for line in (out / "labels" / f"{index:07d}.txt").read_text().splitlines():
                fields = line.split()
                assert len(fields) >= 7  # written back as segment lines
                flat = [float(v) * (WIDTH if k % 2 == 0 else HEIGHT)
                        for k, v in enumerate(fields[1:])]  # fmt: skip
                polygons.append((index, int(fields[0]) + 1, [flat]))
    assert len(polygons) == 4
    for index, category, flat in polygons:
        image = np.asarray(Image.open(out / "images" / f"{index:07d}.png"))
        pixels = image[..., CHANNEL[category]] >= 128
        drawn = pycocotools_mask.decode(pycocotools_mask.frPyObjects(flat, HEIGHT, WIDTH))
        drawn = drawn.max(axis=2).astype(bool)
        assert (pixels & drawn).sum() / (pixels | drawn).sum() > 0.9


def test_a_multi_part_object_becomes_one_outline_with_zero_width_bridges() -> None:
    from augment.core.polygon_area import flat_polygons_area
    from augment.dataset.layouts.yolo import joined

    parts = [[0, 0, 4, 0, 4, 4, 0, 4], [10, 0, 14, 0, 14, 4, 10, 4], [20, 0, 24, 0, 24, 4, 20, 4]]
    outline = joined(parts)
    assert flat_polygons_area([outline]) == pytest.approx(48)  # the three squares, no more
    mask = pycocotools_mask.decode(pycocotools_mask.frPyObjects([outline], 8, 30))
    assert int(mask.sum()) == 48
