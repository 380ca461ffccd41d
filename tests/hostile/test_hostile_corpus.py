"""Every hostile case: no traceback, one-line messages naming the file and the problem,
non-zero exit only for fatal cases, the rest of the run goes on, nothing outside OUT.

43 of these cases failed when the corpus was written (issue 13); each was fixed, and its case is
the regression test.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from hostile_cases import Case, all_cases
from typer.testing import CliRunner

from augment.cli.main import app as augment_app
from synth.cli import app as synth_app

IDENTITY = "- Maybe: {p: 0.0, transform: {Rotate: {}}}\n"
CASES = all_cases()


def _argv(case: Case, tmp: Path) -> list[str]:
    args = [a.format(tmp=tmp, out=tmp / "out", **{"in": tmp / "in"}) for a in case.args]
    out = [] if "-o" in args else ["-o", str(tmp / "out")]
    if case.command == "images":
        return ["images", str(tmp / "in"), *out, *args]
    if case.command == "audio":
        noise = [] if {"--noise", "--config"} & set(args) else ["--noise", "crowd"]
        return ["audio", str(tmp / "in"), *out, *noise, "--snr", "10:10", *args]
    charset = [] if "--charset" in args else ["--charset", "digits"]
    return ["ocr", *out, *charset, "--per-class", "1", "--size", "16", *args]


def _snapshot(tmp: Path, out: Path) -> dict[str, tuple[int, int]]:
    """Every path outside OUT with its size and modification time (folders: that they
    exist)."""
    seen = {}
    for path in tmp.rglob("*"):
        if path == out or (path.is_relative_to(out) and not path.is_symlink()):
            continue
        stat = path.lstat()
        folder = path.is_dir() and not path.is_symlink()  # its mtime moves when OUT is made in it
        seen[str(path.relative_to(tmp))] = (0, 0) if folder else (stat.st_size, stat.st_mtime_ns)
    return seen


def _out(case: Case, tmp: Path) -> Path:
    """The OUT folder of the case's command line."""
    argv = _argv(case, tmp)
    return Path(argv[argv.index("-o") + 1])


def _written(out: Path) -> int:
    manifest = out / "manifest.jsonl"
    if not manifest.is_file() or manifest.is_symlink():
        return 0
    return sum(1 for line in manifest.read_text().split("\n") if line.strip())


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path.parent / "hostile-cache"))
    tmp = tmp_path / "t"
    tmp.mkdir()
    (tmp / "identity.yaml").write_text(IDENTITY)
    case.setup(tmp)
    before = _snapshot(tmp, _out(case, tmp))
    argv = _argv(case, tmp)
    app = augment_app if case.command != "synth" else synth_app
    result = CliRunner().invoke(app, argv)
    if case.repeat:
        assert result.exit_code == 0, result.output
        result = CliRunner().invoke(app, argv)
    said = f"$ {case.command} {shlex.join(argv)}\nrc={result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), said
    assert "Traceback" not in result.output, said
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if case.fatal:
        assert result.exit_code != 0, said
        errors = [line for line in lines if line.startswith("error:")]
        assert len(errors) == 1 and len(lines) == 1, said
        assert all(word in errors[0] for word in case.mentions), said
    else:
        assert result.exit_code == 0, said
        assert _written(_out(case, tmp)) >= case.min_written, said
        if case.mentions:
            assert any(all(w in line for w in case.mentions) for line in lines), said
            errors = _out(case, tmp) / "errors.jsonl"
            if case.logged:
                assert errors.is_file() and case.mentions[0] in errors.read_text(), said
        if case.check is not None:
            assert case.check(_out(case, tmp)) is not False, said
    assert _snapshot(tmp, _out(case, tmp)) == before, f"{said}\nwrote outside OUT"


def test_the_corpus_is_large_and_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 200
