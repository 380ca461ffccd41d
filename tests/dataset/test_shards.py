"""The shards layout: WebDataset tars with the files layout's bytes, deterministic and resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from toys import BatchNoiseImageMaker, NoiseImageMaker

from augment.core.errors import AugsynthError, ConfigError
from augment.dataset.atomic import TMP_MARK, temporary_sibling
from augment.dataset.index_ranges import IndexRanges
from augment.dataset.layouts import ShardsLayout
from augment.dataset.layouts.base import WriteJob
from augment.dataset.writer import Progress, Run, write_dataset

LABELS = ["a", "é", "/", "Ж", ".."]
TASKS = [{"label": LABELS[i % len(LABELS)], "source": f"in/{i}.png"} for i in range(60)]
COMMAND = {"name": "toy"}
SHARD_SIZE = 16  # 60 tasks: shards of 16, 16, 16, 12


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _rows(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "manifest.jsonl").read_text().splitlines()]


def _shards(out: Path, tasks: list[dict] = TASKS, maker=None, workers: int = 1, **kwargs):
    return write_dataset(
        out, tasks, maker or NoiseImageMaker(), run=Run(COMMAND, 4, workers),
        layout=ShardsLayout(SHARD_SIZE), **kwargs,
    )  # fmt: skip


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def test_shards_hold_the_files_layout_bytes_grouped_by_key(tmp_path: Path) -> None:
    write_dataset(tmp_path / "files", TASKS, NoiseImageMaker(), run=Run(COMMAND, 4))
    summary = _shards(tmp_path / "shards")
    assert summary.written == len(TASKS)
    out = tmp_path / "shards"
    assert sorted(p.name for p in (out / "shards").iterdir()) == [
        "000000.tar", "000001.tar", "000002.tar", "000003.tar"
    ]  # fmt: skip
    assert not (out / "metadata.parquet").exists()
    files_rows = _rows(tmp_path / "files")
    rows = _rows(out)
    assert [r["index"] for r in rows] == list(range(len(TASKS)))
    for row, file_row in zip(rows, files_rows, strict=True):
        index = row["index"]
        key = f"{index:07d}"
        assert row["file"] == f"shards/{index // SHARD_SIZE:06d}.tar" and row["key"] == key
        members = _members(out / row["file"])
        assert members[f"{key}.png"] == (tmp_path / "files" / file_row["file"]).read_bytes()
        assert members[f"{key}.txt"].decode("utf-8") == TASKS[index]["label"]
        record = json.loads(members[f"{key}.json"])
        assert json.loads(record.pop("params")) == row["params"]
        assert record == {k: v for k, v in file_row.items() if k not in ("file", "params")}
    with tarfile.open(out / "shards" / "000003.tar") as tar:
        infos = tar.getmembers()
    assert [m.name for m in infos[:3]] == ["0000048.png", "0000048.json", "0000048.txt"]
    assert len(infos) == 3 * 12
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname, m.mode) for m in infos} == {
        (0, 0, 0, "", "", 0o644)
    }


def test_workers_and_batches_do_not_change_the_shard_bytes(tmp_path: Path) -> None:
    _shards(tmp_path / "w1")
    BatchNoiseImageMaker.batch_calls = 0
    _shards(tmp_path / "batch", maker=BatchNoiseImageMaker())
    assert BatchNoiseImageMaker.batch_calls == 4  # one chunk per shard (each fits one job)
    _shards(tmp_path / "w2", maker=BatchNoiseImageMaker(), workers=2)
    reference = _tree(tmp_path / "w1")
    assert _tree(tmp_path / "batch") == reference == _tree(tmp_path / "w2")


def test_a_failing_example_is_reported_and_left_out_of_its_shard(tmp_path: Path) -> None:
    tasks = [dict(t) for t in TASKS]
    tasks[5]["bad"] = True
    seen: list[str] = []
    summary = _shards(tmp_path, tasks, progress=Progress(error=seen.append))
    assert summary.written == len(TASKS) - 1 and seen == ["in/5.png: not an image"]
    errors = [json.loads(e) for e in (tmp_path / "errors.jsonl").read_text().splitlines()]
    assert [e["index"] for e in errors] == [5]
    names = _members(tmp_path / "shards" / "000000.tar")
    assert len(names) == 3 * 15 and not [n for n in names if n.startswith("0000005.")]
    before = _tree(tmp_path)
    inode = (tmp_path / "shards" / "000000.tar").stat().st_ino
    again = _shards(tmp_path, tasks)  # a shard on disk is final: nothing is remade
    assert again.written == 0 and again.errors == [] and again.already_done == len(TASKS) - 1
    assert (tmp_path / "shards" / "000000.tar").stat().st_ino == inode
    assert _tree(tmp_path) == before  # errors.jsonl still lists example 5
    (tmp_path / "errors.jsonl").unlink()  # as if the run was killed before writing it
    last = _shards(tmp_path, tasks)
    assert last.written == 0 and last.errors == [
        "shards/000000.tar: example 5 failed in an interrupted earlier run "
        "(delete the shard to retry it)"
    ]
    errors = [json.loads(e) for e in (tmp_path / "errors.jsonl").read_text().splitlines()]
    assert [e["index"] for e in errors] == [5]


def test_a_lost_shard_is_remade_and_must_hold_what_the_manifest_lists(tmp_path: Path) -> None:
    _shards(tmp_path / "clean")
    out = tmp_path / "lost"
    _shards(out)
    (out / "shards" / "000001.tar").unlink()
    _shards(out)
    assert _tree(out) == _tree(tmp_path / "clean")
    (out / "shards" / "000001.tar").unlink()

    class SourceGone(NoiseImageMaker):  # example 20 was written before and fails now
        def make(self, task, rng):
            if task["source"] == "in/20.png":
                raise AugsynthError("in/20.png: no such file")
            return super().make(task, rng)

    with pytest.raises(AugsynthError, match="example 20 is in the manifest but failed"):
        _shards(out, maker=SourceGone())
    assert not (out / "shards" / "000001.tar").exists()
    assert not list((out / "shards").glob(".*tmp*"))


def test_a_cut_run_resumes_to_the_same_tree(tmp_path: Path) -> None:
    _shards(tmp_path / "clean")
    out = tmp_path / "cut"
    _shards(out)
    manifest = out / "manifest.jsonl"
    lines = manifest.read_text().splitlines(keepends=True)
    # Killed after shard 2 was renamed but while its rows were appended (row 40 half written),
    # with shard 3 half made: its temporary is left and it is missing.
    manifest.write_text("".join(lines[:40]) + lines[40][:9])
    (out / "shards" / "000003.tar").rename(temporary_sibling(out / "shards" / "000003.tar"))
    summary = _shards(out)
    assert summary.already_done == 40 and summary.written == 20
    assert [r["index"] for r in _rows(out)] == list(range(len(TASKS)))
    assert _tree(out) == _tree(tmp_path / "clean")


DYING = """
import sys
from toys import DyingMaker, NoiseImageMaker
from augment.dataset.index_ranges import IndexRanges
from augment.dataset.layouts import ShardsLayout
from augment.dataset.layouts.base import WriteJob
from augment.dataset.writer import Run, write_dataset

maker = DyingMaker(int(sys.argv[2])) if int(sys.argv[2]) >= 0 else NoiseImageMaker()
tasks = [{"label": "xy"[n % 2], "n": n} for n in range(50)]
write_dataset(sys.argv[1], tasks, maker, run=Run({"name": "dying"}, 2, int(sys.argv[3])),
              layout=ShardsLayout(8))
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_a_killed_run_resumes_to_the_same_tree(tmp_path: Path, workers: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}

    def run(out: Path, die_at: int) -> int:
        args = [sys.executable, "-c", DYING, str(out), str(die_at), str(workers)]
        return subprocess.run(args, env=env, capture_output=True).returncode

    out = tmp_path / "killed"
    assert run(out, 29) != 0
    rows = _rows(out)
    assert len(rows) % 8 == 0 and len(rows) <= 24
    # in-process, the kill leaves the open shard's temporary; with workers, the main process
    # sees its worker die and removes it
    assert bool(list((out / "shards").glob(f".0*.tar{TMP_MARK}*"))) == (workers == 1)
    assert run(out, -1) == 0
    assert run(tmp_path / "clean", -1) == 0
    assert [r["index"] for r in _rows(out)] == list(range(50))
    assert _tree(out) == _tree(tmp_path / "clean")


KILLED_MAIN = """
import json, multiprocessing, os, signal, sys
from toys import NoiseImageMaker
import augment.dataset.tar as tar
from augment.dataset.layouts import ShardsLayout
from augment.dataset.writer import Run, write_dataset

out, step, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
splice, calls = tar.ShardWriter.splice, []

def die() -> None:  # as a user's kill -9 would; the workers' ids for the test to wait on
    pids = [child.pid for child in multiprocessing.active_children()]
    with open(os.path.join(out, "workers.json"), "w") as handle:
        json.dump(pids, handle)
    os.kill(os.getpid(), signal.SIGKILL)

def killing_splice(self, source) -> None:
    calls.append(source)
    if len(calls) == 2 and step == "before_splice":
        die()
    splice(self, source)
    if len(calls) == 2 and step == "before_unlink":
        die()

tar.ShardWriter.splice = killing_splice
tasks = [{"label": "xy"[n % 2], "n": n} for n in range(50)]
write_dataset(out, tasks, NoiseImageMaker(), run=Run({"name": "dying"}, 2, workers),
              layout=ShardsLayout(16))
"""


def _wait_gone(pids: list[int]) -> None:
    """Until the killed run's orphaned workers have exited (they watch for it)."""
    for pid in pids:
        for _ in range(600):
            try:
                state = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                break
            if "State:\tZ" in state:
                break
            time.sleep(0.05)


@pytest.mark.parametrize("step", ["before_splice", "before_unlink"])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_main_process_killed_while_splicing_pieces_resumes_to_the_same_tree(
    tmp_path: Path, step: str, workers: int
) -> None:
    """Killed with a piece written but not spliced, or spliced but not deleted: the pieces
    left are temporaries the rerun deletes, and the shards come out the same."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    out = tmp_path / "killed"
    out.mkdir()
    args = [sys.executable, "-c", KILLED_MAIN, str(out), step, str(workers)]
    assert subprocess.run(args, env=env, capture_output=True).returncode == -signal.SIGKILL
    _wait_gone(json.loads((out / "workers.json").read_text()))
    (out / "workers.json").unlink()
    pieces = list((out / "shards").glob(f".*{TMP_MARK}*.piece-*"))
    assert pieces
    _shards_of(out, 50)
    _shards_of(tmp_path / "clean", 50)
    assert not list(out.rglob(f"*{TMP_MARK}*"))
    assert _tree(out) == _tree(tmp_path / "clean")


def _shards_of(out: Path, count: int) -> None:
    tasks = [{"label": "xy"[n % 2], "n": n} for n in range(count)]
    write_dataset(out, tasks, NoiseImageMaker(), run=Run({"name": "dying"}, 2, 1),
                  layout=ShardsLayout(16))  # fmt: skip


def test_a_piece_an_orphaned_worker_writes_during_the_rerun_is_deleted_at_its_end(
    tmp_path: Path,
) -> None:
    """A worker of a killed run can finish its job after the rerun's start-up cleanup (it
    exits once it sees its main process gone): the rerun deletes the pieces of its shards."""
    out = tmp_path / "out"

    class OrphanBeside(NoiseImageMaker):
        def make(self, task, rng):
            if task["source"] == "in/0.png":
                stale = out / "shards" / f".000002.tar{TMP_MARK}99999.piece-0000032"
                stale.parent.mkdir(parents=True, exist_ok=True)
                stale.write_bytes(b"\0" * 512)
            return super().make(task, rng)

    _shards(out, maker=OrphanBeside())
    _shards(tmp_path / "clean")
    assert not list(out.rglob(f"*{TMP_MARK}*"))
    assert _tree(out) == _tree(tmp_path / "clean")


def test_another_layout_or_shard_size_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    write_dataset(tmp_path / "files", TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 4))
    with pytest.raises(AugsynthError, match="holds one file per example, this run writes shards"):
        _shards(tmp_path / "files", TASKS[:5])
    _shards(tmp_path / "shards", TASKS[:5])
    with pytest.raises(AugsynthError, match="holds shards of 16 examples, this run writes one"):
        write_dataset(tmp_path / "shards", TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 4))
    with pytest.raises(AugsynthError, match="this run writes shards of 8 examples"):
        write_dataset(
            tmp_path / "shards", TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 4),
            layout=ShardsLayout(8),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("layout", "field"), [(lambda: "zip", "layout"), (lambda: ShardsLayout(0), "shard_size")]
)
def test_bad_layout_options_name_the_field(tmp_path: Path, layout, field: str) -> None:
    with pytest.raises(ConfigError, match=f"^{field}: "):
        write_dataset(tmp_path, TASKS, NoiseImageMaker(), run=Run(COMMAND, 0), layout=layout())
    assert not any(tmp_path.iterdir())


def test_hugging_face_datasets_loads_the_shards(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    tasks = [{"label": label, "note": f"n{i}"} for i, label in enumerate(["a", "é", "7"] * 7)]
    write_dataset(
        tmp_path / "out", tasks, NoiseImageMaker(), run=Run(COMMAND, 0), layout=ShardsLayout(8)
    )
    tars = sorted(str(p) for p in (tmp_path / "out" / "shards").glob("*.tar"))
    loaded = datasets.load_dataset(
        "webdataset", data_files={"train": tars}, split="train", cache_dir=str(tmp_path / "hf")
    )
    assert len(tars) == 3 and len(loaded) == len(tasks)
    assert {"png", "json", "txt", "__key__"} <= set(loaded.column_names)
    manifest = _rows(tmp_path / "out")
    for row, task, expected in zip(loaded, tasks, manifest, strict=True):
        assert row["__key__"] == expected["key"]
        assert row["txt"] == row["json"]["label"] == task["label"]
        assert row["json"]["note"] == task["note"]
        assert json.loads(row["json"]["params"]) == expected["params"]
        assert isinstance(row["png"], Image.Image) and np.asarray(row["png"]).shape == (16, 16)


def test_a_shards_folder_given_as_input_is_refused_not_misread(tmp_path: Path) -> None:
    """Reading shards back as input is not supported: say so instead of picking up stray
    files (a preview.png would otherwise pass for an unlabelled input)."""
    from augment.core.errors import InputError
    from augment.dataset.readers import read_labelled_files

    out = tmp_path / "shards"
    _shards(out, TASKS[:5])
    (out / "preview.png").write_bytes(b"")
    with pytest.raises(InputError, match="holds WebDataset shards"):
        read_labelled_files(out, frozenset({".png"}))


@pytest.mark.parametrize("in_kernel", [True, False])
def test_the_tar_writer_matches_pythons_tarfile_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_kernel: bool
) -> None:
    """Our ustar headers (written directly, for speed) are the bytes tarfile writes for the
    same members with the same fixed metadata, end-of-archive padding included, when the
    members come as pieces spliced in (copied by the kernel, or read and written where
    the system refuses that) and the pieces are deleted."""
    import errno
    import io

    import augment.dataset.file_copy as file_copy
    from augment.dataset.tar import ShardFile, member_bytes, ustar_header

    def refused(*_: object) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    if not in_kernel:
        monkeypatch.setattr(file_copy.os, "copy_file_range", refused)
        monkeypatch.setattr(file_copy, "_in_kernel", True)
    members = [("0000001.png", b"x" * 700), ("0000001.txt", "é".encode()), ("0000002.png", b"")]
    members += [(f"{i:07d}.json", b"y" * (i * 37)) for i in range(30)]
    reference = io.BytesIO()
    with tarfile.open(fileobj=reference, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    shard = ShardFile(tmp_path / "shard.tar")
    for k, first in enumerate(range(0, len(members), 7)):  # pieces of 7 members
        piece = tmp_path / f"piece{k}"
        piece.write_bytes(b"".join(member_bytes(*member) for member in members[first : first + 7]))
        shard.splice(piece)
        assert not piece.exists()
    shard.seal()
    assert (tmp_path / "shard.tar").read_bytes() == reference.getvalue()
    assert file_copy._in_kernel == in_kernel
    for bad in ("é.png", "x" * 101, ""):
        with pytest.raises(AugsynthError, match="1-100 ASCII"):
            ustar_header(bad, 1)
    with pytest.raises(AugsynthError, match="too large for a tar member"):
        ustar_header("big.png", 8**11)


def test_a_run_record_naming_an_unknown_layout_is_refused_by_name(tmp_path: Path) -> None:
    write_dataset(tmp_path, TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 4))
    record = json.loads((tmp_path / "run.json").read_text())
    (tmp_path / "run.json").write_text(json.dumps({**record, "layout": "zip"}))
    with pytest.raises(AugsynthError, match="holds an unknown layout 'zip', this run writes one"):
        write_dataset(tmp_path, TASKS[:5], NoiseImageMaker(), run=Run(COMMAND, 4))


def test_shards_are_cut_into_even_jobs_that_shrink_near_the_end(tmp_path: Path) -> None:
    """100 examples a shard as 2 jobs of 50 (not 64 + 36); the first job, made before the
    fork, is at most FIRST_JOB and the rest of its shard is cut evenly again; near the end
    of the run jobs shrink so that both workers finish together; one worker keeps whole
    jobs."""
    tasks = [{}] * 1000
    job = WriteJob(tmp_path, tasks, NoiseImageMaker(), 0, range(1000), IndexRanges(), [])
    work = ShardsLayout(100).start(job)
    one = [len(piece.indices) for piece in work._pieces(1)]
    assert one == [50] * 20
    two = list(work._pieces(2))
    assert [i for piece in two for i in piece.indices] == list(range(1000))
    assert [len(piece.indices) for piece in two[:3]] == [15, 43, 42]  # 16 at most, then 85
    assert [len(piece.indices) for piece in two[3:13]] == [50] * 10
    assert len(two[-1].indices) == 1 and all(len(p.indices) <= 50 for p in two)
    assert [piece.last for piece in two].count(True) == 10


def test_a_failed_sync_stops_the_run_and_leaves_only_whole_shards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards are synced and renamed on a thread while the next is written: a sync that
    fails (a full disk) still stops the run, and no temporary or partial shard is left."""
    import augment.dataset.tar as tar

    syncs: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        syncs.append(fd)
        if len(syncs) == 2:  # the second shard's
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(tar.os, "fsync", fsync)
    tasks = [{"label": "a", "source": f"in/{i}.png"} for i in range(40)]
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        write_dataset(out, tasks, NoiseImageMaker(), run=Run(COMMAND, 0), layout=ShardsLayout(8))
    monkeypatch.undo()
    shards = sorted((out / "shards").iterdir())
    names = [path.name for path in shards]
    assert "000000.tar" in names and "000001.tar" not in names
    assert not list(out.rglob(f"*{TMP_MARK}*"))
    for path in shards:  # a shard the thread had already taken is whole
        with tarfile.open(path) as shard:
            assert len(shard.getnames()) == 8 * 3
    write_dataset(out, tasks, NoiseImageMaker(), run=Run(COMMAND, 0), layout=ShardsLayout(8))
    clean = tmp_path / "clean"
    write_dataset(clean, tasks, NoiseImageMaker(), run=Run(COMMAND, 0), layout=ShardsLayout(8))
    assert _tree(out) == _tree(clean)
