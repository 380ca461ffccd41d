"""`augment images` with boxes: COCO and YOLO folders in and out, boxes checked against the
moved pixels, dropped boxes taking their labels along, bad inputs on one line, same bytes."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app
from augment.dataset.hf_metadata import read_metadata
from augment.dataset.yolo_input import read_yolo
from augment.images.io import IMAGE_EXTENSIONS

runner = CliRunner()
SIZE = (48, 40)  # width, height of the hand-made images
# (x, y, w, h, grey value) of the filled rectangles in each image; value v is category v // 100
RECTANGLES = [
    [(5, 8, 10, 6, 100), (28, 20, 12, 14, 200)],
    [(20, 3, 7, 12, 200)],
    [(2, 25, 30, 9, 100)],
]
CATEGORIES = [{"id": 1, "name": "dim", "supercategory": "grey"}, {"id": 2, "name": "bright"}]


def _draw(rectangles: list[tuple[int, ...]]) -> np.ndarray:
    image = np.zeros(SIZE[::-1], np.uint8)
    for x, y, w, h, value in rectangles:
        image[y : y + h, x : x + w] = value
    return image


@pytest.fixture
def coco_in(tmp_path: Path) -> Path:
    """Three images of filled rectangles, each rectangle boxed in annotations.json."""
    root = tmp_path / "coco"
    (root / "images").mkdir(parents=True)
    images, annotations = [], []
    for i, rectangles in enumerate(RECTANGLES):
        Image.fromarray(_draw(rectangles)).save(root / "images" / f"im{i}.png")
        images.append({"id": 100 + i, "file_name": f"im{i}.png", "width": 48, "height": 40})
        for x, y, w, h, value in rectangles:
            annotations.append({"id": len(annotations) + 7, "image_id": 100 + i,
                                "category_id": value // 100, "bbox": [x, y, w, h],
                                "area": w * h, "iscrowd": 0})  # fmt: skip
    document = {"images": images, "annotations": annotations, "categories": CATEGORIES}
    (root / "annotations.json").write_text(json.dumps(document))
    return root


def _config(tmp_path: Path, steps: list) -> str:
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(steps))
    return str(path)


def _run(*args: str) -> None:
    result = runner.invoke(app, ["images", *args])
    assert result.exit_code == 0, result.output


def _pixel_box(image: np.ndarray, value: int) -> np.ndarray:
    """x0, y0, x1, y1 (pixel edges) around the pixels closer to `value` than to the rest."""
    ys, xs = np.nonzero(np.abs(image.astype(int) - value) < 50)
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], float)


@pytest.mark.parametrize(
    "step",
    [
        {"Rotate": {"degrees": [90, 90], "border": "constant"}},
        {"Mirror": {"axis": "horizontal"}},
        {"Rotate": {"degrees": [20, 20], "border": "constant"}},
    ],
)
def test_coco_boxes_bound_the_moved_rectangles(coco_in: Path, tmp_path: Path, step: dict):
    """Each written box still bounds its rectangle's pixels within 1 px, checked through
    pycocotools reading our annotations.json."""
    coco_module = pytest.importorskip("pycocotools.coco")  # a dev extra
    out = tmp_path / "out"
    config = _config(tmp_path, [step])
    _run(str(coco_in), "-o", str(out), "--input-format", "coco", "--layout", "coco",
         "--config", config)  # fmt: skip
    coco = coco_module.COCO(str(out / "annotations.json"))
    assert coco.loadCats(coco.getCatIds()) == CATEGORIES
    assert len(coco.getAnnIds()) == 4 and sorted(coco.getImgIds()) == [1, 2, 3]
    for image_id in coco.getImgIds():
        info = coco.loadImgs(image_id)[0]
        image = np.asarray(Image.open(out / "images" / info["file_name"]))
        annotations = coco.loadAnns(coco.getAnnIds(imgIds=image_id))
        tilted = "Rotate" in step and step["Rotate"]["degrees"][0] == 20
        if tilted and len(annotations) > 1:
            continue  # tilted edges of one rectangle blend into the other's grey value
        for annotation in annotations:
            x, y, w, h = annotation["bbox"]
            expected = _pixel_box(image, annotation["category_id"] * 100)
            if tilted:
                # a tilted rectangle's box bounds its corners: it holds the pixels, with
                # at most 1 px (interpolated edges) on each side beyond them
                assert np.all(np.array([x, y]) <= expected[:2] + 1)
                assert np.all(np.array([x + w, y + h]) >= expected[2:] - 1)
            else:
                assert np.allclose([x, y, x + w, y + h], expected, atol=1), (step, annotation)


def test_yolo_folder_round_trip(tmp_path: Path):
    """YOLO in, YOLO out: a colour-only pipeline keeps every line; a mirror moves each box
    to where the mirrored pixels are, and the written folder reads back as YOLO."""
    root = tmp_path / "yolo"
    (root / "images" / "train").mkdir(parents=True)
    (root / "labels" / "train").mkdir(parents=True)
    yolo_lines = []
    for i, rectangles in enumerate(RECTANGLES):
        Image.fromarray(_draw(rectangles)).save(root / "images" / "train" / f"im{i}.png")
        lines = [f"{v // 100 - 1} {(x + w / 2) / 48:.6f} {(y + h / 2) / 40:.6f} "
                 f"{w / 48:.6f} {h / 40:.6f}\n" for x, y, w, h, v in rectangles]  # fmt: skip
        (root / "labels" / "train" / f"im{i}.txt").write_text("".join(lines))
        yolo_lines.append(lines)
    (root / "data.yaml").write_text("names: {0: dim, 1: bright}\ntrain: images/train\n")
    same = tmp_path / "same"
    _run(str(root), "-o", str(same), "--input-format", "yolo", "--layout", "yolo",
         "--contrast", "0.8:1.2")  # fmt: skip
    for i, lines in enumerate(yolo_lines):
        assert (same / "labels" / f"{i:07d}.txt").read_text() == "".join(lines)
    assert yaml.safe_load((same / "data.yaml").read_text())["names"] == {0: "dim", 1: "bright"}
    flipped = tmp_path / "flipped"
    config = _config(tmp_path, [{"Mirror": {"axis": "horizontal"}}])
    _run(str(root), "-o", str(flipped), "--input-format", "yolo", "--layout", "yolo",
         "--config", config)  # fmt: skip
    back = read_yolo(flipped, IMAGE_EXTENSIONS)
    assert [c["name"] for c in back.categories] == ["dim", "bright"]
    for entry in back.entries:
        image = np.asarray(Image.open(entry["source"]))
        columns = entry["columns"]
        for (cx, cy, w, h), name in zip(columns["bboxes"], columns["category"], strict=True):
            box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]) * [48, 40, 48, 40]
            value = 100 if name == "dim" else 200
            assert np.allclose(box, _pixel_box(image, value), atol=1)


def _metadata_folder(tmp_path: Path, rows: list[dict], masks: bool = False) -> Path:
    root = tmp_path / "rows"
    root.mkdir()
    lines = []
    for i, rectangles in enumerate(RECTANGLES):
        image = _draw(rectangles)
        Image.fromarray(image).save(root / f"im{i}.png")
        row = {"file_name": f"im{i}.png", **rows[i]}
        if masks:
            Image.fromarray((image // 100).astype(np.uint8)).save(root / f"im{i}_mask.png")
            row["mask"] = f"im{i}_mask.png"
        lines.append(json.dumps(row) + "\n")
    (root / "metadata.jsonl").write_text("".join(lines))
    return root


def test_boxes_leaving_the_image_are_dropped_with_their_labels(tmp_path: Path):
    """Scaled 2x about the centre, boxes near the edges leave the frame in part: under
    --min-visibility they go, and so do their entries in every per-box column; --min-area
    then drops the small survivors. Visible parts: image 0 0.2 and 0.48, image 1 0.42,
    image 2 0.37; areas after: 320, 140 and 400 pixels."""
    rows = [{"bboxes": [[x, y, x + w, y + h] for x, y, w, h, _ in r],
             "category": [f"c{v}" for *_, v in r], "class_labels": [i for i, _ in enumerate(r)]}
            for r in RECTANGLES]  # fmt: skip
    root = _metadata_folder(tmp_path, rows)
    config = _config(tmp_path, [{"Scale": {"factor": [2, 2], "border": "constant"}}])
    counts = {}
    for name, options in (("all", []), ("visible", ["--min-visibility", "0.3"]),
                          ("large", ["--min-visibility", "0.3", "--min-area", "200"])):  # fmt: skip
        out = tmp_path / name
        _run(str(root), "-o", str(out), "--bbox-format", "pascal_voc", "--config", config,
             *options)  # fmt: skip
        rows_out = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
        for row in rows_out:
            assert len(row["category"]) == len(row["class_labels"]) == len(row["bboxes"])
        counts[name] = [len(row["bboxes"]) for row in rows_out]
        if name == "visible":
            assert rows_out[0]["category"] == ["c200"] and rows_out[0]["class_labels"] == [1]
    assert counts == {"all": [2, 1, 1], "visible": [1, 1, 1], "large": [1, 0, 1]}


def test_keypoints_and_mask_files_move_with_the_pixels(tmp_path: Path):
    """A mirror moves keypoints to W - 1 - x and writes the mirrored mask beside the image;
    the mask's class ids are never blended (nearest neighbour)."""
    rows = [{"bboxes": [[x, y, w, h] for x, y, w, h, _ in r], "category": [v for *_, v in r],
             "keypoints": [[x, y, 2] for x, y, *_ in r]} for r in RECTANGLES]  # fmt: skip
    root = _metadata_folder(tmp_path, rows, masks=True)
    out = tmp_path / "out"
    config = _config(tmp_path, [{"Mirror": {"axis": "horizontal"}}])
    _run(str(root), "-o", str(out), "--bbox-format", "coco", "--config", config)
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    for i, row in enumerate(manifest):
        assert row["keypoints"] == [[47 - x, y, 2] for x, y, *_ in RECTANGLES[i]]
        assert row["mask"] == f"unlabelled/{i:07d}.mask.png"
        mask = np.asarray(Image.open(out / row["mask"]))
        expected = np.asarray(Image.open(root / f"im{i}_mask.png"))[:, ::-1]
        assert np.array_equal(mask, expected)
        boxes = [[48 - x - w, y, w, h] for x, y, w, h, _ in RECTANGLES[i]]
        assert np.allclose(row["bboxes"], boxes)
    metadata = read_metadata(out / "metadata.parquet")
    assert metadata[0]["mask"] == "unlabelled/0000000.mask.png"
    assert metadata[0]["bboxes"] == manifest[0]["bboxes"]


def test_coco_layout_puts_masks_apart_from_images(coco_in: Path, tmp_path: Path):
    """In the COCO and YOLO layouts masks go to masks/, never among images/ (which YOLO
    readers take for images)."""
    rows = [{"bboxes": [[x, y, w, h] for x, y, w, h, _ in r], "category": [v for *_, v in r]}
            for r in RECTANGLES]  # fmt: skip
    root = _metadata_folder(tmp_path, rows, masks=True)
    out = tmp_path / "out"
    _run(str(root), "-o", str(out), "--bbox-format", "coco", "--layout", "yolo", "--rotate", "5")
    assert sorted(p.name for p in (out / "masks").iterdir()) == [f"{i:07d}.png" for i in range(3)]
    assert all(p.suffix == ".png" for p in (out / "images").iterdir())
    assert len(list((out / "images").iterdir())) == 3


def test_same_command_same_bytes(coco_in: Path, tmp_path: Path):
    """Every file two runs write (images, annotations.json, metadata) is byte-identical,
    with 1 or 2 workers."""
    written = []
    for name, workers in (("a", "1"), ("b", "2")):
        out = tmp_path / name
        _run(str(coco_in), "-o", str(out), "--input-format", "coco", "--layout", "coco",
             "--rotate", "15", "--scale", "0.8:1.2", "-n", "3", "--workers", workers)  # fmt: skip
        files = sorted(p for p in out.rglob("*") if p.is_file())
        written.append({str(p.relative_to(out)): p.read_bytes() for p in files})
    assert written[0] == written[1]
    assert len(json.loads(written[0]["annotations.json"])["images"]) == 9


def _fails(*args: str) -> str:
    result = runner.invoke(app, ["images", *args])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_bad_coco_json_is_refused_on_one_line(coco_in: Path, tmp_path: Path):
    (coco_in / "annotations.json").write_text('{"images": [}')
    line = _fails(str(coco_in), "-o", str(tmp_path / "out"), "--input-format", "coco")
    assert "annotations.json: not JSON" in line
    annotation = {"image_id": 2, "category_id": 1, "bbox": [0, 0, 1, 1]}
    images = [{"id": 1, "file_name": "images/im0.png"}]
    document = {"images": images, "categories": [], "annotations": [annotation]}
    (coco_in / "annotations.json").write_text(json.dumps(document))
    line = _fails(str(coco_in), "-o", str(tmp_path / "out"), "--input-format", "coco")
    assert "annotations.json: annotations[0]: image_id 2 names no image" in line
    assert not (tmp_path / "out").exists()


def test_box_outside_the_image_is_reported_and_the_run_goes_on(tmp_path: Path):
    rows = [{"bboxes": [[x, y, w, h] for x, y, w, h, _ in r], "category": [v for *_, v in r]}
            for r in RECTANGLES]  # fmt: skip
    rows[1]["bboxes"][0] = [40, 3, 20, 12]  # x + w = 60 > 48
    root = _metadata_folder(tmp_path, rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["images", str(root), "-o", str(out), "--bbox-format", "coco"])
    assert result.exit_code == 0, result.output
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert len(errors) == 1 and errors[0]["index"] == 1
    assert errors[0]["error"].endswith(
        "im1.png: bboxes[0] coco box [40.0, 3.0, 20.0, 12.0] lies outside the 48x40 image"
    )
    assert len((out / "manifest.jsonl").read_text().splitlines()) == 2


def test_yolo_label_file_without_image_and_bad_lines_are_reported(tmp_path: Path):
    root = tmp_path / "yolo"
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    for i in range(2):
        Image.fromarray(_draw(RECTANGLES[i])).save(root / "images" / f"im{i}.png")
    (root / "labels" / "im0.txt").write_text("0 0.5 0.5 0.2 0.2\n")
    (root / "labels" / "im1.txt").write_text("0 0.5 0.5\n")
    (root / "labels" / "ghost.txt").write_text("0 0.5 0.5 0.2 0.2\n")
    Image.fromarray(_draw(RECTANGLES[2])).save(root / "images" / "im2.png")
    (root / "labels" / "im2.txt").write_text("0 0.1 0.1 0.5 0.1 1.5 0.5\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["images", str(root), "-o", str(out), "--input-format", "yolo"])
    assert result.exit_code == 0, result.output
    errors = [json.loads(line)["error"] for line in (out / "errors.jsonl").read_text().splitlines()]
    assert errors[0].endswith(
        "labels/im1.txt: line 1: expected 'class cx cy w h' or 'class x1 y1 x2 y2 x3 y3 ...', "
        "got 3 values"
    )
    segment = "line 1: a segment's x, y must be normalised to [0, 1]"
    assert errors[1].endswith(f"labels/im2.txt: {segment}")
    assert errors[2].endswith(
        "labels/ghost.txt: names no image (no file of that name under images/)"
    )
    assert len((out / "manifest.jsonl").read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bbox-format", "xywh"], "--bbox-format: expected one of coco, yolo, pascal_voc"),
        (["--layout", "coco"], "--bbox-format: needed to read the rows' boxes"),
        (["--min-area", "4"], "--bbox-format: needed to read the rows' boxes"),
        (["--input-format", "yolo", "--bbox-format", "coco"], "a yolo input's boxes are yolo"),
        (["--layout", "yolo", "--bbox-format", "coco", "--shards", "10"], "--shards writes"),
        (["--coco-json", "x.json"], "--coco-json needs --input-format coco"),
    ],
)
def test_conflicting_box_options_fail_on_one_line(tmp_path: Path, args: list[str], message: str):
    root = _metadata_folder(tmp_path, [{} for _ in RECTANGLES])
    assert message in _fails(str(root), "-o", str(tmp_path / "out"), *args)


def test_coco_and_yolo_layouts_need_a_class_per_box(tmp_path: Path):
    rows = [{"bboxes": [[x, y, w, h] for x, y, w, h, _ in r]} for r in RECTANGLES]
    root = _metadata_folder(tmp_path, rows)
    out = tmp_path / "out"
    line = _fails(str(root), "-o", str(out), "--bbox-format", "coco", "--layout", "coco")
    assert line.endswith(
        "im0.png: --layout coco needs a class per box (a category column beside bboxes)"
    )
    assert not out.exists()


def test_hostile_names_in_a_coco_file_are_reported_per_image(coco_in: Path, tmp_path: Path):
    """A file_name with a NUL, one leaving IN and a missing file: each image reported on one
    line naming it, the good images written."""
    document = json.loads((coco_in / "annotations.json").read_text())
    document["images"][0]["file_name"] = "im\0.png"
    document["images"][1]["file_name"] = "../../etc/passwd"
    document["images"].append({"id": 7, "file_name": "gone.png"})
    (coco_in / "annotations.json").write_text(json.dumps(document))
    out = tmp_path / "out"
    result = runner.invoke(app, ["images", str(coco_in), "-o", str(out), "--input-format", "coco"])
    assert result.exit_code == 0, result.output
    errors = [json.loads(line)["error"] for line in (out / "errors.jsonl").read_text().splitlines()]
    assert "holds a NUL character" in errors[0]
    assert "points outside" in errors[1]
    assert "no such image (file_name 'gone.png'" in errors[2]
    assert len((out / "manifest.jsonl").read_text().splitlines()) == 1


def test_shards_hold_each_moved_mask_as_a_member(tmp_path: Path):
    """With --shards a mask is the member `KEY.mask.png` beside `KEY.png`, named by the
    record's mask column, with the same pixels as the files layout writes."""
    rows = [{"bboxes": [[x, y, w, h] for x, y, w, h, _ in r], "category": [v for *_, v in r]}
            for r in RECTANGLES]  # fmt: skip
    root = _metadata_folder(tmp_path, rows, masks=True)
    common = [str(root), "--bbox-format", "coco", "--rotate", "10"]
    _run(*common, "-o", str(tmp_path / "files"))
    _run(*common, "-o", str(tmp_path / "shards"), "--shards", "2")
    with tarfile.open(tmp_path / "shards" / "shards" / "000000.tar") as tar:
        names = tar.getnames()
        assert names[:3] == ["0000000.png", "0000000.json", "0000000.mask.png"]
        record = json.loads(tar.extractfile("0000001.json").read())  # type: ignore[union-attr]
        assert record["mask"] == "0000001.mask.png"
        member = Image.open(tar.extractfile("0000001.mask.png"))  # type: ignore[arg-type]
        written = Image.open(tmp_path / "files" / "unlabelled" / "0000001.mask.png")
        assert np.array_equal(np.asarray(member), np.asarray(written))


def test_imagefolder_loads_the_box_rows_and_not_the_masks_as_images(tmp_path: Path):
    datasets = pytest.importorskip("datasets")
    rows = [{"bboxes": [[x, y, w, h] for x, y, w, h, _ in r], "category": [v for *_, v in r]}
            for r in RECTANGLES]  # fmt: skip
    root = _metadata_folder(tmp_path, rows, masks=True)
    out = tmp_path / "out"
    _run(str(root), "-o", str(out), "--bbox-format", "coco", "--rotate", "5")
    loaded = datasets.load_dataset("imagefolder", data_dir=str(out), split="train")
    assert len(loaded) == 3
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert loaded["bboxes"] == [row["bboxes"] for row in manifest]
    assert loaded["mask"] == [f"unlabelled/{i:07d}.mask.png" for i in range(3)]


def test_coco_keypoints_stay_with_their_box(coco_in: Path, tmp_path: Path):
    """COCO keypoints move with the pixels and come back on their own box's annotation; a
    box that is dropped takes its keypoints along, and a point moved out of the image or
    never labelled is written (0, 0, 0)."""
    document = json.loads((coco_in / "annotations.json").read_text())
    for annotation in document["annotations"]:
        x, y, w, h = annotation["bbox"]
        annotation["keypoints"] = [x + 1, y + 1, 2, x + w - 1, y + h - 1, 1, 0, 0, 0]
        annotation["num_keypoints"] = 2
    (coco_in / "annotations.json").write_text(json.dumps(document))
    mirrored = tmp_path / "mirrored"
    config = _config(tmp_path, [{"Mirror": {"axis": "horizontal"}}])
    _run(str(coco_in), "-o", str(mirrored), "--input-format", "coco", "--layout", "coco",
         "--config", config)  # fmt: skip
    written = json.loads((mirrored / "annotations.json").read_text())["annotations"]
    for before, after in zip(document["annotations"], written, strict=True):
        x, y, w, h = before["bbox"]
        assert after["keypoints"] == [47 - x - 1, y + 1, 2, 47 - x - w + 1, y + h - 1, 1, 0, 0, 0]
        assert after["num_keypoints"] == 2
    scaled = tmp_path / "scaled"
    config = _config(tmp_path, [{"Scale": {"factor": [2, 2], "border": "constant"}}])
    _run(str(coco_in), "-o", str(scaled), "--input-format", "coco", "--layout", "coco",
         "--config", config, "--min-visibility", "0.3")  # fmt: skip
    coco = pytest.importorskip("pycocotools.coco").COCO(str(scaled / "annotations.json"))
    first = coco.loadAnns(coco.getAnnIds(imgIds=1))
    assert len(first) == 1 and first[0]["category_id"] == 2  # the dim box of image 0 left
    # the bright box (28, 20, 12, 14) doubled about (23.5, 19.5): its far corner leaves
    assert first[0]["keypoints"][:3] == [34.5, 22.5, 2]  # (29, 21) -> 2 * (29, 21) - (23.5, 19.5)
    assert first[0]["keypoints"][3:] == [0, 0, 0, 0, 0, 0] and first[0]["num_keypoints"] == 1


@pytest.mark.parametrize("layout", ["coco", "yolo"])
def test_box_layouts_made_in_parts_write_the_bytes_of_one_run(
    coco_in: Path, tmp_path: Path, layout: str
):
    """--shard I/N with --layout coco|yolo: the last part derives annotations.json (or
    labels/ and data.yaml) from the merged manifest, as one run does."""
    args = ["--input-format", "coco", "--layout", layout, "--rotate", "20", "-n", "3"]
    one, parts = tmp_path / "one", tmp_path / "parts"
    _run(str(coco_in), "-o", str(one), *args)
    for part in ("1/3", "0/3", "2/3"):
        _run(str(coco_in), "-o", str(parts), *args, "--shard", part)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    held, made = files(one), files(parts)
    names = {"annotations.json"} if layout == "coco" else {"data.yaml", "labels/0000008.txt"}
    assert names <= set(held)
    skip = {".augsynth.lock"}
    assert {k: v for k, v in held.items() if k not in skip} == {
        k: v for k, v in made.items() if k not in skip
    }
    assert read_metadata(one / "metadata.parquet") == read_metadata(parts / "metadata.parquet")
