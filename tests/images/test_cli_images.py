"""`augment images`: class folders or tables in, a labelled dataset out, errors on one line."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from image_helpers import letter_like
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app
from augment.dataset.hf_metadata import read_metadata

runner = CliRunner()


@pytest.fixture
def class_folders(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for label, channels in (("A", None), ("b", 3)):
        (root / label).mkdir(parents=True)
        for i in range(2):
            image = np.roll(letter_like(32, np.uint8, channels), i, axis=1)
            Image.fromarray(image).save(root / label / f"{i}.png")
    (root / "b" / "broken.png").write_bytes(b"definitely not a png")
    return root


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".png", ".jpg")
    }


def test_class_folders_to_dataset_with_one_line_errors(class_folders: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["images", str(class_folders), "-o", str(out), "--warp", "--rotate", "10"]
    result = runner.invoke(app, [*args, "--scale", "0.9:1.1", "--contrast", "0.7:1.3", "-n", "3"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 12 and {r["label"] for r in rows} == {"A", "b"}
    assert list(rows[0]["params"]["steps"][0]) == ["Rotate"]
    errors = (out / "errors.jsonl").read_text().splitlines()
    assert len(errors) == 3 and all("broken.png" in e for e in errors)
    written = _files(out)
    assert len(written) == 12
    image = np.asarray(Image.open(out / rows[0]["file"]))
    assert image.shape == (32, 32)
    assert read_metadata(out / "metadata.parquet")[0]["label"] == "A"


def test_same_seed_same_bytes_for_any_worker_count(class_folders: Path, tmp_path: Path):
    outs = []
    for name, workers in (("one", "1"), ("two", "2")):
        out = tmp_path / name
        args = ["images", str(class_folders), "-o", str(out), "--warp", "-n", "4"]
        result = runner.invoke(app, [*args, "--seed", "7", "--workers", workers])
        assert result.exit_code == 0, result.output
        outs.append(_files(out))
    assert outs[0] == outs[1] and len(outs[0]) == 16


def test_labels_csv_config_jpg_and_preview(tmp_path: Path):
    root = tmp_path / "in"
    root.mkdir()
    for i in range(3):
        Image.fromarray(letter_like(24, np.uint8, 3)).save(root / f"img{i}.png")
    (root / "labels.csv").write_text(
        "file_name,label,writer\nimg0.png,b,w1\nimg1.png,d,w2\nimg2.png,x,w3\n"
    )
    config = tmp_path / "pipe.yaml"
    config.write_text("- Mirror: {label_map: {b: d, d: b}}\n- Rotate: {degrees: 5}\n- Blur: {}\n")
    out = tmp_path / "out"
    args = ["images", str(root), "-o", str(out), "--config", str(config), "--format", "jpg"]
    result = runner.invoke(app, [*args, "-n", "2", "--preview", "2"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    # Mirror relabelled b <-> d; x is neither symmetric nor mapped, so unchanged
    assert [r["label"] for r in rows] == ["d", "d", "b", "b", "x", "x"]
    assert rows[0]["writer"] == "w1" and rows[0]["file"].endswith(".jpg")
    assert (out / "preview.png").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "1.2:0.8"], "--scale"),
        (["--format", "gif", "--warp"], "--format"),
        (["--warp", "--config", "x.yaml"], "--config or --preset replaces"),
    ],
)
def test_bad_options_fail_with_one_line(class_folders: Path, tmp_path: Path, args, message):
    result = runner.invoke(app, ["images", str(class_folders), "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_bad_config_names_the_field(class_folders: Path, tmp_path: Path):
    config = tmp_path / "bad.yaml"
    config.write_text("- Rotate: {degrees: 10, bogus: 1}\n")
    result = runner.invoke(
        app, ["images", str(class_folders), "-o", str(tmp_path / "o"), "--config", str(config)]
    )
    assert result.exit_code == 1 and "pipeline[0].Rotate.bogus" in result.output


def test_no_options_uses_the_default_pipeline(class_folders: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["images", str(class_folders), "-o", str(out)])
    assert result.exit_code == 0, result.output
    row = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert [next(iter(s)) for s in row["params"]["steps"]] == [
        "Rotate",
        "Scale",
        "GridWarp",
        "Contrast",
    ]


def test_help_has_examples_and_list_shows_image_transforms():
    result = runner.invoke(app, ["images", "--help"])
    assert result.exit_code == 0 and "Examples" in result.output and "--warp" in result.output
    listing = runner.invoke(app, ["list", "--kind", "image"])
    for name in ("GridWarp", "Mirror", "JpegCompression", "Albumentations"):
        assert name in listing.output


def test_a_chunk_makes_the_copies_one_by_one_would(class_folders: Path) -> None:
    """make_batch (sources decoded once, small images stacked) gives each copy the bytes and
    params `make` gives it alone; a corrupt source fills its places with its one-line error."""
    from augment.cli.images import build_image_pipeline
    from augment.core.seeding import example_rng
    from augment.dataset.readers import list_inputs
    from augment.images.io import IMAGE_EXTENSIONS
    from augment.images.maker import ImageExampleMaker

    pipeline = build_image_pipeline(True, 8.0, "0.9:1.1", "0.7:1.3", None)
    maker = ImageExampleMaker(pipeline)
    tasks = [
        entry | {"copy": k}
        for entry in list_inputs(class_folders, IMAGE_EXTENSIONS)
        for k in range(3)
    ]
    made = maker.make_batch(tasks, [example_rng(5, i) for i in range(len(tasks))])
    broken = [i for i, t in enumerate(tasks) if t["source"].endswith("broken.png")]
    assert len(broken) == 3
    for i, task in enumerate(tasks):
        if i in broken:
            assert isinstance(made[i], str) and "broken.png" in made[i]
            continue
        alone = maker.make(task, example_rng(5, i))
        assert made[i].data == alone.data and made[i].params == alone.params
        assert made[i].label == alone.label and made[i].columns == alone.columns


@pytest.fixture
def uneven_folders(tmp_path: Path) -> Path:
    """Class A with three images, class b with one."""
    root = tmp_path / "uneven"
    for label, count in (("A", 3), ("b", 1)):
        (root / label).mkdir(parents=True)
        for i in range(count):
            image = np.roll(letter_like(32, np.uint8, None), 3 * i, axis=0)
            Image.fromarray(image).save(root / label / f"{i}.png")
    return root


def _rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_balance_brings_classes_up_with_augmented_copies(uneven_folders: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["images", str(uneven_folders), "-o", str(out), "-n", "2", "--balance"]
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert Counter(row["label"] for row in rows) == {"A": 6, "b": 6}
    assert Counter(row["focus_reason"] for row in rows) == {"input": 8, "balance b": 4}
    assert re.search(r"^A\s+6 -> 6\s", result.output, re.M)  # the histogram, printed
    assert re.search(r"^b\s+2 -> 6\s", result.output, re.M)
    assert (out / "class_histogram.png").exists()
    extra = [row for row in rows if row["focus_reason"] == "balance b"]
    source = (uneven_folders / "b" / "0.png").read_bytes()
    made = [(out / row["file"]).read_bytes() for row in rows if row["label"] == "b"]
    assert all(row["params"] for row in extra)  # each balance copy drew its own params
    assert len({json.dumps(row["params"], sort_keys=True) for row in extra}) == 4
    assert source not in made and len(set(made)) == 6  # no plain copies, no repeats


def test_balance_to_a_target_count(uneven_folders: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["images", str(uneven_folders), "-o", str(out), "--balance", "--target-count", "5"]
    assert runner.invoke(app, args).exit_code == 0
    rows = _rows(out)
    assert Counter(row["label"] for row in rows) == {"A": 5, "b": 5}
    assert Counter(row["focus_reason"] for row in rows) == {
        "input": 4, "balance A": 2, "balance b": 4
    }  # fmt: skip


def test_focus_aims_the_copies_and_is_deterministic(uneven_folders: Path, tmp_path: Path):
    focus = tmp_path / "focus.yaml"
    focus.write_text("version: 1\nclasses: [{label: b, weight: 1.0}]\n")
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        args = ["images", str(uneven_folders), "-o", str(out), "-n", "5", "--focus", str(focus)]
        result = runner.invoke(app, [*args, "--focus-floor", "0.5"])
        assert result.exit_code == 0, result.output
    rows = _rows(outs[0])
    assert len(rows) == 20  # 4 inputs x 5 copies, as without --focus
    # floor 0.5 of 20 = 10, 5 per class; the other 10 go to class b
    assert Counter(row["focus_reason"] for row in rows) == {"floor": 10, "class b": 10}
    assert Counter(row["label"] for row in rows) == {"A": 5, "b": 15}
    assert _files(outs[0]) == _files(outs[1])
    assert (outs[0] / "manifest.jsonl").read_bytes() == (outs[1] / "manifest.jsonl").read_bytes()


def test_focus_and_balance_together_are_refused(uneven_folders: Path, tmp_path: Path):
    focus = tmp_path / "focus.yaml"
    focus.write_text("version: 1\n")
    out = tmp_path / "out"
    args = ["images", str(uneven_folders), "-o", str(out), "--focus", str(focus), "--balance"]
    result = runner.invoke(app, args)
    assert result.exit_code != 0 and "not both" in result.output
    assert not out.exists()
    bad = runner.invoke(app, ["images", str(uneven_folders), "-o", str(out), "--focus", "nope"])
    assert bad.exit_code != 0 and "nope" in bad.output and len(bad.output.splitlines()) == 1


def test_a_run_in_which_every_example_failed_exits_non_zero(tmp_path: Path):
    root = tmp_path / "in" / "a"
    root.mkdir(parents=True)
    for i in range(2):
        (root / f"{i}.png").write_bytes(b"not a png")
    result = runner.invoke(app, ["images", str(tmp_path / "in"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "every example failed, nothing was written" in result.stderr.splitlines()[-1]


def test_a_bbox_column_is_not_copied_unchanged_into_moved_copies(tmp_path: Path):
    root = tmp_path / "in"
    root.mkdir()
    Image.fromarray(letter_like(24, np.uint8)).save(root / "x.png")
    (root / "labels.csv").write_text('file_name,label,bbox,writer\nx.png,a,"[2, 2, 10, 10]",w\n')
    moved = runner.invoke(app, ["images", str(root), "-o", str(tmp_path / "o"), "--rotate", "9"])
    assert moved.exit_code == 0 and "note: column bbox" in moved.stderr
    row = json.loads((tmp_path / "o" / "manifest.jsonl").read_text().splitlines()[0])
    assert "bbox" not in row and row["writer"] == "w"
    colour = tmp_path / "colour.yaml"
    colour.write_text("- Contrast: {}\n")
    args = ["images", str(root), "-o", str(tmp_path / "c"), "--config", str(colour)]
    assert runner.invoke(app, args).exit_code == 0
    row = json.loads((tmp_path / "c" / "manifest.jsonl").read_text().splitlines()[0])
    assert row["bbox"] == "[2, 2, 10, 10]"  # colour only: positions stay true


def test_params_are_always_a_list_of_steps(class_folders: Path, tmp_path: Path):
    result = runner.invoke(app, ["images", str(class_folders), "-o", str(tmp_path / "o"),
                                 "--rotate", "5"])  # fmt: skip
    assert result.exit_code == 0, result.output
    row = json.loads((tmp_path / "o" / "manifest.jsonl").read_text().splitlines()[0])
    assert list(row["params"]) == ["steps"] and list(row["params"]["steps"][0]) == ["Rotate"]


@pytest.mark.parametrize(("fmt", "suffix"), [("webp", ".webp"), ("jpeg", ".jpg")])
def test_webp_and_jpeg_output(class_folders: Path, tmp_path: Path, fmt: str, suffix: str):
    from augment.images.io import read_image

    out = tmp_path / fmt
    webp = runner.invoke(app, ["images", str(class_folders), "-o", str(out), "--format", fmt])
    assert webp.exit_code == 0, webp.output
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert all(r["file"].endswith(suffix) for r in rows)
    png = tmp_path / "png"
    assert runner.invoke(app, ["images", str(class_folders), "-o", str(png)]).exit_code == 0
    first = json.loads((png / "manifest.jsonl").read_text().splitlines()[0])["file"]
    if fmt == "webp":  # lossless: the same pixels as the PNG copy (WebP stores grey as RGB)
        webp_pixels, png_pixels = read_image(out / rows[0]["file"]), read_image(png / first)
        if webp_pixels.ndim == 3 and png_pixels.ndim == 2:
            assert (webp_pixels == webp_pixels[:, :, :1]).all()
            webp_pixels = webp_pixels[:, :, 0]
        assert (webp_pixels == png_pixels).all()


def test_preset_photo_chars_runs_and_refuses_flags_beside_it(
    class_folders: Path, tmp_path: Path
) -> None:
    """--preset is used whole: the same bytes twice, sizes kept; a flag or --config beside
    it is refused with one line, and an unknown name lists the known ones."""
    outs = []
    for name in ("p1", "p2"):
        args = ["images", str(class_folders), "-o", str(tmp_path / name), "-n", "3"]
        result = runner.invoke(app, [*args, "--preset", "photo-chars", "--seed", "4"])
        assert result.exit_code == 0, result.output
        outs.append(_files(tmp_path / name))
    assert outs[0] == outs[1] and len(outs[0]) == 12
    rows = [json.loads(r) for r in (tmp_path / "p1" / "manifest.jsonl").read_text().splitlines()]
    assert all(len(r["params"]["steps"]) == 11 for r in rows)
    assert {Image.open(tmp_path / "p1" / r["file"]).size for r in rows} == {(32, 32)}
    base = ["images", str(class_folders), "-o", str(tmp_path / "bad"), "--preset"]
    for extra in (["photo-chars", "--rotate", "5"], ["photo-chars", "--config", "x.yaml"]):
        result = runner.invoke(app, [*base, *extra])
        assert result.exit_code == 1 and "replaces --warp/--rotate" in result.output
    result = runner.invoke(app, [*base, "nope"])
    assert result.exit_code == 1 and "unknown preset 'nope'" in result.output
    assert "photo-chars" in runner.invoke(app, ["images", "--help"]).output
    listing = runner.invoke(app, ["list", "--kind", "image"]).output
    assert "photo-chars [image preset]: the recommended start" in listing
    assert "robust-speech" not in listing
    assert "robust-speech [audio preset]" in runner.invoke(app, ["list"]).output
