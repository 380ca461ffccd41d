"""What every command promises: help with examples, determinism, resume, one-line errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

BIN = Path(sys.executable).parent
SYNTH = [str(BIN / "synth"), "ocr", "--charset", "digits", "--per-class", "4", "--size", "24"]


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    "command",
    [
        ["augment"],
        ["augment", "images"],
        ["augment", "audio"],
        ["augment", "list"],
        ["synth"],
        ["synth", "ocr"],
        ["synth", "fonts"],
        ["synth", "texture-pack"],
    ],
)
def test_every_command_has_help_with_examples(command: list[str]) -> None:
    result = _run([str(BIN / command[0]), *command[1:], "--help"])
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout


def test_python_dash_m_runs_the_same_commands(tmp_path: Path) -> None:
    """`python -m synth` / `python -m augment`, for a kernel or venv whose scripts folder
    is not on PATH: the same commands and the same bytes."""
    for package in ("synth", "augment"):
        helped = _run([sys.executable, "-m", package, "--help"])
        assert helped.returncode == 0 and f"Usage: {package} " in helped.stdout, helped.stderr
    by_script = _run([*SYNTH, "-o", str(tmp_path / "script")])
    by_module = _run([sys.executable, "-m", "synth", *SYNTH[1:], "-o", str(tmp_path / "module")])
    assert by_script.returncode == by_module.returncode == 0, by_module.stderr
    assert _tree(tmp_path / "module") == _tree(tmp_path / "script")
    missing = [str(tmp_path / "nothing"), "-o", str(tmp_path / "out")]
    refused = _run([sys.executable, "-m", "augment", "images", *missing])
    assert refused.returncode != 0 and str(tmp_path / "nothing") in refused.stderr


def test_workers_do_not_change_the_bytes(tmp_path: Path) -> None:
    for name, workers in (("w1", "1"), ("w2", "2"), ("again", "1")):
        result = _run([*SYNTH, "-o", str(tmp_path / name), "--seed", "3", "--workers", workers])
        assert result.returncode == 0, result.stderr
    reference = _tree(tmp_path / "w1")
    assert len([n for n in reference if n.endswith(".png")]) == 40
    assert _tree(tmp_path / "w2") == reference == _tree(tmp_path / "again")


def test_augment_images_is_deterministic_across_workers(tmp_path: Path) -> None:
    assert _run([*SYNTH, "-o", str(tmp_path / "crops"), "--seed", "0"]).returncode == 0
    for name, workers in (("w1", "1"), ("w2", "2")):
        result = _run(
            [
                str(BIN / "augment"),
                "images",
                str(tmp_path / "crops"),
                "-o",
                str(tmp_path / name),
                "--warp",
                "--rotate",
                "10",
                "-n",
                "2",
                "--seed",
                "1",
                "--workers",
                workers,
            ]
        )
        assert result.returncode == 0, result.stderr
    assert _tree(tmp_path / "w1") == _tree(tmp_path / "w2")
    rows = (tmp_path / "w1" / "manifest.jsonl").read_text().splitlines()
    assert len(rows) == 80 and all(json.loads(r)["params"] for r in rows)


@pytest.mark.parametrize("layout", [[], ["--shards", "300"]], ids=["files", "shards"])
def test_killed_cli_run_completes_on_rerun(tmp_path: Path, layout: list[str]) -> None:
    args = [
        str(BIN / "synth"),
        "ocr",
        "--charset",
        "alnum",
        "--per-class",
        "40",
        "--size",
        "32",
        "--seed",
        "5",
        "--workers",
        "2",
        *layout,
    ]
    out = tmp_path / "killed"
    process = subprocess.Popen(
        [*args, "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    manifest = out / "manifest.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if manifest.exists() and manifest.read_text().count("\n") >= 200:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = manifest.read_text().count("\n")
    assert 200 <= done < 62 * 40, "the run should have been killed midway"

    assert _run([*args, "-o", str(out)]).returncode == 0
    assert _run([*args, "-o", str(tmp_path / "clean")]).returncode == 0
    indices = [json.loads(r)["index"] for r in manifest.read_text().splitlines()]
    assert indices == list(range(62 * 40))
    for path in out.rglob("*.png"):
        Image.open(path).verify()
    assert _tree(out) == _tree(tmp_path / "clean")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["augment", "images", "{missing}", "-o", "{out}"], "no such folder"),
        (
            ["augment", "images", "{bad_config_dir}", "-o", "{out}", "--config", "{bad_config}"],
            "pipeline[0]",
        ),
        (["synth", "ocr", "-o", "{out}", "--charset", ""], "charset"),
    ],
)
def test_bad_input_gives_one_line_error_and_nonzero_exit(tmp_path: Path, args, needle) -> None:
    crops = tmp_path / "crops"
    (crops / "a").mkdir(parents=True)
    Image.new("L", (20, 20)).save(crops / "a" / "x.png")
    bad_config = tmp_path / "bad.yaml"
    bad_config.write_text("- Rotat: {}\n")
    values = {
        "missing": str(tmp_path / "nope"),
        "out": str(tmp_path / "out"),
        "bad_config_dir": str(crops),
        "bad_config": str(bad_config),
    }
    command = [a.format(**values) for a in args]
    result = _run([str(BIN / command[0]), *command[1:]])
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr


def test_a_corrupt_image_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    crops = tmp_path / ("a-long-folder-name-" * 5) / "crops"  # reports must not wrap
    (crops / "a").mkdir(parents=True)
    for i in range(3):
        Image.new("L", (20, 20), color=40 * i).save(crops / "a" / f"{i}.png")
    (crops / "a" / "broken.png").write_bytes(b"\x89PNG not really")
    result = _run(
        [str(BIN / "augment"), "images", str(crops), "-o", str(tmp_path / "out"), "-n", "2"]
    )
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 2, result.stderr  # one line per copy of the bad file
    assert all(str(crops / "a" / "broken.png") in line for line in skipped), result.stderr
    assert len((tmp_path / "out" / "manifest.jsonl").read_text().splitlines()) == 6


def test_image_commands_do_not_load_the_audio_stack(loaded_after) -> None:
    """`augment --help` and image pipelines stay quick to start: the audio stack (scipy.signal,
    codecs) is imported only when audio is used."""
    code = (
        "import augment.cli.main\n"
        "from augment import build_pipeline\n"
        "build_pipeline([{'Rotate': {}}, {'Blur': {}}])"
    )
    assert loaded_after(code, ["scipy.signal", "augment.audio"]) == [False, False]


def test_augment_list_shows_real_parameters_and_kind_is_a_choice() -> None:
    listing = _run([str(BIN / "augment"), "list", "--kind", "audio"])
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    after_gsm = lines[next(i for i, line in enumerate(lines) if line.startswith("GSM [")) + 1]
    assert not after_gsm.startswith("    ")  # GSM takes no parameters (it listed args/kwargs)
    assert "Rotate" not in listing.stdout and "BackgroundNoise" in listing.stdout
    wrong = _run([str(BIN / "augment"), "list", "--kind", "video"])
    assert wrong.returncode != 0 and "video" in wrong.stderr
