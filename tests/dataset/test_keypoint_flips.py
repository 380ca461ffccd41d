"""A mirrored copy of a COCO person keeps its keypoint names true: the point named
left_eye lands on the eye that is the person's left in the mirrored picture (the one that
was the right eye), as an odd number of flips demands and an even number undoes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app
from augment.dataset.keypoint_names import flip_orders
from augment.images.keypoint_flips import reflections, swap_sides

NAMES = ["nose", "left_eye", "right_eye", "Left Wrist", "right wrist"]
# pixel centres of each keypoint, each painted in its own colour
POINTS = {"nose": (20, 20), "left_eye": (26, 14), "right_eye": (14, 14),
          "Left Wrist": (30, 34), "right wrist": (8, 30)}  # fmt: skip
COLOURS = {"nose": (255, 255, 255), "left_eye": (255, 0, 0), "right_eye": (0, 0, 255),
           "Left Wrist": (0, 255, 0), "right wrist": (255, 0, 255)}  # fmt: skip


def test_partners_are_found_by_name_in_any_case() -> None:
    categories = [{"id": 1, "name": "person", "keypoints": NAMES}, {"id": 2, "name": "ball"}]
    assert flip_orders(categories) == {"person": (0, 2, 1, 4, 3)}
    assert flip_orders([{"id": 1, "name": "cup", "keypoints": ["rim", "handle"]}]) == {}
    steps = {"steps": [{"Mirror": {"flip": True}}, {"Maybe": [{"Mirror": {"flip": False}}]}]}
    assert reflections(steps) == 1
    rows = [[k, 0, 2, 7] for k in range(5)] + [[9, 9, 1, 8]]
    swapped = swap_sides(rows, {7: "person"}, {"person": (0, 2, 1, 4, 3)})
    assert [row[0] for row in swapped] == [0, 2, 1, 4, 3, 9]  # box 8 is not a person


@pytest.fixture
def person(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "images").mkdir(parents=True)
    image = np.zeros((48, 40, 3), np.uint8)
    keypoints = []
    for name in NAMES:
        x, y = POINTS[name]
        image[y - 1 : y + 2, x - 1 : x + 2] = COLOURS[name]
        keypoints += [x, y, 2]
    Image.fromarray(image).save(root / "images" / "p.png")
    document = {
        "images": [{"id": 1, "file_name": "p.png", "width": 40, "height": 48}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [4, 8, 30, 30],
                         "keypoints": keypoints, "num_keypoints": 5}],
        "categories": [{"id": 1, "name": "person", "keypoints": NAMES}],
    }  # fmt: skip
    (root / "annotations.json").write_text(json.dumps(document))
    return root


@pytest.mark.parametrize(
    ("steps", "swapped"),
    [
        ([{"Mirror": {"axis": "horizontal"}}], True),
        ([{"Mirror": {"axis": "vertical"}}], True),
        ([{"Mirror": {"axis": "horizontal"}}, {"Mirror": {"axis": "vertical"}}], False),
        ([{"Rotate": {"degrees": [30, 30], "border": "constant"}}], False),
    ],
)
def test_each_named_point_lands_on_the_body_part_of_that_name(
    person: Path, tmp_path: Path, steps: list, swapped: bool
) -> None:
    config = tmp_path / "pipeline.yaml"
    config.write_text(yaml.safe_dump(steps))
    out = tmp_path / "out"
    args = ["images", str(person), "-o", str(out), "--input-format", "coco", "--layout", "coco",
            "--config", str(config)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "person: 2 left/right keypoint pairs trade places in mirrored copies" in result.output
    annotation = json.loads((out / "annotations.json").read_text())["annotations"][0]
    image = np.asarray(Image.open(out / "images" / "0000000.png").convert("RGB")).astype(int)
    partner = dict(
        zip(NAMES, ["nose", "right_eye", "left_eye", "right wrist", "Left Wrist"], strict=True)
    )
    for k, name in enumerate(NAMES):
        x, y, visibility = annotation["keypoints"][3 * k : 3 * k + 3]
        assert visibility == 2
        # the painted dot the point sits on: its own before any flip, its partner's after one
        colour = COLOURS[partner[name] if swapped else name]
        seen = image[round(y), round(x)]
        assert np.abs(seen - colour).max() < 100, (name, seen, colour)


def _yolo_pose(root: Path, person: Path) -> Path:
    """The person as a YOLO pose folder: kpt_shape [5, 3] and Ultralytics' flip_idx."""
    (root / "images").mkdir(parents=True)
    (person / "images" / "p.png").rename(root / "images" / "p.png")
    values = [19 / 40, 23 / 48, 30 / 40, 30 / 48]  # the box (4, 8, 30, 30), normalised
    for name in NAMES:
        x, y = POINTS[name]
        values += [x / 40, y / 48, 2]
    (root / "labels").mkdir()
    (root / "labels" / "p.txt").write_text("0 " + " ".join(f"{v:.6f}" for v in values) + "\n")
    data = {"names": ["person"], "kpt_shape": [5, 3], "flip_idx": [0, 2, 1, 4, 3]}
    (root / "data.yaml").write_text(yaml.safe_dump(data))
    return root


def test_a_yolo_pose_folder_round_trips_with_true_names(person: Path, tmp_path: Path) -> None:
    """Pose lines in, pose lines out (data.yaml keeps kpt_shape and flip_idx); a mirrored
    copy's keypoint k sits on the part named k, by the dataset's own flip_idx."""
    source = _yolo_pose(tmp_path / "yolo", person)
    config = tmp_path / "pipeline.yaml"
    config.write_text(yaml.safe_dump([{"Mirror": {"axis": "horizontal"}}]))
    out = tmp_path / "out"
    args = ["images", str(source), "-o", str(out), "--input-format", "yolo", "--layout", "yolo",
            "--config", str(config)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((out / "data.yaml").read_text())
    assert data["kpt_shape"] == [5, 3] and data["flip_idx"] == [0, 2, 1, 4, 3]
    fields = [float(v) for v in (out / "labels" / "0000000.txt").read_text().split()]
    assert len(fields) == 1 + 4 + 5 * 3
    image = np.asarray(Image.open(out / "images" / "0000000.png").convert("RGB")).astype(int)
    partner = dict(zip(NAMES, [NAMES[k] for k in (0, 2, 1, 4, 3)], strict=True))
    for k, name in enumerate(NAMES):
        x, y, visibility = fields[5 + 3 * k : 8 + 3 * k]
        assert visibility == 2
        seen = image[round(y * 48), round(x * 40)]
        assert np.abs(seen - COLOURS[partner[name]]).max() < 100, (name, seen)


def test_a_pose_line_of_the_wrong_length_is_reported(person: Path, tmp_path: Path) -> None:
    source = _yolo_pose(tmp_path / "yolo", person)
    (source / "labels" / "p.txt").write_text("0 0.5 0.5 0.2 0.2 0.1 0.1\n")
    out = tmp_path / "out"
    args = ["images", str(source), "-o", str(out), "--input-format", "yolo"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1  # the only input failed: nothing useful was written
    (error,) = [json.loads(line)["error"] for line in (out / "errors.jsonl").open()]
    assert error.endswith(
        "p.txt: line 1: expected a pose line of 20 values (class, box, kpt_shape [5, 3]), got 7"
    )


def test_coco_keypoints_into_the_yolo_layout_become_pose_lines(person: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["images", str(person), "-o", str(out), "--input-format", "coco", "--layout", "yolo",
            "--rotate", "5"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((out / "data.yaml").read_text())
    assert data["kpt_shape"] == [5, 3] and data["flip_idx"] == [0, 2, 1, 4, 3]
    fields = (out / "labels" / "0000000.txt").read_text().split()
    assert len(fields) == 20 and fields[7] == "2.000000"  # the nose, visible


def test_a_value_that_is_not_finite_is_reported_with_its_line(person: Path, tmp_path: Path):
    source = _yolo_pose(tmp_path / "yolo", person)
    line = (source / "labels" / "p.txt").read_text().split()
    line[7] = "nan"  # the nose's visibility
    (source / "labels" / "p.txt").write_text(" ".join(line) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["images", str(source), "-o", str(out), "--input-format",
                                      "yolo"])  # fmt: skip
    assert result.exit_code == 1
    (error,) = [json.loads(row)["error"] for row in (out / "errors.jsonl").open()]
    assert "p.txt: line 1: a value is not a finite number" in error
