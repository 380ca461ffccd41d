"""The README's box commands run as written, and examples/boxes is what its script makes."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _box_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Boxes, keypoints and masks", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.startswith("augment ")]


def test_readme_box_commands_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each command in order (the last reads what the first wrote), from a folder where
    examples/ is the repository's."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    commands = _box_commands()
    assert len(commands) == 3
    for command in commands:
        result = CliRunner().invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
    coco = json.loads((tmp_path / "boxes_coco" / "annotations.json").read_text())
    assert len(coco["images"]) == 6 and len(coco["annotations"]) == 12
    assert len(list((tmp_path / "boxes_yolo" / "labels").glob("*.txt"))) == 6
    assert len(list((tmp_path / "boxes_rows" / "unlabelled").glob("*.mask.png"))) == 6


def test_example_boxes_are_what_the_script_makes(tmp_path: Path):
    """Same files, same annotations, same pixels (PNG bytes may differ with zlib)."""
    script = ROOT / "scripts" / "make_example_boxes.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    bundled = ROOT / "examples" / "boxes"
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    for relative in made:
        ours, theirs = tmp_path / relative, bundled / relative
        if relative.suffix == ".png":
            assert np.array_equal(np.asarray(Image.open(ours)), np.asarray(Image.open(theirs)))
        else:
            assert ours.read_bytes() == theirs.read_bytes(), relative
