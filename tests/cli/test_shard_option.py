"""`--shard I/N` on `augment images` and `augment audio`: the parts write the bytes of one
run, preview included (part 0 writes it), and a bad I/N is one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from augment.assets import asset_dir
from augment.cli.main import app


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _images(folder: Path) -> Path:
    rng = np.random.default_rng(3)
    for i in range(5):
        path = folder / "xy"[i % 2] / f"{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (20, 20, 3), dtype=np.uint8)).save(path)
    return folder


@pytest.mark.parametrize("command", ["images", "audio"])
def test_parts_of_a_copies_command_write_the_bytes_of_one_run(tmp_path: Path, command) -> None:
    inputs = _images(tmp_path / "in") if command == "images" else asset_dir("examples") / "speech"
    options = ["-n", "3"] if command == "images" else ["-n", "1", "--phone"]
    argv = [command, str(inputs), *options, "--seed", "2", "--workers", "1", "--preview", "2"]
    runner = CliRunner()
    result = runner.invoke(app, [*argv, "-o", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    for number in (1, 0, 2):
        shard = ["--shard", f"{number}/3", "-o", str(tmp_path / "parts")]
        result = runner.invoke(app, [*argv, *shard])
        assert result.exit_code == 0, result.output
    assert "merged them" in result.output
    assert _tree(tmp_path / "parts") == _tree(tmp_path / "one")


def test_a_bad_shard_option_is_one_line(tmp_path: Path) -> None:
    argv = ["images", str(_images(tmp_path / "in")), "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [*argv, "--shard", "2of3"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: --shard: expected I/N (part I of N, from 0), got '2of3'"
    assert not (tmp_path / "out").exists()
