"""`synth ocr --shards`: the same crops as PNG files, in WebDataset tar shards."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from typer.testing import CliRunner

from synth.cli import app

runner = CliRunner()


def _ocr(fonts: Path, out: Path, *extra: str):
    args = ["ocr", "--fonts", fonts, "-o", out, "--charset", "aA7", "--per-class", "3",
            "--size", "20", "--seed", "2", *extra]  # fmt: skip
    return runner.invoke(app, [str(a) for a in args])


def test_ocr_shards_hold_the_same_crops_as_files(two_fonts: Path, tmp_path: Path) -> None:
    assert _ocr(two_fonts, tmp_path / "files").exit_code == 0
    result = _ocr(two_fonts, tmp_path / "shards", "--shards", "4", "--workers", "2")
    assert result.exit_code == 0, result.output
    out = tmp_path / "shards"
    tars = sorted(p.name for p in (out / "shards").iterdir())
    assert tars == ["000000.tar", "000001.tar", "000002.tar"]  # 9 crops in shards of 4
    assert not (out / "metadata.parquet").exists()
    files_rows = (tmp_path / "files" / "manifest.jsonl").read_text().splitlines()
    for line, files_line in zip(
        (out / "manifest.jsonl").read_text().splitlines(), files_rows, strict=True
    ):
        row, files_row = json.loads(line), json.loads(files_line)
        with tarfile.open(out / row["file"]) as tar:
            crop = tar.extractfile(f"{row['key']}.png").read()
            label = tar.extractfile(f"{row['key']}.txt").read().decode()
        assert crop == (tmp_path / "files" / files_row["file"]).read_bytes()
        assert label == row["label"] == files_row["label"]
        assert row["params"] == files_row["params"]


def test_ocr_refuses_another_layout_in_the_same_folder(two_fonts: Path, tmp_path: Path) -> None:
    assert _ocr(two_fonts, tmp_path / "out", "--shards", "4").exit_code == 0
    result = _ocr(two_fonts, tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.startswith("error:") and "holds shards of 4 examples" in result.output
    assert _ocr(two_fonts, tmp_path / "out", "--shards", "0").exit_code == 2  # typer: min 1
