"""`augment merge OUT` joins finished parts into the bytes of one run, and refuses on one
line when a part is missing or there is nothing to merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from toys import NoiseImageMaker
from typer.testing import CliRunner

import augment.dataset.writer as writer
from augment.cli.main import app
from augment.dataset.parts import Part
from augment.dataset.writer import Run, write_dataset

TASKS = [{"label": "ab"[i % 2], "source": f"in/{i}.png"} for i in range(30)]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _part(out: Path, part: Part | None) -> None:
    write_dataset(out, TASKS, NoiseImageMaker(), run=Run({"name": "merge-toy"}, 1, 1, part))


def test_merge_joins_finished_parts_and_names_a_missing_one(tmp_path, monkeypatch) -> None:
    runner = CliRunner()
    _part(tmp_path / "one", None)
    out = tmp_path / "parts"
    monkeypatch.setattr(writer, "merge_parts", lambda out_dir, required: False)  # merge cut
    _part(out, Part(0, 3))
    _part(out, Part(2, 3))
    result = runner.invoke(app, ["merge", str(out)])
    assert result.exit_code == 1
    assert "1 of 3 parts have not finished (first: 1/3)" in result.output
    _part(out, Part(1, 3))
    assert (out / "parts").is_dir()
    result = runner.invoke(app, ["merge", str(out)])
    assert result.exit_code == 0, result.output
    assert _tree(out) == _tree(tmp_path / "one")
    result = runner.invoke(app, ["merge", str(out)])
    assert result.exit_code == 1 and "no parts to merge" in result.output


@pytest.mark.parametrize("name", ["missing"])
def test_merge_of_a_missing_folder_is_refused(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(app, ["merge", str(tmp_path / name)])
    assert result.exit_code == 1 and "no such folder" in result.output
    assert not (tmp_path / name).exists()
