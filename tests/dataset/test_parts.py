"""Runs made in parts (--shard I/N): the parts together write the bytes of one run, whatever
their order or overlap in time; a cut part resumes; mismatches are refused on one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from toys import NoiseImageMaker

from augment.core.errors import AugsynthError, ConfigError
from augment.dataset.index_ranges import IndexRanges
from augment.dataset.layouts import FilesLayout, ShardsLayout
from augment.dataset.merge import merge_parts
from augment.dataset.parts import Part, part_dir
from augment.dataset.writer import Progress, Run, write_dataset

LABELS = ["a", "B", "é", ".."]
TASKS = [{"label": LABELS[i % len(LABELS)], "source": f"in/{i}.png"} for i in range(45)]
TASKS[7] = {**TASKS[7], "bad": True}  # one failure: errors.jsonl must merge too
COMMAND = {"name": "toy-parts"}
LAYOUTS = [FilesLayout(), ShardsLayout(8)]
IDS = ["files", "shards"]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _write(out: Path, layout, part: Part | None = None, workers: int = 1, tasks=TASKS):
    run = Run(COMMAND, 3, workers, part)
    return write_dataset(out, tasks, NoiseImageMaker(), run=run, layout=layout)


@pytest.mark.parametrize("layout", LAYOUTS, ids=IDS)
@pytest.mark.parametrize("count", [2, 4, 7])
def test_parts_in_any_order_write_the_bytes_of_one_run(tmp_path: Path, layout, count) -> None:
    _write(tmp_path / "one", layout)
    order = [*range(count - 2, -1, -1), count - 1]  # backwards, the last part last
    for number in order:
        summary = _write(tmp_path / "parts", layout, Part(number, count), workers=2)
        assert summary.merged == (number == order[-1])
    assert _tree(tmp_path / "parts") == _tree(tmp_path / "one")
    assert (tmp_path / "one" / "errors.jsonl").exists()


@pytest.mark.parametrize("layout", LAYOUTS, ids=IDS)
def test_part_spans_cover_the_run_in_order_and_keep_shards_whole(layout) -> None:
    for total in (0, 1, 45, 64):
        for count in (1, 3, 10):
            spans = [layout.span(total, Part(n, count)) for n in range(count)]
            assert [i for span in spans for i in span] == list(range(total))
            if isinstance(layout, ShardsLayout):
                assert all(s.start % layout.size == 0 for s in spans if len(s))


@pytest.mark.parametrize("layout", LAYOUTS, ids=IDS)
def test_a_cut_part_resumes_and_the_merge_waits_for_it(tmp_path: Path, layout) -> None:
    tasks = TASKS * 3  # parts of more than one job each
    _write(tmp_path / "one", layout, tasks=tasks)
    out = tmp_path / "parts"
    _write(out, layout, Part(0, 2), tasks=tasks)
    with pytest.raises(_Killed):
        run = Run(COMMAND, 3, 2, Part(1, 2))
        progress = _killed_once_listed(out, run)
        write_dataset(out, tasks, NoiseImageMaker(), run=run, layout=layout, progress=progress)
    assert (out / "parts").is_dir() and not merge_parts(out, required=False)
    with pytest.raises(AugsynthError, match=r"1 of 2 parts have not finished \(first: 1/2\)"):
        merge_parts(out, required=True)
    summary = _write(out, layout, Part(1, 2), tasks=tasks)
    assert summary.already_done > 0 and summary.written > 0 and summary.merged
    assert _tree(out) == _tree(tmp_path / "one")


class _Killed(Exception):
    """The run stops here, as a kill would stop it."""


def _killed_once_listed(out: Path, run: Run) -> Progress:
    """Progress that stops the run once some of its rows are in the part's manifest (a
    shard's rows come once it is in place, a few steps after it is written)."""
    assert run.part is not None
    manifest = part_dir(out, run.part) / "manifest.jsonl"

    def advance(n: int) -> None:
        if manifest.stat().st_size > 0:
            raise _Killed

    return Progress(advance=advance)


def test_a_run_made_in_parts_refuses_what_would_mix_two_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, FilesLayout(), Part(0, 3))
    with pytest.raises(AugsynthError, match=r"made in 3 parts .*--shard 1/2$"):
        _write(out, FilesLayout(), Part(1, 2))
    with pytest.raises(AugsynthError, match="different command or seed"):
        write_dataset(out, TASKS, NoiseImageMaker(), run=Run({"name": "other"}, 3, 1, Part(1, 3)))
    with pytest.raises(AugsynthError, match=r"holds one file per example"):
        _write(out, ShardsLayout(8), Part(1, 3))
    with pytest.raises(AugsynthError, match=r"made in 3 parts .*augment merge"):
        _write(out, FilesLayout())  # a one-part run would make the parts' examples again
    with pytest.raises(ConfigError, match=r"--shard: expected I/N"):
        Part.parse("3/3")
    with pytest.raises(ConfigError, match=r"--shard: expected I/N"):
        Part.parse("1-3")


CLI = """
import sys
from synth.cli import app
app(sys.argv[1:])
"""


def _synth(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-c", CLI, "ocr", "--charset", "digits+K", "--per-class", "4"]
    return subprocess.Popen(command + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("shards", [[], ["--shards", "5"]], ids=IDS)
def test_parts_run_at_once_as_processes_write_the_bytes_of_one_run(tmp_path: Path, shards) -> None:
    one = _synth(["-o", str(tmp_path / "one"), "--workers", "1", "--preview", "4", *shards])
    assert one.wait() == 0
    count = 4
    parts = [
        _synth(["-o", str(tmp_path / "parts"), "--workers", "1", "--preview", "4",
                "--shard", f"{n}/{count}", *shards])
        for n in range(count)
    ]  # fmt: skip
    outputs = [p.communicate() for p in parts]
    assert [p.returncode for p in parts] == [0] * count, outputs
    merged = [out for out, _ in outputs if b"merged them" in out]
    assert len(merged) == 1  # exactly one part found itself last
    assert _tree(tmp_path / "parts") == _tree(tmp_path / "one")


def test_mismatched_parts_are_refused_on_one_line_by_the_command(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    assert _synth(["-o", out, "--shard", "0/2", "--workers", "1"]).wait() == 0
    for args, message in [
        (["--shard", "1/3"], "is being made in 2 parts"),
        (["--shard", "1/2", "--seed", "5"], "different command or seed"),
        (["--shard", "2/2"], "--shard: expected I/N with 0 <= I < N, got 2/2"),
    ]:
        process = _synth(["-o", out, "--workers", "1", *args])
        _, err = process.communicate()
        assert process.returncode == 1
        lines = err.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_index_ranges_hold_indices_as_few_ranges() -> None:
    ranges = IndexRanges([5, 6, 7, 1, 3, 2, 9, 7])
    assert len(ranges) == 7 and list(zip(ranges.starts, ranges.stops, strict=True)) == [
        (1, 4),
        (5, 8),
        (9, 10),
    ]
    assert [i in ranges for i in range(11)] == [i in {1, 2, 3, 5, 6, 7, 9} for i in range(11)]
    assert list(ranges.missing(range(0, 12))) == [0, 4, 8, 10, 11]
    assert ranges.count_in(range(2, 9)) == 5
    ranges.add(4), ranges.add(8)
    assert list(zip(ranges.starts, ranges.stops, strict=True)) == [(1, 10)]
    big = IndexRanges(range(10**6))
    assert len(big.starts) == 1 and len(big) == 10**6


def test_a_folder_whose_run_json_digests_every_task_still_resumes(tmp_path: Path) -> None:
    """Folders written before run.json named computed tasks by their identity."""
    from augment.dataset.copy_tasks import CopyTasks
    from augment.dataset.run_record import tasks_digest

    tasks = CopyTasks(TASKS[:6], 3)
    out = tmp_path / "old"
    write_dataset(out, tasks[:9], NoiseImageMaker(), run=Run(COMMAND, 3))  # an interrupted run
    record = json.loads((out / "run.json").read_text())
    record.update(examples=len(tasks), tasks_sha256=tasks_digest(tasks))
    (out / "run.json").write_text(json.dumps(record))
    summary = write_dataset(out, tasks, NoiseImageMaker(), run=Run(COMMAND, 3))
    assert summary.already_done == 9 and summary.written == len(tasks) - 9
    with pytest.raises(AugsynthError, match="different command"):
        write_dataset(out, CopyTasks(TASKS[:6], 4), NoiseImageMaker(), run=Run(COMMAND, 3))


DYING_PART = """
import sys
from toys import DyingMaker, NoiseImageMaker
from augment.dataset.layouts import ShardsLayout
from augment.dataset.parts import Part, part_dir
from augment.dataset.writer import Run, write_dataset

maker = DyingMaker(int(sys.argv[2])) if int(sys.argv[2]) >= 0 else NoiseImageMaker()
tasks = [{"label": "xy"[n % 2], "n": n} for n in range(80)]
part = Part(int(sys.argv[3]), 2) if sys.argv[3] != "-" else None
write_dataset(sys.argv[1], tasks, maker, run=Run({"name": "dying"}, 2, 2, part),
              layout=ShardsLayout(8))
"""


def test_a_killed_part_resumes_to_the_bytes_of_one_run(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}

    def run(out: Path, die_at: int, part: str) -> int:
        args = [sys.executable, "-c", DYING_PART, str(out), str(die_at), part]
        return subprocess.run(args, env=env, capture_output=True).returncode

    out = tmp_path / "parts"
    assert run(out, -1, "0") == 0
    assert run(out, 61, "1") != 0  # part 1 (examples 40..79) killed at example 61
    assert (out / "parts" / "1-of-2").is_dir() and not (out / "manifest.jsonl").exists()
    assert run(out, -1, "1") == 0
    assert run(tmp_path / "one", -1, "-") == 0
    assert _tree(out) == _tree(tmp_path / "one")
