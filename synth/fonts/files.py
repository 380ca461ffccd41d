"""Font files: find them in a folder, name their family and style, load them once.

Loading a font is the slowest step of a render, so `load_font` keeps one FreeType face per
(file, pixel size) for the life of the process (each DataLoader worker has its own).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

from augment.core.errors import InputError

FONT_SUFFIXES = frozenset({".ttf", ".otf"})


@dataclass(frozen=True)
class FontFace:
    """A font file and the family/style names it declares."""

    path: Path
    family: str
    style: str

    @property
    def name(self) -> str:
        return f"{self.family} {self.style}"


def find_font_files(root: str | Path) -> list[Path]:
    """Every .ttf/.otf under `root` (or `root` itself if it is a font file), sorted."""
    root = Path(root)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(str(root), "no such font file or folder")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in FONT_SUFFIXES)
    if not files:
        raise InputError(str(root), "no .ttf or .otf font files found")
    return files


STYLE_WORDS = (
    "Regular", "Book", "Thin", "ExtraLight", "Light", "Medium", "SemiBold", "Semibold",
    "ExtraBold", "Bold", "Black", "Heavy", "Italic", "Oblique", "Cond", "Condensed",
)  # fmt: skip
_STYLE_PATTERN = re.compile("(" + "|".join(STYLE_WORDS) + ")", re.IGNORECASE)


def style_from_file_name(path: Path) -> str | None:
    """The style a file name ends with ('Family-BoldItalic.otf' -> 'Bold Italic'), or None.

    Foundries name files by style consistently, while name tables are sometimes wrong
    (Courier Prime's Regular and Bold files both declare 'Light'): a file name made only
    of style words wins where the declared style does not contain them.
    """
    if "-" not in path.stem:
        return None
    suffix = path.stem.rsplit("-", 1)[1]
    words = [w for w in _STYLE_PATTERN.split(suffix) if w]
    if not words or not all(_STYLE_PATTERN.fullmatch(w) for w in words):
        return None
    return " ".join(w[0].upper() + w[1:] for w in words)


def _style(path: Path, declared: str | None) -> str:
    """The declared style, unless the file name's style words contradict it."""
    named = style_from_file_name(path)
    if named and not (declared and set(named.lower().split()) <= set(declared.lower().split())):
        return named
    return declared or "Regular"


def _name(table, *ids: int) -> str | None:
    for name_id in ids:
        record = table.getDebugName(name_id)
        if record:
            return str(record)
    return None


@functools.cache
def read_face(path: Path) -> FontFace:
    """Family and style from the font's name table; a corrupt file raises InputError."""
    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            if "cmap" not in font or font.getBestCmap() is None:
                raise InputError(str(path), "font has no Unicode character map")
            table = font["name"]
            family = _name(table, 16, 1) or path.stem
            style = _style(path, _name(table, 17, 2))
    except InputError:
        raise
    except Exception as err:  # fontTools raises many exception types on a damaged file
        raise InputError(str(path), f"not a readable font ({type(err).__name__}: {err})") from None
    return FontFace(path, family, style)


@functools.cache
def best_cmap(path: Path) -> dict[int, str]:
    """Code point -> glyph name, as the font declares it."""
    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return dict(font.getBestCmap() or {})


@functools.lru_cache(maxsize=512)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The FreeType face of `path` at `size` pixels per em, loaded once per process."""
    try:
        return ImageFont.truetype(str(path), size)
    except OSError as err:
        raise InputError(str(path), f"FreeType cannot load the font ({err})") from None


def default_fonts_dir() -> Path:
    """The bundled fonts/ folder."""
    from augment.assets import asset_dir

    return asset_dir("fonts")


def resolve_font(font: str | Path, root: str | Path | None = None) -> Path:
    """A font named in params: absolute, or relative to `root` (default: bundled fonts)."""
    return _resolve(str(font), None if root is None else str(root))


@functools.lru_cache(maxsize=4096)
def _resolve(font: str, root: str | None) -> Path:
    path = Path(font)
    if path.is_absolute():
        return path
    return Path(root if root is not None else default_fonts_dir()) / path
