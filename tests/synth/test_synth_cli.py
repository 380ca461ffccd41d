"""`synth ocr` and `synth fonts`: output layout, manifest, and one-line errors."""

from __future__ import annotations

import json
import tarfile
from collections import Counter
from pathlib import Path

from synth_paths import DEJAVU
from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()


def _invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_ocr_writes_case_distinct_labels_with_boxes(two_fonts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _invoke(
        "ocr",
        "--fonts",
        two_fonts,
        "-o",
        out,
        "--charset",
        "aA7",
        "--per-class",
        "3",
        "--size",
        "20",
        "--preview",
        "6",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 9
    folders = {row["label"]: row["file"].split("/")[0] for row in rows}
    assert folders["a"] != folders["A"] and folders["a"].lower() != folders["A"].lower()
    for row in rows:
        assert (out / row["file"]).is_file()
        assert row["params"]["render"]["char"] == row["label"]
        assert row["font"] in ("DejaVuSans.ttf", "DSEG7Classic-Regular.ttf")
        if row["label"] != "7":
            assert row["font"] == "DejaVuSans.ttf"
        assert len(row["bbox"]) == 4
    assert (out / "preview.png").is_file() and (out / "metadata.parquet").is_file()


def test_fonts_lists_families_styles_and_coverage(two_fonts: Path) -> None:
    result = _invoke("fonts", two_fonts, "--charset", "digits+lower")
    assert result.exit_code == 0, result.output
    assert "DejaVu Sans" in result.output and "Book" in result.output
    assert "DSEG7 Classic" in result.output and "13/36" not in result.output
    assert "10/36" in result.output and "36/36" in result.output
    rows = [json.loads(line) for line in _invoke("fonts", two_fonts, "--json").output.splitlines()]
    dseg = next(r for r in rows if r["file"].startswith("DSEG7"))
    assert dseg["covers"] == "0123456789" and "a" in dseg["missing"]


def _one_line_error(result, needle: str) -> None:
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], lines


def test_a_corrupt_font_is_skipped_by_name_and_the_run_goes_on(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "ok.ttf").write_bytes(DEJAVU.read_bytes())
    (fonts / "Broken.ttf").write_bytes(b"garbage" * 10)
    for result in (
        _invoke(
            "ocr", "--fonts", fonts, "-o", tmp_path / "o", "--charset", "ab", "--per-class", "2"
        ),
        _invoke("fonts", fonts),
    ):
        assert result.exit_code == 0, result.output
        skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
        assert len(skipped) == 1 and "Broken.ttf" in skipped[0]
    assert len((tmp_path / "o" / "manifest.jsonl").read_text().splitlines()) == 4
    (fonts / "ok.ttf").unlink()
    _one_line_error(_invoke("ocr", "--fonts", fonts, "-o", tmp_path / "o2"), "no readable font")


def test_uncovered_character_and_bad_charset_file(two_fonts: Path, tmp_path: Path) -> None:
    _one_line_error(
        _invoke("ocr", "--fonts", two_fonts, "-o", tmp_path / "o", "--charset", "a中"), "中"
    )
    bad = tmp_path / "chars.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    _one_line_error(
        _invoke("ocr", "--fonts", two_fonts, "-o", tmp_path / "o", "--charset", f"@{bad}"),
        "chars.txt",
    )


def test_config_file_sets_render_options_and_augmentation(two_fonts: Path, tmp_path: Path) -> None:
    config = tmp_path / "synth.yaml"
    config.write_text("render:\n  p_neighbour: 0\n  min_contrast: 4\naugment: scan\n")
    out = tmp_path / "out"
    result = _invoke(
        "ocr",
        "--fonts",
        two_fonts,
        "-o",
        out,
        "--charset",
        "b",
        "--per-class",
        "2",
        "--config",
        config,
    )
    assert result.exit_code == 0, result.output
    row = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert row["params"]["render"]["left"] is None and len(row["params"]["augment"]["steps"]) == 3
    config.write_text("render:\n  p_neighbour: 2\n")
    _one_line_error(
        _invoke("ocr", "--fonts", two_fonts, "-o", tmp_path / "o2", "--config", config),
        "p_neighbour",
    )


def test_backgrounds_folder_is_used_and_checked(two_fonts: Path, tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    walls = tmp_path / "walls"
    walls.mkdir()
    Image.fromarray(np.full((40, 60, 3), 90, np.uint8)).save(walls / "wall.jpg")
    config = tmp_path / "synth.yaml"
    config.write_text("render:\n  backgrounds: {image: 1}\naugment: clean\n")
    out = tmp_path / "out"
    result = _invoke(
        "ocr",
        "--fonts",
        two_fonts,
        "-o",
        out,
        "--charset",
        "x",
        "--per-class",
        "2",
        "--backgrounds",
        walls,
        "--config",
        config,
    )
    assert result.exit_code == 0, result.output
    row = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert row["params"]["render"]["background"] == {
        "kind": "image",
        "file": "wall.jpg",
        "box": row["params"]["render"]["background"]["box"],
    }
    _one_line_error(
        _invoke(
            "ocr",
            "--fonts",
            two_fonts,
            "-o",
            tmp_path / "o2",
            "--backgrounds",
            tmp_path / "nowhere",
        ),
        "nowhere",
    )


FOCUS_YAML = """version: 1
classes:
- {label: a, weight: 1.0}
confusions:
- {label: '7', prediction: A, count: 3, weight: 1.0}
slices: []
"""


def _focus_run(fonts: Path, out: Path, focus: Path, *extra: str):
    args = ("ocr", "--fonts", fonts, "-o", out, "--charset", "aA7b", "--per-class", "10")
    return _invoke(*args, "--size", "16", "--focus", focus, *extra)


def _rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_focus_spends_the_same_budget_by_the_weights_with_a_floor(
    two_fonts: Path, tmp_path: Path
) -> None:
    focus = tmp_path / "focus.yaml"
    focus.write_text(FOCUS_YAML)
    result = _focus_run(two_fonts, tmp_path / "out", focus, "--focus-floor", "0.25")
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "out")
    assert len(rows) == 40  # what the run makes without --focus: 4 classes x 10
    reasons = Counter(row["focus_reason"] for row in rows)
    # floor 0.25 of 40 = 10 spread over 4 classes (2.5 each: two get 3), the rest 30 split
    # 0.35 : 0.4 between the class section and the confusion section -> 14 and 16
    assert reasons == {"floor": 10, "class a": 14, "confusion 7->A": 16}
    labels = Counter(row["label"] for row in rows)
    floor = Counter(row["label"] for row in rows if row["focus_reason"] == "floor")
    assert sorted(floor.values()) == [2, 2, 3, 3] and labels["b"] == floor["b"]
    assert labels["a"] == 14 + floor["a"]
    assert labels["7"] + labels["A"] == 16 + floor["7"] + floor["A"]
    confused = [row for row in rows if row["focus_reason"] == "confusion 7->A"]
    assert {row["label"] for row in confused} == {"7", "A"}


def test_focus_is_deterministic_and_a_different_focus_is_refused(
    two_fonts: Path, tmp_path: Path
) -> None:
    focus = tmp_path / "focus.yaml"
    focus.write_text(FOCUS_YAML)
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        assert _focus_run(two_fonts, out, focus).exit_code == 0
    files = [{p.relative_to(o): p.read_bytes() for p in o.rglob("*") if p.is_file()} for o in outs]
    assert files[0] == files[1] and len(files[0]) > 40
    focus.write_text(FOCUS_YAML.replace("weight: 1.0}\nconfusions", "weight: 0.5}\nconfusions"))
    result = _focus_run(two_fonts, outs[0], focus)
    assert result.exit_code != 0 and "different command" in result.output
    plain = _invoke("ocr", "--fonts", two_fonts, "-o", tmp_path / "plain", "--charset", "aA7b",
                    "--per-class", "2", "--size", "16")  # fmt: skip
    assert plain.exit_code == 0 and "focus_reason" not in _rows(tmp_path / "plain")[0]


def test_the_preview_is_never_written_into_another_runs_folder(tmp_path: Path) -> None:
    out = tmp_path / "o"
    first = _invoke("ocr", "-o", out, "--charset", "ab", "--per-class", "1", "--seed", "1")
    assert first.exit_code == 0, first.output
    again = _invoke("ocr", "-o", out, "--charset", "ab", "--per-class", "1", "--preview", "2")
    assert again.exit_code == 1 and "holds a run of a different command" in again.output
    assert not (out / "preview.png").exists()


def test_a_misspelt_render_option_gets_a_suggestion(tmp_path: Path) -> None:
    config = tmp_path / "synth.yaml"
    config.write_text("render: {p_neighbor: 0.5}\n")
    result = _invoke("ocr", "-o", tmp_path / "o", "--config", config)
    _one_line_error(result, "did you mean p_neighbour?")


def test_focus_in_shards_makes_the_same_examples_as_in_files(two_fonts: Path, tmp_path: Path):
    """--focus is a plan of tasks, so the layout must not change which examples it makes:
    the shards' members are the files layout's files, the rows the same but for where."""
    focus = tmp_path / "focus.yaml"
    focus.write_text(FOCUS_YAML)
    files, shards = tmp_path / "files", tmp_path / "shards"
    assert _focus_run(two_fonts, files, focus).exit_code == 0
    result = _focus_run(two_fonts, shards, focus, "--shards", "16", "--workers", "2")
    assert result.exit_code == 0, result.output
    file_rows, shard_rows = _rows(files), _rows(shards)
    assert len(shard_rows) == 40 and len(list((shards / "shards").glob("*.tar"))) == 3
    where = ("file", "shard", "key")
    strip = [{k: v for k, v in row.items() if k not in where} for row in file_rows]
    assert strip == [{k: v for k, v in row.items() if k not in where} for row in shard_rows]
    members = {}
    for tar in sorted((shards / "shards").glob("*.tar")):
        with tarfile.open(tar) as archive:
            for member in archive.getmembers():
                if member.name.endswith(".png"):
                    members[int(member.name.split(".")[0])] = archive.extractfile(member).read()
    assert {row["index"]: (files / row["file"]).read_bytes() for row in file_rows} == members
