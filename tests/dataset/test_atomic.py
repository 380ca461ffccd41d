"""Atomic writes: a file is there complete or not at all, whichever way it is written, and
a process killed mid-write leaves nothing half-written under the target's name."""

from __future__ import annotations

import errno
import os
import signal
import stat
from pathlib import Path

import pytest

from augment.dataset import atomic
from augment.dataset.atomic import TMP_MARK, remove_stale_temporaries, write_atomic

unnamed = pytest.mark.skipif(
    not atomic._UNNAMED, reason="this system has no unnamed files (O_TMPFILE)"
)


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _plain_mode(tmp_path: Path) -> int:
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    return stat.S_IMODE(plain.stat().st_mode)


@unnamed
def test_a_new_file_is_linked_into_place_with_no_temporary(tmp_path: Path):
    out = tmp_path / "out"
    write_atomic(out / "a" / "0000001.png", b"x" * 100_000)  # the folder is made on demand
    assert (out / "a" / "0000001.png").read_bytes() == b"x" * 100_000
    assert _listing(out) == ["a", "a/0000001.png"]
    assert atomic._unnamed_works, "this system writes unnamed files: the fast path was used"
    mode = stat.S_IMODE((out / "a" / "0000001.png").stat().st_mode)
    assert mode == _plain_mode(tmp_path), "the same permissions as open() gives"


def test_an_existing_file_is_replaced_whole(tmp_path: Path):
    target = tmp_path / "run.json"
    target.write_bytes(b"old and longer")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _listing(tmp_path) == ["run.json"]


def _killed_child(write) -> int:
    """Run `write` in a forked child that SIGKILLs itself at its publishing step; its
    exit signal."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            write()
        finally:
            os._exit(0)  # not reached when the kill happens
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


def _kill_self(*_args, **_kwargs) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@unnamed
def test_a_kill_between_writing_and_linking_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "a").mkdir()
    monkeypatch.setattr(os, "link", _kill_self)  # the child dies just before the link
    signal_number = _killed_child(lambda: write_atomic(tmp_path / "a" / "1.png", b"data"))
    assert signal_number == signal.SIGKILL
    assert _listing(tmp_path) == ["a"], "no file, half-written or temporary"


def test_a_kill_before_the_rename_leaves_only_a_temporary_cleanup_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "a").mkdir()
    monkeypatch.setattr(atomic, "_unnamed_works", False)  # a system without unnamed files
    monkeypatch.setattr(os, "replace", _kill_self)
    signal_number = _killed_child(lambda: write_atomic(tmp_path / "a" / "1.png", b"data"))
    assert signal_number == signal.SIGKILL
    assert not (tmp_path / "a" / "1.png").exists()
    (left,) = (tmp_path / "a").iterdir()
    assert left.name.startswith(f".1.png{TMP_MARK}"), "only a temporary, never the target"
    assert remove_stale_temporaries(tmp_path) == 1 and _listing(tmp_path) == ["a"]


@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL])
def test_a_file_system_without_unnamed_files_falls_back_to_a_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
):
    real_open = os.open

    def refuse_unnamed(path, flags, *args, **kwargs):
        if atomic._UNNAMED and flags & atomic._UNNAMED == atomic._UNNAMED:
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_unnamed)
    monkeypatch.setattr(atomic, "_unnamed_works", bool(atomic._UNNAMED))
    for i in range(3):
        write_atomic(tmp_path / "a" / f"{i}.png", bytes([i]) * 10)
    assert [(tmp_path / "a" / f"{i}.png").read_bytes() for i in range(3)] == [
        bytes([i]) * 10 for i in range(3)
    ]
    assert _listing(tmp_path) == ["a", "a/0.png", "a/1.png", "a/2.png"]
    assert not atomic._unnamed_works, "asked once, then the rename for the rest of the run"


@unnamed
def test_without_proc_the_link_falls_back_to_a_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def no_proc(*_args, **_kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(os, "link", no_proc)
    monkeypatch.setattr(atomic, "_unnamed_works", True)
    write_atomic(tmp_path / "1.png", b"data")
    assert (tmp_path / "1.png").read_bytes() == b"data"
    assert _listing(tmp_path) == ["1.png"] and not atomic._unnamed_works
