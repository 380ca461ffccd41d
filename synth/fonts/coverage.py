"""Which characters a font really draws: no tofu, no blank, no stand-in glyph.

A character counts as covered only if (1) the font's Unicode cmap maps it to a glyph other
than .notdef, (2) the rendered glyph has ink, (3) the render differs from the font's .notdef
render, and (4) for a lower-case letter, the render differs from its upper-case partner's
(caps-only display fonts map 'a' to the 'A' shape, which would be a wrong label).

Results are cached per font file content in `<cache>/coverage/<sha256>.json`, where
<cache> is $AUGSYNTH_CACHE_DIR or ~/.cache/augsynth; an unwritable cache is skipped.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path

import numpy as np

from augment.dataset.atomic import write_atomic
from synth.fonts.files import best_cmap, load_font

CHECK_SIZE = 48
CACHE_VERSION = 2
_PROBE_CODEPOINTS = (0x10FFFD, 0xFFFF0, 0xE000, 0xF8FF)  # private-use: fonts rarely map them


def cache_dir() -> Path:
    root = os.environ.get("AUGSYNTH_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "augsynth"


@functools.cache
def font_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _render(path: Path, char: str) -> np.ndarray:
    """A whole-line-height render, so glyphs of different heights never compare equal."""
    font = load_font(path, CHECK_SIZE)
    mask = font.getmask(char, mode="L")
    return np.asarray(mask, dtype=np.uint8).reshape(mask.size[1], mask.size[0])


@functools.cache
def _notdef_render(path: Path) -> np.ndarray | None:
    cmap = best_cmap(path)
    for code in _PROBE_CODEPOINTS:
        if code not in cmap:
            return _render(path, chr(code))
    return None


SAME_TOLERANCE = 4.0  # mean absolute difference (of 255) under which two renders are one shape


def _same(a: np.ndarray, b: np.ndarray | None) -> bool:
    if b is None or a.shape != b.shape:
        return False
    return float(np.abs(a.astype(np.int16) - b).mean()) < SAME_TOLERANCE


def check_glyph(path: Path, char: str) -> bool:
    """Whether `path` draws `char` with a glyph of its own (see the module docstring)."""
    cmap = best_cmap(path)
    glyph_name = cmap.get(ord(char))
    if glyph_name is None or glyph_name == ".notdef":
        return False
    render = _render(path, char)
    if render.size == 0 or int(render.max()) < 128:
        return False
    if _same(render, _notdef_render(path)):
        return False
    upper = char.upper()
    has_upper = char.islower() and len(upper) == 1 and upper != char and ord(upper) in cmap
    return not (
        has_upper and (cmap[ord(upper)] == glyph_name or _same(render, _render(path, upper)))
    )


class CoverageCache:
    """Per-font-file answers of `check_glyph`, in memory and on disk."""

    def __init__(self, directory: Path | None = None) -> None:
        self._root = directory
        self._memory: dict[str, dict[str, bool]] = {}

    @property
    def directory(self) -> Path:
        return (self._root or cache_dir()) / "coverage"

    def _file(self, digest: str) -> Path:
        return self.directory / f"{digest}.json"

    def _load(self, digest: str) -> dict[str, bool]:
        if digest in self._memory:
            return self._memory[digest]
        known: dict[str, bool] = {}
        try:
            data = json.loads(self._file(digest).read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION and data.get("check_size") == CHECK_SIZE:
                known = {k: bool(v) for k, v in data["chars"].items()}
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        self._memory[digest] = known
        return known

    def covered(self, path: Path, chars: str) -> str:
        """The characters of `chars` that `path` covers, in the order given."""
        digest = font_digest(path)
        known = self._load(digest)
        missing = [c for c in dict.fromkeys(chars) if c not in known]
        for char in missing:
            known[char] = check_glyph(path, char)
        if missing:
            self._save(digest, known)
        return "".join(c for c in chars if known[c])

    def _save(self, digest: str, known: dict[str, bool]) -> None:
        record = {"version": CACHE_VERSION, "check_size": CHECK_SIZE, "chars": known}
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            write_atomic(self._file(digest), json.dumps(record, ensure_ascii=False).encode())


def allowed_chars(path: Path) -> str | None:
    """The optional allow-list `<font stem>.chars` beside a font file.

    Some fonts draw a character in a way that is no longer that character to a reader
    (a 7-segment 'M'); the allow-list keeps them to the characters they show well.
    """
    listing = path.with_suffix(".chars")
    if not listing.is_file():
        return None
    return listing.read_text(encoding="utf-8")


def usable_chars(path: Path, chars: str, cache: CoverageCache) -> str:
    """Characters of `chars` the font covers and its allow-list (if any) admits."""
    covered = cache.covered(path, chars)
    allowed = allowed_chars(path)
    return covered if allowed is None else "".join(c for c in covered if c in allowed)
