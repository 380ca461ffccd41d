"""OUT is taken for one run: a second run into it is refused, links inside it are refused,
and cleanup touches only the tool's own temporaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from toys import NoiseImageMaker

from augment.core.errors import AugsynthError
from augment.dataset.atomic import remove_stale_temporaries, temporary_sibling
from augment.dataset.out_folder import LOCK_NAME, claim_folder
from augment.dataset.writer import Run, write_dataset

TASKS = [{"label": "ab"[i % 2], "source": f"in/{i}.png"} for i in range(4)]


def test_a_second_run_into_a_folder_being_written_is_refused(tmp_path: Path):
    out = tmp_path / "out"
    with claim_folder(out), pytest.raises(AugsynthError, match="another run is writing"):
        write_dataset(out, TASKS, NoiseImageMaker(), run=Run({"name": "toy"}, 0))
    summary = write_dataset(out, TASKS, NoiseImageMaker(), run=Run({"name": "toy"}, 0))
    assert summary.written == 4 and not (out / LOCK_NAME).exists()


def test_a_link_inside_out_is_refused_before_anything_is_written(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "0").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(AugsynthError, match="is a symbolic link"):
        write_dataset(out, TASKS, NoiseImageMaker(), run=Run({"name": "toy"}, 0))
    assert sorted(p.name for p in out.iterdir()) == ["0"]
    assert not any((tmp_path / "elsewhere").iterdir())


def test_cleanup_removes_only_the_tools_own_temporaries(tmp_path: Path):
    ours = temporary_sibling(tmp_path / "a" / "0000001.png")
    ours.parent.mkdir()
    ours.write_bytes(b"half")
    users = tmp_path / ".notes.tmp-keep"
    users.write_text("mine")
    assert remove_stale_temporaries(tmp_path) == 1
    assert users.read_text() == "mine" and not ours.exists()
