"""The page's HTML, JS and CSS ship in the wheel as package data (no build step for users)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("hatchling")


def test_wheel_carries_the_page(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("augsynth-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    static = ROOT / "augment" / "explore" / "static"
    shipped = {f"augment/explore/static/{p.name}" for p in static.iterdir()}
    assert shipped == {"augment/explore/static/" + n for n in ("index.html", "app.js", "style.css")}
    assert shipped <= names
    assert "augment/cli/explore.py" in names
