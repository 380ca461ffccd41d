"""The wheel carries the bundled assets and finds them when installed from it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("augsynth-*.whl")
    return path


def test_wheel_contains_fonts_noise_samples_and_examples(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for asset in ("fonts", "noise_samples", "examples"):
        bundled = [n for n in names if n.startswith(f"augment/_assets/{asset}/")]
        source = [p for p in (ROOT / asset).rglob("*") if p.is_file()]
        assert len(bundled) == len(source) > 0, asset


def test_wheel_ships_the_pipeline_presets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    presets = [p.relative_to(ROOT).as_posix() for p in (ROOT / "synth/run/presets").glob("*.yaml")]
    assert presets and all(name in names for name in presets)


def test_installed_wheel_finds_its_assets(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "from augment.assets import asset_dir; "
        "print('\\n'.join(str(asset_dir(n)) for n in ('fonts', 'noise_samples', 'examples')))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    printed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(printed) == 3
    for line in printed:
        assert Path(line).is_relative_to(target) and any(Path(line).iterdir())


def test_wheel_is_typed_and_versioned(wheel: Path) -> None:
    """Type checkers read the packages' hints (PEP 561) and both report the wheel's version."""
    import augment
    import synth

    names = zipfile.ZipFile(wheel).namelist()
    assert {"augment/py.typed", "synth/py.typed"} <= set(names)
    assert wheel.name.startswith(f"augsynth-{augment.__version__}-")
    assert synth.__version__ == augment.__version__
