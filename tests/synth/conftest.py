"""Synth tests keep their coverage cache in a temporary folder, never in the user's home."""

from __future__ import annotations

from pathlib import Path

import pytest
from synth_paths import DEJAVU, DSEG7


@pytest.fixture(autouse=True, scope="session")
def _coverage_cache(tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path_factory.mktemp("augsynth-cache")))
    yield
    mp.undo()


@pytest.fixture
def two_fonts(tmp_path: Path) -> Path:
    """A font folder with a full Latin font and a digits-only 7-segment font."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    for font in (DEJAVU, DSEG7, DSEG7.with_suffix(".chars")):
        (folder / font.name).write_bytes(font.read_bytes())
    return folder
