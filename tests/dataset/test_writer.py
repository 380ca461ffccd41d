"""The dataset writer: manifest, determinism across workers, resume after a kill, bad inputs."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from toys import NoiseImageMaker

from augment.core.errors import AugsynthError, ConfigError
from augment.dataset.hf_metadata import read_metadata
from augment.dataset.layouts import FilesLayout, ShardsLayout
from augment.dataset.manifest import dumps_row
from augment.dataset.run_record import tasks_digest
from augment.dataset.writer import Progress, Run, write_dataset

LABELS = ["a", "A", "b", "/", ".."]
TASKS = [{"label": LABELS[i % len(LABELS)], "source": f"in/{i}.png"} for i in range(60)]
COMMAND = {"name": "toy", "options": {}}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _rows(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "manifest.jsonl").read_text().splitlines()]


def test_manifest_lists_every_file_with_its_provenance(tmp_path: Path) -> None:
    summary = write_dataset(tmp_path, TASKS, NoiseImageMaker(), run=Run(COMMAND, 5))
    assert summary.written == len(TASKS)
    rows = _rows(tmp_path)
    assert [r["index"] for r in rows] == list(range(len(TASKS)))
    images = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.png")}
    assert {r["file"] for r in rows} == images
    for row, task in zip(rows, TASKS, strict=True):
        assert row["label"] == task["label"] and row["source_file"] == task["source"]
        assert row["seed"] == 5 and "mean" in row["params"]
        assert (tmp_path / row["file"]).resolve().is_relative_to(tmp_path.resolve())
    assert len({Path(r["file"]).parent for r in rows}) == len(LABELS)


def test_same_seed_gives_identical_bytes_for_any_worker_count(tmp_path: Path) -> None:
    write_dataset(tmp_path / "w1", TASKS, NoiseImageMaker(), run=Run(COMMAND, 1, 1))
    write_dataset(tmp_path / "w2", TASKS, NoiseImageMaker(), run=Run(COMMAND, 1, 2))
    write_dataset(tmp_path / "again", TASKS, NoiseImageMaker(), run=Run(COMMAND, 1))
    write_dataset(tmp_path / "other", TASKS, NoiseImageMaker(), run=Run(COMMAND, 2))
    reference = _tree(tmp_path / "w1")
    assert _tree(tmp_path / "w2") == reference
    assert _tree(tmp_path / "again") == reference
    assert _tree(tmp_path / "other") != reference


@pytest.mark.parametrize("layout", [FilesLayout(), ShardsLayout(1000)])
def test_jobs_grow_with_a_quick_pace_and_the_bytes_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: FilesLayout | ShardsLayout
) -> None:
    """Quick examples come in larger jobs once a 2-worker run has measured its pace; what
    it writes is what one worker writes."""
    import augment.dataset.pool as pool

    sizes: list[int] = []
    job_size = pool.job_size

    def recorded(*args, **kwargs) -> int:
        sizes.append(job_size(*args, **kwargs))
        return sizes[-1]

    tasks = [{"label": LABELS[i % len(LABELS)], "source": f"in/{i}.png"} for i in range(4000)]
    write_dataset(tmp_path / "w1", tasks, NoiseImageMaker(), run=Run(COMMAND, 3, 1), layout=layout)
    monkeypatch.setattr(pool, "job_size", recorded)
    monkeypatch.setattr("augment.dataset.layouts.shards.job_size", recorded)
    write_dataset(tmp_path / "w2", tasks, NoiseImageMaker(), run=Run(COMMAND, 3, 2), layout=layout)
    assert sizes[0] == pool.FIRST_JOB and max(sizes) > pool.CHUNK_SIZE  # the pace took over
    assert max(sizes) <= pool.MAX_JOB
    assert _tree(tmp_path / "w2") == _tree(tmp_path / "w1")


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    tasks = [dict(t) for t in TASKS[:10]]
    tasks[3]["bad"] = True
    seen: list[str] = []
    summary = write_dataset(
        tmp_path,
        tasks,
        NoiseImageMaker(),
        run=Run(COMMAND, 0),
        progress=Progress(error=seen.append),
    )
    assert summary.written == 9
    assert seen == ["in/3.png: not an image"]
    errors = (tmp_path / "errors.jsonl").read_text().splitlines()
    assert [json.loads(e)["index"] for e in errors] == [3]
    assert 3 not in [r["index"] for r in _rows(tmp_path)]


def test_rerun_resumes_without_duplicates(tmp_path: Path) -> None:
    write_dataset(tmp_path, TASKS[:20], NoiseImageMaker(), run=Run(COMMAND, 0))
    with pytest.raises(AugsynthError, match="different command"):
        write_dataset(tmp_path, TASKS, NoiseImageMaker(), run=Run(COMMAND, 0))
    summary = write_dataset(tmp_path, TASKS[:20], NoiseImageMaker(), run=Run(COMMAND, 0))
    assert summary.written == 0 and summary.already_done == 20
    assert [r["index"] for r in _rows(tmp_path)] == list(range(20))


def test_a_different_seed_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    write_dataset(tmp_path, TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 0))
    with pytest.raises(AugsynthError, match="different command or seed"):
        write_dataset(tmp_path, TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 1))


SCRIPT = """
import sys
from toys import NoiseImageMaker
from augment.dataset.writer import Run, write_dataset
tasks = [{"label": "abc"[i % 3]} for i in range(400)]
write_dataset(sys.argv[1], tasks, NoiseImageMaker(delay=float(sys.argv[2])),
              run=Run({"name": "kill-test"}, 9, int(sys.argv[3])))
"""


def _run_script(out: Path, delay: float, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(out), str(delay), str(workers)], env=env
    )


def _children(pid: int) -> list[int]:
    """Child processes of `pid` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("workers", [1, 2])
def test_killed_run_completes_on_rerun_with_no_duplicate_or_corrupt_file(
    tmp_path: Path, workers: int
) -> None:
    out = tmp_path / "killed"
    process = _run_script(out, 0.004, workers)
    manifest = out / "manifest.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline:
        if manifest.exists() and manifest.read_text().count("\n") >= 60:
            break
        time.sleep(0.02)
    children = _children(process.pid)
    assert len(children) == (workers if workers > 1 else 0)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = manifest.read_text().count("\n")
    assert 60 <= finished < 400, "the run should have been killed midway"
    deadline = time.time() + 5  # orphaned workers notice and exit instead of lingering
    while time.time() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)]

    assert _run_script(out, 0.0, workers).wait() == 0
    assert _run_script(tmp_path / "clean", 0.0, 1).wait() == 0

    rows = _rows(out)
    assert [r["index"] for r in rows] == list(range(400))
    for path in out.rglob("*.png"):
        Image.open(path).verify()
    assert not [p for p in out.rglob(".*") if p.is_file()]
    assert _tree(out) == _tree(tmp_path / "clean")


def test_columns_never_overwrite_the_manifest_fields(tmp_path: Path) -> None:
    class ClashingMaker(NoiseImageMaker):
        def make(self, task, rng):
            example = super().make(task, rng)
            example.columns = {"label": "other", "file_name": "x.png", "speaker": "s1"}
            return example

    write_dataset(tmp_path, TASKS[:3], ClashingMaker(), run=Run(COMMAND, 0))
    row = _rows(tmp_path)[0]
    assert row["label"] == TASKS[0]["label"] and row["input_label"] == "other"
    assert row["input_file_name"] == "x.png" and row["speaker"] == "s1"
    metadata = read_metadata(tmp_path / "metadata.parquet")[0]
    assert metadata["file_name"] == row["file"]


def test_batch_makers_give_the_same_bytes_and_isolate_bad_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toys import BatchNoiseImageMaker

    import augment.dataset.pool as pool

    monkeypatch.setattr(pool, "CHUNK_SIZE", 32)  # the 60 tasks as two batches

    tasks = [dict(t) for t in TASKS]
    tasks[40]["bad"] = True
    write_dataset(tmp_path / "one", tasks, NoiseImageMaker(), run=Run(COMMAND, 3))
    BatchNoiseImageMaker.batch_calls = 0
    summary = write_dataset(tmp_path / "batch", tasks, BatchNoiseImageMaker(), run=Run(COMMAND, 3))
    assert BatchNoiseImageMaker.batch_calls == 2  # 60 tasks in chunks of 32
    assert summary.errors == ["in/40.png: not an image"]
    assert _tree(tmp_path / "batch") == _tree(tmp_path / "one")


@pytest.mark.parametrize("seed", [-1, 2**64])
def test_a_seed_no_manifest_can_record_is_refused_before_anything_is_written(
    tmp_path: Path, seed: int
) -> None:
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match="seed"):
        write_dataset(out, TASKS, NoiseImageMaker(), run=Run(COMMAND, seed))
    assert not out.exists() or not any(out.iterdir())


def test_numpy_values_in_params_are_written_as_plain_json() -> None:
    row = {"index": 0, "params": {"gain": np.float64(0.5), "n": np.int64(3), "xs": np.arange(2)}}
    assert json.loads(dumps_row(row)) == {"index": 0, "params": {"gain": 0.5, "n": 3, "xs": [0, 1]}}


class LazyTasks(Sequence):
    """Tasks made on demand by index, as a run too large to list would give them."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice) or not 0 <= index < self.count:
            raise IndexError(index)
        return {"label": LABELS[index % len(LABELS)], "source": f"in/{index}.png"}


@pytest.mark.parametrize("layout", [FilesLayout(), ShardsLayout(16)], ids=["files", "shards"])
def test_any_task_sequence_gives_the_bytes_of_the_list(tmp_path: Path, layout) -> None:
    write_dataset(tmp_path / "list", TASKS, NoiseImageMaker(), run=Run(COMMAND, 6), layout=layout)
    lazy = LazyTasks(len(TASKS))
    write_dataset(tmp_path / "lazy", lazy, NoiseImageMaker(), run=Run(COMMAND, 6, 2), layout=layout)
    assert _tree(tmp_path / "lazy") == _tree(tmp_path / "list")


def test_the_tasks_digest_is_that_of_the_whole_list_so_older_folders_resume() -> None:
    tasks = [{"source": f"in/{i}é.png", "columns": {"b": i, "a": [i, None]}} for i in range(9000)]
    expected = hashlib.sha256(json.dumps(tasks, sort_keys=True).encode()).hexdigest()
    assert tasks_digest(tasks) == expected
    assert tasks_digest([]) == hashlib.sha256(b"[]").hexdigest()


class ErrorColumnMaker(NoiseImageMaker):
    """Examples whose input carries a column named `error` (e.g. a measured OCR error)."""

    def make(self, task: dict, rng: np.random.Generator):
        example = super().make(task, rng)
        example.columns = {"error": 0.25}
        return example


@pytest.mark.parametrize("layout", [FilesLayout(), ShardsLayout(4)])
def test_a_column_named_error_is_a_column_not_a_failure(tmp_path: Path, layout) -> None:
    summary = write_dataset(
        tmp_path, TASKS[:10], ErrorColumnMaker(), run=Run(COMMAND, 0), layout=layout
    )
    assert summary.written == 10 and not summary.errors
    assert [row["error"] for row in _rows(tmp_path)] == [0.25] * 10
    assert not (tmp_path / "errors.jsonl").exists()
